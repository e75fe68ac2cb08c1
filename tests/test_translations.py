"""Translations linked to their original and kept current (pipeline/read/translations.py).

The fixtures are three short, fictional handouts: an English original and its Spanish and Arabic
translations, each naming the version of the original it was made from.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from pipeline.cli import main
from pipeline.messages import catalogue

from .conftest import build
from .outputs import pdf_actual_text, pdf_text

ORIGINAL = '---\ntitle: A made-up leaflet\nversion: "2"\nupdated: 2026-01-01\n---\n\nThis is a made-up leaflet to test the program.\n'
SPANISH = ('---\ntitle: Un folleto inventado\nlang: es\ntranslation_of: leaflet\noriginal_version: "1"\nupdated: 2026-01-01\n---\n\n'
           "Este es un folleto inventado para probar el programa.\n")
ARABIC = ('---\ntitle: نشرة مختلقة\nlang: ar\ntranslation_of: leaflet\noriginal_version: "2"\nupdated: 2026-01-01\n---\n\n'
          "هذه نشرة مختلقة لاختبار البرنامج.\n")


@pytest.fixture
def project(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name, text in (("leaflet", ORIGINAL), ("leaflet-es", SPANISH), ("leaflet-ar", ARABIC)):
        (source / f"{name}.md").write_text(text, encoding="utf-8")
    return source


def _page(build_dir, slug):
    return (build_dir / "html" / f"{slug}.html").read_text(encoding="utf-8")


def test_the_web_pages_link_each_other_in_each_languages_own_name(project, tmp_path):
    assert build(project, tmp_path / "build", "--format", "html") == 0
    for slug in ("leaflet", "leaflet-es", "leaflet-ar"):
        page = _page(tmp_path / "build", slug)
        assert set(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', page)) == {
            ("en", "leaflet.html"), ("es", "leaflet-es.html"), ("ar", "leaflet-ar.html")}
        shown = dict(re.findall(r'<a href="([^"]+)" hreflang="[^"]+" lang="[^"]+"(?: dir="\w+")?>([^<]+)</a>', page))
        assert f"{slug}.html" not in shown and set(shown.values()) <= {"English", "Español", "العربية"} and len(shown) == 2


def test_a_translation_names_its_original_in_every_format(project, tmp_path):
    assert build(project, tmp_path / "build", "--format", "html,pdf,epub") == 0
    spanish = catalogue("es").messages["translated-from"].split("{")[0].strip()
    assert spanish and "A made-up leaflet" in _page(tmp_path / "build", "leaflet-es")
    assert spanish in pdf_text(tmp_path / "build" / "pdf" / "leaflet-es.pdf") or spanish in pdf_actual_text(tmp_path / "build" / "pdf" / "leaflet-es.pdf")
    with zipfile.ZipFile(tmp_path / "build" / "epub" / "leaflet-es.epub") as book:
        chapter = book.read("EPUB/handout.xhtml").decode("utf-8")
    assert "A made-up leaflet" in chapter and spanish in chapter


def test_a_stale_translation_is_reported_and_marked_and_updating_clears_it(project, tmp_path, capsys):
    notice = catalogue("es").messages["translation-out-of-date"].split("{")[0].strip()
    assert build(project, tmp_path / "build", "--format", "html,pdf,epub,index") == 0
    assert notice in _page(tmp_path / "build", "leaflet-es") and notice in pdf_text(tmp_path / "build" / "pdf" / "leaflet-es.pdf")
    with zipfile.ZipFile(tmp_path / "build" / "epub" / "leaflet-es.epub") as book:
        assert notice in book.read("EPUB/handout.xhtml").decode("utf-8")
    arabic_notice = catalogue("ar").messages["translation-out-of-date"].split("{")[0].strip()
    assert arabic_notice not in _page(tmp_path / "build", "leaflet-ar")  # made from version 2: current
    index = (tmp_path / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "out of date" in index  # the index is in the site's language, English
    capsys.readouterr()
    assert main(["check", "--source-dir", str(project), "--builddir", str(tmp_path / "build")]) == 0
    out = capsys.readouterr().out
    assert "translation-out-of-date" in out and "version '1'" in out
    assert main(["check", "--strict", "--source-dir", str(project), "--builddir", str(tmp_path / "reports2"), str(project / "leaflet-ar.md")]) == 1  # a draft

    (project / "leaflet-es.md").write_text(SPANISH.replace('original_version: "1"', 'original_version: "2"'), encoding="utf-8")
    assert build(project, tmp_path / "build", "--format", "html,pdf,epub,index") == 0
    assert notice not in _page(tmp_path / "build", "leaflet-es")
    assert "out of date" not in (tmp_path / "build" / "html" / "index.html").read_text(encoding="utf-8")


def test_a_change_to_the_original_makes_its_translations_stale(project, tmp_path, capsys):
    assert build(project, tmp_path / "build", "--format", "html") == 0
    arabic_notice = catalogue("ar").messages["translation-out-of-date"].split("{")[0].strip()
    (project / "leaflet.md").write_text(ORIGINAL.replace('version: "2"', 'version: "3"'), encoding="utf-8")
    capsys.readouterr()
    assert build(project, tmp_path / "build", "--format", "html") == 0
    assert "3 outputs built, 0 up to date" in capsys.readouterr().out
    assert arabic_notice in _page(tmp_path / "build", "leaflet-ar")


def test_a_new_translation_is_listed_on_its_originals_page(project, tmp_path, capsys):
    (project / "leaflet-ar.md").unlink()
    assert build(project, tmp_path / "build", "--format", "html") == 0
    assert "العربية" not in _page(tmp_path / "build", "leaflet")
    (project / "leaflet-ar.md").write_text(ARABIC, encoding="utf-8")
    assert build(project, tmp_path / "build", "--format", "html") == 0
    assert "العربية" in _page(tmp_path / "build", "leaflet") and "العربية" in _page(tmp_path / "build", "leaflet-es")
    (project / "leaflet-ar.md").unlink()
    assert build(project, tmp_path / "build", "--format", "html") == 0
    assert "العربية" not in _page(tmp_path / "build", "leaflet")


def test_the_index_lists_translations_under_their_original(project, tmp_path):
    assert build(project, tmp_path / "build", "--format", "html,index") == 0
    index = (tmp_path / "build" / "html" / "index.html").read_text(encoding="utf-8")
    original = index.index("A made-up leaflet")
    nested = index.index('<ul class="translations"')
    assert original < nested < index.index("نشرة مختلقة") and original < nested < index.index("Un folleto inventado")
    assert index.count('<ul class="translations"') == 1


@pytest.mark.parametrize(
    "front, words",
    [
        ("translation_of: nothing-here", "'translation_of: nothing-here' names a handout that does not exist"),
        ("translation_of: leaflet-es", "must name an original, not another translation"),
    ],
)
def test_a_translation_of_a_handout_that_does_not_exist_is_an_error(project, tmp_path, capsys, front, words):
    (project / "broken.md").write_text(f"---\ntitle: Roto\nlang: es\n{front}\n---\n\nTexto.\n", encoding="utf-8")
    assert build(project, tmp_path / "build", "--format", "html") == 1
    err = capsys.readouterr().err
    assert "broken.md:4: error:" in err and words in err and "Traceback" not in err
