"""`contradiction` (error): one sentence denies a risk that another sentence of the handout affirms.

"…chronic pain management without the risk of overdose" and "overdosing on kratom is possible"
cannot both be true; a patient who reads only the first is misled about the second.

Each mention of a risk (claim_terms.RISKS) in a sentence gets a polarity, by these rules, in order:

1. Neither, when asked about: in a question ("Can you OD on kratom?") or a clause that opens like
   one ("(can you OD on kratom)").
2. Denied by its own word: "harmless", "risk-free", "non-addictive".
3. The same as the risk before it, when only a comma, 'and' or 'or' comes between them: "without
   the risk of addiction, dependence or overdose" denies all three.
4. Neither, when its clause compares ("safer than opioids in terms of overdose risk"): a smaller
   risk is not no risk, and claim-absolute reports the 'safer than'.
5. Denied, when an odd number of negations come just before it ("no risk of overdose", "cannot
   overdose", "free of side effects", "without the risks") or when it is said not to exist just
   after it ("overdose is not possible"); two negations cancel out ("not without risks").
6. Affirmed otherwise: "can lead to overdose", "the risk of overdose", "avoid overdose" (one does
   not avoid what cannot happen).

Each denial affirmed elsewhere is one finding, at the denying words, with the affirming sentences
as `related`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from . import claim_terms as terms
from .claims import WORD, clause_after, clause_before, in_question, negations_before, whole_words, window
from .findings import Finding, Severity
from .text import Prose, Sentence

CONTRADICTION = "contradiction"


class Polarity(Enum):
    AFFIRMS = "affirms"
    DENIES = "denies"
    NEITHER = "neither"


@dataclass(frozen=True)
class Mention:
    sentence: Sentence
    risk: str
    start: int
    end: int
    polarity: Polarity
    phrase: tuple[int, int]
    """The words that say so, e.g. 'without the risk of overdose' (offsets in the sentence)."""

    @property
    def words(self) -> str:
        return self.sentence.text[self.phrase[0] : self.phrase[1]]

    @property
    def line(self) -> int:
        return self.sentence.locate(*self.phrase).line


_RISK_WORDS = [
    (risk, denies, re.compile(whole_words(wording), re.IGNORECASE))
    for table, denies in ((terms.DENYING_WORDS, True), (terms.RISKS, False))
    for risk, wordings in table.items()
    for wording in wordings
]
_DENIED_AFTER = re.compile(rf"^(?:\s+[\w'’-]+){{0,3}}?\s+(?:{terms.DENIED_AFTER})\b", re.IGNORECASE)
_QUESTION_OPENING = re.compile(terms.QUESTION_OPENING, re.IGNORECASE)
_PUNCTUATION = re.compile(r"[,;:()\[\]—–]")
_LIST_GLUE = re.compile(r"^\s*,?\s*(?:(?:and|or|nor|and/or)\s+)?$", re.IGNORECASE)


def mentions(sentence: Sentence) -> list[Mention]:
    """Every risk the sentence names, in order, with what it says about it."""
    text = sentence.text
    found = sorted(
        (match.start(), -match.end(), risk, denies)
        for risk, denies, pattern in _RISK_WORDS
        for match in pattern.finditer(text)
    )
    result: list[Mention] = []
    for start, minus_end, risk, denies in found:
        end = -minus_end
        previous = result[-1] if result else None
        if previous and start < previous.end:
            continue  # 'risk-free' is one word, not also 'risk'
        if previous and risk == "harm" and not text[previous.end : start].strip():
            continue  # "overdose risk" is the overdose, already counted
        polarity, phrase = _polarity(text, start, end, denies, previous)
        result.append(Mention(sentence, risk, start, end, polarity, phrase))
    return result


def _polarity(
    text: str, start: int, end: int, denies: bool, previous: Mention | None
) -> tuple[Polarity, tuple[int, int]]:
    """What the sentence says about the risk at `text[start:end]`, and the words that say it (the
    rules of the module's docstring, in order)."""
    clause_start, before = clause_before(text, start)
    if in_question(text, start, end) or _QUESTION_OPENING.match(text[clause_start:].lstrip()):
        return Polarity.NEITHER, (start, end)
    if denies:
        return Polarity.DENIES, (start, end)
    if previous and _LIST_GLUE.match(text[previous.end : start]):
        return previous.polarity, (previous.phrase[0], end)
    if any(word.lower() in terms.COMPARATIVES for word in WORD.findall(before)):
        return Polarity.NEITHER, (start, end)
    negations = negations_before(text, start)
    phrase_start = negations[0].start() if negations else start
    denied_after = _DENIED_AFTER.match(clause_after(text, end))
    phrase_end = end + denied_after.end() if denied_after else end
    if (len(negations) + bool(denied_after)) % 2:
        return Polarity.DENIES, (phrase_start, phrase_end)
    return Polarity.AFFIRMS, _context(text, start, end)


def _context(text: str, start: int, end: int) -> tuple[int, int]:
    """The risk with a few words either side, within its punctuation, to quote in a message:
    'overdosing on kratom is possible', 'proper dosing and avoiding overdose'."""
    stops = [match.end() for match in _PUNCTUATION.finditer(text, 0, start)]
    before = window(list(WORD.finditer(text, stops[-1] if stops else 0, start)))
    stop = _PUNCTUATION.search(text, end)
    after = list(WORD.finditer(text, end, stop.start() if stop else len(text)))[: terms.NEGATION_WINDOW]
    return (before[0].start() if before else start), (after[-1].end() if after else end)


def check_contradictions(prose: Prose) -> list[Finding]:
    """`contradiction`: each denial of a risk that another sentence affirms."""
    every = [mention for sentence in prose.sentences for mention in mentions(sentence)]
    findings, reported = [], set()
    for denial in every:
        if denial.polarity is not Polarity.DENIES or (denial.sentence, denial.risk) in reported:
            continue
        affirmations = [m for m in every if m.risk == denial.risk and m.polarity is Polarity.AFFIRMS]
        if not affirmations:
            continue
        reported.add((denial.sentence, denial.risk))
        where = denial.sentence.locate(*denial.phrase)
        quoted = "; ".join(f'line {m.line}: "{m.words}"' for m in affirmations)
        findings.append(
            Finding(
                CONTRADICTION,
                Severity.ERROR,
                where,
                f'Line {where.line} denies any risk of {denial.risk} ("{where.text}"), but the handout also '
                f"affirms it: {quoted}.",
                f"Make the handout say one thing about {denial.risk}: if the evidence shows it can happen, "
                f'remove or correct "{where.text}"; either way, cite the source.',
                related=tuple(dict.fromkeys(m.sentence.where for m in affirmations)),
            )
        )
    return findings
