"""What each output was built from, kept between builds so that a build redoes only what changed.

Each output of a handout has a record, like a compiler's depfile: the files it was made from (the
source, its pictures, site.yaml and the logo), each with a hash of its content, and the day from
which it goes stale even if no file changes (a review expires). What every output of a format
depends on (the pipeline's code, the pinned dependencies, the format's templates, the build options
and SOURCE_DATE_EPOCH) is hashed once into the format's key: a different key rebuilds the format.

The records live in `<builddir>/.state/<format>.json`, one file per format, so builds of different
formats at the same time never write the same file. A file is written, atomically, only after the
outputs it vouches for: a build killed before that leaves them marked as not built.

This module is on the path of every build, the no-op one too: it imports nothing heavy.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypedDict

from ..formats import BY_NAME, SHARED_TEMPLATES, Format

SCHEMA = 2
"""Bump to make every build after it ignore the records written before."""

FOLDER = ".state"

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Fingerprints:
    """Hashes of files' contents, each file read once per build. A missing file has a hash too, so
    that a file appearing later (a new site.yaml) is a change."""

    ABSENT = "absent"

    def __init__(self) -> None:
        self._known: dict[str, str] = {}

    def __call__(self, path: Path | str) -> str:
        name = str(path)
        if name not in self._known:
            try:
                with open(name, "rb") as file:
                    self._known[name] = digest(file.read())
            except (OSError, ValueError):  # gone, unreadable, or no file name at all: a change, read again
                self._known[name] = self.ABSENT
        return self._known[name]

    def of(self, paths) -> dict[str, str]:
        return {str(path): self(path) for path in paths}


def _tree(folder: Path, patterns) -> list[Path]:
    return sorted({path for pattern in patterns for path in folder.glob(pattern) if path.is_file()})


def pipeline_version(fingerprints: Fingerprints) -> str:
    """A hash of the pipeline itself: its code and data files (word lists), and the pinned dependencies."""
    files = [path for path in sorted(PACKAGE_DIR.rglob("*")) if path.is_file() and "__pycache__" not in path.parts]
    files.append(PROJECT_DIR / "pyproject.toml")  # the exact pins; absent when installed from a wheel
    return digest(json.dumps([(str(path.relative_to(PROJECT_DIR)), fingerprints(path)) for path in files]).encode())


def format_key(format: Format, template_dir: Path, version: str, paper: str | None, fingerprints: Fingerprints) -> str:
    """Everything every output of `format` depends on, apart from its own handout's files."""
    templates = _tree(template_dir, SHARED_TEMPLATES + format.templates)
    return digest(
        json.dumps(
            {
                "schema": SCHEMA,
                "format": format.name,
                "pipeline": version,
                "templates": [(str(path.relative_to(template_dir)), fingerprints(path)) for path in templates],
                "paper": paper if format.paper else None,
                "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "").strip(),
            }
        ).encode()
    )


@dataclass
class Record:
    """What one handout's outputs of one format were made from."""

    slug: str
    deps: dict[str, str]
    """Every file the outputs were made from, with the hash of its content then."""
    outputs: list[str] = field(default_factory=list)
    """The files written, relative to the build folder (so that it can be moved)."""
    stale_from: str | None = None
    """The day (YYYY-MM-DD) from which the outputs are out of date though no file changed: the
    handout's review expires then, and every output says whether it is a draft."""
    entry: dict | None = None
    """For the formats that list every handout (the indexes): this handout's line in the list."""
    pictures: dict[str, str] = field(default_factory=dict)
    """The handout's pictures by the name its pages use (the web page's copy is build/html/<name>),
    each with the hash of its content."""

    def is_fresh(self, fingerprints: Fingerprints, today: str, builddir: Path) -> bool:
        return (
            (self.stale_from is None or today < self.stale_from)
            and all(fingerprints(path) == known for path, known in self.deps.items())
            and all_exist(builddir, self.outputs)
        )


def all_exist(builddir: Path, outputs: list[str]) -> bool:
    return all(os.path.exists(builddir / output) for output in outputs)


