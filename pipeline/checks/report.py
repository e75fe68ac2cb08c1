"""A handout's check results: what was found, what was accepted and why, and the reading level.

`Report.as_json()` is the stable schema written to build/reports/<slug>.json (README, "Check
reports"); bump SCHEMA_VERSION on any change that could break a reader of those files.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalogue import ReportEntry
from ..messages import Messages, messages
from ..read.review import ReviewStatus
from .findings import Finding, Location, Severity
from .suppressions import Suppression

REPORT_LANGUAGE = "en"
"""The check reports are for authors and reviewers, and in English: the checks' rules and findings are."""

SCHEMA_VERSION = 2
"""2: a finding said again at other places is one finding, with those places as `repeats`."""

FILED_REPEATS = 100
"""How many of a finding's other places the report file lists (its `count` counts them all): a word
pasted 10,000 times must not make a report of 10,000 places."""

STRICT_RULES = frozenset({"page-words-untranslated", "translation-out-of-date"})
"""Warnings `check --strict` fails on: words a patient would read in a language not their own."""


@dataclass(frozen=True)
class Report:
    source: Path
    slug: str
    title: str
    review: ReviewStatus
    findings: tuple[Finding, ...]
    """Unsuppressed findings, in the order of the source (each once: its other places are its `repeats`)."""
    suppressed: tuple[tuple[Finding, Suppression], ...]
    """Findings the author accepted, with the suppression that accepts each."""
    readability: dict[str, Any] | None = None
    """Reading-level measurements (see pipeline/checks/readability.py), when available."""

    def by_severity(self) -> list[Finding]:
        """Errors first, then warnings, then notes; each in the order of the source (for people)."""
        rank = list(Severity)
        return sorted(self.findings, key=lambda finding: rank.index(finding.severity))

    def count(self, severity: Severity) -> int:
        """How many places have findings of this severity (a finding said again counts each time)."""
        return sum(finding.count for finding in self.findings if finding.severity is severity)

    @property
    def accepted(self) -> int:
        return sum(finding.count for finding, _ in self.suppressed)

    @property
    def failed(self) -> bool:
        """Whether `check --strict` fails on this handout: an error, or a warning that strictness
        makes one (STRICT_RULES)."""
        return self.count(Severity.ERROR) > 0 or any(finding.rule in STRICT_RULES for finding in self.findings)

    def summary(self) -> str:
        """One line for `make`: status, reading level and counts."""
        return summary_line(self.entry(), messages(REPORT_LANGUAGE))

    def entry(self) -> ReportEntry:
        """The facts its summary is written from: what the report index keeps of it."""
        grades = self.readability or {}
        return ReportEntry(
            slug=self.slug,
            title=self.title,
            draft=self.review.draft,
            smog=grades.get("smog"),
            flesch_kincaid=grades.get("flesch_kincaid"),
            errors=self.count(Severity.ERROR),
            warnings=self.count(Severity.WARNING),
            accepted=self.accepted if self.suppressed else 0,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "source": str(self.source),
            "slug": self.slug,
            "title": self.title,
            "review": {
                "draft": self.review.draft,
                "reason": messages(REPORT_LANGUAGE).reason(self.review) if self.review.draft else "",
                "due": self.review.due.isoformat() if self.review.due else None,
            },
            "readability": self.readability,
            "counts": {severity.value: self.count(severity) for severity in Severity},
            "findings": [_finding(finding) for finding in self.findings],
            "suppressed": [
                {**_finding(finding), "accepted_because": suppression.reason, "accepted_on_line": suppression.line}
                for finding, suppression in self.suppressed
            ],
        }


def summary_line(facts: ReportEntry, say: Messages) -> str:
    """'kratom-pain-relief: DRAFT · SMOG grade 17.7, Flesch-Kincaid 16.5 · 19 errors, 74 warnings'."""
    parts = [f"{facts['slug']}: {say('summary-draft' if facts['draft'] else 'summary-reviewed')}"]
    if facts["smog"] is not None:
        parts.append(say("summary-grades", smog=grade(facts["smog"], say), fk=grade(facts["flesch_kincaid"], say)))
    counts = f"{say('errors', count=facts['errors'])}, {say('warnings', count=facts['warnings'])}"
    parts.append(counts + (f" {say('summary-accepted', accepted=facts['accepted'])}" if facts["accepted"] else ""))
    return " · ".join(parts)


LISTED_REPEATS = 20
"""How many of a finding's other places the HTML report and the terminal name before 'and N more'."""


def other_places(finding: Finding, say: Messages) -> str:
    """'Also on lines 12, 30 and 41 (4 times in all).', naming the first LISTED_REPEATS; '' for none."""
    if not finding.repeats:
        return ""
    lines = [str(place.line) for place in finding.repeats[:LISTED_REPEATS]]  # as an editor numbers them
    more = len(finding.repeats) - len(lines)
    if more:
        lines.append(say("n-more", count=more))
    return say("also-on", count=len(finding.repeats), lines=say.join(lines), total=say.number(finding.count))


def grade(value: float | None, say: Messages) -> str:
    """A reading grade as shown, to one decimal; 'not measured' for a part with no words to count."""
    return say.number(value, digits=1) if value is not None else say("not-measured")


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        **_location(finding.where),
        "message": finding.message,
        "suggestion": finding.suggestion,
        "related": [_location(location) for location in finding.related],
        "count": finding.count,
        "repeats": [{"line": place.line, "column": place.column} for place in finding.repeats[:FILED_REPEATS]],
    }


def _location(location: Location) -> dict[str, Any]:
    return dataclasses.asdict(location)
