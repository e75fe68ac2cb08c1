"""The message table (pipeline/messages/): every word the pipeline puts on a page comes from it.

The words are looked up when a page is written, in the page's language (plural forms and dates by
CLDR rules, through Babel); English is the fallback. No template or module of the pipeline holds
any of the English words itself: a grep of every template's text and every string in the code.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import yaml

from pipeline.messages import FOLDER, catalogue, marker, messages

from .conftest import ROOT

ENGLISH = catalogue("en")


def test_a_date_is_written_out_as_readers_of_the_language_write_it():
    say = messages("en")
    assert say.date(dt.date(2026, 3, 5)) == "5 March 2026" and say.date(None) == ""


def test_plural_forms_follow_the_languages_rules():
    say = messages("en")
    assert [say("errors", count=count) for count in (0, 1, 2, 1000)] == ["0 errors", "1 error", "2 errors", "1,000 errors"]


def test_a_regional_or_unknown_language_falls_back_to_its_language_then_english():
    assert messages("en-GB").language == "en" and messages("xx-Latn").language == "en"
    assert messages("en-GB")("about-heading") == "About this handout"


def test_a_message_in_css_is_quoted_text_and_counters():
    assert messages("en").css("page-of") == '"Page " counter(page) " of " counter(pages)'


def test_markers_in_the_body_become_words_escaped():
    say = messages("en")
    assert say.furnish(f"<h2>{marker('notes-heading')}</h2>") == "<h2>Notes</h2>"
    assert say.plain(marker("callout-get-help-now")) == "Get help now"


def test_every_catalogue_says_who_translated_it_and_who_reviewed_it():
    for path in sorted(FOLDER.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["language"] == path.stem and data["translated_by"].strip(), path.name
        assert "reviewed_by" in data and data["date_pattern"], path.name
        assert set(data["messages"]) <= set(ENGLISH.messages), path.name  # no key English lacks


def _phrases() -> set[str]:
    """The English words of every message, cut at its placeholders: each piece with a word in it."""
    pieces = set()
    for text in ENGLISH.messages.values():
        for form in (text.values() if isinstance(text, dict) else [text]):
            for piece in re.split(r"\{[a-z_]+\}", form):
                piece = piece.strip(" :;,.()")
                if len(piece.split()) >= 2:  # single words are too common in code to grep for
                    pieces.add(piece)
    return pieces


def _says(string: str, whole: bool, phrase: str) -> bool:
    """Whether a string of the code puts `phrase` on a page: holds a phrase of three words or more, or is
    a shorter one (a help text that mentions 'the PDF leaflet' is not the index's label 'PDF leaflet')."""
    return phrase in string if len(phrase.split()) >= 3 else whole and string.strip(" :;,.()") == phrase


class _Text(HTMLParser):
    """The words of a template that a reader would see: text, and the attributes read aloud or shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words.append(re.sub(r'[\w-]+="[^"]*"', " ", data))  # attributes a Jinja block adds to a tag

    def handle_starttag(self, tag, attrs) -> None:
        self.words += [value or "" for name, value in attrs if name in ("alt", "title", "aria-label")]


def _template_words(path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)  # Jinja, not words
    if path.suffix == ".css":
        return " ".join(re.findall(r'content:\s*("[^"]*")', text))
    parser = _Text()
    parser.feed(text)
    return " ".join(parser.words)


def test_no_template_holds_a_word_of_its_own():
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.is_file():
            words = _template_words(path)
            assert not re.search(r"[A-Za-z]{2,}", words), f"{path.relative_to(ROOT)}: {words.strip()[:80]!r}"


def _strings(tree: ast.AST):
    """(string, whole) for each string of a module that is not documentation (a string on its own line);
    `whole` is False for a piece of an f-string."""
    documentation = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    pieces = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in documentation:
            yield node.value, id(node) not in pieces


@pytest.mark.parametrize("module", sorted(str(path.relative_to(ROOT)) for path in (ROOT / "pipeline").rglob("*.py")))
def test_no_module_holds_the_words_of_a_message(module):
    phrases = _phrases()
    for string, whole in _strings(ast.parse((ROOT / module).read_text(encoding="utf-8"))):
        found = [phrase for phrase in phrases if _says(string, whole, phrase)]
        assert not found, f"{module} says {found[0]!r} itself: use the message table"
