"""Every job is held to its time and memory limits from outside (pipeline/build/workers.py).

A limit inside the job could be defeated: WeasyPrint swallows every exception while drawing an SVG
picture, an alarm included. So a worker over its time is killed by the build, and a worker cannot
allocate past its memory limit. The limits are site settings (`limits:` in site.yaml), lowered here.

The slow and the greedy jobs below are made by replacing a writer or the checks in the test's own
process before the build forks its workers, so that the tests stay short; a real source that is
slow to lay out (a table of 2,000 rows) is stopped the same way.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.build.workers import Limits, Stopped, Workers

from .conftest import ROOT, build

GOOD = "---\ntitle: Taking your tablets\nupdated: 2026-01-01\n---\n\nTake them with water.\n"


def project(tmp_path: Path, limits: str, sources: int = 1) -> Path:
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    (source_dir / "site.yaml").write_text(f"limits:\n{limits}", encoding="utf-8")
    for number in range(sources):
        (source_dir / f"tablets-{number}.md").write_text(GOOD, encoding="utf-8")
    return source_dir


def forever(*args, **kwargs):
    while True:
        time.sleep(0.05)


def assert_no_output(builddir: Path, pattern: str) -> None:
    assert not list(builddir.rglob(pattern)) and not list(builddir.rglob("*.tmp"))


@pytest.mark.parametrize("format, writer", [("html", "pipeline.writers.html.HtmlWriter.render"),
                                            ("epub", "pipeline.writers.epub.EpubWriter.render")])
def test_a_job_over_its_time_is_stopped_by_the_build(format, writer, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(writer, forever)
    source_dir = project(tmp_path, "  job_seconds: 1\n")
    started = time.monotonic()
    assert build(source_dir, tmp_path / "out", "--format", format) == 1
    assert time.monotonic() - started < 30  # 1 s, and the time to fork and read; never "forever"
    err = capsys.readouterr().err
    source = source_dir / "tablets-0.md"
    assert f"{source}: error: making the {format} output took longer than the limit of 1 seconds" in err
    assert "job_seconds" in err and "Traceback" not in err
    assert_no_output(tmp_path / "out", f"*.{format}")


def test_a_real_source_slow_to_lay_out_is_stopped(tmp_path, capsys):
    source_dir = project(tmp_path, "  job_seconds: 2\n", sources=0)
    rows = "".join("| " + " | ".join(f"r{row}c{col}" for col in range(8)) + " |\n" for row in range(3000))
    table = "| " + " | ".join(f"Col {n}" for n in range(8)) + " |\n|" + "---|" * 8 + "\n" + rows
    (source_dir / "big-table.md").write_text(GOOD + "\n" + table, encoding="utf-8")
    assert build(source_dir, tmp_path / "out", "--format", "pdf") == 1
    assert "making the pdf output took longer than the limit of 2 seconds" in capsys.readouterr().err
    assert_no_output(tmp_path / "out", "*.pdf")


def test_the_checks_of_a_report_and_pipeline_check_are_held_to_the_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("pipeline.checks.run.check", forever)  # pipeline check
    monkeypatch.setattr("pipeline.writers.report.check", forever)  # a report job
    source_dir = project(tmp_path, "  job_seconds: 1\n")
    assert build(source_dir, tmp_path / "out", "--format", "report") == 1
    assert "making the report output took longer than the limit of 1 seconds" in capsys.readouterr().err
    started = time.monotonic()
    assert main(["check", "--source-dir", str(source_dir), "--builddir", str(tmp_path / "checked")]) == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    assert f"{source_dir / 'tablets-0.md'}: error: checking it took longer than the limit of 1 seconds" in err
    assert_no_output(tmp_path / "checked", "*.json")


def test_after_a_job_is_stopped_no_other_starts_and_the_next_build_does_what_is_left(tmp_path, capsys, monkeypatch):
    source_dir = project(tmp_path, "  job_seconds: 1\n", sources=4)
    with monkeypatch.context() as patch:
        patch.setattr("pipeline.writers.html.HtmlWriter.render", forever)
        assert build(source_dir, tmp_path / "out", "--format", "html", "-j", "1") == 1
    assert "3 not started" in capsys.readouterr().out
    assert build(source_dir, tmp_path / "out", "--format", "html") == 0
    assert len(list((tmp_path / "out" / "html").glob("tablets-*.html"))) == 4


GREEDY = """
import sys
from pipeline.cli import main
def greedy(self, handout):
    with open("/proc/self/status") as status, open(sys.argv[3], "w") as start:
        start.write(next(line.split()[1] for line in status if line.startswith("VmRSS:")))  # KB, before
    hoard = [bytearray(50 * 1024 * 1024) for _ in range(40)]  # 2 GB, 50 MB at a time
    return b""
