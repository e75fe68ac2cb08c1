"""Page furniture in the handout's language: the shipped catalogues, a site's own words
(source/messages.yaml), and the warning for a language with no words.

The furniture is every message of pipeline/messages/en.yaml but the check reports' (REPORT_KEYS).
The catalogues were translated by the pipeline's authors with a language model and no fluent
reader has reviewed them: each says so, and a test holds them to it until one is reviewed.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile

import pypdf
import pypdfium2 as pdfium
import pytest
import yaml

from pipeline.messages import FOLDER, REPORT_KEYS, catalogue, catalogue_tag, messages

from .conftest import ROOT, build, require_cjk_fonts
from .outputs import pdf_actual_text

ENGLISH = catalogue("en").messages
FURNITURE = {key for key in ENGLISH if key not in REPORT_KEYS}
REQUIRED = ("es fr de it nl pt pl ro ru uk tr vi tl ht so ar fa ur he hi bn pa zh-Hans zh-Hant ja ko").split()
FIXTURES = ROOT / "tests" / "fixtures" / "languages"
CJK = {"ja", "ko", "zh-hans", "zh-hant"}
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


SHIPPED = sorted(path.stem for path in FOLDER.glob("*.yaml") if path.stem != "en")


def test_every_language_the_issue_names_has_a_catalogue():
    assert set(REQUIRED) <= set(SHIPPED)


@pytest.mark.parametrize("tag", SHIPPED)
def test_a_catalogue_translates_all_the_furniture_with_the_same_placeholders(tag):
    words = catalogue(tag)
    assert words.language == tag and set(words.messages) == FURNITURE
    for key, text in words.messages.items():
        assert sorted(_PLACEHOLDER.findall(text)) == sorted(_PLACEHOLDER.findall(ENGLISH[key])), key
    assert messages(tag).date(dt.date(2026, 3, 5))  # its date pattern is one CLDR can write


@pytest.mark.parametrize("tag", SHIPPED)
def test_a_catalogue_says_who_translated_it_and_that_no_fluent_reader_reviewed_it(tag):
    data = yaml.safe_load((FOLDER / f"{tag}.yaml").read_text(encoding="utf-8"))
    # Change this test, and the README, only when a named fluent reader really has reviewed one.
    assert "machine-assisted" in data["translated_by"] and data["reviewed_by"] == ""


def test_a_page_takes_the_catalogue_of_its_language_script_or_base_language():
    assert [catalogue_tag(tag) for tag in ("es-MX", "zh-TW", "zh-HK", "zh-CN", "zh", "ZH-hant", "fil", "pt-BR", "sw")] == [
        "es", "zh-Hant", "zh-Hant", "zh-Hans", "zh-Hans", "zh-Hant", "tl", "pt", None]
    assert messages("es-MX")("about-heading") == catalogue("es").messages["about-heading"]


def test_the_report_words_stay_english_and_every_other_word_is_furniture():
    assert REPORT_KEYS < set(ENGLISH)
    assert {"draft", "page-of", "about-heading", "skip-link", "contents", "format-pdf"} <= FURNITURE


# --- Outputs: no English furniture in a handout in another language -------------------------

@pytest.fixture(scope="module")
def every_language(languages):
    return languages


def _readable(markup: str) -> str:
    """What a reader sees or hears of a page, an e-book's package or its NCX: its text, and the
    attributes read aloud or shown (alt, title, aria-label) and a <meta>'s content."""
    attributes = re.findall(r'\b(?:alt|title|aria-label|content)="([^"]*)"', markup)
    text = re.sub(r"<[^>]+>", "\n", markup)
    return "\n".join([text, *attributes])


def _pdf_words(path) -> str:
    document = pdfium.PdfDocument(path)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    info = pypdf.PdfReader(path).metadata or {}
    shown = [str(info[key]) for key in ("/Title", "/Subject", "/Author", "/Keywords") if key in info]  # not /Producer
    return "\n".join([text, pdf_actual_text(path), *shown])


def _outputs(build_dir, slug: str) -> dict[str, str]:
    texts = {"html": _readable((build_dir / "html" / f"{slug}.html").read_text(encoding="utf-8"))}
    with zipfile.ZipFile(build_dir / "epub" / f"{slug}.epub") as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                texts[f"epub {name}"] = _readable(book.read(name).decode("utf-8"))
    for variant in ("", "-large-print", "-booklet"):
        texts[f"pdf{variant}"] = _pdf_words(build_dir / "pdf" / f"{slug}{variant}.pdf")
    return texts


