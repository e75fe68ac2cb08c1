"""What the printed page offers a patient: boxes that survive black-and-white printing, notes,
pictures that say what they show, the organisation's logo and a QR code to the web version."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
import zxingcpp

from pipeline.config import SiteConfig, load_config
from pipeline.errors import PipelineError
from pipeline.messages import messages
from pipeline.read.handout import read_handout

from .conftest import KRATOM, build
from .outputs import epub_members, normalise, pdf_text

HEADER = "---\ntitle: Tablets\n---\n\n"


def handout(write_source, body: str, config: SiteConfig | None = None):
    return read_handout(write_source(HEADER + body), config or SiteConfig())


class TestCallouts:
    def test_each_kind_is_an_aside_with_its_word(self, write_source):
        body = messages("en").furnish(handout(write_source, "::: note\nA.\n:::\n\n::: warning\nB.\n:::\n\n::: get-help-now\nC.\n:::\n").body)
        for kind, word in (("note", "Note"), ("warning", "Warning"), ("get-help-now", "Get help now")):
            assert f'<aside class="callout callout-{kind}" aria-label="{word}">' in body
            assert re.search(rf'<p class="callout-label"><span class="callout-symbol" aria-hidden="true">.</span> {word}</p>', body)
        assert body.count("</aside>") == 3

    def test_markdown_inside_a_box_is_rendered(self, write_source):
        body = handout(write_source, "::: warning\nDo **not** drive.\n\n- one\n:::\n").body
        assert "<p>Do <strong>not</strong> drive.</p>" in body and "<li>one</li>" in body

    def test_an_unknown_kind_is_an_error_with_a_suggestion(self, write_source):
        with pytest.raises(PipelineError) as caught:
            handout(write_source, "Text.\n\n::: warnin\nB.\n:::\n")
        assert caught.value.line == 7
        assert "Did you mean '::: warning'?" in str(caught.value)

    def test_the_boxes_differ_without_colour(self, showcase):
        """Print in black and white: each kind keeps its own word, border width and label style."""
        text = normalise(pdf_text(showcase / "pdf" / "every-feature.pdf"))
        assert "i Note" in text and "! Warning" in text and "! Get help now" in text


class TestFootnotes:
    def test_footnotes_are_a_numbered_list_of_notes(self, write_source):
        body = messages("en").furnish(handout(write_source, "Text.[^a] More.[^b]\n\n[^a]: First.\n[^b]: Second.\n").body)
        assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in body
        assert '<h2 id="footnotes_">Notes</h2>\n<ol class="footnotes-list">' in body
        assert body.index("First.") < body.index("Second.")
        assert "\u21a9" not in body and "Back to text" in body  # no glyph the font lacks

    def test_an_author_heading_called_notes_does_not_clash_with_the_footnotes(self, write_source):
        body = handout(write_source, "## Notes\n\nText.[^a]\n\n[^a]: First.\n").body
        ids = re.findall(r' id="([^"]+)"', body)
        assert len(ids) == len(set(ids)) and "notes" in ids and "footnotes_" in ids

    def test_references_from_front_matter_are_numbered_at_the_end(self, showcase):
        page = (showcase / "html" / "every-feature.html").read_text(encoding="utf-8")
        references = page.index('<h2 class="closing-heading" id="references">References</h2>\n<ol class="references">')
        assert page.index("An example reference, 2025.") > references
        assert references < page.index("About this handout")


class TestPictures:
    @pytest.mark.parametrize(
        "markdown, words",
        [
            ("![](chart.png)", "has no alt text"),
            ("![ ](chart.png)", "has no alt text"),
            ("![A chart](../chart.png)", "not a file inside the source folder"),
            ("![A chart](/etc/chart.png)", "not a file inside the source folder"),
            ("![A chart](https://example.org/chart.png)", "is a web address"),
            ("![A chart](missing.png)", "does not exist"),
            ("![A chart](notes.txt)", "not a PNG, JPEG, GIF, WebP or SVG"),
        ],
    )
    def test_a_picture_must_say_what_it_shows_and_be_beside_the_handout(self, write_source, markdown, words):
        source = write_source(HEADER + "Text.\n\n" + markdown + "\n")
        (source.parent / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        (source.parent / "notes.txt").write_text("not a picture")
        with pytest.raises(PipelineError) as caught:
            read_handout(source, SiteConfig())
        assert words in str(caught.value)
        assert caught.value.line == 7

    def test_a_file_url_is_an_error_not_a_silent_gap(self, write_source):
        # markdown-it would print it as text without a word; the sandbox reports it (tests/test_sandbox.py).
        with pytest.raises(PipelineError, match="is a 'file:' address") as caught:
            handout(write_source, "![A chart](file:///etc/passwd)\n")
        assert caught.value.line == 5

    def test_no_picture_without_alt_text_can_be_built(self, write_source, tmp_path, capsys):
        source = write_source(HEADER + "![](chart.svg)\n")
        (source.parent / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>')
        assert build(source.parent, tmp_path / "out") == 1
        assert f"{source}:5: error: the image 'chart.svg' has no alt text" in capsys.readouterr().err
        assert not (tmp_path / "out").exists()

    def test_pictures_travel_with_every_output(self, showcase):
        assert (showcase / "html" / "example-chart.svg").is_file()
        assert (showcase / "html" / "example-logo.svg").is_file()
        members = epub_members(showcase / "epub" / "every-feature.epub")
        assert {"EPUB/example-chart.svg", "EPUB/example-logo.svg", "EPUB/every-feature-qr.svg"} <= set(members)
        chapter = members["EPUB/handout.xhtml"].decode()
        assert '<img src="example-chart.svg" alt="A bar chart with two bars: the first is longer than the second." />' in chapter


class TestLogoAndTitleBlock:
    def test_the_logo_is_read_out_as_the_organisation(self, showcase):
        page = (showcase / "html" / "every-feature.html").read_text(encoding="utf-8")
        assert '<img class="logo" src="example-logo.svg" alt="Example Community Clinic" />' in page
        assert page.index('class="logo"') < page.index("<h1>") < page.index('class="summary"')

    def test_a_logo_needs_a_name_and_a_file(self, tmp_path):
        (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        for text, words in (
            ("logo: logo.png\n", "a logo needs the organisation's name"),
            ("organisation: X\nlogo: nowhere.png\n", "does not exist"),
            ("organisation: X\nlogo: ../logo.png\n", "not a file inside the source folder"),
        ):
            (tmp_path / "site.yaml").write_text(text)
            with pytest.raises(PipelineError, match=words) as caught:
                load_config(tmp_path)
            assert caught.value.line == text.count("\n")


class TestQrCode:
    def test_the_printed_code_scans_to_the_web_page(self, showcase):
        document = pdfium.PdfDocument(showcase / "pdf" / "every-feature.pdf")
        last_page = document[len(document) - 1].render(scale=150 / 72).to_pil()
        assert [code.text for code in zxingcpp.read_barcodes(last_page)] == ["https://handouts.example.org/every-feature.html"]
        assert "https://handouts.example.org/every-feature.html" in pdf_text(showcase / "pdf" / "every-feature.pdf")

    def test_the_code_is_a_vector_picture_with_alt_text(self, showcase):
        page = (showcase / "html" / "every-feature.html").read_text(encoding="utf-8")
        assert '<img class="qr-code" src="every-feature-qr.svg" alt="QR code linking to https://handouts.example.org/every-feature.html" />' in page
        assert (showcase / "html" / "every-feature-qr.svg").read_bytes().startswith(b"<svg")

    def test_no_web_address_no_code(self, built):
        page = (built / "html" / f"{KRATOM}.html").read_text(encoding="utf-8")
        assert "qr-code" not in page and "Read this handout online" not in page


def test_unknown_facts_are_not_printed_as_known(built, showcase):
    kratom = normalise(pdf_text(built / "pdf" / f"{KRATOM}.pdf"))
    assert "Version not recorded" in kratom and "Reviewed no review recorded" in kratom
    assert "Published by" not in kratom and "Next review due" not in kratom
    full = normalise(pdf_text(showcase / "pdf" / "every-feature.pdf"))
    assert "Reviewed by Nobody (test data) on 1 March 2026" in full and "Next review due 1 March 2028" in full
