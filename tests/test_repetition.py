"""Repetition costs linear time and a bounded report (issue 10).

A probe found small sources that made the pipeline's work grow with the square of their size: a
contradiction quoted every affirmation (an 88 KB source took 5.4 GB), sentence splitting re-split
the paragraph at every full stop, 50,000 identical headings never finished, unclosed `<!--`
rescanned to the end. Each was made linear; here each has its small reproducer, built within a
job limit that the old code overran many times over, and each rewritten piece is compared with
the code it replaced, so that no output changed.

No test here measures time: the limit is the build's own (`job_seconds` in site.yaml), and the
reading of sources (in the build's process) is held to a subprocess timeout ten times what it needs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mdit_py_plugins.anchors.index import unique_slug

from pipeline.read import text as reading
from pipeline.read import prose as prose_text
from pipeline.read.markdown import anchor_for, parse, render

from .conftest import ROOT
from .test_fuzz import EXAMPLES

HEADER = "---\ntitle: A fictional handout\nupdated: 2026-01-01\n---\n\nSome text.\n\n"

PATHOLOGICAL = {
    # name: (body, what the old code did with it)
    "contradictions": ("No risk of overdose. Overdose is possible.\n\n" * 2_000, "38 s and 2 GB, then stopped"),
    "sentences": ("Short one. " * 20_000 + "\n", "22 s"),
    "headings": ("## Same\n\nText.\n\n" * 1_000, "1,000 is the limit (MAX_HEADINGS); 20,000 took 88 s"),
    "comments": ("<!-- a\n\n" * 20_000, "42 s"),
    "notes": ("".join(f"Text[^{n}]. " for n in range(1_000)) + "\n\n" + "".join(f"[^{n}]: Note.\n" for n in range(1_000)),
              "sentences x notes"),
    "claims": ("It is safe, " * 10_000 + "and it is not.\n", "claims x sentence length"),
    "entities": ("Caf&eacute; " * 20_000 + "\n", "a search to the end per entity"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("repetition")
    source = folder / "source"
    source.mkdir()
    (source / "site.yaml").write_text("limits:\n  job_seconds: 20\n  job_memory_mb: 1000\n", encoding="utf-8")
    for name, (body, _old) in PATHOLOGICAL.items():
        (source / f"{name}.md").write_text(HEADER + body, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "-q", "--format", "html,report", "--source-dir", str(source),
         "--builddir", str(folder / "build")],
        cwd=folder, capture_output=True, text=True, timeout=90, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return source, folder / "build"


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_source_builds_within_the_job_limit_with_a_report_that_grows_with_it(built, name):
    source, build = built
    report = build / "reports" / f"{name}.json"
    size = (source / f"{name}.md").stat().st_size
    assert report.stat().st_size < 3 * size + 50_000  # linear in the source, never its square
    assert (build / "html" / f"{name}.html").is_file()
    json.loads(report.read_text(encoding="utf-8"))


def test_a_denial_said_2000_times_is_one_finding_found_2000_times(built):
    _source, build = built
    report = json.loads((build / "reports" / "contradictions.json").read_text(encoding="utf-8"))
    found = [finding for finding in report["findings"] if finding["rule"] == "contradiction"]
    assert len(found) == 1 and found[0]["count"] == 2_000 and len(found[0]["repeats"]) == 100  # the first 100 listed
    assert "and 1,990 more" in found[0]["message"] and len(found[0]["related"]) == 10  # quotes 10 of 2,000
    html = (build / "reports" / "contradictions.html").read_text(encoding="utf-8")
    assert "and 1,979 more (2,000 times in all)" in html
    assert report["counts"]["error"] >= 2_000  # each place still counts


def test_1000_headings_of_one_title_get_the_ids_the_anchors_plugin_gave(built):
    _source, build = built
    page = (build / "html" / "headings.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h2 id="([^"]+)"', page)
    assert ids[:3] == ["same", "same-1", "same-2"] and len(set(ids)) == len(ids) == 1_000


# --- each rewritten piece against the code it replaced ----------------------------------------------

headings = st.lists(st.sampled_from(["Same", "Same 1", "same-1", "Other", "Same 2", "", "Dose", "Dose 1"]), max_size=30)


@settings(max_examples=max(EXAMPLES, 50), deadline=None)
@given(headings)
def test_heading_ids_are_the_anchors_plugins(titles):
    body = "".join(f"## {title or '1'}\n\nText.\n\n" for title in titles)
    html = render(parse(body), Path("handout.md"), 1).html
    expected, taken = [], set()
    for title in titles:
        expected.append(unique_slug(anchor_for(title or "1"), taken))
    assert re.findall(r'<h2 id="([^"]+)"', html) == expected


@settings(max_examples=max(EXAMPLES, 100), deadline=None)
@given(st.lists(st.sampled_from(["<!--", "-->", "<!-->", "a", "\n", "-", ">", "<!---->", " "]), max_size=30).map("".join))
def test_comments_are_blanked_as_the_regular_expression_did(text):
    old = re.sub(r"<!--.*?-->", lambda comment: re.sub(r"[^\n]", " ", comment.group()), text, flags=re.S)
    assert reading.blank_comments(text) == old


def _split_as_before(text, positions, section):
    """pipeline/checks/text.py's split_sentences before it was made linear."""
    sentences, start = [], 0
    for end in prose_text._SENTENCE_END.finditer(text):
        word = text[: end.start() + 1].split()[-1].lower() if text[: end.start() + 1].split() else ""
        if word.strip("\"“‘'([") in prose_text.ABBREVIATIONS:
            continue
        rest = text[end.end() :]
        closes = {end.group()[0], end.group()[-1]} & prose_text._FULL_STOPS_OF_OTHER_SCRIPTS
        if rest.strip() and not closes and not prose_text._starts_sentence(text, end.end()):
            continue
        sentences.append(prose_text._sentence(text, positions, start, end.end(), section))
        start = end.end()
    if text[start:].strip():
        sentences.append(prose_text._sentence(text, positions, start, len(text), section))
    return tuple(sentence for sentence in sentences if sentence)


@settings(max_examples=max(EXAMPLES, 100), deadline=None)
@given(st.lists(st.sampled_from(["Take", "it", "e.g.", "Dr.", "(e.g.", "“Why?”", "now.", "Then", "10", "mg.", "!", "?",
                                 ".", "a.b.c.", "'", "\"", ")", "St.", "OK?", "No"]), max_size=30).map(" ".join))
def test_sentences_are_split_where_they_were(text):
    positions = [(1, column) for column in range(1, len(text) + 1)]
    assert prose_text.split_sentences(text, positions, "") == _split_as_before(text, positions, "")