def _english_pieces(own: str) -> list[str]:
    """Every piece of English furniture (each message cut at its placeholders) that the language's
    own words do not also use (French 'Version' is French too), but 'PDF', a name."""
    pieces = set()
    for key in FURNITURE:
        for piece in _PLACEHOLDER.split(ENGLISH[key]):
            piece = piece.strip(" :;,.()–-")
            # a word of three letters or more: 'by' or 'of' alone would be found in any address
            if re.search(r"[A-Za-z]{3,}", piece) and piece != "PDF" and piece not in own:
                pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


@pytest.mark.parametrize("slug", sorted(path.stem for path in FIXTURES.glob("*.md")))
def test_no_english_furniture_in_a_handout_in_another_language(every_language, slug):
    if slug in CJK:
        require_cjk_fonts()
    lang = yaml.safe_load((FIXTURES / f"{slug}.md").read_text(encoding="utf-8").split("---")[1])["lang"]
    say = messages(lang)
    own = " ".join(say(key, **{name[1:-1]: "" for name in _PLACEHOLDER.findall(ENGLISH[key])}) for key in FURNITURE)
    pieces = _english_pieces(own)
    for output, text in _outputs(every_language, slug).items():
        found = [piece for piece in pieces if re.search(rf"(?<![A-Za-z]){re.escape(piece)}(?![A-Za-z])", text)]
        assert not found, f"{slug} {output} says {found[:5]} in English"


def test_the_check_finds_english_furniture_where_there_is_some(tmp_path):
    # The test above could pass by reading nothing: a page in Swahili (no catalogue) is caught.
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "sw.md").write_text("---\ntitle: Kipeperushi\nlang: sw\n---\n\nManeno machache.\n", encoding="utf-8")
    assert build(tmp_path / "source", tmp_path / "build", "--format", "pdf,large-print,booklet,epub,html") == 0
    pieces = _english_pieces("")
    for output, text in _outputs(tmp_path / "build", "sw").items():
        if output in ("html", "pdf", "pdf-large-print", "pdf-booklet", "epub EPUB/handout.xhtml"):
            assert any(piece in text for piece in pieces), output


# --- A site's own words: source/messages.yaml ----------------------------------------------

SWAHILI = "---\ntitle: Kipeperushi\nlang: sw\nreviewed_by: Mkaguzi wa Kubuni\nreviewed_on: 2026-01-01\nupdated: 2026-01-01\n---\n\nManeno machache.\n"
"""A fictional handout in a language with no catalogue, reviewed (so that a draft is not what fails)."""


def _every_key_for(tag: str) -> str:
    """A messages.yaml giving every furniture key for `tag`: clearly made-up words, each with the
    English placeholders ('[sw about-heading]')."""
    lines = [f"{tag}:"]
    for key in sorted(FURNITURE):
        places = " ".join(_PLACEHOLDER.findall(ENGLISH[key]))
        lines.append(f'  {key}: "[{tag} {key}] {places}"'.rstrip())
    return "\n".join(lines) + "\n"


def test_a_handout_in_a_language_with_no_words_warns_naming_them_and_the_file(tmp_path, capsys):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "sw.md").write_text(SWAHILI, encoding="utf-8")
    assert build(tmp_path / "source", tmp_path / "build", "--format", "html") == 0
    err = capsys.readouterr().err
    assert "sw.md:3: warning: the pipeline has no words for pages in 'sw'" in err
    assert f"{len(FURNITURE)} of the words" in err and "draft-banner" in err and "messages.yaml" in err and "under 'sw:'" in err
    from pipeline.cli import main

    assert main(["check", "--source-dir", str(tmp_path / "source"), "--builddir", str(tmp_path / "build")]) == 0
    assert main(["check", "--strict", "--source-dir", str(tmp_path / "source"), "--builddir", str(tmp_path / "build")]) == 1
    assert "page-words-untranslated" in capsys.readouterr().out


def test_a_site_gives_the_words_of_a_language_and_strict_is_satisfied(tmp_path, capsys):
    source = tmp_path / "source"
    source.mkdir()
    (source / "sw.md").write_text(SWAHILI, encoding="utf-8")
    (source / "messages.yaml").write_text(_every_key_for("sw"), encoding="utf-8")
    assert build(source, tmp_path / "build", "--format", "html,pdf") == 0
    assert "no words for pages" not in capsys.readouterr().err
    page = (tmp_path / "build" / "html" / "sw.html").read_text(encoding="utf-8")
    assert "[sw about-heading]" in page and "About this handout" not in page
    assert "[sw page-of] 1 1" in "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(tmp_path / "build" / "pdf" / "sw.pdf"))
    from pipeline.cli import main

    assert main(["check", "--strict", "--source-dir", str(source), "--builddir", str(tmp_path / "build")]) == 0


