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
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from pipeline.writers.pdf import BookletWriter, PdfWriter

MM = 72 / 25.4
FOOTER_HEIGHT = PdfWriter.style.margins.bottom * MM
"""The leaflet's bottom page margin: the running footer lives inside it."""
BOOKLET_FOOTER_HEIGHT = BookletWriter.style.margins.bottom * MM


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


def _bounded_text(textpage, left: float, bottom: float, right: float, top: float) -> str:
    return _LINE_END_HYPHEN.sub("-\n", textpage.get_text_bounded(left, bottom, right, top).replace("\r\n", "\n"))


DRAFT_BAND = "DRAFT – not reviewed for patient use"
"""What a draft's every page carries in its top margin (templates/css/print.css)."""


def _page_text(textpage, left: float, right: float, height: float, footer_height: float) -> tuple[str, str]:
    """(body, margins) of a page or half-page: the margins are the running footer at the bottom
    and, on a draft, the band at the top (pdfium reads it after the body, as a line of its own; the
    banner on page 1 says more on the same line, so it stays in the body)."""
    lines = _bounded_text(textpage, left, footer_height, right, height).split("\n")
    body = [line for line in lines if line.strip() != DRAFT_BAND]
    band = [DRAFT_BAND] if len(body) < len(lines) else []
    return "\n".join(body), "\n".join(band + [_bounded_text(textpage, left, 0, right, footer_height)])


def pdf_page_texts(path: Path, footer_height: float = FOOTER_HEIGHT) -> list[tuple[str, str]]:
    """(body text, margin text) of every page: the margins hold the running footer (and a draft's band)."""
    document = pdfium.PdfDocument(path)
    pages = []
    for page in document:
        width, height = page.get_size()
        pages.append(_page_text(page.get_textpage(), 0, width, height, footer_height))
    document.close()
    return pages


def pdf_half_texts(path: Path, footer_height: float) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """For each side of an imposed sheet, (body text, footer text) of its left half and of its right half."""
    document = pdfium.PdfDocument(path)
    sides = []
    for page in document:
        width, height = page.get_size()
        textpage = page.get_textpage()
        sides.append(tuple(_page_text(textpage, left, right, height, footer_height) for left, right in ((0, width / 2), (width / 2, width))))
    document.close()
    return sides


def booklet_pages(path: Path, footer_height: float) -> list[tuple[str, str]]:
    """(body text, footer text) of the pages of an imposed booklet in reading order, as the page
    numbers in their footers say; blank halves are left out."""
    numbered = {}
    for halves in pdf_half_texts(path, footer_height):
        for body, footer in halves:
            if found := re.search(r"Page (\d+) of", footer):
                numbered[int(found[1])] = (body, footer)
    return [numbered[number] for number in sorted(numbered)]


def pdf_text(path: Path) -> str:
    """The body text of the whole leaflet, read in order."""
    return body_text(pdf_page_texts(path))


def body_text(pages: list[tuple[str, str]]) -> str:
    """The body text of (body, footer) pages, read in order.

    pdfium reports list bullets after the page's text, so lines that are only a bullet are dropped;
    a word split by a line break after its own hyphen is rejoined.
    """
    lines = [line for body, _ in pages for line in body.splitlines() if line.strip() != "•"]
    return re.sub(r"(?<=\w-)\n", "", "\n".join(lines))


class PdfChar(NamedTuple):
    page: int
    """0-based."""
    char: str
    size: float
    """In points, the text matrix included, rounded to 0.1."""
    box: tuple[float, float, float, float]
    """(left, bottom, right, top) in points from the page's bottom left corner."""
    baseline: float
    """Height of the character's origin above the page's bottom edge."""


def pdf_chars(path: Path) -> list[PdfChar]:
    """Every visible character printed on every page, with its size and place."""
    chars = []
    document = pdfium.PdfDocument(path)
    matrix = pdfium_raw.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    for number, page in enumerate(document):
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            char = chr(pdfium_raw.FPDFText_GetUnicode(textpage.raw, index))
            if char.isspace():
                continue
            pdfium_raw.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
            scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
            size = round(pdfium_raw.FPDFText_GetFontSize(textpage.raw, index) * scale, 1)
            pdfium_raw.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
            chars.append(PdfChar(number, char, size, textpage.get_charbox(index), y.value))
    document.close()
    return chars


def pdf_font_sizes(path: Path) -> dict[float, int]:
    """How many visible characters are printed at each size, in points (the text matrix included)."""
    sizes: dict[float, int] = {}
    for char in pdf_chars(path):
        sizes[char.size] = sizes.get(char.size, 0) + 1
    return sizes


A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def page_sizes(path: Path) -> set[tuple[float, float]]:
    """The distinct page sizes of a PDF, in points, rounded to 0.01."""
    from pypdf import PdfReader

    return {(round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) for page in PdfReader(path).pages}


def pdf_bottom_line_sizes(path: Path, footer_height: float = FOOTER_HEIGHT) -> list[float]:
    """The type size (pt) of the lowest line of text above the footer, page by page."""
    document = pdfium.PdfDocument(path)
    matrix = pdfium_raw.FS_MATRIX()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    sizes = []
    for page in document:
        textpage = page.get_textpage()
        lowest = None
        for index in range(textpage.count_chars()):
            if chr(pdfium_raw.FPDFText_GetUnicode(textpage.raw, index)) in " \r\n•":
                continue
            pdfium_raw.FPDFText_GetCharBox(textpage.raw, index, *(ctypes.byref(v) for v in (left, right, bottom, top)))
            if bottom.value <= footer_height:
                continue
            pdfium_raw.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
            size = round(pdfium_raw.FPDFText_GetFontSize(textpage.raw, index) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)), 1)
            if lowest is None or bottom.value < lowest[0] - 1:
                lowest = (bottom.value, size)
        sizes.append(lowest[1] if lowest else 0.0)
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


def pdf_actual_text(path: Path) -> str:
    """The /ActualText of every span of the PDF's pages, one per line: the words of each shaped
    line in reading order (pipeline/writers/actual_text.py). pdfium and Poppler lay the text of a
    right-to-left span out again as if it were drawn left to right, which reverses its letters; a
    reader that honours /ActualText (Acrobat, screen readers) reads this."""
    import pypdf
    from pypdf.generic import DictionaryObject

    spans = []
    for page in pypdf.PdfReader(path).pages:
        contents = page.get_contents()
        for operands, operator in contents.operations if contents is not None else ():  # a stream is a dict: test None
            if operator == b"BDC" and len(operands) == 2 and isinstance(operands[1], DictionaryObject):
                if "/ActualText" in operands[1]:
                    spans.append(str(operands[1]["/ActualText"]))
    return "\n".join(spans)


def missing_lines(source: Path, printed: str) -> list[str]:
    """The lines of a short fixture handout's body (tests/fixtures/languages/) not in `printed`,
    each compared with spaces, marks and invisible bidirectional characters taken out: Thai is
    written without spaces, and a line of the source may be wrapped anywhere on the page."""
    body = source.read_text(encoding="utf-8").split("---\n", 2)[2]
    lines = [_squashed(re.sub(r"^[#-] *|\*\*", "", line)) for line in body.splitlines() if line.strip()]
    assert lines, source
    return [line for line in lines if line not in _squashed(printed)]


def _squashed(text: str) -> str:
    return re.sub(r"[\s#\u200e\u200f\u2066-\u2069]+", "", unicodedata.normalize("NFC", text))
