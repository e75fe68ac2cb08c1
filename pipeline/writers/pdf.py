"""The printed leaflet: the print template laid out by WeasyPrint as a tagged PDF/UA-1 file."""

from __future__ import annotations

import html
import io
import os
import re
from contextlib import contextmanager
from datetime import datetime

import pypdf
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .. import fonts, templates
from ..errors import PipelineError
from ..model import Handout, Image
from .base import Writer

_TAG = re.compile(r"<[^>]+>")


class PdfWriter(Writer):
    name = "pdf"
    folder = "pdf"
    suffix = ".pdf"

    def render(self, handout: Handout) -> bytes:
        page = templates.render("print/leaflet.html", **self.context(handout))
        check_font_coverage(page, handout)
        font_config = FontConfiguration()
        fetcher = PictureFetcher(self.pictures(handout))
        stylesheet = weasyprint.CSS(
            string=self.stylesheet("print.css", lambda face: face.file.as_uri()),
            font_config=font_config,
            url_fetcher=fetcher,
        )
        document = weasyprint.HTML(string=page, base_url=PictureFetcher.BASE, url_fetcher=fetcher)
        try:
            with source_date_epoch(handout.build_date):
                pdf = document.write_pdf(
                    stylesheets=[stylesheet],
                    font_config=font_config,
                    pdf_variant="pdf/ua-1",
                    # The same bytes for the same input: no random /ID.
                    pdf_identifier=handout.slug.encode("utf-8"),
                )
        except FatalURLFetchingError as refused:
            raise PipelineError(
                f"the leaflet asks for '{refused.__cause__}', which is not one of its pictures",
                handout.source,
                hint="A handout may show only pictures from its source folder, written as ![what it shows](file.png).",
            ) from None
        check_embedded_fonts(pdf, handout)
        return pdf


class PictureFetcher(URLFetcher):
    """Everything WeasyPrint may load: the handout's pictures (already read) and the bundled fonts.

    Nothing else, ever: no network, no other file. The pictures are served from memory under a
    base address that no real request could reach.
    """

    BASE = "https://handout.invalid/"

    def __init__(self, pictures: list[Image]) -> None:
        super().__init__(fail_on_errors=True)
        self.served = {self.BASE + picture.src: (picture.data, picture.media_type) for picture in pictures}
        self.served |= {face.file.as_uri(): (face.file.read_bytes(), "font/ttf") for face in fonts.FACES}

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url not in self.served:
            raise LookupError(url)
        data, media_type = self.served[url]
        return URLFetcherResponse(url, data, {"Content-Type": media_type})


@contextmanager
def source_date_epoch(moment: datetime):
    """Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which stamps each font with
    the wall clock unless SOURCE_DATE_EPOCH is set: set it to the handout's date while rendering."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def check_embedded_fonts(pdf: bytes, handout: Handout) -> None:
    """Refuse a PDF that embeds any font but the bundled one: text inside an SVG picture, for
    instance, is drawn by whatever font the system finds, which the character check cannot see."""
    foreign = sorted(name for name in _embedded_font_names(pypdf.PdfReader(io.BytesIO(pdf))) if not fonts.is_bundled(name))
    if foreign:
        raise PipelineError(
            f"the leaflet would use fonts that are not bundled: {', '.join(foreign)}",
            handout.source,
            hint="Text in a picture (e.g. an SVG <text>) is drawn with a system font: convert that text to paths.",
        )


def _embedded_font_names(reader: pypdf.PdfReader) -> set[str]:
    names: set[str] = set()

    def visit(resources, seen: set[int]) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in resources.get("/Font", {}).values():
            names.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
        for xobject in resources.get("/XObject", {}).values():
            if xobject.idnum in seen:
                continue
            seen.add(xobject.idnum)
            visit(xobject.get_object().get("/Resources"), seen)  # pictures (SVG) become form XObjects

    for page in reader.pages:
        visit(page.get("/Resources"), set())
    return names


def check_font_coverage(page: str, handout: Handout) -> None:
    """Refuse to print a character the bundled font cannot draw (it would silently fall back)."""
    missing = fonts.uncovered(html.unescape(_TAG.sub(" ", page)))
    if not missing:
        return
    source_lines = handout.source.read_text(encoding="utf-8").splitlines()
    found = [
        f"{char!r} (U+{ord(char):04X}) on line {number}"
        for char in missing
        for number, line in enumerate(source_lines, start=1)
        if char in line
    ]
    raise PipelineError(
        f"{fonts.FAMILY} cannot print these characters: " + ("; ".join(found) or ", ".join(missing)),
        handout.source,
        hint="Replace them with characters the font has, e.g. straight or curly quotes, '-' for dashes.",
    )
