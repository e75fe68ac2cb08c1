"""Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools; the PDF must still be reproducible."""

from __future__ import annotations

import time

import weasyprint.pdf.fonts

from .conftest import build


def test_fonttools_subsetting_does_not_stamp_the_clock(write_source, tmp_path, monkeypatch):
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # as on a machine without it
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the date comes from 'updated:', as for a user
    source = write_source("---\ntitle: Tablets\nupdated: 2026-03-05\n---\n\nTake them **with** water.\n")
    formats = "pdf,large-print,booklet"
    assert build(source.parent, tmp_path / "a", "--format", formats) == 0
    time.sleep(1.1)  # fontTools stamps whole seconds
    assert build(source.parent, tmp_path / "b", "--format", formats) == 0
    for name in ("handout.pdf", "handout-large-print.pdf", "handout-booklet.pdf"):
        assert (tmp_path / "a" / "pdf" / name).read_bytes() == (tmp_path / "b" / "pdf" / name).read_bytes(), name
