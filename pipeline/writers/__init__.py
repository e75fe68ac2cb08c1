"""One writer per output format, each a thin layer over the document model.

A writer declares its `name` and where its outputs go; `write_handout()` renders one handout
through the templates and writes each file atomically (Sphinx builders are the model for this shape).

The registry names each writer's module instead of importing it: a build of the web pages and
e-books must not pay for importing WeasyPrint (nor a no-op build for importing any writer).
"""

from __future__ import annotations

from importlib import import_module
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


def writer_class(name: str) -> type[Writer]:
    module, attribute = _MODULES[name]
    return getattr(import_module(f".{module}", __name__), attribute)


__all__ = ["FORMATS", "writer_class"]
