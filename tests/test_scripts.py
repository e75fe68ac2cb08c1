"""Handouts in other scripts build in every format, with the bundled fonts only (pipeline/fonts.py).

The fixtures (tests/fixtures/languages/) are short, plain and fictional: a sentence, a heading and
a list in Russian, Vietnamese, Turkish, Arabic, Hebrew, Hindi, Thai, Chinese (simplified and
traditional), Japanese and Korean: every script family the bundled fonts draw. Each builds as a PDF, an e-book and a web page; the PDF embeds only bundled
fonts, and its text gives the source's words back; each e-book carries only the fonts it uses.
"""

from __future__ import annotations

import re
import shutil
import zipfile

import pypdf
import pytest

from pipeline import fonts

from .conftest import ROOT, build, require_cjk_fonts
from .outputs import missing_lines, pdf_text

FIXTURES = ROOT / "tests" / "fixtures" / "languages"
LANGUAGES = sorted(path.stem for path in FIXTURES.glob("*.md"))
CJK = {"ja", "ko", "zh-hans", "zh-hant"}
"""Set in Noto Sans CJK, from Debian's fonts-noto-cjk: skipped, with the install command, without it."""


@pytest.fixture(scope="module")
def built(languages):
    return languages


@pytest.fixture
def lang(request):
    """The fixture's language (the test's parameter), once its fonts are known to be here."""
    if request.param in CJK:
        require_cjk_fonts()
    return request.param


def _fonts_in(pdf) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
    return names


@pytest.mark.parametrize("lang", LANGUAGES, indirect=True)
def test_a_handout_in_its_script_is_printed_with_bundled_fonts_only(built, lang):
    embedded = _fonts_in(built / "pdf" / f"{lang}.pdf")
    assert embedded and all(fonts.is_bundled(name) for name in embedded), embedded


@pytest.mark.parametrize("lang", ["ru", "vi", "tr", "hi", "th", "zh-hans", "zh-hant", "ja", "ko"], indirect=True)
def test_the_pdf_gives_the_words_back(built, lang):
    assert missing_lines(FIXTURES / f"{lang}.md", pdf_text(built / "pdf" / f"{lang}.pdf")) == []


@pytest.mark.parametrize("lang", LANGUAGES, indirect=True)
def test_an_e_book_carries_the_fonts_its_text_needs_and_no_others(built, lang):
    with zipfile.ZipFile(built / "epub" / f"{lang}.epub") as book:
        carried = {name.rsplit("/", 1)[1] for name in book.namelist() if name.endswith((".ttf", ".otf"))}
        text = book.read("EPUB/handout.xhtml").decode("utf-8")
    needed = fonts.families_for(re.sub(r"<[^>]+>", " ", text), lang)
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


@pytest.mark.parametrize("lang, form", [("zh-hans", "SC"), ("zh-hant", "TC"), ("ja", "JP"), ("ko", "KR")], indirect=["lang"])
def test_chinese_characters_are_drawn_in_the_form_the_language_reads(built, lang, form):
    # The same character is drawn differently in China, Taiwan, Japan and Korea.
    embedded = _fonts_in(built / "pdf" / f"{lang}.pdf")
    assert {name for name in embedded if "CJK" in name} == {f"Noto-Sans-CJK-{form}", f"Noto-Sans-CJK-{form}-Bold"}


def test_cjk_forms_by_language_tag():
    assert [fonts.cjk_form(tag) for tag in ("zh", "zh-CN", "zh-Hans", "zh-TW", "zh-Hant-HK", "zh-HK", "ja-JP", "ko", "ZH-hant")] == [
        "zh-Hans", "zh-Hans", "zh-Hans", "zh-Hant", "zh-Hant", "zh-Hant", "ja", "ko", "zh-Hant"]


def test_without_the_checked_cjk_font_a_chinese_handout_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(fonts.CJK_FILES, "NotoSansCJK-Regular.ttc", "0" * 64)  # as if other files were installed
    fonts._checked.cache_clear()
    try:
        (tmp_path / "source").mkdir()
        shutil.copy(FIXTURES / "zh-hans.md", tmp_path / "source")
        assert build(tmp_path / "source", tmp_path / "build", "--format", "html") != 0
    finally:
        fonts._checked.cache_clear()
    error = capsys.readouterr().err
    assert "zh-hans.md" in error and "line 2" in error and "sudo apt-get install fonts-noto-cjk" in error
    assert "Traceback" not in error and not (tmp_path / "build" / "html" / "zh-hans.html").exists()
