"""Untrusted text: front matter is escaped in every output; characters that hide or reorder text,
or that no bundled font can draw, are build errors with their line and column (pipeline/read/characters.py)."""

from __future__ import annotations

import json
import zipfile

import pypdf
import pypdfium2 as pdfium
import pytest

from pipeline.config import SiteConfig, load_config
from pipeline.errors import PipelineError
from pipeline.read.handout import read_handout

from .conftest import build
from .outputs import pdf_page_texts

NASTY = '<script>alert("x")</script> & \'quotes\''


def test_front_matter_is_escaped_in_html_xhtml_opf_and_pdf(write_source, tmp_path):
    source = write_source(
        f"---\ntitle: {json.dumps(NASTY)}\nsummary: {json.dumps(NASTY)}\nauthor: {json.dumps(NASTY)}\n"
        f"keywords:\n  - {json.dumps(NASTY)}\n---\n\n## A section\n\nText.\n"
    )
    (source.parent / "site.yaml").write_text(f"organisation: {json.dumps(NASTY)}\n")
    assert build(source.parent, tmp_path, "--format", "pdf,epub,html") == 0
    escaped = "&lt;script&gt;alert("
    page = (tmp_path / "html" / "handout.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and escaped in page
    with zipfile.ZipFile(tmp_path / "epub" / "handout.epub") as book:
        for name in ("EPUB/handout.xhtml", "EPUB/nav.xhtml", "EPUB/content.opf", "EPUB/toc.ncx"):
            text = book.read(name).decode("utf-8")
            assert "<script>alert" not in text and escaped in text, name
    info = pypdf.PdfReader(tmp_path / "pdf" / "handout.pdf").metadata
    assert info.title == NASTY and info.author == NASTY and info.subject == NASTY  # a PDF string, not markup
    text = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(tmp_path / "pdf" / "handout.pdf"))
    assert '<script>alert("x")</script> & ' in text  # printed as the author typed it


HEADER = "---\ntitle: Tablets\n---\n\n"  # the body starts on line 5


@pytest.mark.parametrize(
    "char, words",
    [
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u202a", "LEFT-TO-RIGHT EMBEDDING"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE \\(a bidirectional isolate not closed on its line"),
        ("\u2069", "POP DIRECTIONAL ISOLATE \\(closes a bidirectional isolate that was never opened"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u2060", "WORD JOINER"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\x00", "a control character"),
        ("\x1b", "a control character"),
        ("\x7f", "a control character"),
        ("\x85", "a control character"),
        ("\x9b", "a control character"),
        ("\u2028", "an invisible line break"),
    ],
)
def test_hidden_characters_are_errors_with_line_and_column(write_source, char, words):
    source = write_source(HEADER + f"Take one\n\nTake {char}two tablets.\n")
    with pytest.raises(PipelineError, match=words) as caught:
        read_handout(source, SiteConfig())
    assert caught.value.line == 7
    assert f"U+{ord(char):04X}" in caught.value.message and "line 7, column 6" in caught.value.message
    assert "Delete it" in caught.value.hint


@pytest.mark.parametrize(
    "text, line, where",
    [
        ('---\ntitle: "Tablets \u202e"\n---\nText.\n', 2, "line 2, column 17"),
        ("---\ntitle: Tablets\n---\nText &#x202E; here.\n", 4, "written &#x202E;"),
        ("---\ntitle: Tablets\n---\nText &ZeroWidthSpace; here.\n", 4, "written &ZeroWidthSpace;"),
        ("---\ntitle: Tablets\n---\nText &#133; here.\n", 4, "written &#133;"),
        ("---\ntitle: Tablets\n---\nText &#0; here.\n", 4, "written &#0;"),
        ('---\ntitle: Tablets\nsummary: "Take \\u202E two"\n---\nText.\n', 3, "as a YAML escape"),
        ("---\ntitle: Tablets\n---\n<!-- a note \u202e -->\nText.\n", 4, "line 4, column 13"),
    ],
)
def test_hidden_characters_are_found_however_they_are_written(write_source, text, line, where):
    with pytest.raises(PipelineError, match="hide or reorder") as caught:
        read_handout(write_source(text), SiteConfig())
    assert caught.value.line == line and where in caught.value.message


