"""What a check reports: a finding with a rule id, a severity, where it is and what to do."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from ..model import Location


class Severity(str, Enum):
    ERROR = "error"
    """Must be fixed before the handout reaches a patient (`check --strict` fails on it)."""
    WARNING = "warning"
    """Should be looked at by the author or a reviewer."""
    INFO = "info"
    """A measurement, such as the reading grade when it is within the target."""


@dataclass(frozen=True)
class Finding:
    rule: str
    """Stable id, e.g. 'reading-grade', 'long-sentence', 'claim-absolute', 'contradiction'."""
    severity: Severity
    where: Location
    message: str
    """What is wrong, in plain words."""
    suggestion: str
    """What to do about it, concretely."""
    related: tuple[Location, ...] = field(default=())
    """Other places the finding is about, e.g. the sentence a contradiction contradicts."""
    repeats: tuple[Location, ...] = field(default=())
    """The other places it is found: the same rule says the same about the same words there (a
    hard word used again, a sentence repeated). The finding stands once, at its first place."""

    @property
    def count(self) -> int:
        """How many places it stands for."""
        return 1 + len(self.repeats)


def grouped(findings: Iterable[Finding]) -> list[Finding]:
    """The findings with each one said again elsewhere (same rule, words, message and advice) folded
    into its first, as `repeats`, in the order given. A report then grows with what is wrong, not
    with how often: a sentence pasted 5,000 times is one finding found 5,000 times."""
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        key = (finding.rule, finding.severity, finding.where.text, finding.message, finding.suggestion, finding.related)
        groups.setdefault(key, []).append(finding)
    return [
        dataclasses.replace(first, repeats=first.repeats + tuple(place for other in rest for place in (other.where, *other.repeats)))
        if rest else first
        for first, *rest in groups.values()
    ]
