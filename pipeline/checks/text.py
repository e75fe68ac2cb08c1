"""The handout's prose as a reader meets it, with every character traced back to the source.

Checks read sentences, not Markdown: headings, list markers, link targets, emphasis marks, code
fences and tables are left out; what remains keeps, for each character, the line and column it
was typed at, so a finding can point the author at the exact place.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it.token import Token

from .. import schema
from ..markdown import parser
from ..reading import blank_comments
from ..source import split_front_matter
from .findings import Location
from ..reading import read_source_text

Position = tuple[int, int]
"""(line, column), both 1-based, in the source file."""

ABBREVIATIONS = frozenset(
    "e.g. i.e. etc. vs. dr. mr. mrs. ms. prof. st. no. approx. incl. fig. mg. ml. min. max. cf. al.".split()
)
"""Words whose full stop does not end a sentence (compared lower-case)."""

_SYNTAX_BETWEEN = 4096
"""How far past the last piece of a paragraph's text the next piece is looked for in its source."""

_NOT_SPACE = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"“‘'(\[]*[A-Z0-9]")


@dataclass(frozen=True)
class Sentence:
    text: str
    """As a reader sees it, one space between words."""
    positions: tuple[Position, ...]
    """Where each character of `text` is in the source."""
    section: str
    """The title of the `##` section it is in: 'Summary' for the front matter's summary, '' before the first heading."""

    @property
    def where(self) -> Location:
        return self.locate(0, len(self.text))

    def locate(self, start: int, end: int) -> Location:
        """The source position of `text[start:end]` (e.g. one word of the sentence)."""
        line, column = self.positions[start]
        return Location(line, column, self.text[start:end])


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]
    section: str


@dataclass(frozen=True)
class Prose:
    path: Path
    paragraphs: tuple[Paragraph, ...]

    @property
    def sentences(self) -> list[Sentence]:
        return [sentence for paragraph in self.paragraphs for sentence in paragraph.sentences]

    def sections(self) -> dict[str, list[Sentence]]:
        """Sentences by section title, in the order of the handout."""
        grouped: dict[str, list[Sentence]] = {}
        for sentence in self.sentences:
            grouped.setdefault(sentence.section, []).append(sentence)
        return grouped


def read_prose(path: Path) -> Prose:
    """The summary (front matter) and the body's paragraphs, list items that are sentences, the
    text of callout boxes and footnotes; not headings, tables, code or list items that are fragments."""
    text = read_source_text(path)
    front, front_line, body, body_line = split_front_matter(text, path)
    source_lines = text.splitlines()
    paragraphs = []
    summary = _summary(front, front_line, source_lines)
    if summary:
        paragraphs.append(summary)
    paragraphs += _body_paragraphs(blank_comments(body), body_line, source_lines)
    return Prose(path, tuple(paragraphs))


def split_sentences(text: str, positions: list[Position], section: str) -> tuple[Sentence, ...]:
    """Split at . ! ? (and any closing quote or bracket) followed by a capital, a digit or the end.

    Each candidate end looks at the word before it and the characters after it only, never at the
    whole paragraph: a paragraph of 20,000 short sentences is split in one pass."""
    sentences, start = [], 0
    last = len(text.rstrip())
    word_starts = [word.start() for word in _NOT_SPACE.finditer(text)]
    for end in _SENTENCE_END.finditer(text):
        word_start = word_starts[bisect.bisect_right(word_starts, end.start()) - 1]
        if end.start() - word_start < 32:  # no abbreviation is longer, even with quotes and brackets
            if text[word_start : end.start() + 1].lower().strip("\"“‘'([") in ABBREVIATIONS:
                continue
        if end.end() < last and not _NEXT_STARTS_SENTENCE.match(text, end.end()):
            continue  # "“Can you OD on kratom?” is a concern": the quoted question is inside a sentence
        sentences.append(_sentence(text, positions, start, end.end(), section))
        start = end.end()
    if text[start:].strip():
        sentences.append(_sentence(text, positions, start, len(text), section))
    return tuple(sentence for sentence in sentences if sentence)


def _sentence(text: str, positions: list[Position], start: int, end: int, section: str) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Sentence(text[start:end], tuple(positions[start:end]), section)