def test_hidden_characters_in_site_settings_are_errors(tmp_path):
    (tmp_path / "site.yaml").write_text("organisation: Riverside\ncontact: \"Call \\u202E 999\"\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="RIGHT-TO-LEFT OVERRIDE") as caught:
        load_config(tmp_path)
    assert caught.value.line == 2


def test_a_hidden_character_stops_the_build_before_any_output(write_source, tmp_path, capsys):
    write_source(HEADER + "Fine.\n", "a-fine-one.md")
    source = write_source(HEADER + "Take \u200btwo.\n")
    assert build(source.parent, tmp_path / "out") == 1
    assert f"{source}:5: error:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_uncovered_character_is_named_with_line_and_column_before_any_output(write_source, tmp_path, capsys):
    write_source(HEADER + "Fine.\n", "a-fine-one.md")
    source = write_source("---\ntitle: Tablets \U0001fac1\n---\n\nTake\n\nTwo \u13a0 tablets.\n")
    assert build(source.parent, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert f"{source}:2: error: no bundled font can print these characters:" in err
    assert "U+1FAC1 LUNGS (in no bundled font) at line 2, column 16" in err
    assert "U+13A0 CHEROKEE LETTER A (in no bundled font) at line 7, column 5" in err
    assert not (tmp_path / "out").exists()


def test_soft_hyphens_and_no_break_spaces_are_allowed_and_print(write_source, tmp_path):
    word = "\u00ad".join(["pneumono", "ultra", "microscopic", "silico", "volcano", "coniosis"] * 3)
    source = write_source(HEADER + f"Keep 10\u00a0mg apart. Also&nbsp;this and &shy;that.\n\n{word} {word}\n")
    assert build(source.parent, tmp_path, "--format", "pdf,html") == 0
    lines = [line for body, _ in pdf_page_texts(tmp_path / "pdf" / "handout.pdf") for line in body.splitlines()]
    assert any(line.rstrip().endswith("-") for line in lines), lines  # broken at a soft hyphen, printed '-'
    assert not any("\u2010" in line for line in lines)  # not the default U+2010 (not in the font)
    assert "Keep 10\u00a0mg apart. Also\u00a0this" in (tmp_path / "html" / "handout.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "link, written",
    [
        ("[the leaflet](https://example.org/%E2%80%AEfdp.exe)", "U+202E RIGHT-TO-LEFT OVERRIDE (a bidirectional control: it can reorder the text around it), written %E2%80%AE"),
        ("<https://example.org/tab%e2%80%8blets>", "U+200B ZERO WIDTH SPACE (an invisible character), written %E2%80%8B"),
        ("[write](mailto:clinic%E2%81%A6@example.org)", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("[the chart](chart.html%00)", "U+0000"),
        ("[the chart](https://example.org/&#37;E2&#37;80&#37;AE)", "written %E2%80%AE"),  # '%' as an entity
    ],
)
def test_hidden_characters_percent_encoded_in_a_link_are_errors_with_its_line(write_source, link, written):
    with pytest.raises(PipelineError) as caught:
        read_handout(write_source(HEADER + f"Take one.\n\nSee {link} for more.\n"), SiteConfig())
    assert caught.value.line == 7 and written in caught.value.message and "Delete it" in caught.value.hint


def test_percent_escapes_of_other_characters_in_a_link_are_fine(write_source):
    # é, a space, a literal '%' (%25E2%2580%25AE is the text '%E2%80%AE'), a byte that is not UTF-8
    links = ["caf%C3%A9", "a%20b", "%25E2%2580%25AE", "old%E9page"]
    body = read_handout(write_source(HEADER + " ".join(f"[x](https://example.org/{link})" for link in links) + "\n"), SiteConfig()).body
    assert all(f'href="https://example.org/{link}"' in body for link in links)


def test_text_that_looks_like_terminal_markup_is_printed_as_written_by_check(write_source, tmp_path, capsys):
    """`pipeline check` prints with rich, which reads '[bold]' as a style and stopped (exit 70) at a stray
    '[/b]' in a sentence: everything the handout wrote is escaped first."""
    from pipeline.cli import main

    sentence = "This sentence is long on purpose [/b] and it has more than twenty words so that [bold red]the whole of it is quoted."
    source = write_source(f"---\ntitle: \"[/i] Tablets\"\n---\n\n{sentence}\n")
    assert main(["check", "--source-dir", str(source.parent), "--builddir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "[/b]" in out and "[bold" in out  # shown, not read as styles
