"""Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools; the PDF must still be reproducible."""

from __future__ import annotations

import time

import weasyprint.pdf.fonts

from .conftest import build


def test_fonttools_subsetting_does_not_stamp_the_clock(write_source, tmp_path, monkeypatch):
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)  # as on a machine without it
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # the date comes from 'updated:', as for a user
    source = write_source("---\ntitle: Tablets\nupdated: 2026-03-05\n---\n\nTake them **with** water.\n")
    assert build(source.parent, tmp_path / "a", "--format", "pdf") == 0
    time.sleep(1.1)  # fontTools stamps whole seconds
    assert build(source.parent, tmp_path / "b", "--format", "pdf") == 0
    first, second = ((tmp_path / name / "pdf" / "handout.pdf").read_bytes() for name in "ab")
    assert first == second
