"""The printed leaflet: the print template laid out by WeasyPrint as a tagged PDF/UA-1 file.

Its variants (large print, booklet) are subclasses that change only settings: the page size, and
the `PrintStyle` the one print stylesheet is rendered with. None has a template or stylesheet of its own.
"""

from __future__ import annotations

import html
import logging
import re
from contextlib import contextmanager
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from typing import ClassVar

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from ..read import characters
from .. import fonts
from . import imposition, templates
from ..errors import PipelineError, warn
from ..model import Handout
from .fetcher import SandboxFetcher
from . import actual_text, layout, measure, tables
from .base import Writer
from .printstyle import LEAFLET, MM, PAPER_SIZES, Margins, PrintStyle

_TAG = re.compile(r"<[^>]+>")
actual_text.install()
measure.install()
GENERATED = "0123456789 .-\u00b7\u2022"
"""Characters the stylesheet draws that are not in the page: page numbers, the footer's separator,
list bullets, the numbers of numbered lists and the hyphen of a word broken at a line's end
(common.css, print.css)."""


class PdfWriter(Writer):
    """The standard leaflet: 14 pt text on the site's paper (A4 or Letter)."""

    style: ClassVar[PrintStyle] = LEAFLET
    page_sizes: ClassVar[dict[str, str]] = PAPER_SIZES
    """The CSS page size for each `paper` setting."""

    def render(self, handout: Handout) -> bytes:
        page = templates.render("print/leaflet.html", **self.context(handout))
        check_font_coverage(page, handout)
        say = self.say(handout.meta.lang)  # what the stylesheet prints needs its glyphs too
        generated = say("page-of", page="", pages="") + say("draft") + GENERATED
        fonts_served = served_fonts(self.families(page, handout.meta.lang), page + generated)
        fetcher = SandboxFetcher(self.pictures(handout), fonts_served.files)
        options = {
            "pdf_variant": "pdf/ua-1",
            # The same bytes for the same input: no random /ID, but the file's own name.
            "pdf_identifier": self.identifier(handout),
        }
        with refusing(fetcher, handout), WeasyPrintLog(handout, self.format.name) as log:
            style = self.style.for_language(handout.meta.lang)
            parsed, document = self.lay_out(page, handout, style, fetcher, fonts_served, options)
            # A table wider than the paper, even with its text wrapped at every space, is printed
            # one row at a time instead (tables.py), never cut off at the edge; a running footer
            # that needs more lines than the bottom margin holds (a long title) gets a deeper margin.
            # The draft band, in a language with longer words, may need a deeper top margin too.
            wide = layout.wide_tables(document, parsed.etree_element)
            deeper, higher = layout.footer_overflow(document), layout.header_overflow(document)
            if wide or deeper or higher:
                style = style.with_bottom_margin(style.margins.bottom + deeper / MM) if deeper else style
                style = style.with_top_margin(style.margins.top + higher / MM) if higher else style
                parsed, document = self.lay_out(tables.stack(page, wide), handout, style, fetcher, fonts_served, options)
            log.raise_errors(fetcher)  # a picture it could not load
            layout.check_every_word(document, parsed.etree_element, handout, f"{self.format.name} PDF")
            pdf = document.write_pdf(**options)
            log.raise_errors(fetcher)  # a picture it could not draw
        check_embedded_fonts(document, handout)
        return pdf

    def identifier(self, handout: Handout) -> bytes:
        """The PDF's /ID: its file's name, the same for the same handout (never random)."""
        return PurePosixPath(self.format.path(handout.slug)).stem.encode("utf-8")

    def lay_out(self, page: str, handout: Handout, style: PrintStyle, fetcher: SandboxFetcher, served: ServedFonts, options: dict):
        """The page laid out by WeasyPrint (not yet a PDF), with the tree it was parsed into."""
        css = self.stylesheet(
            "print.css",
            served.url,
            served.families,
            paper=self.page_sizes[self.config.paper],
            style=style,
            draft=handout.review.draft,
            lang=handout.meta.lang,
        )
        font_config, stylesheet = parsed_stylesheet(css, served.files)
        parsed = weasyprint.HTML(string=page, base_url=SandboxFetcher.BASE, url_fetcher=fetcher)
        return parsed, parsed.render(stylesheets=[stylesheet], font_config=font_config, **options)


