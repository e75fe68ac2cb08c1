"""A site's own words for its pages (`source/messages.yaml`, beside site.yaml), over the catalogues'.

    es:
      about-heading: Sobre esta hoja
    sw:
      draft: RASIMU – haijakaguliwa kwa matumizi ya wagonjwa

Each language tag (`es`, `es-MX`, `sw` …) gives messages by their keys in pipeline/messages/en.yaml,
with the same placeholders as the English. A site that serves a language with no catalogue gives
its words here; a site that says things its own way overrides a catalogue's. Every problem is one
error with its line, before anything is built.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from ..errors import PipelineError
from ..messages import SiteWords, canonical, catalogue, messages
from . import characters, limits, schema
from .text import read_source_text

FILE_NAME = "messages.yaml"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
HINT = "Write a language tag, then its messages indented below it, e.g. 'es:' then '  about-heading: Sobre esta hoja'."


def read_site_words(source_dir: Path) -> SiteWords:
    path = source_dir / FILE_NAME
    if not path.exists():
        return SiteWords()
    text = read_source_text(path, root=source_dir)
    characters.check_source(text, path)
    node, data = schema._load(text, path, 1, "messages file")
    if node is None:
        return SiteWords()
    if not isinstance(node, yaml.MappingNode):
        raise PipelineError("the messages file must be language tags, each with its messages", path, 1, HINT)
    english = catalogue("en").messages
    by_language = []
    for tag_node, words_node in node.value:
        line = 1 + tag_node.start_mark.line
        try:
            tag = canonical(schema.language(tag_node.value))
        except schema.Invalid as exc:
            raise PipelineError(f"'{tag_node.value}' must be {exc}", path, line, HINT) from None
        if not isinstance(words_node, yaml.MappingNode):
            raise PipelineError(f"'{tag}' must have its messages indented below it", path, line, HINT)
        words = [_message(key_node, value_node, english, path) for key_node, value_node in words_node.value]
        by_language.append((tag, tuple(words)))
    return SiteWords(tuple(by_language))


def _message(key_node, value_node, english: dict, path: Path) -> tuple[str, str | tuple]:
    key, line = str(key_node.value), 1 + key_node.start_mark.line
    if key not in english:
        close = difflib.get_close_matches(key, english, n=1)
        hint = f"Did you mean '{close[0]}'?" if close else "The keys are those of pipeline/messages/en.yaml."
        raise PipelineError(f"unknown message '{key}'", path, line, hint)
    wanted = english[key]
    if isinstance(wanted, dict):  # plural forms: a mapping of CLDR categories, 'other' among them
        if not isinstance(value_node, yaml.MappingNode):
            raise PipelineError(f"'{key}' has plural forms: give them as 'one:' and 'other:' lines below it", path, line)
        forms = {str(k.value): _text(key, v, wanted["other"], path) for k, v in value_node.value}
        if "other" not in forms or set(forms) - set(_PLURAL_FORMS):
            raise PipelineError(f"'{key}' needs an 'other:' form, and only the forms {', '.join(_PLURAL_FORMS)}", path, line)
        return key, tuple(sorted(forms.items()))
    return key, _text(key, value_node, wanted, path)


def _text(key: str, node, english: str, path: Path) -> str:
    line = 1 + node.start_mark.line
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise PipelineError(f"'{key}' must be a line of text", path, line)
    value = str(node.value)
    if len(value) > limits.MAX_LINE_CHARACTERS:
        raise PipelineError(f"'{key}' is longer than {limits.MAX_LINE_CHARACTERS} characters", path, line)
    given, needed = set(_PLACEHOLDER.findall(value)), set(_PLACEHOLDER.findall(english))
    if given != needed:
        named = ", ".join(f"{{{name}}}" for name in sorted(needed)) or "none"
        raise PipelineError(
            f"'{key}' must have the same places to fill in as the English ('{english}'): {named}",
            path, line, "Keep each {name} as it is, where your language puts it.",
        )
    return value


def untranslated(language: str, site: SiteWords) -> tuple[str, str] | None:
    """What to tell the author of a handout in `language` whose page furniture would be printed in
    English for want of words: (message, what to do), or None when every word is there."""
    missing = messages(language, site).untranslated()
    if not missing:
        return None
    shown = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
    return (
        f"the pipeline has no words for pages in '{language}': {len(missing)} of the words it prints around"
        f" the handout (the draft notice, the facts at the end, page numbers …) will be in English: {shown}",
        f"Translate them in {FILE_NAME} beside site.yaml, under '{canonical(language)}:', one 'key: words' line"
        " each (the keys and English words are in pipeline/messages/en.yaml), or add a catalogue"
        f" pipeline/messages/{canonical(language)}.yaml for every site.",
    )
