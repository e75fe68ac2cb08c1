"""The content checks' framework: review status and DRAFT marking, suppressions, reports, `check`."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from pipeline.messages import messages
from pipeline.checks.run import check
from pipeline.cli import main
from pipeline.config import SiteConfig
from pipeline.errors import PipelineError
from pipeline.model import Metadata
from pipeline.read.review import review_status
from pipeline.read.handout import read_handout

from .conftest import KRATOM, SOURCE_DIR, build
from .outputs import epub_text, html_text, normalise, pdf_page_texts

TODAY = dt.date(2026, 1, 1)  # SOURCE_DATE_EPOCH in the tests
DRAFT = "DRAFT – not reviewed for patient use"
REVIEWED = "---\ntitle: Tablets\nreviewed_by: Dr A. Example\nreviewed_on: {on}\n---\n\nTake them with water.\n"


class TestReviewStatus:
    def test_never_reviewed_is_a_draft(self):
        status = review_status(Metadata("T", "t"), 2, TODAY)
        assert status.draft and messages("en").reason(status) == "it has never been reviewed" and status.due is None

    @pytest.mark.parametrize(
        "fields, reason",
        [
            ({"reviewed_by": "Dr A"}, "its review has no date"),
            ({"reviewed_on": dt.date(2025, 6, 1)}, "its reviewer is not recorded"),
        ],
    )
    def test_half_a_review_is_a_draft(self, fields, reason):
        assert messages("en").reason(review_status(Metadata("T", "t", **fields), 2, TODAY)) == reason

    def test_a_review_holds_for_two_years_by_default(self):
        meta = Metadata("T", "t", reviewed_by="Dr A", reviewed_on=dt.date(2024, 1, 2))
        assert review_status(meta, 2, TODAY) == review_status(meta, 2, TODAY)
        status = review_status(meta, 2, TODAY)
        assert not status.draft and status.due == dt.date(2026, 1, 2)
        expired = review_status(meta, 2, dt.date(2026, 1, 3))
        assert expired.draft and messages("en").reason(expired) == "its review expired on 2 January 2026"
        assert review_status(meta, 1, TODAY).draft  # a one-year policy (review_years in site.yaml)

    def test_next_review_overrides_the_period(self):
        meta = Metadata("T", "t", reviewed_by="Dr A", reviewed_on=dt.date(2025, 1, 1), next_review=dt.date(2025, 6, 1))
        assert review_status(meta, 2, TODAY).draft

    def test_29_february(self):
        meta = Metadata("T", "t", reviewed_by="Dr A", reviewed_on=dt.date(2024, 2, 29))
        assert review_status(meta, 2, TODAY).due == dt.date(2026, 2, 28)


def marked_draft(builddir, slug="handout") -> dict[str, bool]:
    """Whether each output tells its reader that the handout is a draft."""
    pages = pdf_page_texts(builddir / "pdf" / f"{slug}.pdf")
    html = normalise(html_text((builddir / "html" / f"{slug}.html").read_text(encoding="utf-8")))
    return {
        "every pdf page": all(margins.startswith(DRAFT) for _, margins in pages),
        "pdf text": DRAFT in normalise(pages[0][0]),
        "html": DRAFT in html,
        "epub": DRAFT in normalise(epub_text(builddir / "epub" / f"{slug}.epub")),
    }


def test_the_kratom_handout_is_marked_draft_everywhere(built):
    assert marked_draft(built, KRATOM) == {"every pdf page": True, "pdf text": True, "html": True, "epub": True}


def test_filling_in_the_review_removes_the_marking_and_expiry_restores_it(write_source, tmp_path):
    source = write_source(REVIEWED.format(on="2025-06-01"))
    assert build(source.parent, tmp_path / "current", "--format", "pdf,html,epub") == 0
    assert marked_draft(tmp_path / "current") == {"every pdf page": False, "pdf text": False, "html": False, "epub": False}
    source.write_text(REVIEWED.format(on="2023-06-01"), encoding="utf-8")  # due 1 June 2025: expired
    assert build(source.parent, tmp_path / "expired", "--format", "pdf,html,epub") == 0
    assert marked_draft(tmp_path / "expired") == {"every pdf page": True, "pdf text": True, "html": True, "epub": True}
    assert "its review expired on 1 June 2025" in (tmp_path / "expired" / "html" / "handout.html").read_text()


class TestSuppressions:
    def test_an_inline_comment_accepts_the_findings_in_the_block_after_it(self, write_source):
        text = (
            REVIEWED.format(on="2025-06-01").replace("Take them with water.\n", "")
            + "<!-- ignore claim-absolute: quoted from the maker's leaflet -->\n"
            "Kratom is harmless.\n\nKratom is harmless.\n"
        )
        report = check(read_handout(write_source(text), SiteConfig()), SiteConfig())
        claims = [finding.where.line for finding in report.findings if finding.rule == "claim-absolute"]
        accepted = [(finding.rule, finding.where.line, s.reason) for finding, s in report.suppressed]
        assert claims == [10]  # the second paragraph is not covered
        assert accepted == [("claim-absolute", 8, "quoted from the maker's leaflet")]

    def test_front_matter_accepts_a_rule_and_the_report_lists_it(self, write_source):
        text = "---\ntitle: T\nsuppress:\n  - rule: review-status\n    reason: a draft for the review meeting\n---\n\nText.\n"
        report = check(read_handout(write_source(text), SiteConfig()), SiteConfig())
        assert "review-status" not in [finding.rule for finding in report.findings]
        ((finding, accepted),) = report.suppressed
        assert finding.rule == "review-status" and accepted.reason == "a draft for the review meeting" and accepted.line == 3
        assert report.as_json()["suppressed"][0]["accepted_because"] == "a draft for the review meeting"

    def test_front_matter_can_narrow_a_suppression_to_some_words(self, write_source):
        text = (
            "---\ntitle: T\nsuppress:\n  - rule: claim-absolute\n    text: harmless\n    reason: quoted\n---\n\n"
            "Kratom is harmless. It is a game-changer.\n"
        )
        report = check(read_handout(write_source(text), SiteConfig()), SiteConfig())
        assert [f.where.text for f in report.findings if f.rule == "claim-absolute"] == ["game-changer"]
        assert [f.where.text for f, _ in report.suppressed] == ["harmless"]

    def test_comments_never_reach_the_reader(self, write_source):
        handout = read_handout(write_source("---\ntitle: T\n---\n\nBefore <!-- a note to the team --> after.\n"), SiteConfig())
        assert "note to the team" not in handout.body and "Before" in handout.body

    @pytest.mark.parametrize(
        "text, words, line",
        [
            ("---\ntitle: T\n---\n\n<!-- ignore review-status -->\nText.\n", "needs a rule and a reason", 5),
            ("---\ntitle: T\n---\n\n<!-- ignore review-stauts: typo -->\nText.\n", "Did you mean 'review-status'?", 5),
            ("---\ntitle: T\nsuppress:\n  - rule: review-status\n---\nText.\n", "'suppress' must be", 4),
        ],
    )
    def test_a_bad_suppression_is_an_error_with_its_line(self, write_source, text, words, line):
        with pytest.raises(PipelineError) as caught:
            check(read_handout(write_source(text), SiteConfig()), SiteConfig())
        assert words in str(caught.value) and caught.value.line == line


def test_the_report_schema(built):
    report = json.loads((built / "reports" / f"{KRATOM}.json").read_text(encoding="utf-8"))
    assert report["schema"] == 2
    assert set(report) == {"schema", "source", "slug", "title", "review", "readability", "counts", "findings", "suppressed"}
    assert report["review"] == {"draft": True, "reason": "it has never been reviewed", "due": None}
    for finding in report["findings"]:
        assert set(finding) == {"rule", "severity", "line", "column", "text", "message", "suggestion", "related", "count", "repeats"}
        assert finding["severity"] in ("error", "warning", "info") and finding["line"] >= 1 and finding["suggestion"]
        assert all(set(place) == {"line", "column"} and place["line"] > finding["line"] for place in finding["repeats"])
        assert finding["count"] == 1 + len(finding["repeats"])  # the kratom handout repeats nothing 100 times
    counted = {severity: sum(f["count"] for f in report["findings"] if f["severity"] == severity) for severity in report["counts"]}
    assert counted == report["counts"]  # each place a finding is said counts
    assert (built / "reports" / f"{KRATOM}.html").is_file() and (built / "reports" / "index.html").is_file()


def test_check_reports_and_strict_fails_on_errors(tmp_path, capsys):
    common = ["--source-dir", str(SOURCE_DIR), "--builddir", str(tmp_path)]
    assert main(["check", *common]) == 0  # checks never block without --strict
    out = capsys.readouterr().out
    assert "kratom-pain-relief: DRAFT" in out and "review-status" in out
    assert main(["check", "--strict", *common]) == 1
    assert "check --strict" in capsys.readouterr().err
    assert (tmp_path / "reports" / f"{KRATOM}.json").is_file()


def test_people_see_errors_first(built):
    page = (built / "reports" / f"{KRATOM}.html").read_text(encoding="utf-8")
    severities = [heading.split(":")[0] for heading in page.split('<h3 id="finding-')[1:]]
    kinds = [heading.split(">", 1)[1] for heading in severities]
    assert kinds == sorted(kinds, key=["Error", "Warning", "Info"].index) and kinds[0] == "Error"


def test_every_rule_reports_on_the_kratom_handout(built):
    report = json.loads((built / "reports" / f"{KRATOM}.json").read_text(encoding="utf-8"))
    rules = {finding["rule"] for finding in report["findings"]}
    assert {"review-status", "claim-absolute", "contradiction", "reading-grade", "long-sentence", "hard-word"} <= rules
    assert report["readability"]["smog"] > 8 and report["readability"]["flesch_kincaid"] > 8
    overdose = [f for f in report["findings"] if f["rule"] == "contradiction" and "overdose" in f["message"]]
    assert overdose and any(other["line"] == 40 for other in overdose[0]["related"])


def test_a_reviewed_handout_with_nothing_wrong_passes_strict(write_source, tmp_path):
    source = write_source(REVIEWED.format(on="2025-06-01"))
    assert main(["check", "--strict", "--source-dir", str(source.parent), "--builddir", str(tmp_path / "out")]) == 0


def test_the_summary_line_is_never_broken_by_a_long_path(tmp_path, capsys):
    """rich wraps at 80 columns when the output is not a terminal: a long path split the line."""
    source_dir = tmp_path / ("a-long-folder-name-" * 4) / "source"
    shutil.copytree(SOURCE_DIR, source_dir)
    assert main(["check", "--source-dir", str(source_dir), "--builddir", str(tmp_path / "build")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{source_dir / KRATOM}.md: {KRATOM}: DRAFT · SMOG grade") for line in lines), lines[:3]


def test_a_part_with_no_words_to_grade_is_reported_as_not_measured(write_source, tmp_path):
    """A section whose one 'sentence' is only punctuation has no Flesch–Kincaid grade (no words): the
    report says so instead of failing as a bug (found by make fuzz: an unclosed '<!--' under a heading)."""
    source = write_source("---\ntitle: Tablets\n---\n\nTake them with water.\n\n## A section\n\n<!--\n")
    assert main(["build", "--format", "report", "--source-dir", str(source.parent), "--builddir", str(tmp_path)]) == 0
    page = (tmp_path / "reports" / "handout.html").read_text(encoding="utf-8")
    assert "<th scope=\"row\">A section</th><td>1</td><td>3.1</td><td>not measured</td>" in page
