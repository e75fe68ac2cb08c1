"""The leaflet as a screen reader meets it: a PDF/UA-1 structure tree with headings in order,
lists, table header cells, pictures with alternative text, and no untagged text."""

from __future__ import annotations

import pikepdf
import pytest

from .conftest import KRATOM


def elements(node):
    """Every structure element under `node`, depth first, in reading order."""
    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from elements(kid)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        if "/K" in node:
            yield from elements(node.K)


@pytest.fixture(scope="module", params=["kratom", "showcase", "ar", "he", "ur", "hi", "bn", "th", "ru", "vi", "zh-hans", "ja"])
def tagged_pdf(request, built, showcase):
    if request.param == "kratom":
        path = built / "pdf" / f"{KRATOM}.pdf"
    elif request.param == "showcase":
        path = showcase / "pdf" / "every-feature.pdf"
    else:  # the handouts in other languages and scripts: the same structure whatever the script
        path = request.getfixturevalue("languages") / "pdf" / f"{request.param}.pdf"
    with pikepdf.open(path) as pdf:
        yield pdf


def test_document_level_accessibility(tagged_pdf, request):
    root = tagged_pdf.Root
    assert bool(root.MarkInfo.Marked)
    which = request.node.callspec.params["tagged_pdf"]
    assert str(root.Lang).lower() in (("en", "en-gb") if which in ("kratom", "showcase") else (which,))
    assert bool(root.ViewerPreferences.DisplayDocTitle)  # the title, not the file name, in the window
    assert str(tagged_pdf.open_metadata()["dc:title"])
    assert "/StructTreeRoot" in root


def test_headings_start_at_h1_and_never_skip_a_level(tagged_pdf):
    levels = [int(str(node.S)[2]) for node in elements(tagged_pdf.Root.StructTreeRoot.K) if str(node.S) in ("/H1", "/H2", "/H3", "/H4")]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, levels


def test_figures_have_alternative_text(tagged_pdf):
    for node in elements(tagged_pdf.Root.StructTreeRoot.K):
        if node.S == "/Figure":
            assert str(node.get("/Alt", "")).strip(), "a Figure without /Alt"


def test_the_showcase_has_lists_tables_and_figures(showcase):
    with pikepdf.open(showcase / "pdf" / "every-feature.pdf") as pdf:
        kinds = [str(node.S) for node in elements(pdf.Root.StructTreeRoot.K)]
        alts = [str(node.Alt) for node in elements(pdf.Root.StructTreeRoot.K) if node.S == "/Figure"]
    assert {"/L", "/LI", "/Lbl", "/LBody", "/Table", "/TH", "/TD", "/Figure", "/Link"} <= set(kinds)
    assert kinds.count("/TH") == 2
    assert alts == [
        "Example Community Clinic",
        "A bar chart with two bars: the first is longer than the second.",
        "QR code linking to https://handouts.example.org/every-feature.html",
    ]


def test_no_text_is_drawn_outside_marked_content(tagged_pdf):
    """Every text-showing operator sits inside a BDC ... EMC sequence: tagged content or an artifact."""
    for number, page in enumerate(tagged_pdf.pages, start=1):
        depth, shown = 0, 0
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                depth += 1
            elif name == "EMC":
                depth -= 1
            elif name in ("Tj", "TJ", "'", '"'):
                shown += 1
                assert depth > 0, f"page {number}: text drawn outside marked content"
        assert shown, f"page {number} draws no text"
