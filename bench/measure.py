"""Running and measuring processes for `make bench`: wall time, CPU time and peak memory of each step."""

from __future__ import annotations

import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class BenchError(Exception):
    """A problem the person running the bench can fix; printed as one message, no traceback."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class Measure:
    wall_s: float
    """Elapsed time from the first process started to the last one finished."""
    cpu_s: float
    """User + system time of every process run and of their children (RUSAGE_CHILDREN delta)."""
    peak_mb: float
    """Largest max RSS of any one process run (wait4's ru_maxrss: the process or its largest child)."""
    processes: int


def run(commands: Sequence[Sequence[str]], jobs: int, env: dict[str, str], log: Path, cwd: Path | None = None) -> Measure:
    """Run the commands in `cwd`, at most `jobs` at a time; all must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    pending = list(reversed(commands))
    running: dict[int, tuple[subprocess.Popen, Sequence[str]]] = {}
    peak_kb = 0
    start = time.perf_counter()
    with log.open("ab") as out:
        try:
            while pending or running:
                while pending and len(running) < jobs:
                    command = pending.pop()
                    process = subprocess.Popen(
                        command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd
                    )
                    running[process.pid] = (process, command)
                pid, status, usage = _wait_for_one(running)
                process, command = running.pop(pid)
                process.returncode = os.waitstatus_to_exitcode(status)
                peak_kb = max(peak_kb, usage.ru_maxrss)  # kilobytes on Linux
                if process.returncode != 0:
                    raise BenchError(f"'{shlex.join(command)}' failed (exit status {process.returncode})", f"Its output is in {log}.")
        finally:
            for process, _ in running.values():  # after a failure or Ctrl-C: leave nothing running
                process.kill()
                process.wait()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measure(round(wall, 3), round(cpu, 3), round(peak_kb / 1024, 1), len(commands))


def _wait_for_one(running: dict[int, object]) -> tuple[int, int, resource.struct_rusage]:
    """Wait until one of these processes ends: (pid, status, its resource usage).

    wait4, not Popen.wait: it gives that one process's peak memory. Each pid is waited for by name,
    never any child (-1), which could reap a process someone else started (a test's, say).
    """
    if len(running) == 1:
        return os.wait4(next(iter(running)), 0)
    while True:
        for pid in running:
            ended, status, usage = os.wait4(pid, os.WNOHANG)
            if ended:
                return ended, status, usage
        time.sleep(0.005)  # at most 5 ms late on a run that takes seconds


@dataclass(frozen=True)
class Pipeline:
    """How to call this pipeline's command line; -j and -q are passed only when it has them."""

    jobs: int
    has_jobs: bool
    has_quiet: bool
    formats: tuple[str, ...]

    @classmethod
    def detect(cls, jobs: int) -> "Pipeline":
        help_text = subprocess.run(
            [PYTHON, "-m", "pipeline", "build", "--help"], capture_output=True, text=True, cwd=ROOT
        ).stdout
        if "--builddir" not in help_text:
            raise BenchError("'python -m pipeline build --help' did not run", "Run 'make' first to install the pipeline.")
        has = lambda flag: re.search(rf"(^|[\s\[,]){re.escape(flag)}\b", help_text) is not None  # noqa: E731
        # The formats as --help lists them (importing the writers here would weigh on every measure).
        formats = re.search(r"comma-separated: (.+?) \(default", " ".join(help_text.split()))
        if not formats:
            raise BenchError("'python -m pipeline build --help' lists no formats", "bench/run.py needs updating to its new wording.")
        return cls(jobs, has("-j"), has("-q"), tuple(name.strip() for name in formats.group(1).split(",")))

    @property
    def workers(self) -> int:
        return self.jobs if self.has_jobs else 1

    def command(self, source: Path, builddir: Path, formats: str | None = None, jobs: int | None = None) -> list[str]:
        command = [PYTHON, "-m", "pipeline", "build", "--source-dir", str(source), "--builddir", str(builddir)]
        if self.has_jobs:
            command += ["-j", str(jobs or self.jobs)]
        if self.has_quiet:
            command += ["-q"]
        return command + (["--format", formats] if formats else [])


def pandoc_commands(pandoc: str, handouts: Sequence[Path], outdir: Path) -> list[list[str]]:
    """What a user of Pandoc runs: one process per document."""
    outdir.mkdir(parents=True, exist_ok=True)
    commands = []
    for source in handouts:
        out = outdir / source.stem
        commands += [
            [pandoc, str(source), "--standalone", "-o", f"{out}.html"],
            [pandoc, str(source), "-o", f"{out}.epub"],
            [pandoc, str(source), "--pdf-engine=weasyprint", "-o", f"{out}.pdf"],
        ]
    return commands


def find_pandoc(bindir: str) -> str:
    if not shutil.which("weasyprint", path=bindir):
        raise BenchError(f"no 'weasyprint' command in {bindir}", "Run 'make' to install the pipeline into .venv.")
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as error:
        raise BenchError(f"Pandoc is not installed ({error})", "Run 'make bench': it installs pypandoc_binary into .venv.") from None



def descendants(pid: int) -> list[int]:
    """Every process under `pid`, from /proc (Linux)."""
    found, queue = [], [pid]
    while queue:
        below = children(queue.pop())
        found += below
        queue += below
    return found


def children(pid: int) -> list[int]:
    """The processes `pid` started, from each of its threads' /proc entry (Linux)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def peak_kb(pid: int) -> int:
    """The peak resident memory of a running process (VmHWM), in kB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