class LargePrintWriter(PdfWriter):
    """Large print: 18 pt text (large-print guidance asks for 16-18 pt), more space between lines
    and paragraphs, and no word split at a line end. Same paper and running footer as the leaflet."""

    style = PrintStyle(body_pt=18, line_height=1.6, paragraph_em=1.2, hyphens="none")


class BookletWriter(PdfWriter):
    """A booklet: the leaflet laid out on pages half the paper (A5 for A4, half-letter for Letter),
    then imposed two-up on the paper turned landscape, to print on both sides, fold and staple.

    The text stays at the leaflet's 14 pt: about 47 characters on the narrower line, still easy to
    follow, and the kratom handout still fits on two sheets. The wider inner margin leaves room at
    the fold. The file is a print master: imposition cannot keep the tags, so the standard PDF is
    the accessible version (see pipeline/writers/imposition.py).
    """

    style = PrintStyle(body_pt=14, margins=Margins(top=15, inner=20, outer=14, bottom=22))
    page_sizes = {"a4": "A5", "letter": "5.5in 8.5in"}
    sheets: ClassVar[dict[str, tuple[float, float]]] = {"a4": (297 * MM, 210 * MM), "letter": (11 * 72, 8.5 * 72)}
    """The paper the pages are imposed on, landscape: (width, height) in points."""

    def render(self, handout: Handout) -> bytes:
        bound_on_right = self.say(handout.meta.lang).direction == "rtl"
        return imposition.impose(super().render(handout), self.sheets[self.config.paper], self.identifier(handout), bound_on_right)


@dataclass(frozen=True)
class ServedFonts:
    """The font faces a page's stylesheet asks for, by the address SandboxFetcher serves each at."""

    families: tuple[fonts.Family, ...]
    files: tuple[tuple[str, bytes], ...]
    """(address, bytes) of every face, in the order of `faces`."""
    faces: tuple[fonts.Face, ...]

    def url(self, face: fonts.Face) -> str:
        return self.files[self.faces.index(face)][0]


def served_fonts(families: tuple[fonts.Family, ...], page: str) -> ServedFonts:
    """The faces of `families`: Atkinson Hyperlegible's files as they are, each variable face as a
    static instance cut down to the page's characters (pipeline/fonts.py), addressed by its
    content, so that a stylesheet parsed once is never used with other glyphs."""
    characters = frozenset(html.unescape(_TAG.sub(" ", page)))
    faces = tuple(face for family in families for face in family.faces)
    files = []
    for face in faces:
        if face.cut_down:
            data = face.prepared(characters)
            files.append((f"{SandboxFetcher.BASE}fonts/{hashlib.sha256(data).hexdigest()[:16]}/{face.file_name}", data))
        else:
            files.append((face.file.as_uri(), face.file.read_bytes()))
    return ServedFonts(families, tuple(files), faces)


@lru_cache(maxsize=8)
def parsed_stylesheet(css: str, served: tuple[tuple[str, bytes], ...]) -> tuple[FontConfiguration, weasyprint.CSS]:
    """The print stylesheet parsed once per process, with the font configuration that holds its fonts.

    Making a FontConfiguration loads Fontconfig's configuration, and parsing the stylesheet loads
    the bundled fonts into it: together they cost more than laying out a short leaflet. A build
    makes many PDFs from a handful of stylesheets (a few variants, draft or not), so each is made
    once. The fetcher serves only the fonts: the stylesheet asks for nothing else, and a cached
    stylesheet must not hold on to one handout's pictures. (WeasyPrint's image cache is not shared
    between handouts: it is keyed by address, and two handouts' pictures can have the same one.)
    """
    font_config = FontConfiguration()
    return font_config, weasyprint.CSS(string=css, font_config=font_config, url_fetcher=SandboxFetcher([], served))


