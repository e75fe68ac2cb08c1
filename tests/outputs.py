"""Reading the outputs back the way a reader (or a checker) sees them."""

from __future__ import annotations

import ctypes
import html
import math
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

MM = 72 / 25.4
FOOTER_HEIGHT = 26 * MM
"""The bottom page margin in print.css: the running footer lives inside it."""


def normalise(text: str) -> str:
    """Compare text as a reader sees it: Unicode NFC, one space between words."""
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")
    return re.sub(r"\s+", " ", text).strip()


def sentences(text: str) -> list[str]:
    """Split the seed article into sentences (and its list items and headings, one per line)."""
    found = []
    for line in text.splitlines():
        line = line.strip().removeprefix("- ")
        found += [normalise(part) for part in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", line) if part.strip()]
    return found


class _TextExtractor(HTMLParser):
    """The visible text of an HTML or XHTML document: what is inside <body>."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "dt", "dd", "div", "header", "main", "footer", "nav", "tr", "br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        self.in_body |= tag == "body"
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_body:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    return "".join(parser.parts)


def epub_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist()}


def epub_text(path: Path) -> str:
    members = epub_members(path)
    return "\n".join(html_text(members[name].decode("utf-8")) for name in members if name.endswith("handout.xhtml"))


# pdfium marks a hyphen that ends a line with one of these instead of the hyphen and the break.
# The leaflet never hyphenates words itself (hyphens: manual), so each is a real hyphen.
_LINE_END_HYPHEN = re.compile("[\x02\ufffe]")


def pdf_page_texts(path: Path) -> list[tuple[str, str]]:
    """(body text, footer text) of every page; the footer is what lies in the bottom margin."""
    document = pdfium.PdfDocument(path)
    pages = []
    for page in document:
        width, height = page.get_size()
        textpage = page.get_textpage()
        body = textpage.get_text_bounded(0, FOOTER_HEIGHT, width, height)
        footer = textpage.get_text_bounded(0, 0, width, FOOTER_HEIGHT)
        pages.append(tuple(_LINE_END_HYPHEN.sub("-\n", text.replace("\r\n", "\n")) for text in (body, footer)))
    document.close()
    return pages


def pdf_text(path: Path) -> str:
    """The body text of the whole leaflet, read in order.

    pdfium reports list bullets after the page's text, so lines that are only a bullet are dropped;
    a word split by a line break after its own hyphen is rejoined.
    """
    lines = [line for body, _ in pdf_page_texts(path) for line in body.splitlines() if line.strip() != "•"]
    return re.sub(r"(?<=\w-)\n", "", "\n".join(lines))


def pdf_font_sizes(path: Path) -> dict[float, int]:
    """How many visible characters are printed at each size, in points (the text matrix included)."""
    sizes: dict[float, int] = {}
    document = pdfium.PdfDocument(path)
    matrix = pdfium_raw.FS_MATRIX()
    for page in document:
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            if chr(pdfium_raw.FPDFText_GetUnicode(textpage.raw, index)).isspace():
                continue
            pdfium_raw.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            size = round(pdfium_raw.FPDFText_GetFontSize(textpage.raw, index) * scale, 1)
            sizes[size] = sizes.get(size, 0) + 1
    document.close()
    return sizes


def pdf_page_images(path: Path, dpi: int = 30):
    """Each page as a small greyscale picture (PIL images)."""
    document = pdfium.PdfDocument(path)
    images = [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in document]
    document.close()
    return images


def unescape(text: str) -> str:
    return html.unescape(text)
