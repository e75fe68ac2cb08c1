"""Snapshots of the showcase handout, which uses every feature the kratom handout does not
(callouts, footnotes, a table, pictures, a logo, a QR code, all the review metadata)."""

from __future__ import annotations

from .outputs import epub_members, pdf_page_images, pdf_page_texts
from .snapshots import HtmlSnapshot, PageImageSnapshot, TextSnapshot, XmlSnapshot, index_page


def test_showcase_html_page(showcase, snapshot):
    assert (showcase / "html" / "every-feature.html").read_text(encoding="utf-8") == snapshot(extension_class=HtmlSnapshot)


def test_showcase_epub_chapter(showcase, snapshot):
    chapter = epub_members(showcase / "epub" / "every-feature.epub")["EPUB/handout.xhtml"].decode("utf-8")
    assert chapter == snapshot(extension_class=XmlSnapshot)


def test_showcase_pdf_text(showcase, snapshot):
    pages = pdf_page_texts(showcase / "pdf" / "every-feature.pdf")
    text = "\n\n".join(
        f"=== page {number} of {len(pages)} ===\n{body.strip()}\n--- footer ---\n{footer.strip()}"
        for number, (body, footer) in enumerate(pages, start=1)
    )
    assert text == snapshot(extension_class=TextSnapshot)


def test_showcase_pdf_pages(showcase, snapshot):
    for number, image in enumerate(pdf_page_images(showcase / "pdf" / "every-feature.pdf"), start=1):
        # The snapshot on the left: PIL's Image.__eq__ would otherwise answer (False) before syrupy's.
        assert snapshot(name=f"page-{number}", extension_class=PageImageSnapshot) == image


def test_showcase_index(showcase, snapshot):
    """The index with a reviewed handout, an organisation and every format built."""
    assert index_page(showcase) == snapshot(extension_class=HtmlSnapshot)
