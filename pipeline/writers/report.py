"""Check reports: build/reports/<slug>.json (stable schema) and a page a person can read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from .. import templates
from ..checks.findings import Severity
from ..checks.report import Report
from ..checks.run import check
from ..errors import logger
from ..model import Handout
from ..output import write_atomically
from .base import Writer


class ReportWriter(Writer):
    name = "report"
    folder = "reports"
    suffix = ".json"

    def write(self, handouts: Sequence[Handout]) -> list[Path]:
        reports = [check(handout, self.config) for handout in handouts]
        for report in reports:
            logger.info("%s", report.summary())  # the one line `make` shows per handout
        return self.write_reports(reports)

    def write_reports(self, reports: Sequence[Report]) -> list[Path]:
        """Write reports already made (`pipeline check` prints them first, so checks run once)."""
        written = [write_atomically(self.outdir / "report.css", templates.render("report/report.css"))]
        for report in reports:
            document = json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
            page = templates.render("report/report.html", report=report, severities=Severity, lang="en")
            written.append(write_atomically(self.outdir / f"{report.slug}{self.suffix}", document))
            written.append(write_atomically(self.outdir / f"{report.slug}.html", page))
        return written


class ReportIndexWriter(Writer):
    """`reports/index.html`: every handout's one-line summary, linked to its report."""

    name = "report-index"
    folder = "reports"

    def write(self, handouts: Sequence[Handout]) -> list[Path]:
        return self.write_index([check(handout, self.config) for handout in handouts])

    def write_index(self, reports: Sequence[Report]) -> list[Path]:
        ordered = sorted(reports, key=lambda report: report.title.casefold())
        page = templates.render("report/index.html", reports=ordered, lang="en")
        return [write_atomically(self.outdir / "index.html", page)]
