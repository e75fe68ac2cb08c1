"""The build engine (pipeline/build/engine.py): a catalogue rebuilds only what changed, on every core,
with the same bytes as a clean build, and a failure loses nothing."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest

from pipeline.read import review, handout as source_module
from pipeline.cli import main

from .catalogue import (
    PICTURE,
    PICTURE_2,
    copy_code,
    files,
    handout_text,
    run_build,
    slug,
    source_of,
    write_catalogue,
    written,
)
from .conftest import ROOT

WEB = ("--format", "html,epub,index")


def outputs_of(number: int, *formats: str) -> list[str]:
    where = {"html": f"html/{slug(number)}.html", "epub": f"epub/{slug(number)}.epub", "pdf": f"pdf/{slug(number)}.pdf"}
    return [where[name] for name in formats]


# --- a catalogue of 200 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """200 handouts built as web pages and e-books, in two processes."""
    root = tmp_path_factory.mktemp("catalogue")
    source_dir, builddir = write_catalogue(root / "source", 200), root / "build"
    result = run_build(root, source_dir, builddir, *WEB, "-j", "2")
    assert result.returncode == 0, result.stderr
    return root, source_dir, builddir, result


def test_a_cold_build_makes_every_output_and_says_so(catalogue):
    root, source_dir, builddir, result = catalogue
    made = written(result, builddir)
    assert len([name for name in made if name.endswith(".html") and "/handout-" in name]) == 200
    assert len([name for name in made if name.endswith(".epub")]) == 200
    assert "html/index.html" in made
    index = (builddir / "html" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{slug(number)}.html"' in index for number in range(200))  # sub-folders too, flat outputs
    assert result.stdout.splitlines()[-1].startswith("401 outputs built, 0 up to date")


def test_a_second_build_writes_nothing(catalogue):
    root, source_dir, builddir, _ = catalogue
    before = {path: path.stat().st_ino for path in builddir.rglob("*") if path.is_file()}
    again = run_build(root, source_dir, builddir, *WEB)
    assert again.returncode == 0, again.stderr
    assert written(again, builddir) == []
    assert again.stdout.splitlines()[-1].startswith("0 outputs built, 401 up to date")
    assert {path: path.stat().st_ino for path in builddir.rglob("*") if path.is_file()} == before  # nothing replaced


def test_editing_one_handout_rebuilds_only_its_outputs(catalogue):
    root, source_dir, builddir, _ = catalogue
    path = source_of(source_dir, 37)
    path.write_text(handout_text(37).replace("Test handout 37", "Test handout 37, edited"), encoding="utf-8")
    result = run_build(root, source_dir, builddir, *WEB)
    assert result.returncode == 0, result.stderr
    # the title changed, so the index lists it anew
    assert written(result, builddir) == sorted([*outputs_of(37, "html", "epub"), "html/index.html"])
    assert "Test handout 37, edited" in (builddir / "html" / "index.html").read_text(encoding="utf-8")

    path.write_text(handout_text(37, edit=" Another sentence."), encoding="utf-8")  # the title back, text changed
    result = run_build(root, source_dir, builddir, *WEB)
    assert written(result, builddir) == sorted([*outputs_of(37, "html", "epub"), "html/index.html"])
    path.write_text(handout_text(37), encoding="utf-8")
    result = run_build(root, source_dir, builddir, *WEB)
    assert written(result, builddir) == sorted([*outputs_of(37, "html", "epub"), "html/index.html"])


def test_a_deleted_output_is_made_again(catalogue):
    root, source_dir, builddir, _ = catalogue
    (builddir / "epub" / f"{slug(12)}.epub").unlink()
    (builddir / "html" / "index.html").unlink()
    result = run_build(root, source_dir, builddir, *WEB)
    assert written(result, builddir) == ["epub/handout-012.epub", "html/index.html"]


def test_a_handout_in_another_folder_with_a_taken_slug_is_refused(catalogue):
    """The first was not read again (unchanged): its slug comes from the records, and both are named."""
    root, source_dir, builddir, _ = catalogue
    first = source_of(source_dir, 3)
    clash = source_dir / "clinic-b" / "copy.md"
    clash.write_text(handout_text(3).replace("---\n\n", f"slug: {slug(3)}\n---\n\n", 1), encoding="utf-8")
    try:
        result = run_build(root, source_dir, builddir, *WEB)
        assert result.returncode == 1
        first_line = result.stderr.splitlines()[0]
        assert f": error: '{slug(3)}' is already the name of " in first_line
        assert str(first) in first_line and str(clash) in first_line
        assert "Traceback" not in result.stderr
        assert written(result, builddir) == []
    finally:
        clash.unlink()


def test_the_same_bytes_as_a_clean_build(catalogue, tmp_path):
    """After all the edits above, the incremental build folder is what a clean build makes."""
    root, source_dir, builddir, _ = catalogue
    assert run_build(root, source_dir, builddir, *WEB).returncode == 0
    clean = run_build(root, source_dir, tmp_path / "clean", *WEB)
    assert clean.returncode == 0, clean.stderr
    assert files(builddir) == files(tmp_path / "clean")


# --- what every output depends on ----------------------------------------------------------------------


@pytest.fixture
def small(tmp_path):
    """20 handouts and a copy of the pipeline and templates that a test may change."""
    code = copy_code(tmp_path / "code")
    source_dir = write_catalogue(tmp_path / "source", 20)
    builddir = tmp_path / "build"

    def build(*args: str) -> list[str]:
        result = run_build(tmp_path, source_dir, builddir, *WEB, *args, code=code)
        assert result.returncode == 0, result.stderr
        return written(result, builddir)

    assert len(build()) > 40
    return code, source_dir, builddir, build


def pages(made: list[str]) -> list[str]:
    return [name for name in made if name.startswith("html/handout-")]


def books(made: list[str]) -> list[str]:
    return [name for name in made if name.startswith("epub/")]


def test_a_shared_template_rebuilds_everything(small):
    code, source_dir, builddir, build = small
    partial = code / "templates" / "partials" / "closing.html"
    partial.write_text(partial.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    made = build()
    assert len(pages(made)) == 20 and len(books(made)) == 20


def test_a_medium_template_rebuilds_only_that_medium(small):
    code, source_dir, builddir, build = small
    nav = code / "templates" / "epub" / "nav.xhtml"
    nav.write_text(nav.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    made = build()
    assert len(books(made)) == 20 and pages(made) == []


def test_touching_without_changing_rebuilds_nothing(small):
    code, source_dir, builddir, build = small
    for path in [*source_dir.rglob("*"), *code.rglob("*.py")]:
        path.touch()
    assert build() == []


def test_the_pipelines_own_code_rebuilds_everything(small):
    code, source_dir, builddir, build = small
    module = code / "pipeline" / "writers" / "epub.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    made = build()
    assert len(pages(made)) == 20 and len(books(made)) == 20


def test_a_picture_rebuilds_only_the_handouts_that_show_it(small):
    code, source_dir, builddir, build = small
    (source_dir / "square.png").write_bytes(PICTURE_2)  # shown by handouts 0 and 15 (in the top folder)
    made = build()
    assert sorted(pages(made)) == ["html/handout-000.html", "html/handout-015.html"]
    assert books(made) == ["epub/handout-000.epub", "epub/handout-015.epub"]
    assert (builddir / "html" / "square.png").read_bytes() == PICTURE_2


def test_two_pictures_of_one_name_in_different_folders_are_refused(small):
    """The web pages' pictures sit side by side in build/html/: one name for two different pictures
    is an error, naming both handouts, also when one of them was not read again."""
    code, source_dir, builddir, build = small
    (source_dir / "clinic-a" / "square.png").write_bytes(PICTURE_2)
    edited = source_of(source_dir, 10)  # in clinic-a; handout 0, in the top folder, shows square.png
    edited.write_text(handout_text(10).replace("square-a.png", "square.png"), encoding="utf-8")
    result = run_build(builddir.parent, source_dir, builddir, *WEB, code=code)
    assert result.returncode == 1
    first_line = result.stderr.splitlines()[0]
    assert "error: the picture 'square.png' is not the picture" in first_line
    assert str(edited) in first_line and str(source_of(source_dir, 0)) in first_line
    assert written(result, builddir) == []

    (source_dir / "clinic-a" / "square.png").write_bytes(PICTURE)  # the same picture twice is fine
    assert build() == sorted(["html/handout-010.html", "epub/handout-010.epub", "html/index.html", "html/square.png"])


def test_the_site_settings_rebuild_everything(small):
    code, source_dir, builddir, build = small
    (source_dir / "site.yaml").write_text("organisation: Another Clinic\n", encoding="utf-8")
    made = build()
    assert len(pages(made)) == 20 and len(books(made)) == 20 and "html/index.html" in made
    assert "Another Clinic" in (builddir / "html" / "index.html").read_text(encoding="utf-8")


def test_the_build_date_rebuilds_everything(small, monkeypatch):
    code, source_dir, builddir, build = small
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")
    made = build()
    assert len(pages(made)) == 20 and len(books(made)) == 20


def test_a_review_that_expires_makes_the_handout_a_draft_from_that_day(write_source, tmp_path, monkeypatch, capsys):
    """No file changes when a review runs out; the record knows the day and rebuilds from it."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    today = dt.date(2027, 3, 1)
    for module in (review, source_module):
        monkeypatch.setattr(module, "check_date", lambda: today)
    source = write_source(
        "---\ntitle: Tablets\nupdated: 2026-01-01\nreviewed_by: Dr A. Example\nreviewed_on: 2026-03-01\n"
        "next_review: 2027-03-01\n---\n\nTake them with water.\n"
    )
    out = tmp_path / "out"
    args = ["build", "--source-dir", str(source.parent), "--builddir", str(out), "--format", "html", "-j", "1"]
    assert main(args) == 0
    assert "DRAFT" not in (out / "html" / "handout.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 0
    assert "wrote" not in capsys.readouterr().out  # the same day: up to date

    today = dt.date(2027, 3, 2)
    assert main(args) == 0
    assert f"wrote {out}/html/handout.html" in capsys.readouterr().out
    assert "DRAFT" in (out / "html" / "handout.html").read_text(encoding="utf-8")


# --- processes ------------------------------------------------------------------------------------------


def test_two_processes_make_the_same_bytes_as_one(tmp_path):
    """PDFs included, for two handouts: each worker makes several PDFs with one font configuration
    and its stylesheets kept, so what one PDF leaves there must not change the next."""
    source_dir = write_catalogue(tmp_path / "source", 2)
    formats = ("--format", "pdf,large-print,epub,html,index")
    one = run_build(tmp_path, source_dir, tmp_path / "one", *formats, "-j", "1")
    two = run_build(tmp_path, source_dir, tmp_path / "two", *formats, "-j", "2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert len([name for name in files(tmp_path / "one") if name.endswith(".pdf")]) == 4


def test_a_web_and_ebook_build_never_imports_weasyprint(tmp_path):
    source_dir = write_catalogue(tmp_path / "source", 2)
    program = (
        "import sys\nfrom pipeline.cli import main\n"
        f"code = main(['build', '--source-dir', {str(source_dir)!r}, '--builddir', {str(tmp_path / 'out')!r},"
        " '--format', 'html,epub,index,report,report-index', '-j', '1'])\n"
        "assert code == 0, code\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'weasyprint'))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "epub" / "handout-001.epub").exists()  # it did build


SVG_WITH_TEXT = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="0" y="15">Hi</text></svg>'


def test_a_failing_job_stops_the_build_with_one_message_and_loses_nothing(tmp_path):
    """A PDF that fails while it is laid out (text in an SVG picture would use a system font): one
    message, exit 1, no job started after it; what was written is complete and recorded, and the
    next build does only what is left."""
    source_dir = write_catalogue(tmp_path / "source", 4)
    bad = source_of(source_dir, 2)
    (bad.parent / "label.svg").write_text(SVG_WITH_TEXT, encoding="utf-8")
    bad.write_text(handout_text(2) + "\n![A label](label.svg)\n", encoding="utf-8")
    builddir = tmp_path / "build"
    result = run_build(tmp_path, source_dir, builddir, "--format", "pdf,html", "-j", "2")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"{bad}: error: the leaflet would use fonts that are not bundled")
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "1 failed" in result.stdout.splitlines()[-1]
    assert not list(builddir.rglob("*.tmp"))
    first = written(result, builddir)
    for name in first:
        if name.endswith(".pdf"):
            assert (builddir / name).read_bytes().rstrip().endswith(b"%%EOF")

    bad.write_text(handout_text(2), encoding="utf-8")  # fixed: the rest is built, nothing twice
    again = run_build(tmp_path, source_dir, builddir, "--format", "pdf,html", "-j", "2")
    assert again.returncode == 0, again.stderr
    second = written(again, builddir)
    made_twice = [name for name in set(first) & set(second) if name.startswith(("pdf/", "html/handout-"))]
    assert all(slug(2) in name for name in made_twice), made_twice  # only the handout that changed
    assert all((builddir / name).is_file() for number in range(4) for name in outputs_of(number, "pdf", "html"))


def test_a_build_killed_midway_then_run_again_gives_a_clean_builds_bytes(tmp_path):
    source_dir = write_catalogue(tmp_path / "source", 40)
    started = time.monotonic()
    clean = run_build(tmp_path, source_dir, tmp_path / "clean", *WEB)
    duration = time.monotonic() - started
    assert clean.returncode == 0, clean.stderr
    builddir = tmp_path / "build"
    command = [sys.executable, "-m", "pipeline", "build", "--source-dir", str(source_dir), "--builddir", str(builddir), *WEB]
    for moment in (duration * 0.5, duration * 0.8):  # while it writes outputs
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(moment)
        os.killpg(process.pid, signal.SIGKILL)  # the build and its workers, as a power cut would
        process.communicate()
    again = run_build(tmp_path, source_dir, builddir, *WEB)
    assert again.returncode == 0, again.stderr
    assert files(builddir) == files(tmp_path / "clean")
    assert not list(builddir.rglob("*.tmp"))
