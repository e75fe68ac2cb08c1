"""Untrusted text: characters a patient could not see, or that would reorder what they read.

Checked in every source (front matter, body, and what YAML escapes and HTML entities decode to)
and in site.yaml, before any output is written, each reported with its line and column:

- control characters: C0 except tab, newline and carriage return, DEL, and C1;
- invisible format characters (Unicode category Cf): bidirectional overrides and embeddings
  (U+202A-U+202E), which make the text shown differ from the text stored; zero-width spaces
  (U+200B, U+2060, U+FEFF), and the rest of the category, except those below;
- line and paragraph separators (U+2028, U+2029), which break a line where no one sees a break;
- characters no bundled font can draw (they would fall back to another font, or vanish).

Allowed: the soft hyphen (U+00AD; the PDF prints '-' where it breaks a word), the no-break space
(U+00A0), a byte-order mark at the very start, and in the text (never in a web address) what
right-to-left and Indic text needs (`IN_TEXT`): the bidirectional marks (U+200E, U+200F, U+061C),
the isolates (U+2066-U+2069) when each is closed on its own line, and the zero-width joiner and
non-joiner (U+200D, U+200C)."""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from .. import fonts
from . import limits
from ..errors import PipelineError

ALLOWED = {"\t", "\n", "\r", "\u00ad"}
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_LIMIT = 10
"""At most this many problems are listed in one error."""


class Problem(NamedTuple):
    line: int
    column: int | None
    char: str
    why: str
    written: str = ""
    """How it was written when it is not the character itself (an entity, a YAML escape)."""

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}" if self.column else f"line {self.line}"
        how = f", written {self.written}" if self.written else ""
        return f"U+{ord(self.char):04X} {_name(self.char)} ({self.why}) at {where}{how}"


def _name(char: str) -> str:
    return unicodedata.name(char, "unnamed character")


IN_TEXT = {
    "\u200e", "\u200f", "\u061c",  # left-to-right, right-to-left and Arabic letter marks
    "\u2066", "\u2067", "\u2068", "\u2069",  # isolates: closed on their own line (find)
    "\u200c", "\u200d",  # zero-width non-joiner and joiner: Persian words and Indic conjuncts need them
}
"""Invisible characters that right-to-left and Indic text needs, allowed in a handout's text (never
in a web address): a mark or an isolate keeps a number or a Latin word in its place in a
right-to-left sentence; none of them can make the text shown differ from the text stored, as the
overrides and embeddings (U+202A-U+202E) can."""
_ISOLATE_OPENERS, _ISOLATE_CLOSER = "\u2066\u2067\u2068", "\u2069"
_ISOLATES = _ISOLATE_OPENERS + _ISOLATE_CLOSER


def why_refused(char: str, in_text: bool = False) -> str | None:
    """Why `char` may not appear in a handout (in its text when `in_text`, else anywhere, a web
    address included), or None when it may."""
    if char in ALLOWED or in_text and char in IN_TEXT:
        return None
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069" or char in "\u200e\u200f\u061c":
        return "a bidirectional control: it can reorder the text around it"
    if category == "Cf":
        return "an invisible character"
    if category in ("Zl", "Zp"):
        return "an invisible line break"
    if category == "Cs" or char == "\ufffd":
        return "not a character: a broken entity or encoding"
    return None


HINT = (
    "Delete it: it is invisible in most editors but can hide or reorder words a patient reads "
    "(use a plain space, or a soft hyphen U+00AD where a long word may break)."
)
FONT_HINT = (
    "Replace them with characters the bundled fonts have (pipeline/fonts.py lists them: Latin, Cyrillic, Greek,"
    " Arabic, Hebrew, Devanagari, Thai, Chinese, Japanese and Korean scripts), e.g. straight or curly quotes,"
    " '-' for dashes. Chinese, Japanese and Korean need Debian's fonts-noto-cjk: sudo apt-get install fonts-noto-cjk."
)


def find(text: str, first_line: int = 1) -> Iterator[Problem]:
    """Refused characters in `text`, typed or written as HTML entities, with 1-based line and column."""
    for number, line in enumerate(text.split("\n"), start=first_line):
        for column, char in enumerate(line, start=1):
            if (why := why_refused(char, in_text=True)) and not (char == "\ufeff" and number == 1 and column == 1):
                yield Problem(number, column, char, why)
        for entity in _ENTITY.finditer(line):
            for char in _decode(entity.group()):
                if why := why_refused(char, in_text=char not in _ISOLATES):
                    yield Problem(number, entity.start() + 1, char, why, entity.group())
        if any(char in line for char in _ISOLATES):
            yield from _unbalanced_isolates(line, number)


def _unbalanced_isolates(line: str, number: int) -> Iterator[Problem]:
    """An isolate opened and not closed on its line would reorder everything after it; a closing one
    with nothing open is a sign the text was pasted in pieces. (Typed characters only: an isolate
    written as an entity is refused.)"""
    opened: list[tuple[int, str]] = []
    for column, char in enumerate(line, start=1):
        if char in _ISOLATE_OPENERS:
            opened.append((column, char))
        elif char == _ISOLATE_CLOSER:
            if opened:
                opened.pop()
            else:
                yield Problem(number, column, char, "closes a bidirectional isolate that was never opened")
    for column, char in opened:
        yield Problem(number, column, char, "a bidirectional isolate not closed on its line: it would reorder the text after it")