def test_a_site_overrides_one_word_of_a_catalogue_and_a_change_rebuilds(tmp_path, capsys):
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(FIXTURES / "es.md", source)
    assert build(source, tmp_path / "build", "--format", "html") == 0
    page = tmp_path / "build" / "html" / "es.html"
    assert catalogue("es").messages["about-heading"] in page.read_text(encoding="utf-8")
    (source / "messages.yaml").write_text("es:\n  about-heading: Sobre esta hoja\n", encoding="utf-8")
    capsys.readouterr()
    assert build(source, tmp_path / "build", "--format", "html") == 0
    assert "Sobre esta hoja" in page.read_text(encoding="utf-8") and "0 up to date" in capsys.readouterr().out
    assert build(source, tmp_path / "build", "--format", "html") == 0
    assert "0 outputs built, 1 up to date" in capsys.readouterr().out  # and nothing again once built


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("sw:\n  about-headin: Kuhusu\n", 2, "unknown message 'about-headin'"),
        ("sw:\n  page-of: Ukurasa {page}\n", 2, "'page-of' must have the same places to fill in as the English"),
        ("sw:\n  page-of: Ukurasa {page} wa {pages} {date}\n", 2, "'page-of' must have the same places"),
        ("not a tag!:\n  draft: RASIMU\n", 1, "must be a BCP 47 language tag"),
        ("sw: RASIMU\n", 1, "'sw' must have its messages indented below it"),
        ("- sw\n", 1, "must be language tags, each with its messages"),
        ("sw:\n  draft: [RASIMU]\n", 2, "'draft' must be a line of text"),
        ("sw:\n  draft: \"RASIMU \u202e\"\n", 2, "RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_a_bad_messages_file_is_one_error_with_its_line(tmp_path, capsys, text, line, words):
    source = tmp_path / "source"
    source.mkdir()
    (source / "sw.md").write_text(SWAHILI, encoding="utf-8")
    (source / "messages.yaml").write_text(text, encoding="utf-8")
    assert build(source, tmp_path / "build", "--format", "html") != 0
    err = capsys.readouterr().err
    assert f"messages.yaml:{line}: error:" in err and words in err and "Traceback" not in err
    assert not (tmp_path / "build" / "html" / "sw.html").exists()


# --- Checks that are honest about language ---------------------------------------------------

def _report(text: str, tmp_path, config=None):
    from pipeline.checks.run import check
    from pipeline.config import SiteConfig
    from pipeline.read.handout import read_handout

    path = tmp_path / "handout.md"
    path.write_text(text, encoding="utf-8")
    return check(read_handout(path, config or SiteConfig()), config or SiteConfig())


@pytest.mark.parametrize("slug", ["ru", "ar", "hi", "zh-hans", "so", "es"])
def test_no_english_grade_and_no_english_word_check_on_another_language(tmp_path, slug):
    if slug in CJK:
        require_cjk_fonts()
    report = _report((FIXTURES / f"{slug}.md").read_text(encoding="utf-8"), tmp_path)
    rules = {finding.rule for finding in report.findings}
    assert report.readability is None and "reading-grade" not in rules and "smog-unreliable" not in rules
    assert not rules & {"claim-absolute", "contradiction", "passive-voice", "hard-word", "number-unreferenced"}
    said = next(finding.message for finding in report.findings if finding.rule == "checks-not-run")
    assert "passive-voice" in said and "hard-word" in said and "reading-grade" in said
    # Spanish has word lists of its own for claims and contradictions (claim_terms_es.py)
    assert ("claim-absolute" in said and "contradiction" in said) == (slug != "es")
    assert ("reading-ease" if slug == "es" else "sentence-length") in rules


def test_an_english_handout_still_gets_every_english_check(tmp_path):
    report = _report("---\ntitle: Tablets\n---\n\nThis cure is 100% safe and it is recommended by everyone.\n", tmp_path)
    rules = {finding.rule for finding in report.findings}
    assert {"claim-absolute", "reading-grade", "passive-voice"} <= rules and "checks-not-run" not in rules
    assert report.readability is not None


def test_spanish_reading_ease_is_inflesz_against_the_sites_target(tmp_path):
    from pipeline.config import SiteConfig

    plain = "---\ntitle: Folleto\nlang: es\n---\n\nTome una pastilla. Beba agua. Llame si tiene fiebre.\n"
    hard = ("---\ntitle: Folleto\nlang: es\n---\n\nLa administración concomitante de medicamentos antiinflamatorios"
            " incrementa considerablemente la probabilidad de complicaciones gastrointestinales significativas.\n")
    easy = next(f for f in _report(plain, tmp_path).findings if f.rule == "reading-ease")
    assert easy.severity.name == "INFO" and "INFLESZ" in easy.message and "Fernández Huerta" in easy.message
    difficult = next(f for f in _report(hard, tmp_path).findings if f.rule == "reading-ease")
    assert difficult.severity.name == "WARNING" and "below the target of 55" in difficult.message
    strict = SiteConfig(spanish_reading_ease=95)
    assert next(f for f in _report(plain, tmp_path, strict).findings if f.rule == "reading-ease").severity.name == "WARNING"


@pytest.mark.parametrize(
    "word, count",
    [("cuidado", 3), ("ciudad", 2), ("leer", 2), ("río", 2), ("muy", 1), ("y", 1), ("que", 1), ("guitarra", 3),
     ("aéreo", 4), ("medicamento", 5), ("paciente", 3), ("teléfono", 4), ("país", 2), ("pingüino", 3)],
)
def test_spanish_syllables_follow_spanish_spelling(word, count):
    from pipeline.checks.language import spanish_syllables

    assert spanish_syllables(word) == count


def test_the_spanish_formulas_are_the_published_ones():
    from pipeline.checks.language import fernandez_huerta, szigriszt_pazos

    # 100 words, 200 syllables, 10 sentences
    assert szigriszt_pazos(200, 100, 10) == pytest.approx(206.835 - 62.3 * 2 - 10)
    assert fernandez_huerta(200, 100, 10) == pytest.approx(206.84 - 0.60 * 200 - 1.02 * 10)


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("Hola. ¿Qué tal? Él vino.", 3),
        ("这是一份说明书。它有一个标题。", 2),
        ("यह पर्चा है। इसमें सूची है।", 2),
        ("یہ پرچہ ہے۔ اس میں فہرست ہے۔", 2),
        ("هذه نشرة. فيها عنوان.", 2),
        ("Take e.g. two tablets. Then rest.", 2),
    ],
)
def test_sentences_end_at_the_full_stops_of_every_script(text, sentences):
    from pipeline.read.prose import split_sentences

    assert len(split_sentences(text, [(1, column) for column in range(1, len(text) + 1)], "")) == sentences


