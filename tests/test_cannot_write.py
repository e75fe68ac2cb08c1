"""An output the disk will not take is one clear error naming the file, why and what to do, with its
own exit status (73, EX_CANTCREAT), for every command that writes; no temporary file is left and an
output already there stays whole (pipeline/build/output.py)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build import output
from pipeline.cli import main
from pipeline.errors import CannotWrite

from .conftest import ROOT
from .test_bad_sources import ERROR_LINE

HANDOUT = "---\ntitle: Taking your tablets\nupdated: 2026-03-05\n---\n\nTake them with water.\n"
FAST = "html,index,epub,report,report-index"


@pytest.fixture
def source_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    for name in ("tablets.md", "inhaler.md"):
        (folder / name).write_text(HANDOUT.replace("tablets", name.removesuffix(".md")), encoding="utf-8")
    return folder


def run(source_dir: Path, builddir: Path, capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["build", "--source-dir", str(source_dir), "--builddir", str(builddir), "--format", FAST, *args])
    return status, capsys.readouterr().err


def assert_one_clear_error(stderr: str):
    """One `file: error: message` and its indented hint (a report's summary line may come before)."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = stderr.splitlines()
    errors = [number for number, line in enumerate(lines) if ERROR_LINE.match(line)]
    assert len(errors) == 1, stderr
    assert lines[errors[0] + 1].startswith("  ") and lines[errors[0] + 1].strip(), stderr
    return ERROR_LINE.match(lines[errors[0]])


def no_temporary_file(folder: Path) -> bool:
    return not [path for path in folder.rglob("*.tmp")] if folder.is_dir() else True


def _file(tmp_path: Path) -> Path:
    (tmp_path / "a-file").write_text("not a folder\n")
    return tmp_path / "a-file"


def _loop(tmp_path: Path) -> Path:
    (tmp_path / "loop-a").symlink_to(tmp_path / "loop-b")
    (tmp_path / "loop-b").symlink_to(tmp_path / "loop-a")
    return tmp_path / "loop-a"


CASES = {  # --builddir, and the part of it that is in the way
    "a build folder that is a file": (lambda tmp: _file(tmp), "a-file is a file, not a folder"),
    "a build folder inside a file": (lambda tmp: _file(tmp) / "build", "a-file is a file, not a folder"),
    "a build folder through a loop of links": (lambda tmp: _loop(tmp) / "build", "loop-a is a symbolic link that leads back to itself"),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("case", CASES)
def test_a_build_folder_that_cannot_be_made_is_one_clear_error(source_dir, tmp_path, capsys, case, jobs):
    make, words = CASES[case]
    builddir = make(tmp_path)
    status, err = run(source_dir, builddir, capsys, "-j", jobs)
    assert status == CannotWrite.exit_status == 73, err
    match = assert_one_clear_error(err)
    assert Path(match["file"]).is_relative_to(builddir) and words in match["message"]
    assert "--builddir" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_format_folder_that_is_a_file_is_named(source_dir, tmp_path, capsys, jobs):
    """The e-books are made in the workers (-j 2): their error comes back with its exit status."""
    builddir = tmp_path / "build"
    builddir.mkdir()
    (builddir / "epub").write_text("in the way\n")
    capsys.readouterr()
    status = main(["build", "--source-dir", str(source_dir), "--builddir", str(builddir), "--format", "epub", "-j", jobs])
    err = capsys.readouterr().err
    assert status == 73
    assert_one_clear_error(err)
    assert f"{builddir / 'epub'} is a file, not a folder" in err


def test_an_output_whose_name_is_a_folder_is_named(source_dir, tmp_path, capsys):
    builddir = tmp_path / "build"
    (builddir / "html" / "tablets.html").mkdir(parents=True)
    status, err = run(source_dir, builddir, capsys)
    assert status == 73 and f"{builddir / 'html' / 'tablets.html'}: error: cannot be written: a folder has its name" in err
    assert no_temporary_file(builddir)


def _refuse_temporary_files(monkeypatch, call: str, number: int) -> None:
    """`os.open` or `os.write` of the build's temporary files fails with `number`, as a disk would."""
    real = getattr(os, call)

    def refuse(target, *args, **kwargs):
        name = str(target) if call == "open" else os.readlink(f"/proc/self/fd/{target}")
        if name.endswith(".tmp"):
            raise OSError(number, os.strerror(number))
        return real(target, *args, **kwargs)

    monkeypatch.setattr(os, call, refuse)


@pytest.mark.parametrize(
    "call, number, words",
    [
        ("write", errno.ENOSPC, "the disk is full"),
        ("write", errno.EDQUOT, "the disk is full"),
        ("open", errno.EROFS, "the disk is read-only"),
        ("open", errno.EACCES, "permission denied"),
        ("open", errno.EPERM, "permission denied"),
        ("write", errno.EIO, "input/output error"),
    ],
)
def test_a_disk_that_refuses_the_bytes_is_named_and_the_old_outputs_stay_whole(source_dir, tmp_path, capsys, monkeypatch, call, number, words):
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc (Linux) to tell the build's temporary files from other writes")
    builddir = tmp_path / "build"
    assert run(source_dir, builddir, capsys, "-j", "1")[0] == 0
    before = {path: path.read_bytes() for path in builddir.rglob("*") if path.is_file()}
    (source_dir / "tablets.md").write_text(HANDOUT + "\nAnd with food.\n", encoding="utf-8")
    _refuse_temporary_files(monkeypatch, call, number)
    status, err = run(source_dir, builddir, capsys, "-j", "1")
    monkeypatch.undo()
    assert status == 73, err
    match = assert_one_clear_error(err)
    assert Path(match["file"]).is_relative_to(builddir) and match["message"] == f"cannot be written: {words}"
    assert no_temporary_file(builddir)
    assert {path: path.read_bytes() for path in builddir.rglob("*") if path.is_file()} == before
    assert run(source_dir, builddir, capsys, "-j", "1")[0] == 0  # the disk has room again: it builds


def test_pipeline_check_says_so_too(source_dir, tmp_path, capsys):
    capsys.readouterr()
    assert main(["check", "--source-dir", str(source_dir), "--builddir", str(_file(tmp_path))]) == 73
    assert "a-file is a file, not a folder" in capsys.readouterr().err


def test_pipeline_new_says_so_too(tmp_path, capsys, monkeypatch):
    (tmp_path / "source").mkdir()
    _refuse_temporary_files(monkeypatch, "open", errno.EROFS)
    assert main(["new", "--source-dir", str(tmp_path / "source"), "Using your inhaler"]) == 73
    err = capsys.readouterr().err
    assert f"{tmp_path / 'source' / 'using-your-inhaler.md'}: error: cannot be written: the disk is read-only" in err
    assert list((tmp_path / "source").iterdir()) == []


def test_pipeline_serve_stops_when_it_cannot_write_the_pages(source_dir, tmp_path):
    """In its own process: a preview that went on serving nothing would never end (the timeout fails it)."""
    command = [sys.executable, "-m", "pipeline", "serve", "--port", "0", "--no-open"]
    command += ["--source-dir", str(source_dir), "--builddir", str(_file(tmp_path))]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 73 and "a-file is a file, not a folder" in result.stderr, result.stderr


def test_the_exit_status_is_the_commands(source_dir, tmp_path):
    """Through `python -m pipeline`, as make runs it."""
    command = [sys.executable, "-m", "pipeline", "build", "--source-dir", str(source_dir), "--builddir", str(_file(tmp_path))]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 73, result.stderr
    assert_one_clear_error(result.stderr)


def test_an_error_the_system_has_no_words_for_is_still_named(tmp_path):
    error = output.cannot_write(tmp_path / "x.html", OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG)))
    assert str(error).startswith(f"{tmp_path / 'x.html'}: error: cannot be written: file name too long\n  ")
