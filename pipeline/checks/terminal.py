"""The findings as a table in the terminal (rich), for `make check`.

Everything a handout wrote (its text, title, reasons, even its file name) is escaped before rich
reads it: rich reads '[bold]' as a style and stopped at a stray '[/b]' in a sentence.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .findings import Severity
from ..messages import messages
from .report import REPORT_LANGUAGE, Report, other_places

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}


def print_report(report: Report, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    # One line, never broken by rich: a long path would split it, in a log and for a reader's grep.
    console.print(f"\n[bold]{escape(str(report.source))}[/bold]: {escape(report.summary())}", soft_wrap=True)
    if not report.findings and not report.suppressed:
        return
    say = messages(REPORT_LANGUAGE)
    table = Table(show_lines=True, expand=True)
    table.add_column("where", no_wrap=True)
    table.add_column("rule", no_wrap=True)
    for heading, ratio in (("text", 2), ("what to do", 3)):
        table.add_column(heading, ratio=ratio, overflow="fold")
    for finding in report.by_severity():
        where = f"{finding.where.line}:{finding.where.column}"
        related = "".join(f"\n[dim]see line {other.line}:[/dim] {escape(other.text)}" for other in finding.related)
        related += f"\n[dim]{escape(other_places(finding, say))}[/dim]" if finding.repeats else ""
        table.add_row(
            where,
            f"[{_STYLE[finding.severity]}]{finding.severity.value}[/]\n{finding.rule}",
            escape(finding.where.text) + related,
            f"{escape(finding.message)}\n[italic]{escape(finding.suggestion)}[/italic]",
        )
    for finding, suppression in report.suppressed:
        table.add_row(
            f"{finding.where.line}:{finding.where.column}", f"[dim]accepted[/dim]\n{finding.rule}", escape(finding.where.text),
            f"[dim]accepted because: {escape(suppression.reason)}[/dim]",
        )
    console.print(table)
