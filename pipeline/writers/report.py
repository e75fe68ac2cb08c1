"""Check reports: build/reports/<slug>.json (stable schema) and a page a person can read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from .. import templates
from ..catalogue import ReportEntry
from ..checks.findings import Severity
from ..checks.report import Report
from ..checks.run import check
from ..config import SiteConfig
from ..errors import logger
from ..model import Handout
from ..output import write_atomically
from . import INDEX_PAGE, REPORT_STYLESHEET
from .base import Writer

_last: tuple[Handout, Report] | None = None


def report_of(handout: Handout, config: SiteConfig) -> Report:
    """The handout's checks, run once when its report and its line in the index are made together."""
    global _last
    if _last is None or _last[0] is not handout:
        _last = (handout, check(handout, config))
    return _last[1]


class ReportWriter(Writer):
    name = "report"
    folder = "reports"
    suffix = ".json"

    def write_handout(self, handout: Handout) -> list[Path]:
        report = report_of(handout, self.config)
        logger.info("%s", report.summary())  # the one line `make` shows per handout
        return self.write_report(report)

    def write_shared(self) -> list[Path]:
        return [write_atomically(self.outdir / REPORT_STYLESHEET, templates.render("report/report.css"))]

    def write_reports(self, reports: Sequence[Report]) -> list[Path]:
        """Write reports already made (`pipeline check` prints them first, so checks run once)."""
        return self.write_shared() + [path for report in reports for path in self.write_report(report)]

    def write_report(self, report: Report) -> list[Path]:
        document = json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
        page = templates.render("report/report.html", report=report, severities=Severity, lang="en")
        return [
            write_atomically(self.outdir / f"{report.slug}{self.suffix}", document),
            write_atomically(self.outdir / f"{report.slug}.html", page),
        ]


class ReportIndexWriter(Writer):
    """`reports/index.html`: every handout's one-line summary, linked to its report.

    Made from one small entry per handout, like the web index (see IndexWriter)."""

    name = "report-index"
    folder = "reports"

    def entry(self, handout: Handout) -> dict[str, object]:
        return self.entry_of(report_of(handout, self.config))

    @staticmethod
    def entry_of(report: Report) -> ReportEntry:
        return ReportEntry(slug=report.slug, title=report.title, summary=report.summary())

    def write(self, handouts: Sequence[Handout]) -> list[Path]:
        return self.write_index([self.entry(handout) for handout in handouts])

    def write_index(self, entries: Sequence[dict]) -> list[Path]:
        ordered = sorted(entries, key=lambda entry: entry["title"].casefold())
        page = templates.render("report/index.html", reports=ordered, lang="en")
        return [write_atomically(self.outdir / INDEX_PAGE, page)]
