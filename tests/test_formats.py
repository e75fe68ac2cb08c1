"""The table of formats (pipeline/formats.py) is the one place a format is declared.

A format added from a test, with nothing changed anywhere else, is built, recorded, listed in the
index and rebuilt incrementally; the engine names no format; and a job made from pickled inputs in
a fresh process (not forked from the build) returns the bytes the build writes.
"""

from __future__ import annotations

import ast
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import formats
from pipeline.messages import catalogue
from pipeline.formats import Format
from pipeline.build.jobs import Job, run_job
from pipeline.read.handout import read_handout
from pipeline.config import load_config
from pipeline.writers.base import Writer

from .conftest import KRATOM, ROOT, SOURCE_DIR, build

TEXT = Format("text", "tests.test_formats:TextWriter", "text", "{slug}.txt", (), label="format-text", file_type="Text")


class TextWriter(Writer):
    """A plain-text handout: its title and summary, as a format a site might add."""

    def render(self, handout) -> str:
        return f"{handout.meta.title}\n\n{handout.meta.summary}\n"


@pytest.fixture
def with_text_format(monkeypatch):
    monkeypatch.setattr(formats, "FORMATS", [*formats.FORMATS, TEXT])
    monkeypatch.setitem(formats.BY_NAME, TEXT.name, TEXT)
    monkeypatch.setitem(catalogue("en").messages, TEXT.label, "Plain text")  # its name in the index


def test_a_format_added_to_the_table_is_built_recorded_listed_and_rebuilt_only_when_needed(with_text_format, write_source, tmp_path, capsys):
    source = write_source("---\ntitle: Taking your tablets\nsummary: How and when.\n---\n\nTake them with water.\n")
    out = tmp_path / "out"
    assert build(source.parent, out, "--format", "text,html,index", "-j", "1") == 0
    assert (out / "text" / "handout.txt").read_text(encoding="utf-8") == "Taking your tablets\n\nHow and when.\n"
    assert "text/handout.txt" in (out / ".state" / "text.json").read_text(encoding="utf-8")
    assert re.search(r'<a href="\.\./text/handout\.txt">Plain text \(Text, 1 KB\)</a>', (out / "html" / "index.html").read_text(encoding="utf-8"))
    capsys.readouterr()
    assert build(source.parent, out, "--format", "text,html,index", "-j", "1") == 0
    said = "".join(capsys.readouterr())
    assert "wrote " not in said and "0 outputs built, 3 up to date" in said  # nothing changed: nothing written
    source.write_text(source.read_text(encoding="utf-8").replace("How and when.", "When to take them."), encoding="utf-8")
    assert build(source.parent, out, "--format", "text,html,index", "-j", "1") == 0
    said = "".join(capsys.readouterr())
    assert f"wrote {out / 'text' / 'handout.txt'}" in said and f"wrote {out / 'html' / 'index.html'}" in said
    assert (out / "text" / "handout.txt").read_text(encoding="utf-8").endswith("When to take them.\n")


def test_the_engine_names_no_format():
    names = {format.name for format in formats.FORMATS}
    for module in ("engine.py", "jobs.py", "state.py"):
        tree = ast.parse((ROOT / "pipeline" / "build" / module).read_text(encoding="utf-8"))
        strings = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        assert not strings & names, f"{module} names {strings & names}"


def test_a_job_run_from_its_pickled_inputs_in_a_fresh_process_makes_the_bytes_the_build_writes(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600", "PYTHONPATH": str(ROOT)}
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "pipeline", "build", "-q", "--source-dir", str(SOURCE_DIR), "--builddir", str(out)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    config = load_config(SOURCE_DIR)
    handout = read_handout(SOURCE_DIR / f"{KRATOM}.md", config)
    for format in formats.FORMATS:
        if format.lists_every_handout:
            continue
        job = pickle.dumps(Job(format.name, handout, config))
        fresh = subprocess.run(
            [sys.executable, "-c", "import pickle, sys; from pipeline.build.jobs import run_job;"
             " sys.stdout.buffer.write(pickle.dumps(run_job(pickle.loads(sys.stdin.buffer.read()))))"],
            input=job, cwd=tmp_path, env=env, capture_output=True, check=True,
        )
        result = pickle.loads(fresh.stdout)
        assert result.error is None and result.files, (format.name, result.error)
        for file in result.files:
            assert file.data == (out / file.path).read_bytes(), file.path


def test_a_job_and_its_result_can_be_pickled():
    config = load_config(SOURCE_DIR)
    job = Job("html", read_handout(SOURCE_DIR / f"{KRATOM}.md", config), config)
    assert pickle.loads(pickle.dumps(job)) == job
    result = run_job(job)
    again = pickle.loads(pickle.dumps(result))
    assert [file.path for file in again.files] == [file.path for file in result.files] and again.files[-1].data == result.files[-1].data


def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "pipeline", "build", "-q", "-j", "2", "--source-dir", str(SOURCE_DIR),
                    "--builddir", str(tmp_path / "out")], cwd=ROOT, env=env, check=True, capture_output=True)
    assert list(temporary.iterdir()) == []
