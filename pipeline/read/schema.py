"""Typed fields for front matter and site configuration, validated with the line of every value.

YAML is read with PyYAML's composer so each key keeps its line; dates are *not* resolved by YAML
(an impossible date such as 2025-02-30 would otherwise escape as a bare ValueError), we parse them
ourselves and say where they are.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent

from . import characters, limits, web_address
from ..errors import PipelineError
from .. import formats


class _Tagged(yaml.MarkedYAMLError):
    """A value with an explicit YAML tag (`!!int`, `!!timestamp`, `!mine`); `problem` is the tag."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings, so dates are validated with a line number.

    It also refuses aliases (`*name`): no setting needs one, and a few lines of them can stand for
    billions of values ("billion laughs") that an error message or a check would then walk. It
    refuses explicit tags (`title: !!int hello`): no setting needs one either, and each tag runs a
    constructor of its own on what the author wrote (int(), a date, a set ...). And it refuses
    nesting deeper than limits.MAX_YAML_DEPTH, before PyYAML's recursion can overflow.
    """

    _depth = 0

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            problem = f"'*{event.anchor}' repeats another value (an alias), which is not allowed here"
            raise ComposerError(None, None, problem, event.start_mark)
        event = self.peek_event()
        if getattr(event, "tag", None) is not None:  # None unless written: '!' alone is the tag '!'
            raise _Tagged(None, None, _written(event.tag), event.start_mark)
        nests = self.check_event(MappingStartEvent, SequenceStartEvent)
        if nests:
            self._depth += 1
            if self._depth > limits.MAX_YAML_DEPTH:
                problem = f"lists or mappings are nested more than {limits.MAX_YAML_DEPTH} levels deep"
                raise ComposerError(None, None, problem, self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            if nests:
                self._depth -= 1

    def construct_object(self, node, deep=False):
        """Whatever a constructor raises is said about the value, on its line: with tags refused none
        should raise but PyYAML's own errors, and a bare ValueError would be reported as a bug."""
        try:
            return super().construct_object(node, deep)
        except yaml.MarkedYAMLError:
            raise
        except Exception as exc:
            raise ConstructorError(None, None, f"the value cannot be read ({type(exc).__name__})", node.start_mark) from None


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    # Python refuses to convert more than 4,300 digits with a bare ValueError: say where it is.
    if len(node.value) > 100:
        raise ConstructorError(None, None, "a number of more than 100 digits", node.start_mark)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


