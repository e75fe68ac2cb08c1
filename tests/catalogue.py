"""A synthetic catalogue of handouts for the build engine's tests: placeholder text, no medical content.

Handouts are spread over sub-folders as a real service might keep them; every fifth shows a
picture, shared by all that show it, so that a picture's change reaches some handouts, not all.
"""

from __future__ import annotations

import os
import struct
import zlib
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT



def png(grey: int) -> bytes:
    """A one-pixel grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes([0, grey]))) + chunk(b"IEND", b"")


PICTURE, PICTURE_2 = png(128), png(64)
FOLDERS = ("", "clinic-a", "clinic-b/leaflets")
PICTURES = ("square.png", "square-a.png", "square-b.png")
"""The picture in each folder: web pages keep pictures side by side, so each has a name of its own."""


def slug(number: int) -> str:
    return f"handout-{number:03d}"


def handout_text(number: int, edit: str = "") -> str:
    name = PICTURES[number % len(FOLDERS)]
    picture = f"\n![A grey square used as a test picture]({name})\n" if number % 5 == 0 else ""
    return (
        f"---\ntitle: Test handout {number}\nsummary: Placeholder text for build tests, number {number}.\n"
        f"updated: 2026-01-{1 + number % 28:02d}\n---\n\n"
        f"This is placeholder text for handout {number}. It is here to be built.{edit}\n{picture}\n"
        "## First part\n\nA short paragraph of plain words.\n\n## Second part\n\n- one item\n- another item\n"
    )


def source_of(source_dir: Path, number: int) -> Path:
    return source_dir / FOLDERS[number % len(FOLDERS)] / f"{slug(number)}.md"


def write_catalogue(source_dir: Path, count: int) -> Path:
    for number in range(count):
        path = source_of(source_dir, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(handout_text(number), encoding="utf-8")
        if number % 5 == 0:
            (path.parent / PICTURES[number % len(FOLDERS)]).write_bytes(PICTURE)
    (source_dir / "site.yaml").write_text("organisation: Test Clinic\n", encoding="utf-8")
    return source_dir


def copy_code(folder: Path) -> Path:
    """The pipeline's code and templates, copied so a test may change them."""
    for name in ("pipeline", "templates"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def run_build(project: Path, source_dir: Path, builddir: Path, *args: str, code: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m pipeline build` in a process of its own, with the pipeline of `code`; not a terminal."""
    command = [sys.executable, "-m", "pipeline", "build", "--source-dir", str(source_dir), "--builddir", str(builddir), *args]
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=900)


def written(result: subprocess.CompletedProcess, builddir: Path) -> list[str]:
    """The files a build says it wrote, relative to the build folder."""
    prefix = f"wrote {builddir}/"
    return sorted(line.removeprefix(prefix) for line in result.stdout.splitlines() if line.startswith(prefix))


def files(builddir: Path) -> dict[str, bytes]:
    """Every output (the build's own records aside), by path relative to the build folder."""
    return {
        str(path.relative_to(builddir)): path.read_bytes()
        for path in sorted(builddir.rglob("*"))
        if path.is_file() and ".state" not in path.relative_to(builddir).parts
    }
