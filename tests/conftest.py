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


def require_cjk_fonts() -> None:
    """Skip, saying how to install them, when Noto Sans CJK is not here (never under CI)."""
    from pipeline import fonts

    if all(family.installed for family in fonts.CJK.values()):
        return
    message = f"Noto Sans CJK is not installed (or not the checked files); install it with: sudo apt-get install {fonts.CJK_PACKAGE}"
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
def leaflet(built: Path) -> Path:
    return built / "pdf" / f"{KRATOM}.pdf"


@pytest.fixture(scope="session")
def large_print(built: Path) -> Path:
    return built / "pdf" / f"{KRATOM}-large-print.pdf"


@pytest.fixture(scope="session")
def booklet(built: Path) -> Path:
    return built / "pdf" / f"{KRATOM}-booklet.pdf"


SHOWCASE_DIR = FIXTURES / "showcase"
"""A fictional handout and site that use every feature: callouts, footnotes, a table, pictures,
a logo, a QR code, references and all review metadata."""


@pytest.fixture(scope="session")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> Path:
    builddir = tmp_path_factory.mktemp("showcase")
    assert build(SHOWCASE_DIR, builddir) == 0
    return builddir


LANGUAGES_DIR = ROOT / "tests" / "fixtures" / "languages"
CJK_FIXTURES = ("ja", "ko", "zh-hans", "zh-hant")
"""Set in Noto Sans CJK (Debian's fonts-noto-cjk): left out, and said so, on a machine without it."""


@pytest.fixture(scope="session")
def languages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every format of the fixtures in other languages and scripts (tests/fixtures/languages/): short,
    plain, fictional handouts, both directions, every script the bundled fonts draw."""
    import shutil

    from pipeline import fonts

    folder = tmp_path_factory.mktemp("languages")
    # Without Noto Sans CJK the others are built; the tests of those four skip, saying what to install
    # (require_cjk_fonts: a failure under CI).
    cjk_here = all(family.installed for family in fonts.CJK.values())
    shutil.copytree(LANGUAGES_DIR, folder / "source", ignore=lambda _, names: [] if cjk_here else [f"{slug}.md" for slug in CJK_FIXTURES])
    assert build(folder / "source", folder / "build") == 0
    return folder / "build"


@pytest.fixture(scope="session")
def built_letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    builddir = tmp_path_factory.mktemp("build-letter")
    assert build(SOURCE_DIR, builddir, "--format", "pdf,large-print,booklet", "--paper", "letter") == 0
    return builddir


# A handout that uses everything the real one does not: every front-matter field, site settings,
# a table, subsections, links in and out of the page, and a long unbroken address that must reflow.
RICH_SLUG = "using-your-inhaler"
RICH_SITE = """\
organisation: Riverside Health Centre
contact: "Questions? Call the pharmacy team on 01632 960 000, Monday to Friday, 9am to 5pm."
base_url: https://example.org/handouts/
paper: a4
lang: en-GB
"""
RICH_HANDOUT = """\
---
title: Using your inhaler
subtitle: A guide for adults with asthma
summary: How to use a metered-dose inhaler with a spacer, how often, and when to get help.
lang: en-GB
author: Community pharmacy team
version: "2.1"
updated: 2026-01-15
reviewed_by: Dr A. Example, respiratory consultant
reviewed_on: 2026-02-03
next_review: 2027-02-03
audience: adults living with asthma
keywords:
  - asthma
  - inhaler
  - spacer
references:
  - British Thoracic Society. Asthma guideline, 2024.
---

This handout explains how to take your inhaler so that the medicine reaches your lungs.
See [when to get help](#when-to-get-help) if your breathing gets worse.

## Your inhalers

| Inhaler | Colour | When to use it |
|---------|--------|----------------|
| Reliever | Blue | When you are wheezy, short of breath or your chest feels tight |
| Preventer | Brown | Every morning and every evening, even when you feel well |

## How to use it

### With a spacer

1. Shake the inhaler and take the cap off.
2. Put the inhaler into the end of the spacer.
3. Breathe out gently, then put the mouthpiece in your mouth.

### Without a spacer

Breathe in **slowly** as you press the inhaler, then hold your breath for *10 seconds*.

## When to get help

Call 999 if your reliever does not help. The full guide is at
[asthmaandlung.org.uk](https://www.asthmaandlung.org.uk/conditions/asthma/how-use-your-inhaler-spacer-asthma-action-plan-reliever).

https://www.asthmaandlung.org.uk/conditions/asthma/your-asthma-medicines/how-use-your-inhaler-properly
"""


def write_rich_project(source_dir: Path) -> Path:
    source_dir.mkdir(parents=True, exist_ok=True)
    (source_dir / "site.yaml").write_text(RICH_SITE, encoding="utf-8")
    (source_dir / f"{RICH_SLUG}.md").write_text(RICH_HANDOUT, encoding="utf-8")
    return source_dir


@pytest.fixture(scope="session")
def rich_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web pages of a project that fills in every field (see RICH_HANDOUT)."""
    root = tmp_path_factory.mktemp("rich")
    builddir = root / "build"
    assert build(write_rich_project(root / "source"), builddir, "--format", "html,index") == 0
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
RICH_BOOK = (
    "---\ntitle: Tablets & you\nsubtitle: A guide\nlang: en-GB\nauthor: Pharmacy team\nversion: '3'\n"
    "updated: 2026-03-05\nreviewed_by: Dr A. Example\nreviewed_on: 2026-03-01\nnext_review: 2028-03-01\n"
    "keywords: [tablets]\nreferences:\n  - A reference, 2025.\n---\n\n## Doses\n\n| Time | Dose |\n|---|---|\n"
    "| 8am | 1 |\n\n### With food\n\nSee [the NHS](https://www.nhs.uk/) & *ask*.\n\n---\n\nLine<br>break `code`.\n"
)


@pytest.fixture
def rich_book(write_source, tmp_path: Path) -> Path:
    """The EPUB of RICH_BOOK, with every site setting filled in (so it carries a QR code)."""
    source = write_source(RICH_BOOK)
    (source.parent / "site.yaml").write_text("organisation: Riverside Clinic\nbase_url: https://example.org/h/\n")
    assert build(source.parent, tmp_path / "build", "--format", "epub") == 0
    return tmp_path / "build" / "epub" / "handout.epub"
