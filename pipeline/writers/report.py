"""Check reports: build/reports/<slug>.json (stable schema) and a page a person can read."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Sequence

from . import templates
from ..checks.findings import Severity
from ..checks.report import REPORT_LANGUAGE, Report, grade, other_places, summary_line
from ..checks.run import check
from ..errors import logger
from ..formats import BY_NAME
from ..messages import messages
from ..model import Handout
from .base import ListWriter, Made, OutputFile, Writer, output


class ReportWriter(Writer):
    def write(self, handout: Handout) -> Made:
        """The report, and the handout's line in the report index: the checks run once for both."""
        report = check(handout, self.config)
        logger.info("%s", report.summary())  # the one line `make` shows per handout
        return Made(self.report_files(report), {self.format.makes_entry_for: ReportIndexWriter.entry_of(report)})

    def shared_files(self) -> list[OutputFile]:
        return [output(f"{self.format.folder}/{self.format.shared[0]}", templates.render("report/report.css"))]

    def report_files(self, report: Report) -> list[OutputFile]:
        document = json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
        say = messages(REPORT_LANGUAGE)
        page = templates.render(
            "report/report.html", report=report, severities=Severity, lang=REPORT_LANGUAGE, say=say, grade=grade, other_places=other_places
        )
        return [
            output(f"{self.format.folder}/{report.slug}.json", document),
            output(self.format.path(report.slug), page),
        ]


class ReportIndexWriter(ListWriter):
    """`reports/index.html`: every handout's one-line summary, linked to its report.

    Made from one small entry per handout, like the web index (see IndexWriter)."""

    def entry(self, handout: Handout) -> ReportEntry:
        return self.entry_of(check(handout, self.config))

    @staticmethod
    def entry_of(report: Report) -> ReportEntry:
        return report.entry()

    def list_files(self, entries: Sequence[dict], sizes: Mapping[str, int]) -> list[OutputFile]:
        say = messages(REPORT_LANGUAGE)
        ordered = [(entry, summary_line(entry, say)) for entry in sorted(entries, key=lambda entry: entry["title"].casefold())]
        page = templates.render("report/index.html", reports=ordered, lang=REPORT_LANGUAGE, say=say)
        return [output(self.format.path(""), page)]


def report_writers(config) -> tuple[ReportWriter, ReportIndexWriter]:
    """The two writers `pipeline check` writes its reports with."""
    return ReportWriter(BY_NAME["report"], config), ReportIndexWriter(BY_NAME["report-index"], config)
