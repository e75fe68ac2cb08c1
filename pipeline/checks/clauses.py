"""Where a sentence's clauses, sentence marks, quotation marks and words are: found once per sentence.

The claim and contradiction checks ask, of every term they find, about the words around it: the
clause it is in, the negations just before it, whether a question mark follows. Asked by scanning
the sentence from its start (or to its end) each time, a sentence with thousands of terms (a
pasted list, or a hostile source) took time that grows with the square of its length. Here each
sentence is scanned once (`_landmarks`), and every question is a binary search in what was found.
The answers are exactly those of matching the text up to (or from) the term.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from types import ModuleType

from . import claim_terms as ENGLISH

WORD = re.compile(r"[\w'’-]+")
_SENTENCE_MARK = re.compile(r"[.!?]")
_OPENING_QUOTES = frozenset("“\"‘")
_PUNCTUATION = frozenset(",;:()[]—–")


@functools.cache
def _clause_break(terms: ModuleType) -> re.Pattern[str]:
    return re.compile(terms.CLAUSE_BREAK, re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    """A word of a sentence (a run of WORD characters), cut to the part of the text asked about."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class _Landmarks:
    break_starts: list[int]
    break_ends: list[int]
    marks: list[int]
    quotes: list[int]
    punctuation: list[int]
    word_starts: list[int]
    word_ends: list[int]


@functools.lru_cache(maxsize=64)
def _landmarks(text: str, terms: ModuleType) -> _Landmarks:
    # Keyed by the sentence's text (and the language's words): a str caches its hash, so asking
    # again costs no rescan.
    breaks = list(_clause_break(terms).finditer(text))
    words = list(WORD.finditer(text))
    return _Landmarks(
        [match.start() for match in breaks],
        [match.end() for match in breaks],
        [match.start() for match in _SENTENCE_MARK.finditer(text)],
        [index for index, char in enumerate(text) if char in _OPENING_QUOTES],
        [index for index, char in enumerate(text) if char in _PUNCTUATION],
        [match.start() for match in words],
        [match.end() for match in words],
    )


def clause_start(text: str, start: int, terms: ModuleType = ENGLISH) -> int:
    """Where the clause holding `text[start]` begins: after the last clause break before it."""
    ends = _landmarks(text, terms).break_ends
    found = bisect.bisect_right(ends, start)
    return ends[found - 1] if found else 0


def clause_end(text: str, end: int, terms: ModuleType = ENGLISH) -> int:
    """Where the clause holding `text[end - 1]` ends: at the first clause break from `end` on."""
    starts = _landmarks(text, terms).break_starts
    found = bisect.bisect_left(starts, end)
    return starts[found] if found < len(starts) else len(text)


def phrase_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The punctuation (, ; : brackets, dashes) around `text[start:end]`: just after the last mark
    before it (or 0) and at the first mark from `end` on (or the end of the text)."""
    marks = _landmarks(text, ENGLISH).punctuation
    before, after = bisect.bisect_left(marks, start), bisect.bisect_left(marks, end)
    return (marks[before - 1] + 1 if before else 0), (marks[after] if after < len(marks) else len(text))


def has_word_of(text: str, begin: int, end: int, words: frozenset[str]) -> bool:
    """Whether a word of `text[begin:end]` (compared lower-case) is one of `words`."""
    marks = _landmarks(text, ENGLISH)
    first, last = bisect.bisect_right(marks.word_ends, begin), bisect.bisect_left(marks.word_starts, end)
    if first >= last:
        return False
    found = _word_indexes(text, words)  # words inside, whole, are looked up; the two at the ends may be cut
    inside = bisect.bisect_right(found, first)
    if inside < len(found) and found[inside] < last - 1:
        return True
    ends = (text[max(marks.word_starts[index], begin) : min(marks.word_ends[index], end)] for index in (first, last - 1))
    return any(word.lower() in words for word in ends)


@functools.lru_cache(maxsize=64)
def _word_indexes(text: str, words: frozenset[str]) -> list[int]:
    """The indexes (in _landmarks' words) of the words of `text` that are in `words`, lower-cased."""
    marks = _landmarks(text, ENGLISH)
    return [
        index for index, (start, end) in enumerate(zip(marks.word_starts, marks.word_ends)) if text[start:end].lower() in words
    ]


def words_between(text: str, begin: int, end: int, backwards: bool = False):
    """The words of `text[begin:end]`, in order (or last first), each cut at `begin` and `end`."""
    marks = _landmarks(text, ENGLISH)
    first = bisect.bisect_right(marks.word_ends, begin)  # the first word ending after `begin`
    last = bisect.bisect_left(marks.word_starts, end)  # past the last word starting before `end`
    indexes = range(last - 1, first - 1, -1) if backwards else range(first, last)
    for index in indexes:
        start, stop = max(marks.word_starts[index], begin), min(marks.word_ends[index], end)
        if start < stop:
            yield Word(text[start:stop], start, stop)


def window(text: str, begin: int, start: int, terms: ModuleType = ENGLISH) -> list[Word]:
    """The last NEGATION_WINDOW words of `text[begin:start]`, not counting little words (SKIPPED_IN_WINDOW)."""
    counted: list[Word] = []
    for word in words_between(text, begin, start, backwards=True):
        if word.text.lower() not in terms.SKIPPED_IN_WINDOW:
            counted.append(word)
            if len(counted) == terms.NEGATION_WINDOW:
                break
    return counted[::-1]


def is_negation(word: str, terms: ModuleType = ENGLISH) -> bool:
    word = word.lower()
    return word in terms.NEGATIONS or (bool(terms.NEGATION_SUFFIXES) and word.endswith(terms.NEGATION_SUFFIXES))


def negations_before(text: str, start: int, terms: ModuleType = ENGLISH) -> list[Word]:
    """The negation words among the few words before `text[start]`, in the same clause."""
    negations = []
    longest = max(map(len, terms.NEGATING_PHRASES))
    for word in window(text, clause_start(text, start, terms), start, terms):
        after = text[word.start : min(start, word.start + longest)].lower()
        if is_negation(word.text, terms) or after.startswith(terms.NEGATING_PHRASES):
            negations.append(word)
    return negations


def in_question(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is part of a question: the next sentence mark after it is '?' and,
    when that question is quoted ("kratom is safe, but “can you OD?” is often asked"), it is inside
    the quotation marks."""
    marks = _landmarks(text, ENGLISH)
    found = bisect.bisect_left(marks.marks, end)
    if found == len(marks.marks) or text[marks.marks[found]] != "?":
        return False
    mark = marks.marks[found]
    if text[mark + 1 : mark + 2] in ("”", '"', "’"):  # a quoted question
        before = bisect.bisect_left(marks.quotes, mark)
        return (marks.quotes[before - 1] if before else -1) < start
    return True
