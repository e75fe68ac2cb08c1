"""Run every check on a handout: read its prose (made when the source was read), apply every rule, then the suppressions."""

from __future__ import annotations

from typing import Callable

from ..config import SiteConfig
from ..errors import PipelineError
from ..model import Handout, Prose
from . import claims, contradictions, language, readability, style, suppressions
from .findings import Finding, Location, Severity, grouped
from ..messages import messages
from .report import REPORT_LANGUAGE, Report

Rule = Callable[[Prose, Handout, SiteConfig], list[Finding]]


def review_findings(prose: Prose, handout: Handout, config: SiteConfig) -> list[Finding]:
    """A draft is an error: it must not reach a patient."""
    if not handout.review.draft:
        return []
    line = handout.field_lines.get("reviewed_by") or handout.field_lines.get("title") or 1
    say = messages(REPORT_LANGUAGE)
    return [
        Finding(
            "review-status",
            Severity.ERROR,
            Location(line, 1, "DRAFT"),
            f"This handout is a draft: {say.reason(handout.review)}. Every output is marked '{say('draft')}'.",
            f"Have it reviewed for patient use, then fill in 'reviewed_by' and 'reviewed_on' (the next "
            f"review falls due {config.review_years} years later unless 'next_review' says otherwise).",
        )
    ]


def language_findings(prose: Prose, handout: Handout, config: SiteConfig) -> list[Finding]:
    """Page furniture that would be printed in English in a handout in another language."""
    from ..read.site_words import untranslated

    words = untranslated(handout.meta.lang, config.messages)
    if not words:
        return []
    line = handout.field_lines.get("lang") or 1
    return [Finding("page-words-untranslated", Severity.WARNING, Location(line, 1, handout.meta.lang), *words)]


def translation_findings(prose: Prose, handout: Handout, config: SiteConfig) -> list[Finding]:
    """A translation made from an earlier version of its original than the original is now."""
    original = handout.original
    if original is None or not original.out_of_date:
        return []
    line = handout.field_lines.get("original_version") or handout.field_lines.get("translation_of") or 1
    made_from = f"version '{original.made_from}'" if original.made_from else "no version ('original_version' is not given)"
    return [
        Finding(
            "translation-out-of-date",
            Severity.WARNING,
            Location(line, 1, original.made_from or original.slug),
            f"This translation was made from {made_from} of '{original.slug}', which is now at version"
            f" '{original.version or '(none)'}'. Every output of it says it may be out of date.",
            "Bring the translation up to date with the original, then set 'original_version' to the original's version.",
        )
    ]


def _terms(handout: Handout):
    return language.terms(handout.meta.lang)  # run only where there are word lists (language.runs)


RULES: dict[str, Rule] = {
    "review-status": review_findings,
    "page-words-untranslated": language_findings,
    "translation-out-of-date": translation_findings,
    "claim-absolute": lambda prose, handout, config: claims.check_claims(prose, handout.meta.references, _terms(handout)),
    "number-unreferenced": lambda prose, handout, config: claims.check_numbers(prose, handout.meta.references, _terms(handout)),
    "contradiction": lambda prose, handout, config: contradictions.check_contradictions(prose, _terms(handout)),
    "reading-grade": lambda prose, handout, config: readability.reading_grade(prose, config.reading_grade),
    "smog-unreliable": lambda prose, handout, config: readability.smog_unreliable(prose),
    "reading-ease": lambda prose, handout, config: language.reading_ease(prose, handout.meta.lang, config.spanish_reading_ease),
    "long-sentence": lambda prose, handout, config: style.long_sentences(prose),
    "long-paragraph": lambda prose, handout, config: style.long_paragraphs(prose),
    "passive-voice": lambda prose, handout, config: style.passive_voice(prose),
    "hard-word": lambda prose, handout, config: style.hard_words(prose),
    "checks-not-run": lambda prose, handout, config: language.not_run(prose, handout.meta.lang),
}
"""Every check, by the rule id of its findings (reading-ease says 'sentence-length' where the
language has no formula). Which run on a handout depends on its language (checks/language.py)."""

RULE_IDS = set(RULES) | {"sentence-length"}
"""Every rule id a finding can carry: what a suppression may name."""


def check(handout: Handout, config: SiteConfig) -> Report:
    prose = handout.prose
    lang = handout.meta.lang
    found = sorted(
        (finding for name, rule in RULES.items() if language.runs(name, lang) for finding in rule(prose, handout, config)),
        key=lambda finding: (finding.where.line, finding.where.column, finding.rule),
    )
    accepted = list(handout.accepted)
    suppressions.check_rules(handout.source, accepted, RULE_IDS)
    kept, suppressed = suppressions.apply(found, accepted)
    kept, suppressed = grouped(kept), _grouped_accepted(suppressed)
    return Report(
        handout.source,
        handout.slug,
        handout.meta.title,
        handout.review,
        tuple(kept),
        tuple(suppressed),
        reading_level(readability.readability(prose), config.reading_grade) if language.runs("reading-grade", lang) else None,
    )


def _grouped_accepted(pairs: list[tuple[Finding, suppressions.Suppression]]) -> list[tuple[Finding, suppressions.Suppression]]:
    """Accepted findings said again, folded like the others (`grouped`), each group under one suppression."""
    by_suppression: dict[suppressions.Suppression, list[Finding]] = {}
    for finding, suppression in pairs:
        by_suppression.setdefault(suppression, []).append(finding)
    folded = [(finding, suppression) for suppression, found in by_suppression.items() for finding in grouped(found)]
    return sorted(folded, key=lambda pair: (pair[0].where.line, pair[0].where.column, pair[0].rule))


def check_all(handouts: tuple[Handout, ...], config: SiteConfig, processes: int) -> list[Report | str]:
    """Every handout's report, in the handouts' order, each made in a worker held to the site's
    limits (pipeline/build/workers.py): a source that makes a check slow or big cannot stall `check`.
    A handout whose checks failed or were stopped has its error message instead."""
    from ..build.workers import Stopped, Workers

    results: dict[int, Report | str] = {}
    items = [(number, handout, config) for number, handout in enumerate(handouts)]
    for (number, handout, _), outcome in Workers(_check_one, min(processes, len(handouts)), config.limits).run(items):
        if isinstance(outcome, Stopped):
            outcome = str(PipelineError(f"checking it {outcome.why}", handout.source, hint=_STOPPED_HINT))
        results[number] = outcome
    return [results[number] for number in range(len(handouts))]


_STOPPED_HINT = "Look for very long paragraphs or many repeated sentences; or raise the 'limits:' in site.yaml."


def _check_one(item: tuple[int, Handout, SiteConfig]) -> Report | str:
    _number, handout, config = item
    try:
        return check(handout, config)
    except PipelineError as error:
        return str(error)  # as text: a PipelineError does not survive pickling


def reading_level(measured: readability.Readability, target: float) -> dict[str, object] | None:
    """The measurements as the report's `readability` block (grades to one decimal, as shown)."""
    if measured.smog is None:
        return None

    def block(part: readability.Readability) -> dict[str, object]:
        grade = lambda value: round(value, 1) if value is not None else None  # noqa: E731
        return {
            "sentences": part.sentences,
            "words": part.words,
            "syllables": part.syllables,
            "polysyllables": part.polysyllables,
            "smog": grade(part.smog),
            "flesch_kincaid": grade(part.fk),
        }

    return {
        **block(measured),
        "target_grade": target,
        "sections": [{"title": title, **block(part)} for title, part in measured.sections.items()],
    }
