"""The Makefile: real file dependencies, so a second `make` does nothing and an edit rebuilds only its outputs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, require


@pytest.fixture
def project(tmp_path):
    """A copy of the project, built once with this interpreter (no second virtual environment)."""
    require("make", "sudo apt-get install -y make")
    for name in ("Makefile", "pipeline", "templates", "source"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, tmp_path / name)

    def make(*args: str) -> subprocess.CompletedProcess:
        command = ["make", f"PIPELINE={sys.executable} -m pipeline", "INSTALLED=", *args]
        env = {**os.environ, "PYTHONPATH": str(tmp_path)}
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env)

    first = make()
    assert first.returncode == 0, first.stderr
    return tmp_path, make


def ran(result: subprocess.CompletedProcess) -> list[str]:
    return [line.split("--format ")[1].split()[0] for line in result.stdout.splitlines() if "-m pipeline build" in line]


def test_make_builds_everything_then_nothing(project):
    folder, make = project
    assert sorted(path.name for path in (folder / "build").iterdir()) == [".make", "epub", "html", "pdf", "reports"]
    assert sorted(path.name for path in (folder / "build" / "pdf").iterdir()) == [
        "kratom-pain-relief-booklet.pdf",
        "kratom-pain-relief-large-print.pdf",
        "kratom-pain-relief.pdf",
    ]
    again = make()
    assert again.returncode == 0
    assert ran(again) == []
    assert make("-q").returncode == 0  # -q: "is everything up to date?"


def test_an_edit_rebuilds_only_what_depends_on_it(project):
    folder, make = project
    (folder / "templates" / "epub" / "nav.xhtml").touch()
    assert ran(make()) == ["epub", "index"]  # the index shows each file's size
    (folder / "templates" / "css" / "screen.css").touch()
    assert ran(make()) == ["html", "index"]
    (folder / "templates" / "report" / "report.html").touch()
    assert sorted(ran(make())) == ["index", "report", "report-index"]
    (folder / "source" / "kratom-pain-relief.md").touch()
    assert sorted(ran(make())) == ["booklet", "epub", "html", "index", "large-print", "pdf", "report", "report-index"]


def test_each_pdf_variant_has_its_own_target(project):
    folder, make = project
    (folder / "templates" / "css" / "print.css").touch()
    assert ran(make("booklet")) == ["booklet"]
    assert ran(make("large-print")) == ["large-print"]
    assert ran(make("pdf")) == ["pdf"]  # the other two are up to date now
    assert ran(make("pdf")) == []


def test_changing_the_paper_rebuilds_the_pdfs(project):
    folder, make = project
    assert ran(make("PAPER=letter")) == ["pdf", "large-print", "booklet", "index"]
    assert ran(make("PAPER=letter")) == []
    assert ran(make()) == ["pdf", "large-print", "booklet", "index"]  # back to the default


def test_help_names_every_target():
    require("make", "sudo apt-get install -y make")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split())
    help_text = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert set(re.findall(r"\bmake ([a-z-]+)", help_text)) | {"help"} == phony