@contextmanager
def refusing(fetcher: SandboxFetcher, handout: Handout):
    """Whatever asked WeasyPrint to load something that is not the handout's, the PDF fails: at once
    when WeasyPrint stops on it, or (check_refused) when it went on without it."""
    try:
        yield
    except FatalURLFetchingError as refused:
        # Pictures were checked when the handout was read; what is left is a template or stylesheet.
        url = fetcher.refused[-1] if fetcher.refused else str(refused.__cause__)
        raise PipelineError(
            f"the leaflet asks for '{url}', which is not one of its pictures or the bundled fonts;"
            " nothing else may be loaded (pipeline/read/resources.py)",
            handout.source,
            hint="A handout may show only pictures from its source folder, written as ![what it shows](file.png).",
        ) from None


def check_refused(fetcher: SandboxFetcher, handout: Handout) -> None:
    if fetcher.refused:
        # WeasyPrint swallows some refusals (an <image> inside an SVG picture) and leaves a gap:
        # a gap in a patient's leaflet is an error too.
        raise PipelineError(
            f"the leaflet asks for '{fetcher.refused[0]}', which is not one of its pictures or the bundled"
            " fonts; nothing else may be loaded (pipeline/read/resources.py)",
            handout.source,
            hint="Pictures, and everything inside them, must come from the source folder.",
        )


class WeasyPrintLog(logging.Handler):
    """What WeasyPrint logs while it makes one PDF. It logs what it could not do and goes on (a
    picture it could not load or draw is left out of the page): an error it logs fails the PDF, a
    warning is passed on to the author."""

    def __init__(self, handout: Handout, name: str) -> None:
        super().__init__(logging.WARNING)
        self.handout, self.name = handout, name
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> WeasyPrintLog:
        logging.getLogger("weasyprint").addHandler(self)
        return self

    def __exit__(self, *exc_info) -> None:
        logging.getLogger("weasyprint").removeHandler(self)
        for message in dict.fromkeys(record.getMessage() for record in self.records if record.levelno < logging.ERROR):
            warn(f"WeasyPrint, making the {self.name} PDF: {message}", self.handout.source)

    def raise_errors(self, fetcher: SandboxFetcher) -> None:
        check_refused(fetcher, self.handout)  # the cause, when WeasyPrint logs that a picture failed
        errors = dict.fromkeys(record.getMessage() for record in self.records if record.levelno >= logging.ERROR)
        if errors:
            raise PipelineError(
                f"the {self.name} PDF cannot be made whole: WeasyPrint says: {'; '.join(errors)}",
                self.handout.source,
                hint="Usually a picture that cannot be read or drawn: open it in an image viewer, or save it again.",
            )


def check_embedded_fonts(document: weasyprint.Document, handout: Handout) -> None:
    """Refuse a PDF that embeds any font but the bundled ones: text inside an SVG picture, for
    instance, is drawn by whatever font the system finds, which the character check cannot see.

    Asked of the document once it has written the PDF, not of the PDF read back (reading it cost 5
    to 10% of a build's CPU): every stream WeasyPrint draws into, a page or a picture, pattern or
    group drawn as a form inside it, registers its fonts in the one `document.fonts`, from which
    WeasyPrint writes the PDF's one font dictionary; so these are exactly the fonts embedded
    (tests/test_embedded_fonts.py)."""
    names = {re.sub(r"^[A-Z]{6}\+", "", font.name.decode("utf-8", "replace").lstrip("/")) for font in document.fonts.values()}
    foreign = sorted(name for name in names if not fonts.is_bundled(name))
    if foreign:
        raise PipelineError(
            f"the leaflet would use fonts that are not bundled: {', '.join(foreign)}",
            handout.source,
            hint="Text in a picture (e.g. an SVG <text>) is drawn with a system font: convert that text to paths.",
        )


def check_font_coverage(page: str, handout: Handout) -> None:
    """Refuse to print a character the bundled font cannot draw (it would silently fall back).

    A handout's own text was checked with line and column when it was read (pipeline/read/characters.py):
    what this finds came from elsewhere, the templates or the site settings."""
    missing = fonts.uncovered(html.unescape(_TAG.sub(" ", page)))
    if missing:
        raise PipelineError(
            f"no bundled font can print these characters: {', '.join(f'U+{ord(char):04X} {char!r}' for char in missing)}",
            handout.source,
            hint=characters.FONT_HINT + " They are not in the handout: look in site.yaml and the templates.",
        )
