"""Bad sources give one clear error: the corpus in tests/bad_sources/, plus inputs too big to commit.

Every input either builds, or fails with exactly one line `file:line: error: message` (the line is
left out when the problem is the whole file), an optional indented hint, exit status 1, no
traceback, no temporary file, and no output for the bad handout. `test_messages` keeps what each
input gives in one readable snapshot: `make snapshots` re-records it; review the diff.

The corpus: `*.md` files are each built alone; each folder is a whole source folder (site.yaml and
handouts); GENERATED inputs are written at run time (megabytes that must not be committed);
TEMPLATE_CASES break a copy of the templates.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from pipeline.writers import templates
from pipeline.cli import main

from .conftest import ROOT
from .snapshots import TextSnapshot
from .test_pictures import encoded, png_header_only

CORPUS = Path(__file__).resolve().parent / "bad_sources"

GOOD = "---\ntitle: Taking your tablets\n---\n\nTake them with water.\n\n## When to take them\n\nIn the morning.\n"

ERROR_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>[0-9]+))?: error: (?P<message>\S.*)$")


def _write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def write(source_dir: Path) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        (source_dir / name).write_bytes(data)

    return write


def _front(body: str) -> str:
    return "---\ntitle: Taking your tablets\n---\n\n" + body


def _picture(name: str, picture: str, data: Callable[[], bytes]) -> Callable[[Path], None]:
    def write(source_dir: Path) -> None:
        (source_dir / name).write_text(_front(f"![A chart of the doses]({picture})\n"), encoding="utf-8")
        (source_dir / picture).write_bytes(data())

    return write


GENERATED: dict[str, Callable[[Path], None]] = {
    # 5 MB of ordinary text: over limits.MAX_SOURCE_BYTES, refused before it is parsed.
    "generated-5mb.md": _write("generated-5mb.md", _front("Take them with water. " * 240_000)),
    "generated-list-10000-items.md": _write(
        "generated-list-10000-items.md", _front("".join(f"- Item {n} of the list.\n" for n in range(10_000)))
    ),
    "generated-nesting-500-lists.md": _write(
        "generated-nesting-500-lists.md", _front("".join("  " * depth + "- level\n" for depth in range(500)))
    ),
    "generated-table-2000-rows.md": _write(
        "generated-table-2000-rows.md",
        _front("| " + " | ".join(f"Col {n}" for n in range(20)) + " |\n|" + "---|" * 20 + "\n"
               + "".join("| " + " | ".join(f"r{row}c{col}" for col in range(20)) + " |\n" for row in range(2000))),
    ),
    "generated-one-line-1mb.md": _write("generated-one-line-1mb.md", _front("word " * 200_000 + "\n")),
    "generated-yaml-nesting-5000.md": _write(
        "generated-yaml-nesting-5000.md", "---\ntitle: Deep\nkeywords: " + "[" * 5000 + "]" * 5000 + "\n---\n\nText.\n"
    ),
    # Not regular files: opening a FIFO waits for a writer forever, /dev/zero never ends.
    "generated-fifo.md": lambda folder: os.mkfifo(folder / "generated-fifo.md"),
    "generated-link-to-dev-zero.md": lambda folder: (folder / "generated-link-to-dev-zero.md").symlink_to("/dev/zero"),
    "generated-folder.md": lambda folder: (folder / "generated-folder.md").mkdir(),
    # Pictures, made with Pillow: a PNG cut short, a JPEG named .png, a "decompression bomb" header.
    "generated-picture-truncated.md": _picture("generated-picture-truncated.md", "chart.png", lambda: encoded("PNG", (64, 64))[:100]),
    "generated-picture-jpeg-named-png.md": _picture("generated-picture-jpeg-named-png.md", "chart.png", lambda: encoded("JPEG")),
    "generated-picture-bomb.md": _picture("generated-picture-bomb.md", "chart.png", lambda: png_header_only(40_000, 40_000)),
    # Past the limits on what one handout may hold (pipeline/read/limits.py): each refused at once, on its line.
    "generated-headings-20000.md": _write("generated-headings-20000.md", _front("## Same\n\nText.\n\n" * 20_000)),
    "generated-inline-notes-20000.md": _write("generated-inline-notes-20000.md", _front("Word^[a note]. " * 20_000)),
    "generated-title-50000.md": _write("generated-title-50000.md", "---\ntitle: " + "Long " * 10_000 + "\n---\n\nText.\n"),
    "generated-keywords-1000.md": _write(
        "generated-keywords-1000.md", "---\ntitle: Tablets\nkeywords:\n" + "".join(f"  - word{n}\n" for n in range(1_000)) + "---\n\nText.\n"
    ),
    "generated-suppressions-200.md": _write(
        "generated-suppressions-200.md", _front("<!-- ignore hard-word: a fictional reason -->\nText.\n\n" * 200)
    ),
}
"""Inputs too big (or too strange) to commit. They build HTML, EPUB and the check reports (fast and deterministic);
tests/test_limits.py covers what WeasyPrint does with hostile sizes."""
GENERATED_FORMATS = "html,epub,index,report"
GENERATED_SECONDS = 60


TEMPLATE_CASES: dict[str, Callable[[Path], None]] = {
    "template-missing-partial": lambda folder: (folder / "partials" / "closing.html").unlink(),
    "template-missing-page": lambda folder: (folder / "web" / "page.html").unlink(),
    "template-syntax-error": lambda folder: _append_to_line(folder / "partials" / "closing.html", 3, " {% if %}"),
    "template-unclosed-block": lambda folder: _append_to_line(folder / "web" / "page.html", 2, " {% for x in y %}"),
    "template-undefined-name": lambda folder: _append_to_line(folder / "partials" / "title_block.html", 6, " {{ no_such_thing.title }}"),
}
"""Each breaks one file of a copy of templates/ (pipeline.writers.templates.TEMPLATE_DIR points to it)."""


def _append_to_line(path: Path, number: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] += text
    path.write_text("\n".join(lines), encoding="utf-8")


@dataclass
class Outcome:
    status: int
    stderr: str
    source_dir: Path
    template_dir: Path
    builddir: Path
    seconds: float

    def message(self) -> str:
        """What the snapshot keeps: the error and its hint, or 'builds', with stable placeholders."""
        text = self.stderr.strip() if self.status else "builds" + "".join(
            f"; {line}" for line in self.stderr.splitlines() if ": warning: " in line
        )
        text = text.replace(str(self.template_dir), "<templates>").replace(str(self.source_dir), "<source>")
        return text.replace(str(templates.TEMPLATE_DIR), "<templates>")


CASES = (
    sorted(path.name for path in CORPUS.iterdir())
    + sorted(GENERATED)
    + sorted(TEMPLATE_CASES)
)
_outcomes: dict[str, Outcome] = {}


def _run(case: str, tmp_path: Path, capsys, monkeypatch) -> Outcome:
    source_dir, builddir, template_dir = tmp_path / "source", tmp_path / "build", tmp_path / "templates"
    formats = "pdf,large-print,booklet,epub,html,index,report,report-index"
    corpus_entry = CORPUS / case
    if corpus_entry.is_dir():
        shutil.copytree(corpus_entry, source_dir)
    else:
        source_dir.mkdir()
        if corpus_entry.is_file():
            shutil.copy(corpus_entry, source_dir / case)
        elif case in GENERATED:
            GENERATED[case](source_dir)
            formats = GENERATED_FORMATS
        else:
            (source_dir / "handout.md").write_text(GOOD, encoding="utf-8")
            formats = "html,epub,index"
            shutil.copytree(templates.TEMPLATE_DIR, template_dir)
            TEMPLATE_CASES[case](template_dir)
            monkeypatch.setattr(templates, "TEMPLATE_DIR", template_dir)
    capsys.readouterr()
    started = time.monotonic()
    status = main(["build", "--source-dir", str(source_dir), "--builddir", str(builddir), "--format", formats])
    seconds = time.monotonic() - started
    outcome = Outcome(status, capsys.readouterr().err, source_dir, template_dir, builddir, seconds)
    _outcomes[case] = outcome
    return outcome


def assert_one_clear_error(stderr: str) -> re.Match:
    """Exactly one `file:line: error: message`, then at most one indented hint; warnings may come first."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if ": warning: " not in line]
    assert 1 <= len(lines) <= 2, stderr
    match = ERROR_LINE.match(lines[0])
    assert match, stderr
    assert len(lines) == 1 or (lines[1].startswith("  ") and lines[1].strip()), stderr
    assert len(match["message"]) < 300, "an error message quotes at most a short piece of the source"
    return match


