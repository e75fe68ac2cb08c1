"""Claims a handout must back with a source: absolute safety or efficacy wording, and statistics.

`claim-absolute` (error): "safe", "no risk", "cure", "natural alternative"… A patient reads these
as promises; each needs a cited source, or wording that says what the evidence shows. A term that
is negated ("this is not safe", "there is no cure", "not without risks": a negation word among
the four words before it, in the same clause; see claim_terms) or asked about ("Is it safe?") is
not a claim.

`number-unreferenced` (warning): percentages, "1 in 5", "twice as likely", "300 users" stated
without a citation. Doses, times and dates are not statistics and are left alone.

A sentence is cited when it carries a footnote reference (`[^1]`) whose note is defined. The
front matter's `references` alone cite no particular sentence, so they do not excuse a claim, but
the suggestion says when the handout has none at all.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from math import inf
from types import ModuleType

from . import claim_terms as ENGLISH
from .clauses import in_question, negations_before
from .findings import Finding, Severity
from ..model import Prose, Sentence

CLAIM_ABSOLUTE = "claim-absolute"
NUMBER_UNREFERENCED = "number-unreferenced"


def whole_words(pattern: str) -> str:
    """`pattern` matched only as whole words; a hyphen joins words ('unsafe', 'fail-safe' are not 'safe')."""
    return rf"(?<![\w-])(?:{pattern})(?![\w-])"


@functools.cache
def _claims(terms: ModuleType) -> list[tuple[str, str, re.Pattern[str]]]:
    return [
        (claim, asserts, re.compile(whole_words(wording), re.IGNORECASE))
        for claim, (asserts, wordings) in terms.ABSOLUTE_CLAIMS.items()
        for wording in wordings
    ]


@functools.cache
def _statistics(terms: ModuleType) -> re.Pattern[str]:
    return re.compile("|".join(whole_words(f"(?:{p})") for p in terms.STATISTICS.values()), re.IGNORECASE)


# --- Citations (contradictions.py uses the clauses module too) ------------------------------------


def cited_sentences(prose: Prose) -> set[Sentence]:
    """The sentences that carry a footnote reference.

    The sentences leave footnote references out (a reader does not say them); the prose keeps where
    each was typed (`Prose.citations`): a reference belongs to the sentence it is typed in or right
    after, i.e. between the sentence's first character and the next sentence's.
    """
    references = sorted(prose.citations)  # each sentence looks up the first reference at or after its start
    cited = set()
    for paragraph in prose.paragraphs:
        for index, sentence in enumerate(paragraph.sentences):
            following = paragraph.sentences[index + 1] if index + 1 < len(paragraph.sentences) else None
            until = following.position(0) if following else (sentence.position(len(sentence.text) - 1)[0], inf)
            first = bisect.bisect_left(references, sentence.position(0))
            if first < len(references) and references[first] < until:
                cited.add(sentence)
    return cited


def how_to_cite(references: Sequence[str]) -> str:
    if not references:
        return (
            "This handout has no references at all: add the source under 'references' in the front "
            "matter and cite it here with a footnote, e.g. '…[^1]' and '[^1]: the source'."
        )
    return (
        f"Cite the source here with a footnote, e.g. '…[^1]' and '[^1]: the source' (the front matter "
        f"lists {len(references)} reference{'s' if len(references) > 1 else ''}, but a list cites no "
        "particular sentence)."
    )


# --- claim-absolute ------------------------------------------------------------------------------


def absolute_claims(sentence: Sentence, negated: bool = False, terms: ModuleType = ENGLISH) -> list[tuple[int, int, str, str]]:
    """(start, end, claim, what it asserts) for each claim the sentence makes, in order; with
    `negated`, also the claim terms it denies or asks about ("not 100% safe")."""
    text = sentence.text
    candidates = sorted(
        (match.start(), -match.end(), claim, asserts)
        for claim, asserts, pattern in _claims(terms)
        for match in pattern.finditer(text)
        if negated or not (negations_before(text, match.start(), terms) or in_question(text, *match.span()))
    )
    found: list[tuple[int, int, str, str]] = []
    for start, minus_end, claim, asserts in candidates:  # leftmost first, then longest
        if found and start < found[-1][1]:
            continue  # "safe and effective" is one claim, not also "safe"
        found.append((start, -minus_end, claim, asserts))
    return found


def check_claims(prose: Prose, references: Sequence[str], terms: ModuleType = ENGLISH) -> list[Finding]:
    """`claim-absolute`: every uncited absolute safety or efficacy claim, at its exact words (`terms`:
    the wordings of the handout's language, claim_terms or claim_terms_es)."""
    cited = cited_sentences(prose)
    findings = []
    for sentence in prose.sentences:
        if sentence in cited:
            continue
        for start, end, _claim, asserts in absolute_claims(sentence, terms=terms):
            where = sentence.locate(start, end)
            findings.append(
                Finding(
                    CLAIM_ABSOLUTE,
                    Severity.ERROR,
                    where,
                    f'Absolute claim with no source cited: "{where.text}" {asserts}.',
                    f"{how_to_cite(references)} Or say only what the evidence shows, e.g. 'may help "
                    "some people'.",
                )
            )
    return findings


# --- number-unreferenced -------------------------------------------------------------------------


def check_numbers(prose: Prose, references: Sequence[str], terms: ModuleType = ENGLISH) -> list[Finding]:
    """`number-unreferenced`: statistics (percentages, proportions, comparisons, counts of people
    or studies) in sentences with no citation. '100%' is left to claim-absolute."""
    cited = cited_sentences(prose)
    findings = []
    for sentence in prose.sentences:
        if sentence in cited:
            continue
        claimed = absolute_claims(sentence, negated=True, terms=terms)  # in order, none overlapping another
        claim_starts = [start for start, *_ in claimed]
        for match in _statistics(terms).finditer(sentence.text):
            last = bisect.bisect_left(claim_starts, match.end()) - 1  # the last claim starting before its end
            if last >= 0 and claimed[last][1] > match.start():
                continue  # '100%' is claim-absolute's, and "not 100% safe" is no statistic
            where = sentence.locate(*match.span())
            findings.append(
                Finding(
                    NUMBER_UNREFERENCED,
                    Severity.WARNING,
                    where,
                    f'"{where.text}" is stated as a fact, and no source is cited for it.',
                    f"{how_to_cite(references)} Or leave the number out if no source supports it.",
                )
            )
    return findings

