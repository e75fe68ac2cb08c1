"""Check reports: build/reports/<slug>.json (stable schema) and a page a person can read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from .. import templates
from ..checks.findings import Severity
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
        written = [write_atomically(self.outdir / "report.css", templates.render("report/report.css"))]
        for handout in handouts:
            report = check(handout, self.config)
            logger.info("%s", report.summary())  # the one line `make` shows per handout
            document = json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
            page = templates.render("report/report.html", report=report, severities=Severity, lang="en")
            written.append(write_atomically(self.output_path(handout), document))
            written.append(write_atomically(self.outdir / f"{handout.slug}.html", page))
        return written


class ReportIndexWriter(Writer):
    """`reports/index.html`: every handout's one-line summary, linked to its report."""

    name = "report-index"
    folder = "reports"

    def write(self, handouts: Sequence[Handout]) -> list[Path]:
        reports = sorted((check(handout, self.config) for handout in handouts), key=lambda report: report.title.casefold())
        page = templates.render("report/index.html", reports=reports, lang="en")
        return [write_atomically(self.outdir / "index.html", page)]
