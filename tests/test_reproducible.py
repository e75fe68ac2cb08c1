"""Building the same sources twice gives the same bytes, in every format."""

from __future__ import annotations

from pathlib import Path

from .conftest import KRATOM, SOURCE_DIR, build


def files(folder):
    return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_two_builds_are_byte_identical(built, tmp_path):
    assert build(SOURCE_DIR, tmp_path) == 0
    first, second = files(built), files(tmp_path)
    assert first.keys() == second.keys()
    assert len([name for name in first if name.suffix in (".pdf", ".epub", ".html")]) >= 6
    assert {Path("pdf", f"{KRATOM}{variant}.pdf") for variant in ("", "-large-print", "-booklet")} <= first.keys()
    different = [str(name) for name in first if first[name] != second[name]]
    assert not different, f"differ between builds: {different}"