def _summary(front: str, front_line: int, source_lines: list[str]) -> Paragraph | None:
    """The summary is folded YAML: find each word where it was typed, from the 'summary:' line on."""
    key_line = schema.line_of(front, "summary")
    if key_line is None:
        return None
    first = front_line + key_line - 1  # 1-based line of 'summary:' in the file
    summary = yaml.safe_load(front).get("summary")  # already validated when the handout was read
    if not isinstance(summary, str) or not summary.strip():
        return None
    text = " ".join(summary.split())
    positions: list[Position] = []
    line, column = first, source_lines[first - 1].index(":") + 1
    for word in re.finditer(r"\S+", text):
        line, column = _find_word(word.group(), source_lines, line, column)
        positions += [(line, column + k) for k in range(len(word.group()))]
        column += len(word.group())
        if word.end() < len(text):
            positions.append((line, column))  # the space after it
    return Paragraph(split_sentences(text, positions, "Summary"), "Summary")


def _find_word(word: str, source_lines: list[str], line: int, column: int) -> Position:
    """The next place `word` was typed, at or after (line, column); (line, column) if it cannot be found."""
    for number in range(line, min(line + 50, len(source_lines)) + 1):
        start = column - 1 if number == line else 0
        found = source_lines[number - 1].find(word, start)
        if found >= 0:
            return number, found + 1
    return line, column


def _body_paragraphs(body: str, body_line: int, source_lines: list[str]) -> list[Paragraph]:
    tokens = parser().parse(body)
    paragraphs, section, in_list = [], "", 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            in_list += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            in_list -= 1
        elif token.type == "heading_open" and token.tag == "h2":
            section = _plain(tokens[index + 1], body_line, source_lines)[0]
        elif token.type == "paragraph_open":
            text, positions = _plain(tokens[index + 1], body_line, source_lines)
            if in_list and not re.search(r"[.!?][\"”’')\]]*$", text):
                continue  # a list item that is a fragment, not a sentence
            sentences = split_sentences(text, positions, section)
            if sentences:
                paragraphs.append(Paragraph(sentences, section))
    return paragraphs


def _plain(inline: Token, body_line: int, source_lines: list[str]) -> tuple[str, list[Position]]:
    """The text of an inline token without Markdown syntax, and where each character was typed."""
    raw = inline.content
    raw_lines = raw.split("\n")
    first = body_line + (inline.map[0] if inline.map else 0)
    # Where each line of `raw` starts in the file (list items and boxes indent their text).
    starts = []
    for offset, raw_line in enumerate(raw_lines):
        number = min(first + offset, len(source_lines))
        found = source_lines[number - 1].find(raw_line) if raw_line else 0
        starts.append((number, max(found, 0) + 1))
    line_starts = [0]
    for raw_line in raw_lines[:-1]:
        line_starts.append(line_starts[-1] + len(raw_line) + 1)

    def position(offset: int) -> Position:
        offset = max(0, min(offset, len(raw) - 1))
        index = bisect.bisect_right(line_starts, offset) - 1
        number, column = starts[index]
        return number, column + offset - line_starts[index]

    chars: list[str] = []
    positions: list[Position] = []
    cursor = 0
    for child in inline.children or ():
        if child.type in ("text", "code_inline"):
            # Only syntax lies between one piece of text and the next ('**', a link's address): look
            # that far, not to the end, for a piece written otherwise ('&amp;' read as '&').
            found = raw.find(child.content, cursor, cursor + len(child.content) + _SYNTAX_BETWEEN)
            at = found if found >= 0 else cursor
            chars += child.content
            positions += [position(at + k) for k in range(len(child.content))]
            cursor = at + len(child.content) if found >= 0 else cursor
        elif child.type in ("softbreak", "hardbreak"):
            newline = raw.find("\n", cursor)
            chars.append(" ")
            positions.append(position(newline if newline >= 0 else cursor))
            cursor = newline + 1 if newline >= 0 else cursor
    text = "".join(chars)
    # One space between words, keeping the position of the first character of each run.
    squeezed, squeezed_positions = [], []
    for char, where in zip(text, positions):
        if char.isspace():
            if squeezed and squeezed[-1] == " ":
                continue
            char = " "
        squeezed.append(char)
        squeezed_positions.append(where)
    return "".join(squeezed).strip(), squeezed_positions[len("".join(squeezed)) - len("".join(squeezed).lstrip()) :]
