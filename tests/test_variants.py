"""The large-print and booklet PDFs: the leaflet's content at other sizes, and the booklet's pages
in the order that folds into a booklet."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from pipeline.writers.imposition import saddle_stitch_order
from pipeline.writers.pdf import LargePrintWriter

from .conftest import KRATOM, build
from .outputs import A4, BOOKLET_FOOTER_HEIGHT, LETTER, MM, page_sizes, pdf_chars, pdf_font_sizes, pdf_half_texts, pdf_page_texts

LARGE_PRINT_FOOTER = LargePrintWriter.style.margins.bottom * MM
PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")


# Large print


def test_large_print_is_on_the_same_paper_as_the_leaflet(large_print, built_letter):
    assert page_sizes(large_print) == {A4}
    assert page_sizes(built_letter / "pdf" / f"{KRATOM}-large-print.pdf") == {LETTER}


def test_large_print_text_is_18_point_and_nothing_is_under_16(large_print):
    sizes = pdf_font_sizes(large_print)
    assert min(sizes) >= 16.0, sizes
    assert max(sizes, key=sizes.get) == 18.0, sizes


def test_large_print_page_numbers_are_as_large_as_the_text(large_print):
    pages = pdf_page_texts(large_print, LARGE_PRINT_FOOTER)
    assert len(pages) >= 2
    for number, (_, footer) in enumerate(pages, start=1):
        assert "Kratom and pain relief" in footer and f"Page {number} of {len(pages)}" in footer
    footer_sizes = {char.size for char in pdf_chars(large_print) if char.box[3] < LARGE_PRINT_FOOTER}
    assert footer_sizes == {18.0}


def test_large_print_lines_are_widely_spaced(large_print):
    baselines: dict[int, set[float]] = {}
    for char in pdf_chars(large_print):
        if char.size == 18.0 and char.baseline > LARGE_PRINT_FOOTER:
            baselines.setdefault(char.page, set()).add(round(char.baseline, 1))
    gaps = [upper - lower for found in baselines.values() for lower, upper in zip(sorted(found), sorted(found)[1:])]
    assert min(gaps) >= 1.5 * 18, f"lines {min(gaps):.1f} pt apart"


def soft_hyphenated(write_source, tmp_path):
    """A handout whose long words may be split only where the author put a soft hyphen."""
    words = "ex\u00adtra\u00ador\u00addi\u00adnar\u00adi\u00adly un\u00adcom\u00adfort\u00adable "
    source = write_source(f"---\ntitle: Words\n---\n\n{words * 40}\n")
    assert build(source.parent, tmp_path, "--format", "pdf,large-print") == 0
    return tmp_path / "pdf"


def lines_ending_in_a_hyphen(path):
    return [line for body, _ in pdf_page_texts(path) for line in body.splitlines() if line.rstrip().endswith(("-", "\u2010"))]


def test_large_print_never_splits_a_word(write_source, tmp_path):
    folder = soft_hyphenated(write_source, tmp_path)
    assert lines_ending_in_a_hyphen(folder / "handout.pdf"), "the leaflet no longer splits at soft hyphens: the test proves nothing"
    assert lines_ending_in_a_hyphen(folder / "handout-large-print.pdf") == []


def test_large_print_is_tagged_with_its_metadata(large_print):
    reader = PdfReader(large_print)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata.title == "Kratom and pain relief"


# Booklet


def test_saddle_stitch_order():
    # (left, right) on the front, then the back, of each sheet; None is a padding blank.
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_stitch_order(5) == [(None, 1), (2, None), (None, 3), (4, 5)]
    assert saddle_stitch_order(4) == [(4, 1), (2, 3)]
    for pages in range(1, 30):
        shown = [number for side in saddle_stitch_order(pages) for number in side if number]
        assert sorted(shown) == list(range(1, pages + 1))


def expected_sides(pages: int) -> list[tuple[int | None, int | None]]:
    """Written out from the rule, independently of pipeline.writers.imposition."""
    n = (pages + 3) // 4 * 4
    sides = []
    for s in range(n // 4):
        sides += [(n - 2 * s, 2 * s + 1), (2 * s + 2, n - 2 * s - 1)]
    return [tuple(number if number <= pages else None for number in side) for side in sides]


def printed_numbers(path):
    """The page number printed in the footer of each half of each side: (left, right), None if blank."""
    numbers, totals = [], set()
    for halves in pdf_half_texts(path, BOOKLET_FOOTER_HEIGHT):
        side = []
        for body, footer in halves:
            found = PAGE_NUMBER.search(footer)
            assert found or not (body + footer).strip(), f"a half with text but no page number: {footer!r}"
            side.append(int(found[1]) if found else None)
            totals |= {int(found[2])} if found else set()
        numbers.append(tuple(side))
    (total,) = totals
    return numbers, total


def test_booklet_sheets_are_a4_landscape_or_letter_landscape(booklet, built_letter):
    assert page_sizes(booklet) == {A4[::-1]}
    assert page_sizes(built_letter / "pdf" / f"{KRATOM}-booklet.pdf") == {LETTER[::-1]}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_booklet_pages_are_in_saddle_stitch_order(booklet, built_letter, paper):
    path = booklet if paper == "a4" else built_letter / "pdf" / f"{KRATOM}-booklet.pdf"
    numbers, total = printed_numbers(path)
    assert total >= 5  # the kratom handout needs at least two sheets: the order is not trivial
    assert len(numbers) == (total + 3) // 4 * 2  # both sides of each sheet
    assert numbers == expected_sides(total)


def test_booklet_pages_are_upright_with_the_wide_margin_at_the_fold(booklet):
    width = float(PdfReader(booklet).pages[0].mediabox.width)
    fold = width / 2
    chars = pdf_chars(booklet)
    for sheet_side in {char.page for char in chars}:
        for left_half in (True, False):
            half = [char for char in chars if char.page == sheet_side and (char.box[2] <= fold) == left_half]
            if not half:
                continue
            # Upright: "Page x of y" is in the bottom margin (upside down, it would be at the top).
            footer = "".join(char.char for char in half if char.box[3] < BOOKLET_FOOTER_HEIGHT)
            assert re.search(r"Page\d+of\d+", footer), footer
            to_fold = fold - max(char.box[2] for char in half) if left_half else min(char.box[0] for char in half) - fold
            to_edge = min(char.box[0] for char in half) if left_half else width - max(char.box[2] for char in half)
            assert to_fold > to_edge >= 12 * MM, (sheet_side, left_half, to_fold / MM, to_edge / MM)


def test_booklet_text_is_at_least_12_point(booklet):
    sizes = pdf_font_sizes(booklet)
    assert min(sizes) >= 12.0, sizes
    assert max(sizes, key=sizes.get) >= 13.0, sizes


def test_booklet_keeps_the_metadata_and_says_it_is_not_tagged(write_source, tmp_path):
    source = write_source(
        "---\ntitle: Tablets\nsummary: How to take them.\nauthor: Pharmacy team\nlang: en-GB\n"
        "keywords:\n  - tablets\n  - water\nupdated: 2026-03-05\n---\n\nTake them.\n"
    )
    assert build(source.parent, tmp_path, "--format", "pdf,booklet") == 0
    leaflet, booklet = (PdfReader(tmp_path / "pdf" / name) for name in ("handout.pdf", "handout-booklet.pdf"))
    kept = {key: value for key, value in leaflet.metadata.items() if key != "/Producer"}
    assert {key: value for key, value in booklet.metadata.items() if key != "/Producer"} == kept
    assert set(kept) >= {"/Title", "/Author", "/Subject", "/Keywords", "/CreationDate", "/ModDate"}
    root = booklet.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    # A print master: no structure tree, so it must not claim to be tagged or PDF/UA.
    assert "/StructTreeRoot" not in root and "/MarkInfo" not in root and "/Metadata" not in root
    # A fixed /ID (no random bytes): the file's name, then a hash of the pages.
    assert booklet.trailer["/ID"][0].original_bytes == b"handout-booklet"


def test_booklet_of_one_page_is_one_sheet(write_source, tmp_path):
    source = write_source("---\ntitle: Tablets\n---\n\nTake them with water.\n")
    assert build(source.parent, tmp_path, "--format", "booklet") == 0
    numbers, total = printed_numbers(tmp_path / "pdf" / "handout-booklet.pdf")
    assert (numbers, total) == ([(None, 1), (None, None)], 1)