def _written(tag: str) -> str:
    """A tag as an author writes it: 'tag:yaml.org,2002:int' is '!!int'."""
    standard = "tag:yaml.org,2002:"
    return "!!" + tag.removeprefix(standard) if tag.startswith(standard) else tag


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# BCP 47 well-formedness (RFC 5646, section 2.1), without the grandfathered irregular tags.
_BCP47 = re.compile(
    r"""^(?:
        (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})
        (?:-[a-z]{4})?                      # script
        (?:-(?:[a-z]{2}|[0-9]{3}))?         # region
        (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*   # variants
        (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*       # extensions
        (?:-x(?:-[a-z0-9]{1,8})+)?          # private use
      |x(?:-[a-z0-9]{1,8})+)$""",
    re.VERBOSE | re.IGNORECASE,
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict = 2, 4, 4


def _show(value: Any) -> str:
    """A value as an error message quotes it: short, whatever the author wrote (a 2,000-letter word)."""
    return _SHORT.repr(value)


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Control characters (but tab and line ends) and the noncharacters U+FFFE/U+FFFF: invisible in an
editor, drawn by no font, and not allowed in XML (the EPUB) nor, mostly, in YAML."""


class Invalid(ValueError):
    """A value that does not fit its field; the message completes "<field> must be …"."""


def text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, bool):  # YAML reads yes, no, on, off, true and false as true/false
            raise Invalid("text, not true/false: YAML reads a bare yes, no, on, off, true or false that way; put the words in quotes")
        if isinstance(value, (int, float)):
            raise Invalid(f'text, not the number {_show(value)}: put it in quotes, e.g. "{_show(value)}"')
        raise Invalid(f"text, not {_kind(value)}")
    if control := CONTROL.search(value):  # e.g. written as a YAML escape, "\e"
        raise Invalid(f"text without control characters, not one with U+{ord(control.group()):04X}")
    if word := characters.long_word(value):
        raise Invalid(
            f"text whose every word fits on a line (at most {limits.MAX_WORD_CHARACTERS} characters without a"
            f" space or hyphen), not one with a word of {len(word.group()):,} ('{word.group()[:20]}…')"
        )
    return value.strip()


def date(value: Any) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid(f"a real date written YYYY-MM-DD, not {_show(value)}")


def language(value: Any) -> str:
    tag = text(value)
    if not _BCP47.match(tag):
        raise Invalid(f"a BCP 47 language tag such as en, en-GB or es-419, not {_show(tag)}")
    return tag


def slug(value: Any) -> str:
    name = text(value)
    if not _SLUG.match(name):
        raise Invalid(f"lower-case letters, digits and single hyphens (e.g. kratom-pain-relief), not {_show(name)}")
    if name in (reserved := formats.reserved_slugs()):
        raise Invalid(f"a name the pipeline's own files do not have ({', '.join(sorted(reserved))}), not {_show(name)}")
    return name


def url(value: Any) -> str:
    """A web address that '<slug>.html' is added to, printed on every leaflet and in its QR code
    (pipeline/read/web_address.py says which)."""
    address = text(value)
    if address:
        try:
            web_address.check(address)
        except ValueError as exc:
            raise Invalid(str(exc)) from None
    return address


def whole_number(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Invalid(f"a whole number of at least 1, not {_show(value)}")
    return value


def positive_number(value: Any) -> int | float:
    """A number above zero, e.g. a reading grade: 8 or 6.5 (YAML reads them unquoted as numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise Invalid(f"a number above zero, written without quotes, e.g. 8, not {_show(value)}")
    return value


def text_up_to(most: int) -> Callable[[Any], str]:
    """Text of at most `most` characters."""

    def check(value: Any) -> str:
        checked = text(value)
        if len(checked) > most:
            raise Invalid(f"at most {most:,} characters long, not {len(checked):,} (starting {_show(checked[:40])})")
        return checked

    return check


def text_list(value: Any, most: int | None = None, item: Callable[[Any], str] = text) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise Invalid(f"a list (one '- item' per line), not {_kind(value)}")
    if most is not None and len(value) > most:
        raise Invalid(f"a list of at most {most:,} items, not {len(value):,}")
    items = []
    for number, entry in enumerate(value, start=1):
        if isinstance(entry, (list, dict)):
            raise Invalid(f"a list of words or phrases, but item {number} is {_kind(entry)}")
        try:
            items.append(item(entry))
        except Invalid as exc:
            raise Invalid(f"a list whose every item is {exc}: item {number} is not") from None
    return tuple(items)


def list_of(most: int, item_characters: int) -> Callable[[Any], tuple[str, ...]]:
    """A list of at most `most` words or phrases, each of at most `item_characters` characters."""
    return functools.partial(text_list, most=most, item=text_up_to(item_characters))


def suppression_list(value: Any) -> tuple[dict[str, str], ...]:
    """Findings an author accepts, each with the reason: nothing is hidden without one."""
    if not isinstance(value, list):
        raise Invalid(f"a list of '- rule: …' entries, not {_kind(value)}")
    if len(value) > limits.MAX_SUPPRESSIONS:
        raise Invalid(f"a list of at most {limits.MAX_SUPPRESSIONS} entries, not {len(value):,}: fix the text the checks point at instead")
    entries = []
    for entry in value:
        if not isinstance(entry, dict) or not {"rule", "reason"} <= entry.keys() or entry.keys() - {"rule", "reason", "text"}:
            raise Invalid("a list of entries with 'rule' and 'reason' (and optionally 'text')")
        entries.append({key: text_up_to(limits.MAX_LINE_CHARACTERS)(item) for key, item in entry.items()})
        if not entries[-1]["reason"]:
            raise Invalid("given a reason for every suppression")
    return tuple(entries)


def mapping(value: Any, fields: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """A mapping of known keys, each value checked by its parser (e.g. site.yaml's `limits:`)."""
    if not isinstance(value, dict):
        raise Invalid(f"a mapping of {' and '.join(fields)} ('key: value' lines indented below it), not {_kind(value)}")
    unknown = [key for key in value if key not in fields]
    if unknown:
        raise Invalid(f"a mapping of {' and '.join(fields)}, not one with {_show(unknown[0])}")
    parsed = {}
    for key, item in value.items():
        try:
            parsed[key] = fields[key](item)
        except Invalid as exc:
            raise Invalid(f"a mapping whose '{key}' is {exc}") from None
    return parsed


def one_of(*choices: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        choice = text(value).lower()
        if choice not in choices:
            raise Invalid(f"one of {', '.join(choices)}, not {_show(value)}")
        return choice

    return check


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "empty", str: "text",
            int: "a number", float: "a number", bytes: "binary data"}.get(
        type(value), type(value).__name__
    )


@dataclass(frozen=True)
class Field:
    name: str
    parse: Callable[[Any], Any]
    help: str
    required: bool = False


def line_of(text_: str, key: str) -> int | None:
    """The line on which a top-level `key:` is written, for problems found after parsing."""
    match = re.search(rf"^{re.escape(key)}\s*:", text_, re.M)
    return text_.count("\n", 0, match.start()) + 1 if match else None


class Values(dict):
    """The values a mapping gives, by key, and `lines`: the line each key is written on (empty ones too)."""

    lines: dict[str, int]


def read_mapping(
    text_: str, fields: tuple[Field, ...], path: Path, first_line: int = 1, what: str = "front matter"
) -> Values:
    """Parse a YAML mapping and validate it against `fields`; `first_line` is where the YAML starts in `path`.

    Returns only the keys that were given (and not left empty); callers apply defaults.
    """
    node, data = _load(text_, path, first_line, what)
    if not isinstance(data, dict):
        raise PipelineError(
            f"the {what} must be a list of 'key: value' lines, not {_kind(data)}",
            path,
            first_line,
            "Write one setting per line, e.g. 'title: Kratom and pain relief'.",
        )
    by_name = {field.name: field for field in fields}
    values = Values()
    values.lines = seen = {}
    for key_node, value_node in node.value if node is not None else ():
        key, line = key_node.value, first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            raise PipelineError(f"a key in the {what} must be a word, not a list or mapping", path, line, "Write one 'key: value' per line.")
        if key in seen:
            raise PipelineError(
                f"'{key}' is given twice (first on line {seen[key]})", path, line, "Keep one of them."
            )
        seen[key] = line
        field = by_name.get(key)
        if field is None:
            close = difflib.get_close_matches(key, by_name, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else f"Known keys: {', '.join(by_name)}."
            raise PipelineError(f"unknown key '{key}' in the {what}", path, line, hint)
        raw = data[key]
        if raw is None or raw == "" or raw == []:
            continue  # left empty on purpose: unknown, and said so where it matters
        try:
            parsed = field.parse(raw)
            if parsed != "":  # only spaces: as empty as no value (a title of spaces is no title)
                values[key] = parsed
        except Invalid as exc:
            value_line = first_line + value_node.start_mark.line
            raise PipelineError(f"'{key}' must be {exc}", path, value_line, field.help) from None
    for field in fields:
        if field.required and field.name not in values:
            raise PipelineError(
                f"the {what} has no '{field.name}'",
                path,
                seen.get(field.name, first_line),
                f"Add a line '{field.name}: …' ({field.help}).",
            )
    return values


def _load(text_: str, path: Path, first_line: int, what: str) -> tuple[yaml.Node | None, Any]:
    """The YAML document's node and its value, or one error with the line of what YAML refused."""
    loader = None
    try:
        loader = _Loader(text_)  # refuses a character YAML does not allow here, or later while parsing
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else {})
    except yaml.reader.ReaderError as exc:  # e.g. a control character
        raise PipelineError(
            f"the {what} contains the character U+{exc.character:04X}, which YAML does not allow",
            path,
            first_line + text_.count("\n", 0, exc.position),
            "Delete it: it is invisible in most editors (retyping the line removes it).",
        ) from None
    except _Tagged as exc:
        raise PipelineError(
            f"the {what} gives a value the YAML tag {_show(exc.problem)}, which no setting takes",
            path,
            first_line + exc.problem_mark.line,
            "Delete the tag and write the value alone (in quotes if it is text that looks like a number or a date).",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else None
        raise PipelineError(
            f"the {what} is not valid YAML: {exc.problem or exc.context}",
            path,
            line,
            "Check the indentation and that text containing ': ' or '#' is in quotes.",
        ) from None
    except (ValueError, TypeError, ArithmeticError, LookupError, RecursionError) as exc:
        # Raised outside construct_object, which gives the rest a line: said of the whole block.
        raise PipelineError(
            f"the {what} cannot be read as YAML ({type(exc).__name__})",
            path,
            first_line,
            "Write plain 'key: value' lines, with text in quotes.",
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
