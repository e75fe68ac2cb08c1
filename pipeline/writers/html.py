"""The web page: standalone HTML5 that works opened from disk, with everything it needs beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .. import fonts, templates
from ..model import Handout
from ..output import write_atomically
from .base import Writer
from .pdf import PdfWriter

ASSETS = "assets"


class HtmlWriter(Writer):
    name = "html"
    folder = "html"
    suffix = ".html"

    def write(self, handouts: Sequence[Handout]) -> list[Path]:
        return self.write_assets() + super().write(handouts)

    def render(self, handout: Handout) -> str:
        return templates.render("web/page.html", **self.context(handout))

    def write_assets(self) -> list[Path]:
        """Stylesheets and fonts, referenced by relative paths so no page reaches outside build/html/."""
        assets = self.outdir / ASSETS

        def font_url(face: fonts.Face) -> str:
            return f"fonts/{face.file.name}"

        written = [
            write_atomically(assets / "screen.css", self.stylesheet("screen.css", font_url)),
            # A browser printing the page gets the standard leaflet's type sizes and margins.
            write_atomically(assets / "print.css", self.stylesheet("print.css", font_url, style=PdfWriter.style)),
            write_atomically(assets / "fonts" / "OFL.txt", fonts.LICENSE.read_bytes()),
        ]
        written += [write_atomically(assets / "fonts" / face.file.name, face.file.read_bytes()) for face in fonts.FACES]
        return written


class IndexWriter(Writer):
    """`index.html`: every handout built, listed by title."""

    name = "index"
    folder = "html"

    def write(self, handouts: Sequence[Handout]) -> list[Path]:
        ordered = sorted(handouts, key=lambda handout: handout.meta.title.casefold())
        page = templates.render(
            "web/index.html",
            handouts=ordered,
            site=self.config,
            lang=self.config.lang,
            title=f"{self.config.organisation} patient handouts" if self.config.organisation else "Patient handouts",
        )
        return [write_atomically(self.outdir / "index.html", page)]
