"""Shared fixtures: the real project built once per test session into a temporary folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "source"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The author's article as delivered (a verbatim copy of ../shared/seed/kratom-article.txt).
SEED = FIXTURES / "kratom-article.txt"
SHARED_SEED = ROOT.parent / "shared" / "seed" / "kratom-article.txt"
KRATOM = "kratom-pain-relief"

# Snapshots must not change with every commit: pin the date stamped into file metadata.
BUILD_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
os.environ["SOURCE_DATE_EPOCH"] = BUILD_EPOCH

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(program: str, install: str) -> str:
    """The path of a system program, or a skip that says how to install it (never a skip under CI)."""
    path = shutil.which(program)
    if path:
        return path
    message = f"'{program}' is not installed; install it with: {install}"
    if IN_CI:
        pytest.fail(message + " (CI=true: nothing may be skipped)")
    pytest.skip(message)


def build(source_dir: Path, builddir: Path, *args: str) -> int:
    return main(["build", "--source-dir", str(source_dir), "--builddir", str(builddir), *args])


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build folder of the real project (every format, every handout)."""
    builddir = tmp_path_factory.mktemp("build")
    assert build(SOURCE_DIR, builddir) == 0
    return builddir


@pytest.fixture(scope="session")
def built_letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    builddir = tmp_path_factory.mktemp("build-letter")
    assert build(SOURCE_DIR, builddir, "--format", "pdf", "--paper", "letter") == 0
    return builddir


@pytest.fixture
def write_source(tmp_path: Path):
    """Write a handout source into a fresh source folder; returns its path."""
    source_dir = tmp_path / "source"
    source_dir.mkdir()

    def write(text: str | bytes, name: str = "handout.md") -> Path:
        path = source_dir / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


# A handout that uses every front-matter field, a table, sub-sections, links, a rule, a line break,
# code and a regional language tag: the richest book the pipeline makes from Markdown.
RICH_HANDOUT = (
    "---\ntitle: Tablets & you\nsubtitle: A guide\nlang: en-GB\nauthor: Pharmacy team\nversion: '3'\n"
    "updated: 2026-03-05\nreviewed_by: Dr A. Example\nreviewed_on: 2026-03-01\nnext_review: 2028-03-01\n"
    "keywords: [tablets]\nreferences:\n  - A reference, 2025.\n---\n\n## Doses\n\n| Time | Dose |\n|---|---|\n"
    "| 8am | 1 |\n\n### With food\n\nSee [the NHS](https://www.nhs.uk/) & *ask*.\n\n---\n\nLine<br>break `code`.\n"
)


@pytest.fixture
def rich_book(write_source, tmp_path: Path) -> Path:
    """The EPUB of RICH_HANDOUT, with every site setting filled in."""
    source = write_source(RICH_HANDOUT)
    (source.parent / "site.yaml").write_text("organisation: Riverside Clinic\nbase_url: https://example.org/h/\n")
    assert build(source.parent, tmp_path / "build", "--format", "epub") == 0
    return tmp_path / "build" / "epub" / "handout.epub"
