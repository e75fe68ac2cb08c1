"""The handout's prose as a reader meets it, with every character traced back to the source.

Made once, when the source is read (pipeline/read/handout.py), from the Markdown tokens the body was
rendered from: the content checks read this (`Handout.prose`), never the file. Headings, list
markers, link targets, emphasis marks, code fences and tables are left out; what remains keeps,
for each character, the line and column it was typed at, so a finding can point the author at the
exact place.
"""

from __future__ import annotations

import bisect
import re

from markdown_it.token import Token

from ..model import Paragraph, Position, Prose, Sentence

ABBREVIATIONS = frozenset(
    "e.g. i.e. etc. vs. dr. mr. mrs. ms. prof. st. no. approx. incl. fig. mg. ml. min. max. cf. al.".split()
)
"""Words whose full stop does not end a sentence (compared lower-case)."""

_SYNTAX_BETWEEN = 4096
"""How far past the last piece of a paragraph's text the next piece is looked for in its source."""

_NOT_SPACE = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?。！？।۔؟]+[\"”’')\]」』]*")
_FULL_STOPS_OF_OTHER_SCRIPTS = frozenset("。！？।۔؟")
"""Chinese and Japanese, Devanagari (the danda), Urdu and Arabic end a sentence with these: no
capital letter follows them to tell a sentence from an abbreviation, and none is needed."""
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"“‘'(\[¿¡«]*(\w)")


def _starts_sentence(text: str, at: int) -> bool:
    """Whether a new sentence starts after the space at `at`: a capital, a digit, or a letter of a
    script with no capitals (Arabic, Hebrew, Devanagari …), after any opening quote or ¿ ¡."""
    found = _NEXT_STARTS_SENTENCE.match(text, at)
    if not found:
        return False
    char = found.group(1)
    return char.isupper() or char.isdigit() or (char.isalpha() and not char.islower())


# Footnotes as typed: a reference `[^label]` in the text, a note `[^label]: …` at the start of a line.
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_FOOTNOTE_NOTE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)


def read_prose(text: str, summary: str, summary_line: int | None, tokens: list[Token], body_line: int) -> Prose:
    """The prose of a source whose whole `text` is given, with its front matter's `summary` (written on
    `summary_line`) and its body parsed into `tokens` (the body starts on `body_line`)."""
    source_lines = text.splitlines()
    paragraphs = []
    if summary_line is not None and summary:
        paragraphs.append(_summary(summary, summary_line, source_lines))
    paragraphs += _body_paragraphs(tokens, body_line, source_lines)
    return Prose(tuple(paragraphs), _citations(text))


def _citations(text: str) -> tuple[Position, ...]:
    """Where each footnote reference was typed, found in the source: the sentences leave them out
    (a reader does not say them). An undefined `[^x]` is printed as typed: it cites nothing."""
    notes = set(_FOOTNOTE_NOTE.findall(text))
    return tuple(
        (number, match.start() + 1)
        for number, line in enumerate(text.splitlines(), start=1)
        for match in _FOOTNOTE_REFERENCE.finditer(line)
        if match.group(1) in notes
    )


def split_sentences(text: str, positions: list[Position], section: str) -> tuple[Sentence, ...]:
    """Split at . ! ? (and any closing quote or bracket) followed by a capital, a digit, a letter of
    a script without capitals, or the end; and at the full stops of other scripts (。 । ۔ …).

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
        closes_anyway = end.group()[-1] in _FULL_STOPS_OF_OTHER_SCRIPTS or end.group()[0] in _FULL_STOPS_OF_OTHER_SCRIPTS
        if end.end() < last and not closes_anyway and not _starts_sentence(text, end.end()):
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
    return Sentence.of(text[start:end], positions[start:end], section)


def _summary(summary: str, first: int, source_lines: list[str]) -> Paragraph:
    """The summary is folded YAML: find each word where it was typed, from the 'summary:' line on."""
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


def _body_paragraphs(tokens: list[Token], body_line: int, source_lines: list[str]) -> list[Paragraph]:
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
