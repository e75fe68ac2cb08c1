"""Never lose an output: a build killed at any moment, or several builds at once into one folder,
leave every output whole, and the next build leaves no temporary file behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.errors import CannotWrite
from pipeline.build.output import remove_stale_temp_files, write_atomically

from .conftest import ROOT, SOURCE_DIR, require

OUTPUT_FOLDERS = ("pdf", "epub", "html", "reports")


def outputs(builddir: Path) -> dict[str, bytes]:
    """Every file of the output folders, by path relative to the build folder (temporary files too)."""
    return {
        str(path.relative_to(builddir)): path.read_bytes()
        for folder in OUTPUT_FOLDERS
        for path in sorted((builddir / folder).rglob("*"))
        if path.is_file()
    }


def temp_files(builddir: Path) -> list[Path]:
    return sorted(builddir.rglob("*.tmp"))


def start_build(builddir: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipeline", "build", "--source-dir", str(SOURCE_DIR), "--builddir", str(builddir), *args]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> None:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- write_atomically and the temporary files it leaves when killed -------------------------------


def test_write_atomically_replaces_whole_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "out" / "a.html"
    write_atomically(target, "first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert sorted(path.name for path in target.parent.iterdir()) == ["a.html"]


def test_a_failed_write_keeps_the_old_output_and_removes_its_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    write_atomically(target, b"old")

    def power_cut(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", power_cut)
    with pytest.raises(CannotWrite) as caught:  # said of the output, not of its temporary file
        write_atomically(target, b"new")
    assert caught.value.path == target and caught.value.message == "cannot be written: input/output error"
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["a.pdf"]


def test_only_temporary_files_of_dead_writers_are_removed(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = tmp_path / "html" / "assets"
        folder.mkdir(parents=True)
        stale = folder / f".screen.css.{dead_pid()}.0123abcd.tmp"
        running = folder / f".screen.css.{sleeper.pid}.0123abcd.tmp"  # another build, still writing
        mine = folder / f".print.css.{os.getpid()}.0123abcd.tmp"
        not_ours = [folder / ".notes.tmp", folder / ".editor.swp.tmp", folder / "page.html"]
        for path in (stale, running, mine, *not_ours):
            path.write_text("partial")
        assert remove_stale_temp_files(tmp_path / "html") == [stale]
        assert not stale.exists()
        assert all(path.exists() for path in (running, mine, *not_ours))
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_build_removes_the_temporary_files_a_killed_build_left(tmp_path):
    builddir = tmp_path / "build"
    left = [builddir / "html" / f".handout.html.{dead_pid()}.deadbeef.tmp", builddir / "epub" / f".x.epub.{dead_pid()}.00ff00ff.tmp"]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
    source = tmp_path / "source"
    source.mkdir()
    (source / "tablets.md").write_text("---\ntitle: Tablets\n---\n\nTake them with water.\n")
    from .conftest import build

    assert build(source, builddir, "--format", "html,epub") == 0
    assert temp_files(builddir) == []


# --- killed builds ---------------------------------------------------------------------------------


def test_a_killed_build_never_harms_the_previous_outputs(tmp_path):
    """Kill builds at moments spread over a whole build (most of it is PDF rendering): every output
    of the build before is still there with the same bytes (builds are reproducible, so a complete
    new version is the same bytes too), and the next build leaves no temporary file. The build runs
    its jobs in worker processes; SIGKILL reaches only the parent, the workers finish or die with it."""
    builddir = tmp_path / "build"
    started = time.monotonic()
    finish(start_build(builddir))
    duration = time.monotonic() - started
    before = outputs(builddir)
    assert len(before) > 10 and not temp_files(builddir)

    moments = sorted({0.2, 0.5, 1.0, 2.0} | {round(duration * share, 2) for share in (0.35, 0.65, 0.9)})
    for moment in moments:
        shutil.rmtree(builddir / ".state", ignore_errors=True)  # without its records, the build makes every output again
        process = start_build(builddir)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        after = {name: data for name, data in outputs(builddir).items() if not name.endswith(".tmp")}
        assert after.keys() == before.keys(), f"killed after {moment} s"
        changed = [name for name in before if after[name] != before[name]]
        assert not changed, f"killed after {moment} s, these outputs changed: {changed}"

    finish(start_build(builddir))
    assert outputs(builddir) == before
    assert temp_files(builddir) == []


# --- builds at the same time -----------------------------------------------------------------------


def test_builds_at_the_same_time_into_one_folder_all_succeed_with_the_same_outputs(tmp_path, built):
    builddir = tmp_path / "build"
    processes = [start_build(builddir) for _ in range(3)]
    for process in processes:
        finish(process)
    assert outputs(builddir) == outputs(built)  # complete, and the same as one build alone
    assert temp_files(builddir) == []


def copy_project(folder: Path) -> Path:
    folder.mkdir()
    for name in ("Makefile", "pipeline", "templates", "source"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, folder / name)
    return folder


def start_make(folder: Path, *args: str) -> subprocess.Popen:
    command = ["make", f"PIPELINE={sys.executable} -m pipeline", "INSTALLED=", *args]
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_two_parallel_makes_at_once_build_what_one_make_builds(tmp_path):
    require("make", "sudo apt-get install -y make")
    alone = copy_project(tmp_path / "alone")
    at_once = copy_project(tmp_path / "at-once")
    makes = [start_make(at_once, "-j4") for _ in range(2)]
    single = start_make(alone)
    for process in (*makes, single):
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, out + err
    assert outputs(at_once / "build") == outputs(alone / "build")
    assert outputs(alone / "build")
    assert temp_files(at_once / "build") == []
