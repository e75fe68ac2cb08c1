"""The booklet's sheets (pipeline/writers/imposition.py): each half shows the picture of its A5 page,
and each page is carried onto its sheet whole, as a form XObject of its own drawing, never redrawn."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from pipeline.config import load_config
from pipeline.formats import BY_NAME
from pipeline.read.handout import read_handout
from pipeline.writers.imposition import impose, saddle_stitch_order
from pipeline.writers.pdf import BookletWriter, PdfWriter

from .conftest import KRATOM, LANGUAGES_DIR, SHOWCASE_DIR, SOURCE_DIR

HANDOUTS = {
    "kratom": (SOURCE_DIR / f"{KRATOM}.md", False),  # seven pages: blank halves, every position on a sheet
    "right to left": (LANGUAGES_DIR / "ar.md", True),  # bound on the right: page 1 on the left half
    "pictures": (SHOWCASE_DIR / "every-feature.md", False),  # SVG pictures, a logo, a QR code: forms in forms
}
WIDTH_PX = 591
"""A page's width in pixels when it is rendered: 4 pixels a millimetre, less one, so that no
margin (whole millimetres) falls exactly between two pixels, where rounding could go either way."""


@pytest.fixture(scope="module", params=HANDOUTS)
def pages(request) -> tuple[bytes, bool]:
    """The booklet's pages laid out before imposition (A5), and whether it is bound on the right."""
    source, bound_on_right = HANDOUTS[request.param]
    config = load_config(source.parent)
    return PdfWriter.render(BookletWriter(BY_NAME["booklet"], config), read_handout(source, config)), bound_on_right


def render(page: pdfium.PdfPage, scale: float) -> Image.Image:
    return page.render(scale=scale).to_pil().convert("L")


def test_each_half_of_a_sheet_shows_the_picture_of_its_page(pages):
    """Imposed on a sheet exactly two pages wide, each half is rendered pixel for pixel where the page
    alone is: it must look like that page (antialiasing aside) and clearly unlike any other."""
    a5, bound_on_right = pages
    document = pdfium.PdfDocument(a5)
    page_width, page_height = document[0].get_size()
    scale = (WIDTH_PX - 0.001) / page_width  # pdfium rounds sizes up: exactly WIDTH_PX pixels
    alone = [render(page, scale) for page in document]
    sheets = pdfium.PdfDocument(impose(a5, (2 * page_width, page_height), b"test", bound_on_right))
    order = saddle_stitch_order(len(alone), bound_on_right)
    assert len(sheets) == len(order)
    for side, sheet in zip(order, sheets):
        picture = render(sheet, scale)
        assert picture.size == (2 * WIDTH_PX, alone[0].height)
        for half, number in enumerate(side):
            shown = picture.crop((half * WIDTH_PX, 0, (half + 1) * WIDTH_PX, picture.height))
            if number is None:
                assert shown.getextrema() == (255, 255), "a padding blank must be blank"
                continue
            assert differing(shown, alone[number - 1]) < 0.001, f"page {number} is not drawn as it is alone"
            for other, page in enumerate(alone, start=1):
                if other != number:
                    assert differing(shown, page) > 0.005, f"page {number} looks like page {other}"


def differing(one: Image.Image, other: Image.Image) -> float:
    """The share of pixels that differ by more than a quarter of the way from white to black."""
    histogram = ImageChops.difference(one, other).histogram()
    return sum(histogram[64:]) / (one.width * one.height)


def test_each_page_is_its_own_drawing_as_written_never_parsed(pages):
    """The form holds the page's content stream byte for byte (compressed as WeasyPrint wrote it),
    its resources and its box; the sheet draws it with one `cm` and one `Do`. No links survive."""
    a5, bound_on_right = pages
    original = pikepdf.open(io.BytesIO(a5))
    sheets = pikepdf.open(io.BytesIO(impose(a5, (842.0, 595.0), b"test", bound_on_right)))
    seen = set()
    for side, sheet in zip(saddle_stitch_order(len(original.pages), bound_on_right), sheets.pages):
        assert "/Annots" not in sheet.obj
        drawn = [number for number in side if number is not None]
        operators = [str(operator) for _operands, operator in pikepdf.parse_content_stream(sheet)]
        assert operators == ["q", "cm", "Do", "Q"] * len(drawn)
        for number in drawn:
            form, page = sheet.Resources.XObject[f"/P{number}"], original.pages[number - 1].obj
            assert form.Subtype == "/Form" and list(form.BBox) == list(page.MediaBox)
            assert form.read_raw_bytes() == page.Contents.read_raw_bytes()
            assert form.get("/Filter") == page.Contents.get("/Filter")
            assert set(form.Resources.keys()) == set(page.Resources.keys())
            seen.add(number)
    assert seen == set(range(1, len(original.pages) + 1))
