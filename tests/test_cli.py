"""What a person sees when something is wrong: one message, no traceback, outputs left whole."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.cli import main

from .conftest import ROOT, build

GOOD = "---\ntitle: Tablets\n---\n\nTake them with water.\n"


def test_a_bad_source_fails_with_one_message_and_keeps_the_previous_outputs(write_source, tmp_path, capsys):
    source, out = write_source(GOOD), tmp_path / "out"
    assert build(source.parent, out) == 0
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    capsys.readouterr()

    source.write_text(GOOD.replace("title:", "titel:"), encoding="utf-8")
    assert build(source.parent, out) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[0] == f"{source}:2: error: unknown key 'titel' in the front matter"
    assert "Did you mean 'title'?" in err
    assert "Traceback" not in err
    after = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == before  # nothing rewritten, nothing half-written, no temporary files left


def test_one_bad_source_stops_the_build_before_any_output(write_source, tmp_path):
    write_source(GOOD, "a-good-one.md")
    source = write_source("---\ntitle: Broken\nupdated: 2026-13-01\n---\n", "broken.md")
    assert build(source.parent, tmp_path / "out") == 1
    assert not (tmp_path / "out").exists()


def test_two_sources_with_one_slug_are_refused(write_source, tmp_path, capsys):
    write_source(GOOD, "tablets.md")
    source = write_source(GOOD.replace("title: Tablets", "title: Tablets 2\nslug: tablets"), "tablets-2.md")
    assert build(source.parent, tmp_path) == 1
    assert "'tablets' is already the name of" in capsys.readouterr().err


def test_a_missing_source_folder_is_a_message(tmp_path, capsys):
    assert build(tmp_path / "nowhere", tmp_path / "out") == 1
    assert "the source folder does not exist" in capsys.readouterr().err


def test_unknown_formats_are_refused_by_argument_parsing(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--format", "docx"])
    assert exit_.value.code == 2
    assert "choose from pdf, large-print, booklet, epub, html, index" in capsys.readouterr().err


def test_a_paper_is_one_option_however_it_is_spelt(write_source, tmp_path, capsys):
    """'A4' and 'a4' are the same paper: the second build rebuilds nothing. An unknown paper is a mistake on the
    command line (exit 2), like an unknown format, not a problem in a handout."""
    source = write_source(GOOD)
    assert build(source.parent, tmp_path, "--format", "html", "--paper", "a4") == 0
    capsys.readouterr()
    assert build(source.parent, tmp_path, "--format", "html", "--paper", " A4") == 0
    assert "0 outputs built" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--paper", "a3"])
    assert exit_.value.code == 2 and "choose from a4, letter (got 'a3')" in capsys.readouterr().err


def test_the_module_runs_as_a_program_with_help():
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert "--format" in result.stdout and "SOURCE" in result.stdout


def test_only_the_requested_formats_are_written(write_source, tmp_path):
    source = write_source(GOOD)
    assert build(source.parent, tmp_path / "out", "--format", "html", str(source)) == 0
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [".state", "html"]
    assert sorted(path.name for path in (tmp_path / "out" / ".state").iterdir()) == ["html.json"]
    assert not (tmp_path / "out" / "html" / "index.html").exists()  # the index is its own format
