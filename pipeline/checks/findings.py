"""What a check reports: a finding with a rule id, a severity, where it is and what to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    """Must be fixed before the handout reaches a patient (`check --strict` fails on it)."""
    WARNING = "warning"
    """Should be looked at by the author or a reviewer."""
    INFO = "info"
    """A measurement, such as the reading grade when it is within the target."""


@dataclass(frozen=True)
class Location:
    line: int
    """1-based line in the source file."""
    column: int
    """1-based column in that line."""
    text: str
    """The text found there, as a reader sees it (Markdown syntax removed)."""


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
