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

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Report:
    source: Path
    slug: str
    title: str
    review: ReviewStatus
    findings: tuple[Finding, ...]
    """Unsuppressed findings, in the order of the source."""
    suppressed: tuple[tuple[Finding, Suppression], ...]
    """Findings the author accepted, with the suppression that accepts each."""
    readability: dict[str, Any] | None = None
    """Reading-level measurements (see pipeline/checks/readability.py), when available."""

    def by_severity(self) -> list[Finding]:
        """Errors first, then warnings, then notes; each in the order of the source (for people)."""
        rank = list(Severity)
        return sorted(self.findings, key=lambda finding: rank.index(finding.severity))

    def count(self, severity: Severity) -> int:
        return sum(finding.severity is severity for finding in self.findings)

    @property
    def failed(self) -> bool:
        """Whether `check --strict` fails on this handout."""
        return self.count(Severity.ERROR) > 0

    def summary(self) -> str:
        """One line for `make`: status, reading level and counts."""
        parts = [f"{self.slug}: {'DRAFT' if self.review.draft else 'reviewed'}"]
        if self.readability:
            parts.append(f"SMOG grade {self.readability['smog']:.1f}, Flesch-Kincaid {self.readability['flesch_kincaid']:.1f}")
        counts = ", ".join(_plural(self.count(severity), severity.value) for severity in (Severity.ERROR, Severity.WARNING))
        parts.append(counts + (f" ({len(self.suppressed)} accepted)" if self.suppressed else ""))
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
    }


def _location(location: Location) -> dict[str, Any]:
    return dataclasses.asdict(location)
