"""The build records (build/.state/*.json, pipeline/build/state.py): whatever is in them, a build succeeds.

A record that is not exactly what the build writes (a file cut short, `[]`, `null`, a list where a
path should be, an entry of the wrong shape) counts as no record: its outputs are made again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

from pipeline.formats import BY_NAME
from pipeline.formats import FORMATS as ALL_FORMATS
from pipeline.build.state import State, _is_record

from .conftest import build

FORMATS = ("--format", "html,index,epub,report,report-index", "-j", "1")
HANDOUT = "---\ntitle: Taking your tablets\nupdated: 2026-03-05\n---\n\nTake them with water.\n"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, Path]:
    """One handout built once; each test corrupts a copy of its build folder."""
    root = tmp_path_factory.mktemp("state")
    (root / "source").mkdir()
    (root / "source" / "tablets.md").write_text(HANDOUT, encoding="utf-8")
    assert build(root / "source", root / "build", *FORMATS) == 0
    return root / "source", root / "build"


def _first_record(change: Callable[[dict], Any]) -> Callable[[Any], None]:
    def apply(data):
        change(next(iter(data["records"].values())))

    return apply


def _set(key: str, value: Any) -> Callable[[dict], None]:
    return lambda mapping: mapping.__setitem__(key, value)


WHOLE_FILE = {
    "empty list": b"[]",
    "null": b"null",
    "text": b'"records"',
    "empty object": b"{}",
    "a number": b"42",
    "cut short": None,  # the first half of the real file
    "not UTF-8": b"\xff\xfe{}",
    "nested too deep for json": b"[" * 100_000 + b"]" * 100_000,
}

IN_THE_FILE: dict[str, Callable[[Any], None]] = {
    "schema as text": _set("schema", "1"),
    "shared is text": _set("shared", "html/index.html"),
    "index is a number": _set("index", 5),
    "records is a list": _set("records", []),
    "a record is a list": lambda data: data["records"].__setitem__(next(iter(data["records"])), []),
    "deps is a list": _first_record(_set("deps", [])),
    "a hash is a number": _first_record(lambda record: record["deps"].__setitem__(next(iter(record["deps"])), 5)),
    "outputs is text": _first_record(_set("outputs", "html/tablets.html")),
    "stale_from is a number": _first_record(_set("stale_from", 20260305)),
    "slug is null": _first_record(_set("slug", None)),
    "pictures is a list": _first_record(_set("pictures", [])),
    "an unknown field": _first_record(_set("colour", "red")),
    "a missing field": _first_record(lambda record: record.pop("deps")),
    "a NUL in a file name": _first_record(lambda record: record.__setitem__("deps", {"/tmp/a\0b": "0"})),
    "an entry that is text": _first_record(_set("entry", "Taking your tablets")),
}

IN_AN_ENTRY: dict[str, tuple[str, Callable[[dict], None]]] = {
    "links is a number": ("index", _set("links", 5)),
    "a link is empty": ("index", lambda entry: entry["links"].__setitem__(0, {})),
    "draft is text": ("index", _set("draft", "yes")),
    "no title": ("index", lambda entry: entry.pop("title")),
    "a report entry's title is a number": ("report-index", _set("title", 5)),
    "a report entry in the web index": ("index", lambda entry: [entry.pop(key) for key in list(entry) if key not in ("slug", "title", "summary")]),
    "a report's entry is the web index's": ("report", _set("lang", "en")),
}


def _corrupt_and_build(pristine, tmp_path, capsys, name: str, corrupt: Callable[[Path], None]) -> list[str]:
    source_dir, built = pristine
    builddir = tmp_path / "build"
    shutil.copytree(built, builddir)
    corrupt(builddir / ".state" / f"{name}.json")
    capsys.readouterr()
    assert build(source_dir, builddir, *FORMATS) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert build(source_dir, builddir, *FORMATS) == 0  # the records are whole again: nothing to do
    assert "0 outputs built, 5 up to date" in capsys.readouterr().out
    return [line.removeprefix(f"wrote {builddir}/") for line in out.splitlines() if line.startswith("wrote ")]


@pytest.mark.parametrize("name", ["html", "index", "report"])
@pytest.mark.parametrize("case", WHOLE_FILE)
def test_a_records_file_that_is_not_json_records_rebuilds_its_format(pristine, tmp_path, capsys, name, case):
    def corrupt(path: Path) -> None:
        path.write_bytes(WHOLE_FILE[case] if WHOLE_FILE[case] is not None else path.read_bytes()[: path.stat().st_size // 2])

    wrote = _corrupt_and_build(pristine, tmp_path, capsys, name, corrupt)
    assert {"html": "html/tablets.html", "index": "html/index.html", "report": "reports/tablets.json"}[name] in wrote


@pytest.mark.parametrize("name", ["html", "index", "report-index"])
@pytest.mark.parametrize("case", IN_THE_FILE)
def test_a_record_of_the_wrong_shape_is_no_record(pristine, tmp_path, capsys, name, case):
    def corrupt(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        IN_THE_FILE[case](data)
        path.write_text(json.dumps(data), encoding="utf-8")

    wrote = _corrupt_and_build(pristine, tmp_path, capsys, name, corrupt)
    assert {"html": "html/tablets.html", "index": "html/index.html", "report-index": "reports/index.html"}[name] in wrote


@pytest.mark.parametrize("case", IN_AN_ENTRY)
def test_an_entry_of_the_wrong_shape_is_no_record(pristine, tmp_path, capsys, case):
    name, change = IN_AN_ENTRY[case]

    def corrupt(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(next(iter(data["records"].values()))["entry"])
        path.write_text(json.dumps(data), encoding="utf-8")

    wrote = _corrupt_and_build(pristine, tmp_path, capsys, name, corrupt)
    assert {"index": "html/index.html", "report": "reports/tablets.json", "report-index": "reports/index.html"}[name] in wrote


def test_every_record_a_build_writes_is_read_back(pristine):
    """The check refuses nothing the build itself writes (or every build would redo everything)."""
    _source_dir, built = pristine
    for path in (built / ".state").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["records"] and all(_is_record(record, path.stem) for record in data["records"].values()), path.name
        assert State.load(built, path.stem, data["key"]).records.keys() == data["records"].keys()


def test_every_format_that_keeps_an_entry_has_its_type():
    for format in ALL_FORMATS:
        kept = format.lists_every_handout or format.makes_entry_for is not None
        assert (format.entry_type() is not None) == kept, format.name
        if format.makes_entry_for:
            assert format.entry_type() is BY_NAME[format.makes_entry_for].entry_type()
