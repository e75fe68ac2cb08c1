"""Every output format, a row each: the one place a format's facts live.

The build (pipeline/build/engine.py), its records (pipeline/build/state.py), the index pages and the command
line read this table; none of them names a format. Adding a format is a row here and a writer
(README, "Adding an output format"). A row names its writer as 'module:Class' under
pipeline/writers/, imported only by a build that makes the format: a build of web pages never
imports WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .writers.base import Writer


@dataclass(frozen=True)
class Format:
    name: str
    """What `--format` calls it."""
    writer: str
    """Its writer: 'module:Class' in pipeline/writers/ (or 'package.module:Class' anywhere)."""
    folder: str
    """Its folder in the build folder."""
    file: str
    """A handout's file in `folder`, with `{slug}` for the handout's name; for a list, the list's page."""
    templates: tuple[str, ...]
    """Its own templates (patterns under templates/); editing one rebuilds only this format. The
    templates every medium renders through (SHARED_TEMPLATES) rebuild every format."""
    weight: int = 1
    """How long one of its jobs takes, roughly, against the others': the longest start first."""
    paper: bool = False
    """Whether its bytes depend on the paper size (`--paper`, `paper` in site.yaml)."""
    lists_every_handout: bool = False
    """A list of every handout (an index page), written from one small entry per handout once the
    other formats are built, so that it can link their files."""
    entry: str | None = None
    """For a list: the type of its entries ('module:Class' in pipeline/), which the build records
    keep between builds and read back only in that shape."""
    makes_entry_for: str | None = None
    """The list format whose entry for a handout this format's job makes too, from work it does
    anyway (a report runs the checks that the report index summarises). A list no format makes
    entries for has them made in the build's own process: they must be cheap."""
    shows_sizes: bool = False
    """For a list: it shows the size of each handout's files (those of formats with a `label`), so
    it is written again when one of them changes size."""
    pictures_beside: bool = False
    """Every handout's pictures go beside its file, under their own names: across the catalogue,
    one name must be one picture."""
    label: str | None = None
    """Its name in the index of handouts (a key of the message table), or None: not linked there."""
    file_type: str = ""
    """The kind of file the index says it is, so that a reader knows what will open it: 'PDF'."""
    shared: tuple[str, ...] = field(default=())
    """Files in `folder` that every handout's file refers to (stylesheets, fonts): not handouts' names."""

    def path(self, slug: str) -> str:
        """A handout's file, from the build folder: 'pdf/kratom-pain-relief.pdf'."""
        return f"{self.folder}/{self.file.format(slug=slug)}"

    def href(self, slug: str) -> str:
        """A handout's file as the index of handouts (in build/html/) links to it: '../pdf/x.pdf'."""
        return str(PurePosixPath(self.path(slug)).relative_to("html")) if self.folder == "html" else f"../{self.path(slug)}"

    def writer_class(self) -> type[Writer]:
        module, name = self.writer.split(":")
        return getattr(import_module(module if "." in module else f"pipeline.writers.{module}"), name)

    def entry_type(self) -> type | None:
        """The type of the entries its records keep: its own for a list, its list's for a format
        whose job makes a list's entry."""
        kept = BY_NAME[self.makes_entry_for].entry if self.makes_entry_for else self.entry
        if kept is None:
            return None
        module, name = kept.split(":")
        return getattr(import_module(f"pipeline.{module}"), name)


SHARED_TEMPLATES = ("base.html", "handout.html", "partials/*", "css/fonts.css", "css/common.css")
"""Templates every medium renders through: a change rebuilds every format."""

_PRINT = ("print/*", "css/print.css")
_REPORT = ("report/*",)

FORMATS = [
    Format("pdf", "pdf:PdfWriter", "pdf", "{slug}.pdf", _PRINT, weight=3, paper=True,
           label="format-pdf", file_type="PDF"),
    Format("large-print", "pdf:LargePrintWriter", "pdf", "{slug}-large-print.pdf", _PRINT, weight=4, paper=True,
           label="format-large-print", file_type="PDF"),
    Format("booklet", "pdf:BookletWriter", "pdf", "{slug}-booklet.pdf", _PRINT, weight=5, paper=True,
           label="format-booklet", file_type="PDF"),
    Format("epub", "epub:EpubWriter", "epub", "{slug}.epub", ("epub/*", "css/epub.css"),
           label="format-epub", file_type="EPUB"),
    # The web page's print stylesheet (a browser printing the page) has the paper size.
    Format("html", "html:HtmlWriter", "html", "{slug}.html", ("web/page.html", "css/screen.css", "css/print.css"), paper=True,
           label="format-html", file_type="HTML", shared=("assets",), pictures_beside=True),
    Format("index", "html:IndexWriter", "html", "index.html", ("web/index.html",), lists_every_handout=True,
           entry="catalogue:CatalogueEntry", shows_sizes=True),
    Format("report", "report:ReportWriter", "reports", "{slug}.html", _REPORT, weight=2, makes_entry_for="report-index",
           label="format-report", file_type="HTML", shared=("report.css",)),
    Format("report-index", "report:ReportIndexWriter", "reports", "index.html", _REPORT, weight=2, lists_every_handout=True,
           entry="catalogue:ReportEntry"),
]
"""In the order `--format` lists them, and the index links a handout's files. Read through this
module (`formats.FORMATS`), never copied, so that a test can add a format for the time it runs."""

BY_NAME = {format.name: format for format in FORMATS}


def names() -> tuple[str, ...]:
    """What `--format` accepts."""
    return tuple(format.name for format in FORMATS)


def reserved_slugs() -> frozenset[str]:
    """Names no handout may have: the pipeline's own files have them, beside the handouts' outputs (a
    handout named 'index' would overwrite the index page with its own, or the other way round)."""
    return frozenset(
        PurePosixPath(name).stem
        for format in FORMATS
        for name in (format.shared + ((format.file,) if format.lists_every_handout else ()))
    )
