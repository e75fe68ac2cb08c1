"""One writer per output format, each a thin layer over the document model.

A writer declares its `name` and where its outputs go; `write()` renders every handout through the
templates and writes each file atomically (Sphinx builders are the model for this shape).
"""

from __future__ import annotations

from .base import Writer
from .epub import EpubWriter
from .html import HtmlWriter, IndexWriter
from .pdf import BookletWriter, LargePrintWriter, PdfWriter
from .report import ReportIndexWriter, ReportWriter

WRITERS: dict[str, type[Writer]] = {
    writer.name: writer
    for writer in (
        PdfWriter, LargePrintWriter, BookletWriter, EpubWriter, HtmlWriter, IndexWriter, ReportWriter, ReportIndexWriter
    )
}

__all__ = ["WRITERS", "Writer"]
