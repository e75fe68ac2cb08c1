"""DAISY Ace, the DAISY Consortium's EPUB accessibility checker, finds no violation in any book.

Ace checks the package's accessibility metadata and the navigation, and runs axe-core over every
content document in Chromium. `make test` installs it from tools/ace/package-lock.json (without
network access at test time: it reads the book from disk and Chromium loads nothing else).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, require

ACE = ROOT / "tools" / "ace" / "node_modules" / ".bin" / "ace-puppeteer"
INSTALL_ACE = "npm ci --ignore-scripts --prefix tools/ace (make test runs it when npm is installed)"


def run_ace(book: Path, outdir: Path) -> dict:
    """Ace's report on one book (its report.json)."""
    require("node", "sudo apt-get install -y nodejs npm")
    chromium = require("chromium", "sudo apt-get install -y chromium")
    ace = require(str(ACE), INSTALL_ACE)
    # Ace starts Chromium through Puppeteer, with --no-sandbox (it runs as root in CI). The variable
    # makes Puppeteer use the system's Chromium instead of the Chrome it would have downloaded.
    result = subprocess.run(
        [ace, "--outdir", str(outdir), "--tempdir", str(outdir / "tmp"), "--lang", "en", str(book)],
        env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"Ace could not check {book.name}:\n{result.stdout}{result.stderr}"
    return json.loads((outdir / "report.json").read_text(encoding="utf-8"))


def violations(report: dict) -> list[str]:
    """Every failed assertion in an Ace report, one readable line each."""
    found = []
    for document in report["assertions"]:
        for assertion in document.get("assertions", []):
            result = assertion["earl:result"]
            if result["earl:outcome"] != "pass":
                test = assertion["earl:test"]
                line = f"{document['earl:testSubject']['url']}: {test['earl:impact']}: {test['dct:title']}: "
                line += result["dct:description"].splitlines()[0]
                if "html" in result:  # axe's findings name the element
                    line += f"\n    at {' '.join(result['earl:pointer']['css'])}: {result['html']}"
                found.append(line)
    return found


def assert_clean(book: Path, outdir: Path) -> None:
    report = run_ace(book, outdir)
    found = violations(report)
    if found:
        pytest.fail(f"Ace found {len(found)} violations in {book.name} ({outdir}/report.html):\n" + "\n".join(found))
    assert report["earl:result"]["earl:outcome"] == "pass"
    # Ace really looked inside the book: the package and both content documents were checked.
    checked = {document["earl:testSubject"]["url"] for document in report["assertions"]}
    assert {"EPUB/content.opf", "handout.xhtml", "nav.xhtml"} <= checked, checked


def test_ace_finds_no_violation_in_any_handout(built, tmp_path):
    books = sorted((built / "epub").glob("*.epub"))
    assert books
    for book in books:
        assert_clean(book, tmp_path / book.stem)


def test_ace_finds_no_violation_in_any_language(languages, tmp_path):
    """Both directions and every script: two books at a time (Ace spends its time in Chromium)."""
    from concurrent.futures import ThreadPoolExecutor

    books = sorted((languages / "epub").glob("*.epub"))
    assert len(books) >= 10
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda book: assert_clean(book, tmp_path / book.stem), books))


def test_ace_finds_no_violation_in_a_richer_handout(rich_book, tmp_path):
    assert_clean(rich_book, tmp_path / "ace")


def test_ace_finds_no_violation_in_the_showcase(showcase, tmp_path):
    """Pictures, a logo, a QR code, callout boxes and footnotes: still nothing for Ace to report."""
    assert_clean(showcase / "epub" / "every-feature.epub", tmp_path / "ace")