import pipeline.writers.epub as epub
epub.EpubWriter.render = greedy
sys.exit(main(["build", "--source-dir", sys.argv[1], "--builddir", sys.argv[2], "--format", "epub"]))
"""


def test_a_job_cannot_take_more_memory_than_its_limit(tmp_path):
    source_dir = project(tmp_path, "  job_memory_mb: 400\n")
    process = subprocess.Popen(
        [sys.executable, "-c", GREEDY, str(source_dir), str(tmp_path / "out"), str(tmp_path / "start")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    err = process.stderr.read()
    assert os.waitstatus_to_exitcode(status) == 1, err
    assert "making the epub output needed more than the memory limit of 400 MB" in err
    assert "job_memory_mb" in err and "Traceback" not in err
    # ru_maxrss (KB): the largest of the build and every worker it waited for. The greedy worker took no
    # more than the limit on top of what it held when its job started (give or take the allocator's pages).
    held = int((tmp_path / "start").read_text())
    assert usage.ru_maxrss - held < (400 + 32) * 1024, (usage.ru_maxrss, held)
    assert_no_output(tmp_path / "out", "*.epub")


BLOATED = """
import sys
from pipeline.cli import main
held = bytearray(600 * 1024 * 1024)  # a build (or a long-running preview) that already holds 600 MB
sys.exit(main(["build", "--source-dir", sys.argv[1], "--builddir", sys.argv[2], "--format", "html,epub"]))
"""


def test_the_memory_limit_counts_what_a_job_takes_not_what_the_build_already_holds(tmp_path):
    """A worker is forked from the build and shares its memory: limited on its whole address space, every
    job of a build past the limit failed at its first allocation (found by make fuzz: 8,000 builds in one
    process). The limit is what a job may take on top."""
    source_dir = project(tmp_path, "  job_memory_mb: 400\n")
    result = subprocess.run([sys.executable, "-c", BLOATED, str(source_dir), str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "epub" / "tablets-0.epub").is_file()


def test_a_limit_in_site_yaml_that_is_not_a_number_is_an_error_with_its_line(tmp_path, capsys):
    source_dir = project(tmp_path, "  job_seconds: soon\n")
    assert build(source_dir, tmp_path / "out", "--format", "html") == 1
    err = capsys.readouterr().err
    assert f"{source_dir / 'site.yaml'}:2: error: 'limits' must be a mapping whose 'job_seconds' is a number" in err


# --- the workers themselves ----------------------------------------------------------------------


def _job(item: str):
    if item == "slow":
        forever()
    if item == "crash":
        os._exit(3)
    if item == "greedy":
        return bytearray(1024 * 1024 * 1024)
    return item.upper()


def test_workers_replace_a_worker_they_stop_and_go_on():
    limits = Limits(job_seconds=1, job_memory_mb=300)
    outcomes = dict(Workers(_job, 1, limits).run(["a", "slow", "b", "crash", "c", "greedy", "d"]))
    assert {item: outcomes[item] for item in "abcd"} == {"a": "A", "b": "B", "c": "C", "d": "D"}
    assert outcomes["slow"] == Stopped("took longer than the limit of 1 seconds")
    assert "ended with status 3" in outcomes["crash"].why
    assert outcomes["greedy"] == Stopped("needed more than the memory limit of 300 MB")


def test_workers_stopped_start_no_other_job_and_leave_no_process():
    workers = Workers(_job, 2, Limits(job_seconds=5))
    seen = []
    for item, outcome in workers.run(["a", "b", "c", "d", "e"]):
        seen.append((item, outcome))
        workers.stop()
    assert sum(outcome is None for _, outcome in seen) >= 3  # at most two had started
    assert len(seen) == 5
    assert not multiprocessing.active_children()  # every worker ended
    assert resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY  # the build's own is untouched
