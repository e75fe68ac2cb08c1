"""The printed leaflet: paper, type, tagging, metadata, running footer and page breaks."""

from __future__ import annotations

import re
import subprocess

from pypdf import PdfReader

from pipeline import fonts

from .conftest import KRATOM, build, require
from .outputs import A4, LETTER, page_sizes, pdf_bottom_line_sizes, pdf_font_sizes, pdf_page_texts



def test_a4_by_default_and_letter_on_request(leaflet, built_letter):
    assert page_sizes(leaflet) == {A4}
    assert page_sizes(built_letter / "pdf" / f"{KRATOM}.pdf") == {LETTER}


def embedded_fonts(path):
    reader = PdfReader(path)
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            found[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return found


def test_only_the_bundled_font_is_used_and_it_is_embedded(leaflet):
    used = embedded_fonts(leaflet)
    assert used, "no fonts found"
    for name, embedded in used.items():
        assert re.fullmatch(r"/[A-Z]{6}\+Atkinson-Hyperlegible(-Bold|-Italic|-BoldItalic)?", name), name
        assert embedded, f"{name} is not embedded"


def test_pdffonts_agrees(leaflet):
    pdffonts = require("pdffonts", "sudo apt-get install -y poppler-utils")
    listing = subprocess.run([pdffonts, leaflet], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows and all("Atkinson-Hyperlegible" in row and " yes yes yes " in row for row in rows), listing


def test_body_text_is_at_least_12_point(leaflet):
    sizes = pdf_font_sizes(leaflet)
    assert min(sizes) >= 12.0, sizes
    body_size = max(sizes, key=sizes.get)
    assert body_size >= 13.0, f"most text is {body_size} pt"


def test_tagged_pdf_ua_with_metadata(leaflet):
    reader = PdfReader(leaflet)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    info = reader.metadata
    assert info.title == "Kratom and pain relief"
    assert info.subject.startswith("Kratom, derived from Mitragyna speciosa")
    assert info["/Keywords"] == "kratom, pain relief, chronic pain"
    assert "pdfuaid:part" in root["/Metadata"].get_object().get_data().decode()


def test_pdfinfo_says_tagged_with_a_title(leaflet):
    pdfinfo = require("pdfinfo", "sudo apt-get install -y poppler-utils")
    info = subprocess.run([pdfinfo, leaflet], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Title:\s+Kratom and pain relief$", info, re.M)


def test_author_is_the_writer_or_else_the_publisher(write_source, tmp_path):
    source = write_source("---\ntitle: Tablets\nauthor: Pharmacy team\n---\n\nTake them.\n", "tablets.md")
    (source.parent / "site.yaml").write_text("organisation: Riverside Clinic\n")
    write_source("---\ntitle: Inhalers\n---\n\nBreathe out first.\n", "inhalers.md")
    assert build(source.parent, tmp_path / "out", "--format", "pdf") == 0
    assert PdfReader(tmp_path / "out" / "pdf" / "tablets.pdf").metadata.author == "Pharmacy team"
    assert PdfReader(tmp_path / "out" / "pdf" / "inhalers.pdf").metadata.author == "Riverside Clinic"


def test_every_page_has_the_running_footer(leaflet):
    pages = pdf_page_texts(leaflet)
    assert len(pages) >= 2
    for number, (_, footer) in enumerate(pages, start=1):
        assert "Kratom and pain relief" in footer
        assert f"Page {number} of {len(pages)}" in footer


def test_the_footer_shows_version_and_date_when_known(write_source, tmp_path):
    source = write_source('---\ntitle: Tablets\nversion: "2.1"\nupdated: 2026-03-05\n---\n\nTake them.\n')
    assert build(source.parent, tmp_path, "--format", "pdf") == 0
    (_, footer), = pdf_page_texts(tmp_path / "pdf" / "handout.pdf")
    assert "Version 2.1" in footer and "5 March 2026" in footer and "Page 1 of 1" in footer


def test_no_heading_is_left_at_the_foot_of_a_page(leaflet, showcase):
    """The bottom line of every page but the last is text, not a heading (headings are set at
    15.5 pt and more, text at 14 pt): a heading always has its first lines of text below it."""
    for path in (leaflet, showcase / "pdf" / "every-feature.pdf"):
        for number, size in enumerate(pdf_bottom_line_sizes(path)[:-1], start=1):
            assert size < 15.5, f"{path.name}: page {number} ends with a heading ({size} pt)"


def test_characters_the_font_cannot_draw_are_an_error_not_a_fallback(write_source, tmp_path, capsys):
    source = write_source("---\ntitle: Tablets\n---\n\nTake one ⚕ then wait ♿.\n")
    assert build(source.parent, tmp_path, "--format", "pdf") == 1
    message = capsys.readouterr().err
    assert "U+2695" in message and "U+267F" in message and "line 5" in message
    assert not (tmp_path / "pdf" / "handout.pdf").exists()
    assert fonts.uncovered("Kratom’s “OD” — café") == []
