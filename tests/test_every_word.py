"""Every word and table cell of a handout is on a page of every PDF, inside the paper.

A probe once found medicine tables whose last columns fell off the page in the large print and the
booklet (the note with the daily maximum dose among them), a "Day 1 … Day 12" table losing days
10 to 12 in the leaflet, and a very long word running off the edge, all with exit status 0. Now a
table too wide for the page is printed one row at a time (pipeline/writers/tables.py), a word no
line can hold is refused with its line, and every PDF is checked against its page before it is
written (pipeline/writers/layout.py): a word that would be lost fails the build, naming it.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import weasyprint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image as PillowImage

from pipeline.read import limits
from pipeline.config import SiteConfig
from pipeline.formats import BY_NAME
from pipeline.errors import PipelineError
from pipeline.model import Image
from pipeline.read.handout import read_handout
from pipeline.writers import layout, tables
from pipeline.writers.pdf import PdfWriter

from .conftest import build

PDFS = ("pdf", "large-print", "booklet")
FILES = {"pdf": "{}.pdf", "large-print": "{}-large-print.pdf", "booklet": "{}-booklet.pdf"}


def handout(folder: Path, body: str, title: str = "Tables and words", slug: str = "words") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    path.write_text(f"---\ntitle: {title}\nupdated: 2026-01-01\n---\n\nA fictional test handout.\n\n{body}\n", encoding="utf-8")
    return path


def printed(path: Path) -> str:
    """Every character the PDF shows, in order, without the places lines break (spaces, hyphens)."""
    document = pdfium.PdfDocument(path)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return re.sub(r"[\s\x02\ufffe\u00ad-]", "", text)


def table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def assert_every_cell_printed(builddir: Path, slug: str, cells: list[str]) -> None:
    for name in PDFS:
        shown = printed(builddir / "pdf" / FILES[name].format(slug))
        lost = [cell for cell in cells if re.sub(r"[\s-]", "", cell) not in shown]
        assert not lost, f"{name}: {lost}"


MEDICINES = table(
    ["Medicine", "Strength", "Morning", "Midday", "Evening", "Bedtime", "With food", "Notes"],
    [
        ["Examplamol", "500 mg", "2 tablets", "2 tablets", "2 tablets", "2 tablets", "Yes", "No more than 8 tablets in 24 hours"],
        ["Testocillin", "250 mg", "1 capsule", "-", "1 capsule", "-", "No", "Finish the course"],
    ],
)
DAYS = table([f"Day {day}" for day in range(1, 13)], [["one two three four five six seven eight nine ten eleven twelve".split()][0]])


def test_a_wide_medicine_table_and_a_table_of_twelve_days_keep_every_cell(tmp_path):
    handout(tmp_path / "src", f"{MEDICINES}\n\n{DAYS}")
    assert build(tmp_path / "src", tmp_path / "out", "--format", ",".join(PDFS)) == 0
    cells = [cell for line in (MEDICINES + "\n" + DAYS).splitlines() if "---" not in line for cell in line.strip("| ").split(" | ")]
    assert_every_cell_printed(tmp_path / "out", "words", cells)


def test_a_table_too_wide_for_any_page_is_printed_one_row_at_a_time(tmp_path):
    headers = [f"Column {number}" for number in range(1, 301)]
    handout(tmp_path / "src", table(headers, [[f"cell{number}" for number in range(1, 301)]]))
    assert build(tmp_path / "src", tmp_path / "out", "--format", "pdf") == 0
    shown = printed(tmp_path / "out" / "pdf" / "words.pdf")
    assert all(f"Column{number}cell{number}" in shown for number in range(1, 301))  # each cell beside its header


def test_a_table_that_fits_stays_a_table(tmp_path):
    handout(tmp_path / "src", table(["Time", "Dose"], [["Morning", "1 tablet"]]))
    assert build(tmp_path / "src", tmp_path / "out", "--format", "pdf") == 0
    assert printed(tmp_path / "out" / "pdf" / "words.pdf").count("Time") == 1  # one header row, not one per row


def test_stacking_keeps_each_cell_with_its_header_and_every_id_once():
    page = '<p>x</p><table>\n<thead>\n<tr>\n<th>A<sup><a id="r1">[1]</a></sup></th>\n<th></th>\n</tr>\n</thead>\n<tbody>\n' \
        '<tr>\n<td>a &amp; 1</td>\n<td><em>b</em> 1</td>\n</tr>\n<tr>\n<td>a2</td>\n<td>b2</td>\n</tr>\n</tbody>\n</table>'
    stacked = tables.stack(page, {0})
    assert stacked.startswith("<p>x</p>") and stacked.count('<table class="stacked-table">') == 2  # one per row
    assert stacked.count('id="r1"') == 1
    assert '<th scope="row">A<sup><a id="r1">[1]</a></sup></th>\n<td>a &amp; 1</td>' in stacked
    assert '<td colspan="2"><em>b</em> 1</td>' in stacked  # no header: the cell alone
    assert tables.stack(page, set()) == page


@pytest.mark.parametrize("where", ["body", "code", "title"])
def test_a_word_longer_than_any_line_is_refused_with_its_line(tmp_path, capsys, where):
    word = "a" * (limits.MAX_WORD_CHARACTERS + 1)
    source = {
        "body": lambda: handout(tmp_path, f"Some words\nand {word} here."),
        "code": lambda: handout(tmp_path, f"```\n{word}\n```"),
        "title": lambda: handout(tmp_path, "Text.", title=f"A {word}"),
    }[where]()
    assert build(tmp_path, tmp_path / "out", "--format", "html") == 1
    line = {"body": 9, "code": 9, "title": 2}[where]
    assert f"{source}:{line}: error:" in capsys.readouterr().err
    assert not (tmp_path / "out" / "html" / "words.html").exists()


def test_the_longest_word_allowed_is_printed_whole_in_a_table_cell_a_heading_and_a_list(tmp_path):
    word = "b" * limits.MAX_WORD_CHARACTERS
    handout(tmp_path / "src", f"## A {word}\n\n- {word}\n\n{table(['Name', 'Note'], [['x', word]])}", title=f"Title {word[: limits.MAX_TITLE_CHARACTERS - len('Title ')]}")
    assert build(tmp_path / "src", tmp_path / "out", "--format", ",".join(PDFS)) == 0
    for name in PDFS:
        assert printed(tmp_path / "out" / "pdf" / FILES[name].format("words")).count(word) >= 3, name


def test_a_picture_larger_than_the_page_is_scaled_to_fit_it(tmp_path):
    for name, size in (("wide.png", (5000, 200)), ("tall.png", (200, 8000))):
        PillowImage.new("L", size, 128).save(tmp_path / name)
    handout(tmp_path, "![a wide grey test picture](wide.png)\n\n![a tall grey test picture](tall.png)\n\n"
            + table(["Picture", "Note"], [["![a wide grey test picture](wide.png)", "x"]]))
    assert build(tmp_path, tmp_path / "out", "--format", ",".join(PDFS)) == 0  # the check finds each inside a page


def _render(page: str):
    html = weasyprint.HTML(string=page)
    return html, html.render()


def test_the_check_names_words_a_layout_puts_off_the_page(tmp_path):
    source = handout(tmp_path, "Text.")
    model = read_handout(source, SiteConfig())
    page = '<html><body><p>Kept.</p><p style="margin-left: 400mm">Take two tablets.</p></body></html>'
    html, document = _render(page)
    with pytest.raises(PipelineError, match="'Take two tablets.'") as raised:
        layout.check_every_word(document, html.etree_element, model, "test PDF")
    assert raised.value.path == source
    html, document = _render("<html><body><p>Kept.</p></body></html>")
    layout.check_every_word(document, html.etree_element, model, "test PDF")  # nothing lost: no error


def test_the_check_finds_an_element_with_no_text_on_any_page(tmp_path):
    model = read_handout(handout(tmp_path, "Text."), SiteConfig())
    html, document = _render('<html><body><p>Kept.</p><p style="display: none">Hidden by mistake.</p></body></html>')
    with pytest.raises(PipelineError, match="Hidden by mistake"):
        layout.check_every_word(document, html.etree_element, model, "test PDF")


def test_a_picture_weasyprint_cannot_load_fails_the_pdf(tmp_path):
    """WeasyPrint logs 'Failed to load image' and goes on; the PDF writer stops instead. (Pictures
    are decoded when the source is read, so this is the second line: bytes changed behind the model.)"""
    picture = io.BytesIO()
    PillowImage.new("L", (4, 4)).save(picture, "PNG")
    (tmp_path / "dot.png").write_bytes(picture.getvalue())
    source = handout(tmp_path, "![a dot](dot.png)")
    config = SiteConfig()
    model = read_handout(source, config)
    broken = dataclasses.replace(model, images=(Image("dot.png", "a dot", b"\x89PNG\r\n\x1a\n garbage", "image/png"),))
    with pytest.raises(PipelineError, match="WeasyPrint says: Failed to load image"):
        PdfWriter(BY_NAME["pdf"], config).render(broken)
    assert PdfWriter(BY_NAME["pdf"], config).render(model).startswith(b"%PDF")


# --- the property: tables of any width, words of any length -------------------------------------

word = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=limits.MAX_WORD_CHARACTERS)
short_word = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
cell = st.lists(st.one_of(short_word, short_word, short_word, word), min_size=1, max_size=4).map(" ".join)


@st.composite
def tables_and_words(draw) -> tuple[str, list[str]]:
    columns = draw(st.integers(1, 24))
    headers = draw(st.lists(cell, min_size=columns, max_size=columns))
    rows = draw(st.lists(st.lists(cell, min_size=columns, max_size=columns), min_size=1, max_size=3))
    paragraph = draw(st.lists(word, min_size=1, max_size=6))
    body = f"{' '.join(paragraph)}\n\n{table(headers, rows)}"
    return body, [*paragraph, *headers, *(text for row in rows for text in row)]


EXAMPLES = {"test": 6, "fuzz": 300}.get(os.environ.get("HYPOTHESIS_PROFILE", "test"), 6)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(tables_and_words())
def test_every_cell_and_word_is_in_every_pdf(tmp_path_factory, case):
    body, texts = case
    folder = tmp_path_factory.mktemp("property")
    handout(folder / "src", body)
    assert build(folder / "src", folder / "out", "--format", ",".join(PDFS), "-q") == 0
    assert_every_cell_printed(folder / "out", "words", texts)
