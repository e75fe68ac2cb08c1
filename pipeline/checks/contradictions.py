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

Each denial affirmed elsewhere is one finding, at the denying words, quoting the affirming
sentences (the first MAX_QUOTED, then how many more) and giving them as `related`; the same words
denying it again elsewhere are that finding's `repeats`, not findings of their own. Every sentence
is read once: a source of 2,000 denials and 2,000 affirmations used to make 2,000 findings quoting
2,000 sentences each (5 GB).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from enum import Enum
from types import ModuleType

from . import claim_terms as ENGLISH
from .claims import whole_words
from .clauses import clause_end, clause_start, has_word_of, in_question, negations_before, phrase_bounds, window, words_between
from .findings import Finding, Location, Severity
from ..model import Prose, Sentence

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


@dataclass(frozen=True)
class _Patterns:
    risk_words: list[tuple[str, bool, re.Pattern[str]]]
    denied_after: re.Pattern[str]
    question_opening: re.Pattern[str]
    list_glue: re.Pattern[str]


@functools.cache
def _patterns(terms: ModuleType) -> _Patterns:
    return _Patterns(
        [
            (risk, denies, re.compile(whole_words(wording), re.IGNORECASE))
            for table, denies in ((terms.DENYING_WORDS, True), (terms.RISKS, False))
            for risk, wordings in table.items()
            for wording in wordings
        ],
        # Both are matched where the risk ends or its clause begins (match(text, pos)): no '^'.
        re.compile(rf"(?:\s+[\w'’-]+){{0,3}}?\s+(?:{terms.DENIED_AFTER})\b", re.IGNORECASE),
        re.compile(r"\s*" + terms.QUESTION_OPENING.removeprefix("^"), re.IGNORECASE),
        re.compile(rf"^\s*,?\s*(?:(?:{terms.LIST_GLUE})\s+)?$", re.IGNORECASE),
    )


def mentions(sentence: Sentence, terms: ModuleType = ENGLISH) -> list[Mention]:
    """Every risk the sentence names, in order, with what it says about it."""
    text = sentence.text
    patterns = _patterns(terms)
    found = sorted(
        (match.start(), -match.end(), risk, denies)
        for risk, denies, pattern in patterns.risk_words
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
        polarity, phrase = _polarity(text, start, end, denies, previous, terms)
        result.append(Mention(sentence, risk, start, end, polarity, phrase))
    return result


def _polarity(
    text: str, start: int, end: int, denies: bool, previous: Mention | None, terms: ModuleType = ENGLISH
) -> tuple[Polarity, tuple[int, int]]:
    """What the sentence says about the risk at `text[start:end]`, and the words that say it (the
    rules of the module's docstring, in order)."""
    patterns = _patterns(terms)
    begins = clause_start(text, start, terms)
    if in_question(text, start, end) or patterns.question_opening.match(text, begins):
        return Polarity.NEITHER, (start, end)
    if denies:
        return Polarity.DENIES, (start, end)
    if previous and patterns.list_glue.match(text[previous.end : start]):
        return previous.polarity, (previous.phrase[0], end)
    if has_word_of(text, begins, start, terms.COMPARATIVES):
        return Polarity.NEITHER, (start, end)
    negations = negations_before(text, start, terms)
    phrase_start = negations[0].start if negations else start
    denied_after = patterns.denied_after.match(text, end, clause_end(text, end, terms))
    phrase_end = denied_after.end() if denied_after else end
    if (len(negations) + bool(denied_after)) % 2:
        return Polarity.DENIES, (phrase_start, phrase_end)
    return Polarity.AFFIRMS, _context(text, start, end, terms)


def _context(text: str, start: int, end: int, terms: ModuleType = ENGLISH) -> tuple[int, int]:
    """The risk with a few words either side, within its punctuation, to quote in a message:
    'overdosing on kratom is possible', 'proper dosing and avoiding overdose'."""
    first, stop = phrase_bounds(text, start, end)
    before = window(text, first, start, terms)
    after = list(itertools.islice(words_between(text, end, stop), terms.NEGATION_WINDOW))
    return (before[0].start if before else start), (after[-1].end if after else end)


MAX_QUOTED = 10
"""A contradiction quotes at most this many of the sentences that affirm the risk, then says how many more."""


def check_contradictions(prose: Prose, terms: ModuleType = ENGLISH) -> list[Finding]:
    """`contradiction`: each denial of a risk that another sentence affirms, once for each wording
    of it (the same denial said again is one finding with its other places as repeats)."""
    affirmed: dict[str, list[Mention]] = {}
    denials: list[Mention] = []
    for number, sentence in enumerate(prose.sentences):
        denied_here = set()  # a sentence denies a risk once, however many words it uses
        for mention in mentions(sentence, terms):
            if mention.polarity is Polarity.AFFIRMS:
                affirmed.setdefault(mention.risk, []).append(mention)
            elif mention.polarity is Polarity.DENIES and mention.risk not in denied_here:
                denied_here.add(mention.risk)
                denials.append(mention)
    by_wording: dict[tuple[str, str], list[Location]] = {}
    for denial in denials:
        if denial.risk in affirmed:
            where = denial.sentence.locate(*denial.phrase)
            by_wording.setdefault((denial.risk, where.text), []).append(where)
    return [
        _finding(risk, first, tuple(others), affirmed[risk]) for (risk, _), (first, *others) in by_wording.items()
    ]


def _finding(risk: str, where: Location, repeats: tuple[Location, ...], affirmations: list[Mention]) -> Finding:
    quoted = "; ".join(f'line {m.line}: "{m.words}"' for m in affirmations[:MAX_QUOTED])
    more = len(affirmations) - MAX_QUOTED
    if more > 0:
        quoted += f"; and {more:,} more"
    return Finding(
        CONTRADICTION,
        Severity.ERROR,
        where,
        f'Line {where.line} denies any risk of {risk} ("{where.text}"), but the handout also affirms it: {quoted}.',
        f"Make the handout say one thing about {risk}: if the evidence shows it can happen, "
        f'remove or correct "{where.text}"; either way, cite the source.',
        related=tuple(dict.fromkeys(m.sentence.where for m in affirmations[:MAX_QUOTED])),
        repeats=repeats,
    )
