"""Findings an author has looked at and accepts, each with a reason, and always reported as such.

Inline, an HTML comment covers the paragraph (or list item, or line) right after it:

    <!-- ignore claim-absolute: quoting the manufacturer's leaflet, see reference 2 -->

In the front matter, an entry covers a rule in the whole handout, or only findings whose text
contains `text`:

    suppress:
      - rule: long-sentence
        reason: the dosing table's caption must match the prescription label
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..read import limits
from ..errors import PipelineError
from ..read.text import html_comments
from .findings import Finding

_INLINE = re.compile(r"<!--\s*ignore\b(.*)-->", re.S)
_RULE_AND_REASON = re.compile(r"^\s*([a-z0-9-]+)\s*:\s*(\S.*?)\s*$", re.S)


@dataclass(frozen=True)
class Suppression:
    rule: str
    reason: str
    line: int
    """Where the suppression is written."""
    lines: frozenset[int] | None = None
    """The lines it covers; None for the whole handout."""
    text: str = ""
    """Only findings whose text contains this (front matter); '' for any."""

    def covers(self, finding: Finding) -> bool:
        return (
            finding.rule == self.rule
            and (self.lines is None or finding.where.line in self.lines)
            and self.text.casefold() in finding.where.text.casefold()
        )


def read_suppressions(path: Path, source: str, front_matter: tuple[dict[str, str], ...], key_line: int = 1) -> list[Suppression]:
    """The findings the author accepts: inline comments in `source`, then the front matter's
    'suppress:' entries (written on `key_line`)."""
    lines = source.splitlines()
    found = []
    line, counted = 1, 0  # lines are counted on from the last comment: the text is read once
    for start, end in html_comments(source):
        comment = _INLINE.fullmatch(source, start, end)
        if not comment:
            continue
        line += source.count("\n", counted, start)
        counted = start
        _check_count(path, line, len(found) + 1 + len(front_matter))
        parsed = _RULE_AND_REASON.match(comment.group(1))
        if not parsed:
            raise PipelineError(
                "a suppression needs a rule and a reason",
                path,
                line,
                "Write it as <!-- ignore RULE: why this finding is accepted -->.",
            )
        end_line = line + source.count("\n", start, end)
        found.append(Suppression(parsed[1], " ".join(parsed[2].split()), line, _block_after(lines, end_line)))
    _check_count(path, key_line, len(found) + len(front_matter))
    found += [Suppression(entry["rule"], entry["reason"], key_line, None, entry.get("text", "")) for entry in front_matter]
    return found


def _check_count(path: Path, line: int, count: int) -> None:
    """Each suppression is weighed against every finding: a handful is normal, thousands are a
    handout that accepts what it should fix (and would make the checks slow)."""
    if count > limits.MAX_SUPPRESSIONS:
        raise PipelineError(
            f"the handout accepts findings more than {limits.MAX_SUPPRESSIONS} times ('<!-- ignore' comments"
            " and 'suppress:' entries together)",
            path,
            line,
            "Fix the text the checks point at instead of accepting each finding; one 'suppress:' entry covers a rule"
            " in the whole handout.",
        )


def check_rules(path: Path, suppressions: list[Suppression], known: set[str]) -> None:
    """A suppression naming no real rule would hide nothing and mislead: refuse it."""
    import difflib

    for suppression in suppressions:
        if suppression.rule not in known:
            close = difflib.get_close_matches(suppression.rule, known, n=1)
            raise PipelineError(
                f"'{suppression.rule}' is not a check",
                path,
                suppression.line,
                f"Did you mean '{close[0]}'?" if close else f"Known checks: {', '.join(sorted(known))}.",
            )


def apply(findings: list[Finding], suppressions: list[Suppression]) -> tuple[list[Finding], list[tuple[Finding, Suppression]]]:
    kept, suppressed = [], []
    for finding in findings:
        cover = next((suppression for suppression in suppressions if suppression.covers(finding)), None)
        if cover:
            suppressed.append((finding, cover))
        else:
            kept.append(finding)
    return kept, suppressed


def _block_after(lines: list[str], end_line: int) -> frozenset[int]:
    """The comment's own line (text may follow it) and the block after it, up to a blank line."""
    covered = {end_line}
    number = end_line + 1 if not lines[end_line - 1].split("-->")[-1].strip() else end_line
    while number <= len(lines) and not lines[number - 1].strip():
        number += 1
    while number <= len(lines) and lines[number - 1].strip():
        covered.add(number)
        number += 1
    return frozenset(covered)