def _decode(entity: str) -> str:
    """What an entity stands for. A numeric one is its code point as written (html.unescape would
    turn &#x85; into the Windows-1252 '…', hiding the C1 control the author typed)."""
    if entity.startswith("&#"):
        number = int(entity[3:-1], 16) if entity[2] in "xX" else int(entity[2:-1])
        return chr(number) if number <= 0x10FFFF else "\ufffd"
    return html.unescape(entity)


_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def decode_escapes(address: str) -> str:
    """An address with its %-escapes decoded, as a browser shows it (%E2%80%AE is U+202E). Bytes that
    are not UTF-8 stay escaped: they stand for no character a reader would see."""

    def decode(run: re.Match) -> str:
        text = bytes.fromhex(run.group().replace("%", "")).decode("utf-8", "surrogateescape")
        return re.sub("[\udc80-\udcff]", lambda byte: f"%{ord(byte.group()) - 0xDC00:02X}", text)

    return _ESCAPES.sub(decode, address)


def refused_in_address(address: str) -> str | None:
    """The first character `why_refused` refuses in a web address, typed or %-encoded, said the way
    a Problem says it; None when there is none."""
    for char in decode_escapes(address):
        if why := why_refused(char):
            written = "" if char in address else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
            return f"U+{ord(char):04X} {_name(char)} ({why})" + (f", written {written}" if written else "")
    return None


def find_uncovered(text: str, first_line: int = 1) -> Iterator[Problem]:
    """Characters no bundled font can draw, with line and column (entities decoded too)."""
    missing = set(fonts.uncovered(html.unescape(text)))
    if not missing:
        return
    why = {char: _why_not_drawn(char) for char in missing}
    for number, line in enumerate(text.split("\n"), start=first_line):
        for column, char in enumerate(line, start=1):
            if char in missing:
                yield Problem(number, column, char, why[char])
        for entity in _ENTITY.finditer(line):
            for char in html.unescape(entity.group()):
                if char in missing:
                    yield Problem(number, entity.start() + 1, char, why[char], entity.group())


def _why_not_drawn(char: str) -> str:
    family = fonts.missing(char)
    return f"its font needs {family.package}, not installed here" if family else "in no bundled font"


def find_in_values(values: dict, text: str, first_line: int = 1) -> Iterator[Problem]:
    """Refused characters in parsed YAML values (a YAML escape such as "\\u202E" decodes to one),
    reported on the line of their key in `text`."""
    for key, value in values.items():
        strings = [value] if isinstance(value, str) else [v for v in _strings(value)]
        for string in strings:
            for char in string:
                if why := why_refused(char):
                    line = _line_of(text, key)
                    yield Problem(first_line + line - 1 if line else first_line, None, char, why, "as a YAML escape")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _line_of(text: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


_UNBROKEN = re.compile(
    # Lines break at spaces, hyphens, dashes and slashes, and anywhere in Chinese, Japanese and Korean
    # and in the scripts written without spaces (Thai, Lao, Myanmar, Khmer): those end a run.
    r"[^\s\-/\u2010-\u2015\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af"
    r"\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]{%d,}" % (limits.MAX_WORD_CHARACTERS + 1)
)
WORD_HINT = (
    "Put spaces in it. A web address reads better as a link with a few words: [the clinic's page](https://…)."
)


def long_word(text: str) -> re.Match[str] | None:
    """The first run of characters in `text` longer than any line can hold (limits.MAX_WORD_CHARACTERS)."""
    return _UNBROKEN.search(text)


def long_word_message(word: str) -> str:
    return (
        f"a word of {len(word):,} characters with no space or hyphen ('{word[:20]}…') is longer than"
        f" any line can hold (at most {limits.MAX_WORD_CHARACTERS})"
    )


def report(problems: Iterable[Problem], path: Path | str, message: str, hint: str) -> None:
    """Raise one error listing the problems (first _LIMIT of them), at the line of the first."""
    found = sorted(set(problems), key=lambda problem: (problem.line, problem.column or 0))
    if not found:
        return
    listed = "; ".join(str(problem) for problem in found[:_LIMIT])
    more = f"; and {len(found) - _LIMIT} more" if len(found) > _LIMIT else ""
    raise PipelineError(f"{message}: {listed}{more}", path, found[0].line, hint)


def check_source(text: str, path: Path | str, values: dict | None = None, front: str = "", front_line: int = 1) -> None:
    """Refuse a source with hidden characters, then one with characters the font cannot draw.

    `text` is the whole file (line 1 is its first line); `values` the parsed front matter, whose
    text `front` starts on `front_line`. HTML comments are checked for hidden characters (a
    reviewer reads them) but not for font coverage (they are never printed).
    """
    problems = list(find(text))
    if values:  # only what YAML escapes decoded to: a character typed as itself is already found
        typed = set(front)  # a character typed as itself was judged by `find`, where it stands
        problems += [problem for problem in find_in_values(values, front, front_line) if problem.char not in typed]
    report(problems, path, "the text contains characters that hide or reorder what a patient reads", HINT)
    from .text import blank_comments  # here: reading.py uses this module to describe what it refuses

    printed = blank_comments(text)  # comments are never printed
    report(find_uncovered(printed), path, "no bundled font can print these characters", FONT_HINT)
