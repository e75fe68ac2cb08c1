"""Text measured once per layout (pipeline/writers/measure.py): the same PDFs, far fewer measurements."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from pypdf import PdfReader
from weasyprint.layout import preferred

from pipeline.config import load_config
from pipeline.formats import BY_NAME
from pipeline.read.handout import read_handout
from pipeline.writers import measure
from pipeline.writers.pdf import BookletWriter, PdfWriter

from .conftest import KRATOM, LANGUAGES_DIR, SHOWCASE_DIR, SOURCE_DIR

HANDOUTS = [SHOWCASE_DIR / "every-feature.md", SOURCE_DIR / f"{KRATOM}.md", LANGUAGES_DIR / "ar.md"]
WRITERS = {"leaflet": PdfWriter, "booklet's pages": BookletWriter}


def pages(writer_class, source) -> bytes:
    """The PDF the writer lays out (for the booklet: its A5 pages, before imposition)."""
    config = load_config(source.parent)
    writer = writer_class(BY_NAME["booklet" if writer_class is BookletWriter else "pdf"], config)
    return PdfWriter.render(writer, read_handout(source, config))


@pytest.mark.parametrize("writer_class", WRITERS.values(), ids=WRITERS)
@pytest.mark.parametrize("source", HANDOUTS, ids=lambda path: path.stem)
def test_the_pdf_is_the_same_bytes_as_when_every_measurement_is_made(writer_class, source, monkeypatch):
    """A table, pictures, a running footer on many pages, right to left: measured once or every time, the same PDF."""
    cached = pages(writer_class, source)
    monkeypatch.setattr(preferred, "split_first_line", measure._split_first_line)
    assert pages(writer_class, source) == cached


def test_each_piece_of_text_is_measured_once_per_layout(monkeypatch):
    """The running footer is on every page: without the cache it is measured again on each."""
    measured: Counter = Counter()
    held = []  # so that no context or style dies and leaves its id to another
    split_first_line = measure._split_first_line

    def counting(text, style, context, *args, **kwargs):
        held.append((context, style))
        measured[(id(context), text, id(style), *args, *sorted(kwargs.items()))] += 1
        return split_first_line(text, style, context, *args, **kwargs)

    monkeypatch.setattr(measure, "_split_first_line", counting)
    pages(BookletWriter, SOURCE_DIR / f"{KRATOM}.md")
    assert measured and max(measured.values()) == 1

    measured.clear()
    monkeypatch.setattr(preferred, "split_first_line", counting)  # the cache left out
    laid_out = PdfReader(io.BytesIO(pages(BookletWriter, SOURCE_DIR / f"{KRATOM}.md")))
    assert max(measured.values()) >= len(laid_out.pages) > 1
