"""Every word the pipeline itself puts on a handout or a page, from one message table per language.

A catalogue (`<language>.yaml` beside this file) gives each message by key; `en.yaml` has them all.
The others translate the page furniture (`FURNITURE`: every key but the check reports', which are
written for authors, in English). A site may put its own words over any of them, for any
language, in `messages.yaml` beside its `site.yaml` (`SiteWords`, read by pipeline/config.py).
The writers look the words up when they write (`Messages`, `say` in the templates): nothing of them
is stored in the document model or in the build's records. A message may have placeholders
(`{date}`), and plural forms by CLDR category (`one`, `few`, `many`, `other` …) chosen for a count
by the language's own rules; dates and numbers are written by CLDR through Babel, offline, from the
data the pinned package carries. A catalogue says who translated it and whether a fluent reader
has reviewed it. A key a catalogue lacks falls back to English.

The body of a handout is rendered when its source is read, so the words the Markdown renderer adds
(a box's label, the notes' heading) go into it as markers (`marker`), which `furnish` replaces with
the words of the language the page is written in.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

FOLDER = Path(__file__).resolve().parent
SOURCE_LANGUAGE = "en"
"""The language every key is written in first, and the fallback for a key a catalogue lacks."""

_MARKER = re.compile("\ue000([a-z0-9-]+)\ue001")
"""A message in text rendered before its language's words are known: private-use characters, which
no handout can contain (no bundled font draws them: pipeline/read/characters.py refuses them)."""
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def marker(key: str) -> str:
    """A place for message `key` in the body, filled in by `Messages.furnish` when a page is written."""
    return f"\ue000{key}\ue001"


REPORT_KEYS = frozenset({
    "reports-title", "report-title", "all-reports", "report-source", "report-reviewed", "report-reviewed-due",
    "report-counts", "report-accepted-count", "summary-draft", "summary-reviewed", "summary-grades",
    "summary-accepted", "errors", "warnings", "notes", "reading-level", "part", "sentences", "smog-grade",
    "fk-grade", "whole-handout", "opening", "not-measured", "findings", "finding-heading", "severity-error",
    "severity-warning", "severity-info", "see-line", "rule-at-line", "what-to-do", "nothing-found",
    "accepted-heading", "accepted-because", "also-on", "n-more", "list-separator", "list-last",
})
"""The words of the check reports, which are for authors and reviewers and written in English
(checks/report.py REPORT_LANGUAGE): a catalogue need not translate them."""


@dataclass(frozen=True)
class SiteWords:
    """A site's own words over the catalogues' (`messages.yaml` beside site.yaml), by language tag."""

    by_language: tuple[tuple[str, tuple[tuple[str, str | tuple], ...]], ...] = ()

    def of(self, language: str) -> dict[str, str | dict[str, str]]:
        """The words given for a page in `language`: those for its language ('es'), then for the
        tag itself ('es-MX') over them."""
        given = {canonical(tag): dict(words) for tag, words in self.by_language}
        base = canonical(language).split("-")[0]
        merged = {**given.get(base, {}), **given.get(canonical(language), {})}
        return {key: dict(value) if isinstance(value, tuple) else value for key, value in merged.items()}


def canonical(tag: str) -> str:
    """A language tag in its usual case: 'ZH-hant-tw' is 'zh-Hant-TW' (tags are not case-sensitive)."""
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 and part.isalpha() else part.upper() if len(part) == 2 else part.lower())
    return "-".join(out)


@dataclass(frozen=True)
class Catalogue:
    language: str
    translated_by: str
    """Who wrote or translated its words."""
    reviewed_by: str
    """Who, reading the language fluently, checked them; empty when nobody has."""
    date_pattern: str
    """How a date is written, as a CLDR pattern: 'd MMMM y' is 5 March 2026."""
    messages: dict[str, str | dict[str, str]] = field(repr=False)


@functools.cache
def catalogue(language: str) -> Catalogue | None:
    """The catalogue of `language` ('en', 'es' …), or None when there is none."""
    import yaml

    path = FOLDER / f"{language}.yaml"
    if not path.is_file():
        return None
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Catalogue(data["language"], data["translated_by"], data["reviewed_by"] or "", data["date_pattern"], data["messages"])


@functools.cache
def direction(language: str) -> str:
    """'rtl' or 'ltr': the direction CLDR says `language` is written in (a tag it does not know: 'ltr')."""
    from babel import Locale, UnknownLocaleError

    try:
        order = Locale.parse(language, sep="-").character_order
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


class Messages:
    """The words of one language, called like a function: `say("about-heading")`, `say("errors", count=3)`."""

    def __init__(self, language: str, page_language: str = "", site: dict | None = None) -> None:
        self.language = language
        """The catalogue's language: 'es' for a page in 'es-MX'."""
        self.page_language = page_language or language
        """The language of the page the words are for."""
        self.own = catalogue(language) or catalogue(SOURCE_LANGUAGE)
        self.fallback = catalogue(SOURCE_LANGUAGE)
        self.site = site or {}
        """The site's own words for this page's language, over the catalogue's."""

    def _text(self, key: str) -> str | dict[str, str]:
        return self.site.get(key) or self.own.messages.get(key) or self.fallback.messages[key]

    def written_in(self, key: str) -> str:
        """The language message `key` is given in: the page's, or English when it falls back."""
        if key in self.site or (key in self.own.messages and self.own.language != SOURCE_LANGUAGE):
            return self.page_language
        return SOURCE_LANGUAGE

    def untranslated(self) -> list[str]:
        """The page furniture this page would print in English: keys neither its catalogue nor the
        site gives (none for a page in English)."""
        if self.page_language.split("-")[0] == SOURCE_LANGUAGE:
            return []
        return [key for key in self.fallback.messages if key not in REPORT_KEYS and self.written_in(key) == SOURCE_LANGUAGE]

    def __call__(self, key: str, count: int | None = None, **values: object) -> str:
        text = self._text(key)
        if isinstance(text, dict):  # plural forms
            text = text.get(self._plural(count), text["other"])
        if count is not None:
            values["count"] = self.number(count)
        return _PLACEHOLDER.sub(lambda found: str(values[found[1]]), text)

    @property
    def direction(self) -> str:
        """'rtl' when the language is written right to left (CLDR: Arabic, Persian, Urdu, Hebrew …), else 'ltr'."""
        return direction(self.page_language)

    def _plural(self, count: int | None) -> str:
        from babel import Locale

        return Locale.parse(self.own.language, sep="-").plural_form(count if count is not None else 0)

    def date(self, value: dt.date | None) -> str:
        """A date as readers of the language write it in full ('5 March 2026'); '' for None."""
        if value is None:
            return ""
        from babel.dates import format_date

        return format_date(value, self.own.date_pattern, locale=self.own.language.replace("-", "_"))

    def number(self, value: float, digits: int = 0) -> str:
        """A number as readers of the language write it ('1,234', '1.4'), with `digits` decimals."""
        from babel.numbers import format_decimal

        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.own.language.replace("-", "_"))

    def join(self, items: list[str]) -> str:
        """'a', 'a and b', 'a, b and c', as the language lists things."""
        if len(items) < 2:
            return "".join(items)
        return self("list-last", rest=self("list-separator").join(items[:-1]), last=items[-1])

    def reason(self, review) -> str:
        """Why a handout is a draft (`review.ReviewStatus`), in words: 'its review expired on 5 March 2026'."""
        return self(review.reason, date=self.date(review.due))

    def furnish(self, text: str) -> Markup:
        """Markup with each marker (`marker`) replaced by its message, escaped."""
        return Markup(_MARKER.sub(lambda found: str(escape(self(found[1]))), text))

    def plain(self, text: str) -> str:
        """Text with each marker replaced by its message (for text that is not markup, an e-book's NCX)."""
        return _MARKER.sub(lambda found: self(found[1]), text)

    def css(self, key: str, **counters: str) -> str:
        """A message as the value of CSS `content`: its text as quoted strings, each placeholder a
        CSS counter ('Page {page} of {pages}' is "Page " counter(page) " of " counter(pages))."""
        text = self._text(key)
        parts = []
        for index, part in enumerate(_PLACEHOLDER.split(text)):
            if index % 2:
                parts.append(f"counter({counters.get(part, part)})")
            elif part:
                parts.append('"' + part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"')
        return " ".join(parts)

    def language_name(self, tag: str) -> str:
        """A BCP 47 tag named in this language by CLDR: 'en-GB' is 'English (United Kingdom)'; the tag
        itself when any part of it has no name (a variant, a private tag): never half a name."""
        from babel import Locale

        names = Locale.parse(self.own.language, sep="-")
        language, *rest = tag.split("-")
        name = names.languages.get(language.lower())
        if name is None:
            return tag
        details = []
        if rest and len(rest[0]) == 4 and rest[0].isalpha():
            details.append(names.scripts.get(rest.pop(0).title()))
        if rest and (len(rest[0]) == 2 and rest[0].isalpha() or len(rest[0]) == 3 and rest[0].isdigit()):
            details.append(names.territories.get(rest.pop(0).upper()))
        if rest or None in details:
            return tag
        return f"{name} ({', '.join(details)})" if details else name


@functools.cache
def messages(language: str, site: SiteWords = SiteWords()) -> Messages:
    """The words for a page in `language` (a BCP 47 tag): its own catalogue if there is one, else
    that of its language and script ('zh-Hant' for 'zh-TW'), else of its language ('es' for
    'es-MX'), else English; with the site's own words over them."""
    return Messages(catalogue_tag(language) or SOURCE_LANGUAGE, language, site.of(language))


@functools.cache
def own_name(tag: str) -> str:
    """A language named in itself, as a list of languages shows it: 'es' is 'Español', 'ar' 'العربية',
    'zh-Hant' '中文 (繁體)'; the tag itself when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(canonical(tag), sep="-").display_name
    except (UnknownLocaleError, ValueError):
        return tag
    return name[:1].upper() + name[1:] if name else tag


_ALIASES = {"fil": "tl", "iw": "he"}
"""Tags of the same language as a catalogue's: Filipino is standard Tagalog; 'iw' is Hebrew's old code."""


def catalogue_tag(language: str) -> str | None:
    """The shipped catalogue a page in `language` takes its words from; None when there is none."""
    tag = canonical(language)
    tag = _ALIASES.get(tag.split("-")[0], tag)
    if tag.split("-")[0] == "zh":  # Chinese is written in two scripts: a region says which
        from ..fonts import cjk_form

        return cjk_form(tag)
    while tag and catalogue(tag) is None:
        tag = tag.rpartition("-")[0]
    return tag or None