@dataclass
class State:
    """The records of one format in one build folder."""

    path: Path
    key: str
    records: dict[str, Record] = field(default_factory=dict)
    """By source file, as the build named it."""
    shared: list[str] = field(default_factory=list)
    """Outputs every handout's outputs refer to (stylesheets, fonts), written once per key; for the
    list formats, the list page. Relative to the build folder."""
    listed_from: str | None = None
    """For the list formats: a hash of what the list page was made from."""
    saved: dict = field(default_factory=dict)
    """The file as read, so that a build that changed nothing does not write it again."""

    @classmethod
    def load(cls, builddir: Path, name: str, key: str) -> State:
        """The records of the last build of this format, or none when they were made under another key.

        Only what has exactly the shape `save` writes is read back: a file that does not (`[]`,
        `null`, a list where a path should be, edited by hand or cut short) is no record, and a record
        that does not is none for its handout. Its outputs are made again instead of stopping the build.
        """
        path = builddir / FOLDER / f"{name}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # none yet, unreadable, or not JSON: build everything
            return cls(path, key)
        if not _fits(data, _Saved) or data["schema"] != SCHEMA or data["key"] != key:
            return cls(path, key)
        records = {source: Record(**record) for source, record in data["records"].items() if _is_record(record, name)}
        return cls(path, key, records, data["shared"], data["listed_from"], data)

    def save(self) -> None:
        data = {
            "schema": SCHEMA,
            "key": self.key,
            "shared": self.shared,
            "listed_from": self.listed_from,
            "records": {source: vars(record) for source, record in sorted(self.records.items())},
        }
        if data == self.saved:  # compared as data: encoding a catalogue's records costs more than a no-op build
            return
        from .output import write_atomically

        write_atomically(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        self.saved = data


class _Saved(TypedDict):
    """A records file as `State.save` writes it; each record is checked on its own (`_is_record`)."""

    schema: int
    key: str
    shared: list[str]
    listed_from: str | None
    records: dict[str, dict]


def _is_record(data: dict, name: str) -> bool:
    """Whether `data` is a Record of format `name` as the build writes it, with the entry that
    format keeps (pipeline/formats.py `Format.entry_type`) or none."""
    if not _fits(data, Record):
        return False
    if data["entry"] is None:
        return True
    kind = BY_NAME[name].entry_type() if name in BY_NAME else None  # imported only for the records that hold one
    return kind is not None and _fits(data["entry"], kind)


def _fits(value: Any, kind: Any) -> bool:
    """Whether `value`, read from JSON, is what json.dumps makes of a `kind` (a type hint): a
    dataclass or TypedDict is an object with exactly its fields, each of its own type, all the way down."""
    return _checker(kind)(value)


@functools.cache
def _checker(kind: Any) -> Callable[[Any], bool]:
    """The test `_fits` makes for `kind`, worked out once per type hint: a no-op build reads every
    handout's records, and asking `typing` about each value was half of its time."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is None or kind is type(None):
        return lambda value: value is None
    if origin in (types.UnionType, typing.Union):
        options = [_checker(arg) for arg in args]
        return lambda value: any(check(value) for check in options)
    if origin in (list, tuple):  # a tuple is written as a list
        item = _checker(args[0])
        return lambda value: type(value) is list and all(map(item, value))
    if origin is dict:  # the keys of a JSON object are text
        item = _checker(args[1])
        return lambda value: type(value) is dict and all(map(item, value.values()))
    if dataclasses.is_dataclass(kind) or typing.is_typeddict(kind):
        fields = {name: _checker(hint) for name, hint in _fields(kind).items()}
        return lambda value: (
            type(value) is dict and value.keys() == fields.keys() and all(check(value[name]) for name, check in fields.items())
        )
    if kind is str:  # no file name, and no text a handout may hold, has a NUL
        return lambda value: type(value) is str and "\0" not in value
    return lambda value: type(value) is kind  # int, bool (True is not an int here), a bare dict


@functools.cache
def _fields(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)