SPANISH_CLAIMS = """---
title: Folleto de prueba
lang: es
---

Este producto es totalmente seguro y no tiene efectos secundarios. Es un remedio natural sin riesgo de sobredosis.
El 80% de los pacientes mejora. La sobredosis es posible si toma demasiado.
Guárdelo en un lugar seguro. ¿Es seguro para niños? Tiene seguro médico. No es seguro mezclarlo con alcohol.
"""


def test_spanish_claims_and_contradictions_are_found_by_spanish_word_lists(tmp_path):
    report = _report(SPANISH_CLAIMS, tmp_path)
    claims = {finding.where.text for finding in report.findings if finding.rule == "claim-absolute"}
    assert claims == {"seguro", "no tiene efectos secundarios", "remedio natural", "sin riesgo"}  # not the place, the question, the insurance, the denial
    contradiction = next(finding for finding in report.findings if finding.rule == "contradiction")
    assert contradiction.where.text == "sin riesgo de sobredosis" and "sobredosis es posible" in contradiction.message
    assert {finding.where.text for finding in report.findings if finding.rule == "number-unreferenced"} == {"80% de los pacientes"}
    not_run = next(finding.message for finding in report.findings if finding.rule == "checks-not-run")
    assert "claim-absolute" not in not_run and "passive-voice" in not_run


def test_the_english_lists_do_not_read_spanish(tmp_path):
    from pipeline.checks import claims, claim_terms, claim_terms_es

    _report(SPANISH_CLAIMS, tmp_path)  # writes handout.md
    from pipeline.config import SiteConfig
    from pipeline.read.handout import read_handout

    path = tmp_path / "handout.md"
    handout = read_handout(path, SiteConfig())
    assert claims.check_claims(handout.prose, (), claim_terms) == []
    assert claims.check_claims(handout.prose, (), claim_terms_es)
