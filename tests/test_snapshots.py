"""Snapshots of every output, in the form a reviewer can read: `make snapshots` re-records them.

A change here is a change a reader of the handout would see; read the diff before accepting it.
"""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from pypdf import PdfReader

from .conftest import KRATOM
from .outputs import BOOKLET_FOOTER_HEIGHT, epub_members, pdf_half_texts, pdf_page_images, pdf_page_texts
from .snapshots import HtmlSnapshot, JsonSnapshot, PageImageSnapshot, TextSnapshot, XmlSnapshot, index_page


@pytest.fixture(scope="module")
def book(built):
    return epub_members(built / "epub" / f"{KRATOM}.epub")


def test_html_page(built, snapshot):
    assert (built / "html" / f"{KRATOM}.html").read_text(encoding="utf-8") == snapshot(extension_class=HtmlSnapshot)


def test_html_index(built, snapshot):
    assert index_page(built) == snapshot(extension_class=HtmlSnapshot)


def test_epub_members(built, snapshot):
    with zipfile.ZipFile(built / "epub" / f"{KRATOM}.epub") as archive:
        listing = "\n".join(
            f"{entry.filename}  ({'stored' if entry.compress_type == zipfile.ZIP_STORED else 'deflated'})"
            for entry in archive.infolist()
        )
    assert listing == snapshot(extension_class=TextSnapshot)


@pytest.mark.parametrize("member", ["EPUB/content.opf", "EPUB/nav.xhtml", "EPUB/handout.xhtml", "EPUB/toc.ncx"])
def test_epub_document(book, member, snapshot):
    assert book[member].decode("utf-8") == snapshot(extension_class=XmlSnapshot)


def pdf_facts(path) -> dict:
    reader = PdfReader(path)
    # The six-letter subset tag changes with the set of glyphs used; the face is what matters.
    fonts = {re.sub(r"^/[A-Z]{6}\+", "", str(font["/BaseFont"])) for page in reader.pages for font in _fonts(page["/Resources"])}
    root = reader.trailer["/Root"]
    return {
        "pages": len(reader.pages),
        "page_size_pt": sorted({(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader.pages}),
        "metadata": {str(key): str(value) for key, value in sorted(reader.metadata.items())},
        "language": str(root["/Lang"]),
        "tagged": "/MarkInfo" in root and bool(root["/MarkInfo"]["/Marked"]),
        "fonts": sorted(fonts),
    }


def _fonts(resources) -> list:
    """The fonts of `resources` and of the forms drawn with them (a booklet's sheets draw each page as a form)."""
    found = [font.get_object() for font in resources.get("/Font", {}).values()]
    for xobject in resources.get("/XObject", {}).values():
        if "/Resources" in xobject.get_object():
            found += _fonts(xobject.get_object()["/Resources"])
    return found


def test_pdf_facts(leaflet, snapshot):
    assert json.dumps(pdf_facts(leaflet), indent=2, ensure_ascii=False) == snapshot(extension_class=JsonSnapshot)


def page_text(body: str, footer: str) -> str:
    return f"{body.strip()}\n--- footer ---\n{footer.strip()}" if (body + footer).strip() else "(blank)"


def pages_text(path) -> str:
    pages = pdf_page_texts(path)
    return "\n\n".join(
        f"=== page {number} of {len(pages)} ===\n{page_text(body, footer)}"
        for number, (body, footer) in enumerate(pages, start=1)
    )


def assert_page_images(path, snapshot) -> None:
    images = pdf_page_images(path)
    assert len(images) == pdf_facts(path)["pages"]
    for number, image in enumerate(images, start=1):
        # The snapshot on the left: PIL's Image.__eq__ would otherwise answer (False) before syrupy's.
        assert snapshot(name=f"page-{number}", extension_class=PageImageSnapshot) == image


def test_pdf_text(leaflet, snapshot):
    assert pages_text(leaflet) == snapshot(extension_class=TextSnapshot)


def test_pdf_pages(leaflet, snapshot):
    assert_page_images(leaflet, snapshot)


def test_large_print_facts(large_print, snapshot):
    assert json.dumps(pdf_facts(large_print), indent=2, ensure_ascii=False) == snapshot(extension_class=JsonSnapshot)


def test_large_print_text(large_print, snapshot):
    assert pages_text(large_print) == snapshot(extension_class=TextSnapshot)


def test_large_print_pages(large_print, snapshot):
    assert_page_images(large_print, snapshot)


def test_booklet_facts(booklet, snapshot):
    assert json.dumps(pdf_facts(booklet), indent=2, ensure_ascii=False) == snapshot(extension_class=JsonSnapshot)


def test_booklet_text(booklet, snapshot):
    """Each half of each side of each sheet, as printed: the page order is part of the snapshot."""
    sides = pdf_half_texts(booklet, BOOKLET_FOOTER_HEIGHT)
    text = "\n\n".join(
        f"=== sheet {number // 2 + 1} {('front', 'back')[number % 2]}, {half} half ===\n{page_text(body, footer)}"
        for number, halves in enumerate(sides)
        for half, (body, footer) in zip(("left", "right"), halves)
    )
    assert text == snapshot(extension_class=TextSnapshot)


def test_booklet_pages(booklet, snapshot):
    """Sheet sides, as they come out of the printer."""
    assert_page_images(booklet, snapshot)