@pytest.mark.parametrize("case", CASES)
def test_a_bad_source_builds_or_gives_one_clear_error(case, tmp_path, capsys, monkeypatch):
    outcome = _run(case, tmp_path, capsys, monkeypatch)
    written = [path for path in outcome.builddir.rglob("*") if path.is_file()] if outcome.builddir.exists() else []
    assert not [path for path in written if path.name.endswith(".tmp")], "no temporary file is left behind"
    if case in GENERATED:
        assert outcome.seconds < GENERATED_SECONDS, f"{case} took {outcome.seconds:.0f} s"
    if outcome.status == 0:
        # stderr holds warnings and the content checks' one-line summary, never an error
        assert "Traceback" not in outcome.stderr and not any(map(ERROR_LINE.match, outcome.stderr.splitlines()))
        for source in outcome.source_dir.glob("*.md"):
            assert (outcome.builddir / "html" / f"{source.stem}.html").is_file()
        return
    assert outcome.status == 1, outcome.stderr
    match = assert_one_clear_error(outcome.stderr)
    named = Path(match["file"])
    assert named.is_relative_to(outcome.source_dir) or named.is_relative_to(outcome.template_dir), match["file"]
    if case in TEMPLATE_CASES:
        return  # the handout is good: a job of another medium, running at the same time, completes whole
    stems = {source.stem for source in outcome.source_dir.glob("*.md")}
    assert not [path for path in written if path.name.split(".")[0] in stems], "no output for the bad handout"


