"""Right-to-left handouts (Arabic, Persian, Hebrew): the page runs from the right in every format.

The fixtures are tests/fixtures/languages/{ar,fa,he}.md: short, plain and fictional, with a number
and a Latin word inside a right-to-left sentence, and (Hebrew) an isolate and a mark.
"""

from __future__ import annotations

import re
import zipfile

import pypdfium2 as pdfium
import pytest

from pipeline.config import SiteConfig
from pipeline.errors import PipelineError
from pipeline.messages import direction
from pipeline.read.handout import read_handout
from pipeline.writers.imposition import saddle_stitch_order

from .conftest import ROOT
from .outputs import missing_lines, pdf_actual_text

FIXTURES = ROOT / "tests" / "fixtures" / "languages"
RIGHT_TO_LEFT = ["ar", "fa", "he"]


@pytest.fixture(scope="module")
def built(languages):
    return languages


def test_the_direction_of_a_language_comes_from_cldr():
    assert [direction(tag) for tag in ("ar", "ar-EG", "fa", "ur", "he", "ps", "en", "ru", "zh-Hant", "xx")] == [
        "rtl", "rtl", "rtl", "rtl", "rtl", "rtl", "ltr", "ltr", "ltr", "ltr"]


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_the_web_page_and_the_e_book_say_right_to_left(built, lang):
    assert re.search(rf'<html lang="{lang}" dir="rtl">', (built / "html" / f"{lang}.html").read_text(encoding="utf-8"))
    with zipfile.ZipFile(built / "epub" / f"{lang}.epub") as book:
        assert 'dir="rtl"' in book.read("EPUB/handout.xhtml").decode("utf-8")
        assert re.search(r'<spine [^>]*page-progression-direction="rtl"', book.read("EPUB/content.opf").decode("utf-8"))


def test_a_left_to_right_page_says_nothing_of_direction(built):
    assert "dir=" not in (built / "html" / "ru.html").read_text(encoding="utf-8").split("<head>")[0]
    with zipfile.ZipFile(built / "epub" / "ru.epub") as book:
        assert "page-progression-direction" not in book.read("EPUB/content.opf").decode("utf-8")


def _title_box(pdf, title: str) -> tuple[float, float, float]:
    """(left, right, page width) of the line that holds the title's words on the first page."""
    page = pdfium.PdfDocument(pdf)[0]
    width = page.get_size()[0]
    textpage = page.get_textpage()
    for index in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(index)
        found = set(textpage.get_text_bounded(left, bottom, right, top).split())
        # pdfium gives some right-to-left words letter by letter in the order they are drawn
        if all(word in found or word[::-1] in found for word in title.split()):
            return left, right, width
    raise AssertionError(f"no line holds {title!r}")


@pytest.mark.parametrize("lang, title", [("ar", "نشرة خيالية"), ("he", "עלון בדיוני"), ("ru", "Вымышленная памятка")])
@pytest.mark.parametrize("variant", ["", "-large-print"])
def test_the_title_starts_at_the_right_margin_right_to_left(built, lang, title, variant):
    left, right, width = _title_box(built / "pdf" / f"{lang}{variant}.pdf", title)
    starts_right = (left + right) / 2 > width / 2
    assert starts_right == (direction(lang) == "rtl"), (left, right, width)


@pytest.mark.parametrize("lang", RIGHT_TO_LEFT)
def test_the_pdf_carries_every_word_in_reading_order(built, lang):
    # A Latin word and a number keep their place: the line is carried whole, as written.
    assert missing_lines(FIXTURES / f"{lang}.md", pdf_actual_text(built / "pdf" / f"{lang}.pdf")) == []


def test_a_booklet_bound_on_the_right_is_imposed_as_the_mirror_image():
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_stitch_order(8, bound_on_right=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]
    assert saddle_stitch_order(3) == [(None, 1), (2, 3)]
    assert saddle_stitch_order(3, bound_on_right=True) == [(1, None), (3, 2)]


def test_the_booklet_of_a_right_to_left_handout_has_page_one_on_the_left_half(built):
    document = pdfium.PdfDocument(built / "pdf" / "ar-booklet.pdf")
    page = document[0]
    width, height = page.get_size()
    textpage = page.get_textpage()
    left_half = textpage.get_text_bounded(0, 0, width / 2, height)
    right_half = textpage.get_text_bounded(width / 2, 0, width, height)
    assert "خيالية" in left_half and not right_half.strip()


HEADER = "---\ntitle: Tablets\nlang: he\n---\n\n"  # the body starts on line 6


@pytest.mark.parametrize(
    "text",
    [
        "המספר 12\u200f.",  # right-to-left mark
        "המספר 12\u200e.",  # left-to-right mark
        "العدد 12\u061c.",  # Arabic letter mark
        "המילה \u2068Test 3\u2069 כאן.",  # first-strong isolate, closed
        "המילה \u2067עברית\u2069 and \u2066English\u2069.",  # isolates of both kinds, closed
        "می\u200cشود",  # Persian: zero-width non-joiner
        "क्\u200dष",  # Devanagari: zero-width joiner
        "המספר &rlm;12.",  # a mark written as an entity
    ],
)
def test_marks_isolates_and_joiners_are_allowed_in_the_text(write_source, text):
    read_handout(write_source(HEADER + text + "\n"), SiteConfig())


@pytest.mark.parametrize(
    "text, why, column",
    [
        ("המילה \u2068Test 3 כאן.", "not closed on its line", 7),
        ("המילה Test\u2069 כאן.", "never opened", 11),
        ("המילה \u2068Test\n3\u2069 כאן.", "not closed on its line", 7),
        ("המילה \u202eTest\u202c כאן.", "RIGHT-TO-LEFT OVERRIDE", 7),
        ("[link](https://example.org/\u200f)", "RIGHT-TO-LEFT MARK", None),
        ("המילה &#x2068;Test&#x2069; כאן.", "FIRST STRONG ISOLATE", 7),
    ],
)
def test_overrides_and_unbalanced_isolates_are_refused(write_source, text, why, column):
    with pytest.raises(PipelineError, match=why) as caught:
        read_handout(write_source(HEADER + text + "\n"), SiteConfig())
    assert caught.value.line == 6
    if column:
        assert f"line 6, column {column}" in caught.value.message
