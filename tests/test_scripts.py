"""Handouts in other scripts build in every format, with the bundled fonts only (pipeline/fonts.py).

The fixtures (tests/fixtures/languages/) are short, plain and fictional: a sentence, a heading and
a list in Russian, Vietnamese, Turkish, Arabic, Hebrew, Hindi and Thai, one per script family the
bundled fonts draw. Each builds as a PDF, an e-book and a web page; the PDF embeds only bundled
fonts, and its text gives the source's words back; each e-book carries only the fonts it uses.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile

import pypdf
import pytest

from pipeline import fonts

from .conftest import ROOT, build
from .outputs import pdf_text

FIXTURES = ROOT / "tests" / "fixtures" / "languages"
LANGUAGES = sorted(path.stem for path in FIXTURES.glob("*.md"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scripts")
    shutil.copytree(FIXTURES, folder / "source")
    assert build(folder / "source", folder / "build", "--format", "pdf,epub,html") == 0
    return folder / "build"


def _fonts_in(pdf) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
    return names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_handout_in_its_script_is_printed_with_bundled_fonts_only(built, lang):
    embedded = _fonts_in(built / "pdf" / f"{lang}.pdf")
    assert embedded and all(fonts.is_bundled(name) for name in embedded), embedded


@pytest.mark.parametrize("lang", ["ru", "vi", "tr", "hi", "th"])
def test_the_pdf_gives_the_words_back(built, lang):
    # Line by line with spaces taken out: Thai is written without spaces between words, and a
    # line of the source may be wrapped anywhere in the PDF.
    source = (FIXTURES / f"{lang}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    printed = _squashed(pdf_text(built / "pdf" / f"{lang}.pdf"))
    lines = [_squashed(re.sub(r"^[#-] *|\*\*", "", line)) for line in source.splitlines() if line.strip()]
    assert lines and [line for line in lines if line not in printed] == []


def _squashed(text: str) -> str:
    return re.sub(r"[\s#]+", "", unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_e_book_carries_the_fonts_its_text_needs_and_no_others(built, lang):
    with zipfile.ZipFile(built / "epub" / f"{lang}.epub") as book:
        carried = {name.rsplit("/", 1)[1] for name in book.namelist() if name.endswith(".ttf")}
        text = book.read("EPUB/handout.xhtml").decode("utf-8")
    needed = fonts.families_for(re.sub(r"<[^>]+>", " ", text))
    assert {family.name.replace(" ", "") for family in needed} == {name.split("-")[0] for name in carried}


def test_a_script_atkinson_lacks_letters_of_is_set_in_noto_sans_alone():
    assert fonts.families_for("Привет мир hello") == (fonts.NOTO_SANS,)
    assert fonts.families_for("Tiếng Việt") == (fonts.NOTO_SANS,)
    assert fonts.families_for("Hello world") == (fonts.ATKINSON,)
    assert [family.name for family in fonts.families_for("Hello مرحبا")] == ["Atkinson Hyperlegible", "Noto Sans Arabic"]


def test_a_fonts_prepared_instance_is_the_same_bytes_every_time():
    face = fonts.NOTO_SANS.faces[1]
    assert face.prepared(frozenset("Привет")) == face.prepared(frozenset("Привет"))
    assert len(face.prepared(frozenset("Привет"))) < face.file.stat().st_size / 20  # cut down to what is printed