def test_messages(snapshot, tmp_path_factory, capsys, monkeypatch):
    """One readable list, `input -> what it gives`, kept as a snapshot (tests/__snapshots__/)."""
    for case in CASES:
        if case not in _outcomes:  # when run alone, or with -k
            with monkeypatch.context() as patch:
                _run(case, tmp_path_factory.mktemp("case"), capsys, patch)
    listing = "\n".join(f"{case} -> {_outcomes[case].message()}" for case in CASES)
    assert listing == snapshot(extension_class=TextSnapshot)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 50


def _build_one(source: bytes, name: str, tmp_path: Path, formats: str = "html,epub,pdf") -> dict[str, bytes]:
    source_dir = tmp_path / "source"
    source_dir.mkdir(parents=True)
    (source_dir / name).write_bytes(source)
    assert main(["build", "--source-dir", str(source_dir), "--builddir", str(tmp_path / "build"), "--format", formats]) == 0
    builddir = tmp_path / "build"
    return {  # the outputs; the build's records (.state/) hold hashes of the source, which differ
        str(path.relative_to(builddir)): path.read_bytes()
        for path in builddir.rglob("*")
        if path.is_file() and ".state" not in path.relative_to(builddir).parts
    }


@pytest.mark.parametrize("variant", ["crlf.md", "cr-only.md", "bom.md"])
def test_windows_line_ends_and_a_byte_order_mark_build_the_same_files(variant, tmp_path):
    """The same text saved by a Windows editor (CRLF, a BOM) or an old Mac (CR) gives the same bytes."""
    unix = (CORPUS / variant).read_bytes().removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    assert b"\r" not in unix and unix.startswith(b"---\n")
    assert _build_one((CORPUS / variant).read_bytes(), "tablets.md", tmp_path / "variant") == _build_one(
        unix, "tablets.md", tmp_path / "unix"
    )


def test_a_source_over_the_size_limit_is_refused_quickly(tmp_path, capsys):
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    GENERATED["generated-5mb.md"](source_dir)
    started = time.monotonic()
    assert main(["build", "--source-dir", str(source_dir), "--builddir", str(tmp_path / "build")]) == 1
    assert time.monotonic() - started < 5
    err = capsys.readouterr().err
    assert_one_clear_error(err)
    assert f"{source_dir / 'generated-5mb.md'}: error: the file is 5.0 MB, more than the limit of 2 MB" in err
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("case", ["binary-png.md", "yaml-billion-laughs.md", "nesting-500-blockquotes.md"])
def test_the_command_gives_the_same_one_line_error(case, tmp_path):
    """Through `python -m pipeline`, as make runs it: exit status 1, one error line, no traceback."""
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    shutil.copy(CORPUS / case, source_dir / case)
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--source-dir", str(source_dir), "--builddir", str(tmp_path / "build")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    match = assert_one_clear_error(result.stderr)
    assert match["file"] == str(source_dir / case)
    assert not (tmp_path / "build").exists()
