"""Sentence-level plain-language rules: long sentences and paragraphs, passive voice, hard words.

Each rule is a function from the handout's prose to findings, located at the exact words.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .findings import Finding, Location, Severity
from .readability import MAX_PARAGRAPH_SENTENCES, MAX_SENTENCE_WORDS, TARGET_GRADE, reading_grade, smog_unreliable, words
from ..model import Prose

WORDS_FILE = Path(__file__).with_name("words.txt")
"""The hard words shipped with the project, each with everyday words to use instead."""


def long_sentences(prose: Prose, max_words: int = MAX_SENTENCE_WORDS) -> list[Finding]:
    """A WARNING for each sentence of more than `max_words` words (counted as for the grades)."""
    findings = []
    for sentence in prose.sentences:
        count = len(words(sentence.text))
        if count > max_words:
            findings.append(
                Finding(
                    "long-sentence",
                    Severity.WARNING,
                    sentence.where,
                    f"This sentence has {count} words, more than {max_words}.",
                    "Split it into two or more sentences, one idea each.",
                )
            )
    return findings


def long_paragraphs(prose: Prose, max_sentences: int = MAX_PARAGRAPH_SENTENCES) -> list[Finding]:
    """A WARNING for each paragraph of more than `max_sentences` sentences, located at its start."""
    findings = []
    for paragraph in prose.paragraphs:
        count = len(paragraph.sentences)
        if count > max_sentences:
            first = paragraph.sentences[0]
            findings.append(
                Finding(
                    "long-paragraph",
                    Severity.WARNING,
                    Location(*first.position(0), " ".join(sentence.text for sentence in paragraph.sentences)),
                    f"This paragraph has {count} sentences, more than {max_sentences}.",
                    "Split it into shorter paragraphs, one topic each, or make a series of points a list.",
                )
            )
    return findings


# Passive voice, where a simple pattern can see it: a form of "be", then at most one adverb, then a
# past participle ("is taken", "was often used", "it's recommended"). A participle is a word on the
# list below or a regular one ending in -ed, except the -ed words that are not participles
# ("indeed", "need", "red": too short) or that after "be" describe how someone feels rather than
# what was done to them ("you are tired", "if you are worried"). It misses passives without "be"
# ("the dose given to you") and "get" passives, and can take an adjective in -ed for a participle
# ("is limited"): a reviewer reads each finding.
_BE = frozenset(
    "am is are was were be been being isn't aren't wasn't weren't "
    "it's he's she's that's there's here's what's who's you're we're they're i'm".split()
)
_IRREGULAR = frozenset(
    """arisen awoken beaten become begun bent bitten blown borne born bought bound bred brought built
    burnt caught chosen cut dealt done drawn dreamt driven drunk dug eaten fallen fed felt fought found
    fled flown forbidden forgiven forgotten frozen given gone got gotten grown heard held hidden hit
    hung hurt kept known laid led learnt left lent let lit lost made meant met mistaken overcome
    overdone overtaken paid proven put quit read rid ridden risen run said seen sent set shaken shed
    shot shown shut sold sought spent split spoken spread stolen struck stuck sung sunk sworn swept
    taken taught thought thrown told torn understood undertaken upset withdrawn woken won worn wound
    written""".split()
)
_NOT_PARTICIPLES = frozenset(
    """indeed need seed speed feed weed deed bleed breed greed hundred sacred naked wicked rugged ragged
    kindred beloved supposed tired worried concerned interested bored scared excited confused married
    pleased surprised relieved stressed ashamed embarrassed frightened exhausted annoyed""".split()
)
_ADVERBS = frozenset(
    "not also often always never still usually sometimes already just even now then indeed rarely".split()
)


def _participle(word: str) -> bool:
    return word in _IRREGULAR or (len(word) > 3 and word.endswith("ed") and word not in _NOT_PARTICIPLES)


def _adverb(word: str) -> bool:
    return word in _ADVERBS or (len(word) > 4 and word.endswith("ly"))


def passive_voice(prose: Prose) -> list[Finding]:
    """A WARNING for each passive phrase found by the pattern above, located at the phrase."""
    findings = []
    for sentence in prose.sentences:
        found = words(sentence.text)
        said = [word.group().lower().replace("’", "'") for word in found]
        for i, word in enumerate(said):
            if word not in _BE:
                continue
            end = i + 1
            if end + 1 < len(said) and _adverb(said[end]) and _participle(said[end + 1]):
                end += 1
            if end < len(said) and _participle(said[end]):
                where = sentence.locate(found[i].start(), found[end].end())
                findings.append(
                    Finding(
                        "passive-voice",
                        Severity.WARNING,
                        where,
                        f"'{where.text}' is in the passive voice, which hides who does what.",
                        "Say who does it, e.g. 'your doctor may recommend' rather than 'it is recommended'.",
                    )
                )
    return findings


@functools.cache
def load_words(path: Path = WORDS_FILE) -> dict[str, str]:
    """The hard-word list: each word or phrase, and its everyday words ('' when none is given)."""
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            term, _, hint = line.partition("=")
            entries[term.strip()] = hint.strip()
    return entries


@functools.cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for the whole list, one group per term; give the longest terms first, so a
    phrase wins over the word it starts with ("neuropathic pain" over "neuropathic")."""
    alternatives = []
    for term in terms:
        body = r"\s+".join(re.escape(part) for part in term.rstrip("*").split())
        alternatives.append(body + (r"[\w'’-]*" if term.endswith("*") else "(?:e?s)?"))
    # Not inside a longer word ("tolerance" in "intolerance"); a hyphen does not protect a hard
    # word ("non-analgesic"), and the longest term that starts at a place wins there.
    return re.compile(r"(?<!\w)(?:" + "|".join(f"({alt})" for alt in alternatives) + r")(?!\w)", re.I)


def hard_words(prose: Prose, entries: dict[str, str] | None = None) -> list[Finding]:
    """A WARNING for each occurrence of a word or phrase from the list (default: words.txt)."""
    entries = load_words() if entries is None else entries
    if not entries:
        return []
    terms = tuple(sorted(entries, key=len, reverse=True))
    pattern = _pattern(terms)
    findings = []
    for sentence in prose.sentences:
        for match in pattern.finditer(sentence.text):
            hint = entries[terms[match.lastindex - 1]]
            where = sentence.locate(match.start(), match.end())
            instead = f"Use everyday words, e.g. '{hint}'" if hint else "Use an everyday word"
            findings.append(
                Finding(
                    "hard-word",
                    Severity.WARNING,
                    where,
                    f"'{where.text}' may be new to a patient: define or replace it.",
                    f"{instead}, or explain it where it first appears.",
                )
            )
    return findings


def all_findings(
    prose: Prose,
    target_grade: float = TARGET_GRADE,
    max_sentence_words: int = MAX_SENTENCE_WORDS,
    max_paragraph_sentences: int = MAX_PARAGRAPH_SENTENCES,
) -> list[Finding]:
    """Every readability and style rule on one handout, rule by rule, each in the order of the text."""
    return [
        *reading_grade(prose, target_grade),
        *smog_unreliable(prose),
        *long_sentences(prose, max_sentence_words),
        *long_paragraphs(prose, max_paragraph_sentences),
        *passive_voice(prose),
        *hard_words(prose),
    ]
