"""A handout's check results: what was found, what was accepted and why, and the reading level.

`Report.as_json()` is the stable schema written to build/reports/<slug>.json (README, "Check
reports"); bump SCHEMA_VERSION on any change that could break a reader of those files.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..review import ReviewStatus
from .findings import Finding, Location, Severity
from .suppressions import Suppression

SCHEMA_VERSION = 2
"""2: a finding said again at other places is one finding, with those places as `repeats`."""

FILED_REPEATS = 100
"""How many of a finding's other places the report file lists (its `count` counts them all): a word
pasted 10,000 times must not make a report of 10,000 places."""



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
        """Whether `check --strict` fails on this handout."""
        return self.count(Severity.ERROR) > 0

    def summary(self) -> str:
        """One line for `make`: status, reading level and counts."""
        parts = [f"{self.slug}: {'DRAFT' if self.review.draft else 'reviewed'}"]
        if self.readability:
            smog, fk = (self.readability[name] for name in ("smog", "flesch_kincaid"))
            parts.append(f"SMOG grade {_grade(smog)}, Flesch-Kincaid {_grade(fk)}")
        counts = ", ".join(_plural(self.count(severity), severity.value) for severity in (Severity.ERROR, Severity.WARNING))
        parts.append(counts + (f" ({self.accepted} accepted)" if self.suppressed else ""))
        return " · ".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "source": str(self.source),
            "slug": self.slug,
            "title": self.title,
            "review": {
                "draft": self.review.draft,
                "reason": self.review.reason,
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


def _grade(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "not measured"  # None: a text with no words to count


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


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
