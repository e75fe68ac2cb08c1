"""One writer per output format, each a thin layer over the document model.

A writer declares its `name` and where its outputs go; `write_handout()` renders one handout
through the templates and writes each file atomically (Sphinx builders are the model for this shape).

The registry names each writer's module instead of importing it: a build of the web pages and
e-books must not pay for importing WeasyPrint (nor a no-op build for importing any writer).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Writer

_MODULES = {
    "pdf": ("pdf", "PdfWriter"),
    "large-print": ("pdf", "LargePrintWriter"),
    "booklet": ("pdf", "BookletWriter"),
    "epub": ("epub", "EpubWriter"),
    "html": ("html", "HtmlWriter"),
    "index": ("html", "IndexWriter"),
    "report": ("report", "ReportWriter"),
    "report-index": ("report", "ReportIndexWriter"),
}

FORMATS = tuple(_MODULES)
"""What `--format` accepts, in the order a full build lists them."""

INDEX_PAGE = "index.html"
"""The list of every handout, beside their pages: build/html/ (the index) and build/reports/."""
ASSETS = "assets"
"""The folder of the web pages' stylesheets and fonts, beside the pages in build/html/."""
REPORT_STYLESHEET = "report.css"
"""The check reports' stylesheet, beside them in build/reports/."""

RESERVED_SLUGS = frozenset(PurePosixPath(name).stem for name in (INDEX_PAGE, ASSETS, REPORT_STYLESHEET))
"""Names no handout may have: the pipeline's own files have them, beside the handouts' outputs
(a handout named 'index' would overwrite the index page with its own, or the other way round)."""


def writer_class(name: str) -> type[Writer]:
    module, attribute = _MODULES[name]
    return getattr(import_module(f".{module}", __name__), attribute)


__all__ = ["ASSETS", "FORMATS", "INDEX_PAGE", "REPORT_STYLESHEET", "RESERVED_SLUGS", "writer_class"]
