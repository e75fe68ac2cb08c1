"""The printed leaflet: the print template laid out by WeasyPrint as a tagged PDF/UA-1 file."""

from __future__ import annotations

import html
import os
import re
from contextlib import contextmanager
from datetime import datetime

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from .. import fonts, templates
from ..errors import PipelineError
from ..model import Handout
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
        stylesheet = weasyprint.CSS(
            string=self.stylesheet("print.css", lambda face: face.file.as_uri()), font_config=font_config
        )
        document = weasyprint.HTML(string=page, base_url=str(handout.source.parent.resolve()))
        with source_date_epoch(handout.build_date):
            return document.write_pdf(
                stylesheets=[stylesheet],
                font_config=font_config,
                pdf_variant="pdf/ua-1",
                # The same bytes for the same input: no random /ID.
                pdf_identifier=handout.slug.encode("utf-8"),
            )


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
