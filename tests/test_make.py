"""The Makefile: each target runs the pipeline once, which rebuilds only what changed (its own records,
pipeline/build/state.py); a second `make` writes nothing and an edit rewrites only its outputs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, require

KRATOM = "kratom-pain-relief"


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


def wrote(result: subprocess.CompletedProcess) -> list[str]:
    """The files the pipeline says it wrote, relative to build/."""
    assert result.returncode == 0, result.stderr
    return sorted(line.removeprefix("wrote build/") for line in result.stdout.splitlines() if line.startswith("wrote "))


def edit(path) -> None:
    """A real change of content (the pipeline compares contents, not times)."""
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


PDFS = [f"pdf/{KRATOM}-booklet.pdf", f"pdf/{KRATOM}-large-print.pdf", f"pdf/{KRATOM}.pdf"]


def test_make_builds_everything_then_nothing(project):
    folder, make = project
    assert sorted(path.name for path in (folder / "build").iterdir()) == [".state", "epub", "html", "pdf", "reports"]
    assert sorted(path.name for path in (folder / "build" / "pdf").iterdir()) == [
        "kratom-pain-relief-booklet.pdf",
        "kratom-pain-relief-large-print.pdf",
        "kratom-pain-relief.pdf",
    ]
    again = make()
    assert wrote(again) == []
    assert "0 outputs built, 8 up to date" in again.stdout
    (folder / "source" / f"{KRATOM}.md").touch()  # a new time, the same content
    assert wrote(make()) == []


def test_an_edit_rebuilds_only_what_depends_on_it(project):
    folder, make = project
    edit(folder / "templates" / "epub" / "nav.xhtml")
    assert wrote(make()) == [f"epub/{KRATOM}.epub"]
    edit(folder / "templates" / "css" / "screen.css")
    made = wrote(make())  # the page and the files every page shares
    assert [name for name in made if not name.startswith("html/assets/")] == [f"html/{KRATOM}.html"]
    assert "html/assets/screen.css" in made
    edit(folder / "templates" / "report" / "report.html")
    assert wrote(make()) == sorted([f"reports/{KRATOM}.html", f"reports/{KRATOM}.json", "reports/index.html", "reports/report.css"])
    edit(folder / "source" / f"{KRATOM}.md")
    assert wrote(make()) == sorted([*PDFS, f"epub/{KRATOM}.epub", f"html/{KRATOM}.html", "html/index.html",
                                    f"reports/{KRATOM}.html", f"reports/{KRATOM}.json", "reports/index.html"])


def test_each_pdf_variant_has_its_own_target(project):
    folder, make = project
    edit(folder / "templates" / "css" / "print.css")
    assert wrote(make("booklet")) == [f"pdf/{KRATOM}-booklet.pdf"]
    assert wrote(make("large-print")) == [f"pdf/{KRATOM}-large-print.pdf"]
    assert wrote(make("pdf")) == [f"pdf/{KRATOM}.pdf"]  # the other two are up to date now
    assert wrote(make("pdf")) == []


def test_changing_the_paper_rebuilds_the_pdfs_and_the_web_pages_print_stylesheet(project):
    folder, make = project
    letter = wrote(make("PAPER=letter"))
    assert [name for name in letter if not name.startswith("html/")] == PDFS
    assert "html/assets/print.css" in letter
    assert wrote(make("PAPER=letter")) == []
    assert [name for name in wrote(make()) if not name.startswith("html/")] == PDFS  # back to the default


def test_two_targets_at_once_under_make_j(project):
    """The README promises one build's result: the index, written last, links every file, with its size."""
    folder, make = project
    shutil.rmtree(folder / "build")
    result = make("-j4", "pdf", "epub", "html")
    assert len([name for name in wrote(result) if name.endswith((".pdf", ".epub", ".html"))]) == 6
    one_build = [sys.executable, "-m", "pipeline", "build", "--builddir", "one-build", "--format", "pdf,large-print,booklet,epub,html,index"]
    subprocess.run(one_build, cwd=folder, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(folder)})
    index = (folder / "build" / "html" / "index.html").read_bytes()
    assert index == (folder / "one-build" / "html" / "index.html").read_bytes()
    assert index.count(b'href="../') == 4  # the three PDFs and the e-book (no report: not asked for)
    assert wrote(make("-j4", "pdf", "epub", "html")) == []


def test_the_web_pages_come_after_every_target_that_makes_a_file_the_index_links():
    """Whatever target is asked for beside `html` (even after it), make runs the web pages' build after it if it
    writes a format the index links (pipeline/catalogue.py FORMATS): read from make's own plan."""
    require("make", "sudo apt-get install -y make")
    from pipeline.formats import FORMATS, names

    linked = {format.name for format in FORMATS if format.label} - {"html"}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    checked = []
    for target in set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()) - {"html"}:
        plan = subprocess.run(["make", "-n", "-s", "PIPELINE=PIPELINE", "INSTALLED=", "html", target],
                              cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
        steps = [line for line in plan if line.startswith("PIPELINE ")]
        pages = steps.index(next(line for line in steps if line.endswith("--format html,index")))
        for number, line in enumerate(steps):
            made = re.search(r"--format (\S+)", line)
            command = line.split()[1]  # PIPELINE build|check|new|serve ...
            formats = set(made[1].split(",")) if made else {"build": set(names()), "check": {"report"}}.get(command, set())
            if number != pages and formats & linked:
                checked.append(target)
                assert number < pages, f"make -j html {target}: the index could be written before {target}'s files"
    assert {"all", "pdf", "epub", "reports", "check"} <= set(checked)


def test_help_names_every_target():
    require("make", "sudo apt-get install -y make")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split())
    help_text = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert set(re.findall(r"\bmake ([a-z-]+)", help_text)) | {"help"} == phony
