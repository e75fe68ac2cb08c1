"""Only the bundled fonts go into a PDF (check_embedded_fonts in pipeline/writers/pdf.py). The check
asks WeasyPrint which fonts it drew with instead of reading the PDF back: these tests hold it to
what the PDF embeds, on the pages and inside pictures drawn as forms within forms."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from pipeline.config import SiteConfig, load_config
from pipeline.errors import PipelineError
from pipeline.formats import BY_NAME
from pipeline.read.handout import read_handout
from pipeline.writers import pdf
from pipeline.writers.pdf import PdfWriter

from .conftest import LANGUAGES_DIR, SHOWCASE_DIR

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">'
TEXT = '<text x="0" y="15">Hi</text>'
HANDOUT = "---\ntitle: Tablets\n---\n\nTake them with water.\n\n![A label](label.svg)\n"


def render(write_source, picture: str) -> bytes:
    write_source(picture, "label.svg")
    source = write_source(HANDOUT)
    return PdfWriter(BY_NAME["pdf"], SiteConfig()).render(read_handout(source, SiteConfig()))


@pytest.mark.parametrize(
    "picture",
    [
        SVG_OPEN + TEXT + "</svg>",
        # Each of these draws the text in a form of its own, inside the picture's form.
        SVG_OPEN + f'<g opacity="0.5"><g opacity="0.5">{TEXT}</g></g></svg>',
        SVG_OPEN + f'<defs><pattern id="p" width="60" height="20" patternUnits="userSpaceOnUse">{TEXT}</pattern></defs>'
        '<rect width="60" height="20" fill="url(#p)"/></svg>',
        SVG_OPEN + f'<defs><g id="t">{TEXT}</g></defs><use href="#t"/></svg>',
    ],
    ids=["text", "text in a group in a group", "text in a pattern", "text used by reference"],
)
def test_text_in_a_picture_drawn_with_a_system_font_is_refused(write_source, picture):
    with pytest.raises(PipelineError, match="the leaflet would use fonts that are not bundled: ") as refused:
        render(write_source, picture)
    assert "Atkinson" not in str(refused.value).split("not bundled: ")[1].splitlines()[0]


def test_text_in_a_picture_drawn_with_a_bundled_font_is_printed(write_source):
    picture = SVG_OPEN + '<text x="0" y="15" font-family="Atkinson Hyperlegible">Hi</text></svg>'
    assert render(write_source, picture).startswith(b"%PDF")


@pytest.mark.parametrize("source", [SHOWCASE_DIR / "every-feature.md", LANGUAGES_DIR / "hi.md", LANGUAGES_DIR / "ar.md"])
def test_the_fonts_checked_are_the_fonts_embedded(source, monkeypatch):
    """Pictures, a logo and a QR code (forms), and scripts set in other bundled fonts: the names the
    check reads from WeasyPrint's document are the names of every font resource in the PDF."""
    checked: list[set[str]] = []
    check = pdf.check_embedded_fonts
    monkeypatch.setattr(pdf, "check_embedded_fonts", lambda document, handout: checked.append(fonts_of(document)) or check(document, handout))
    config = load_config(source.parent)
    written = PdfWriter(BY_NAME["pdf"], config).render(read_handout(source, config))
    assert checked == [embedded(written)]
    assert len(checked[0]) >= 2


def fonts_of(document) -> set[str]:
    return {font.name.decode() for font in document.fonts.values()}


def embedded(written: bytes) -> set[str]:
    """/BaseFont of every font resource of every page and of every form inside it, at any depth."""
    names: set[str] = set()

    def visit(resources, seen: set) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
        for xobject in resources.get("/XObject", {}).values():
            if xobject.idnum not in seen:
                seen.add(xobject.idnum)
                visit(xobject.get_object().get("/Resources"), seen)
        for pattern in resources.get("/Pattern", {}).values():
            visit(pattern.get_object().get("/Resources"), seen)

    for page in PdfReader(io.BytesIO(written)).pages:
        visit(page.get("/Resources"), set())
    assert all(re.fullmatch(r"/[A-Z]{6}\+\S+", name) for name in names), names
    return names
