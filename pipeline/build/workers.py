"""Jobs run in worker processes, each held to a time and a memory limit from outside the job.

A limit enforced inside a job can be defeated by the job: WeasyPrint catches every exception while
it draws an SVG picture, an alarm raised there included, and goes on drawing. So every job (a PDF,
an e-book, a web page, a check report) runs in a worker forked from the build, and:

- the memory limit is on the worker's address space (RLIMIT_AS), set before it runs a job to what
  the worker holds then (forked, it shares the build's memory) plus the limit: an allocation past
  it fails in the worker, which then ends, and no job can take the machine's memory. (A limit on
  the whole address space made every job of a build that had grown past it fail at its first
  allocation: a fuzzing run of 8,000 builds in one process did);
- the time limit is kept by the build: a worker still busy with one job when its time is up is
  killed (SIGKILL cannot be caught), its job reported as too slow, and a new worker forked.

A worker that dies for any other reason (a library that aborts when memory runs out) costs its job
only. Workers make their temporary files in a folder of their own, which the pool removes when it
is done: WeasyPrint keeps fonts in temporary folders that it removes only when Python finalises them,
which a worker ending (or killed) never does; hundreds of them were left behind each day. Workers are forked, not spawned, so they inherit what the build has read and imported; each
runs one job at a time and stays for the next, keeping its warm caches (fonts, stylesheets).

Linux and macOS: forking and resource limits are POSIX (the build already needs both).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

from ..errors import PipelineError


@dataclass(frozen=True)
class Limits:
    """What one job may cost: `job_seconds` of wall time, `job_memory_mb` of memory (site.yaml `limits:`)."""

    job_seconds: float = 120
    job_memory_mb: int = 2048


@dataclass(frozen=True)
class Stopped:
    """The outcome of a job that did not finish: why, in words that complete "making it …"."""

    why: str


class Workers:
    """Run `function(item)` for each item in up to `processes` forked workers, within `limits`.

    `function` and everything it reads must be there before the workers are forked (they are
    inherited); items and results travel between processes pickled. `start` runs once in each new
    worker. `stop()` lets the jobs running finish and starts no other: their items come out Stopped.

    A pool that is `kept` (a warm build server's, pipeline/build/warm.py) keeps its idle workers
    between runs, with their warm caches, until `close()`; a worker is replaced after `MAX_JOBS`, so
    that what a long-lived process accumulates never counts against one job's memory limit.
    """

    MAX_JOBS = 200

    def __init__(
        self, function: Callable[[Any], Any], processes: int, limits: Limits, start: Callable[[], None] | None = None, kept: bool = False
    ):
        self.function, self.processes, self.limits, self.start, self.kept = function, max(1, processes), limits, start, kept
        self.stopped = False
        self.idle: list[tuple[Any, Connection]] = []
        self.jobs_done: dict[int, int] = {}  # by worker pid
        self.folder: str | None = None

    def stop(self) -> None:
        self.stopped = True

    def close(self) -> None:
        """End the idle workers and remove their temporary files."""
        for process, connection in self.idle:
            _ask_to_end(connection)
        for process, connection in self.idle:
            process.join(1)
            _kill(process)
            connection.close()
        self.idle, self.jobs_done = [], {}
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def run(self, items: Iterable[Any], processes: int | None = None) -> Iterator[tuple[Any, Any]]:
        """(item, result or Stopped) for each item, in the order they finish; (item, None) for one never
        started because of stop(). Items may not be None. `processes`: this run's, if not the pool's."""
        pending = deque(items)
        processes = max(1, processes or self.processes)
        context = multiprocessing.get_context("fork")
        idle = self.idle
        busy: dict[Connection, tuple[Any, Any, float]] = {}  # connection: (process, item, started)
        self.stopped = False
        if self.folder is None:
            self.folder = tempfile.mkdtemp(prefix="pipeline-workers-")
        try:
            while pending or busy:
                while pending and len(busy) < processes and not self.stopped:
                    while idle and not idle[-1][0].is_alive():  # a kept worker ended while it waited
                        _kill(idle[-1][0])
                        idle.pop()[1].close()
                    process, connection = idle.pop() if idle else self._fork(context)
                    item = pending.popleft()
                    connection.send(item)
                    busy[connection] = (process, item, time.monotonic())
                if not busy:
                    break
                deadline = min(started for _, _, started in busy.values()) + self.limits.job_seconds
                ready = set(wait([*busy, *(process.sentinel for process, _, _ in busy.values())], max(0.0, deadline - time.monotonic())))
                for connection, (process, item, started) in list(busy.items()):
                    outcome = None
                    if connection in ready or connection.poll():
                        try:
                            outcome = connection.recv()
                        except (EOFError, OSError):
                            outcome = self._died(process)
                    elif process.sentinel in ready:
                        outcome = self._died(process)
                    elif time.monotonic() - started >= self.limits.job_seconds:
                        _kill(process)
                        outcome = Stopped(f"took longer than the limit of {self.limits.job_seconds:g} seconds")
                    if outcome is None:
                        continue
                    del busy[connection]
                    self.jobs_done[process.pid] = self.jobs_done.get(process.pid, 0) + 1
                    if process.is_alive() and not isinstance(outcome, Stopped) and not (self.kept and self.jobs_done[process.pid] >= self.MAX_JOBS):
                        idle.append((process, connection))
                    else:
                        _kill(process)
                        connection.close()
                        self.jobs_done.pop(process.pid, None)
                    yield item, outcome
            for item in pending:  # after stop(): never started
                yield item, None
        finally:
            for connection, (process, _, _) in busy.items():  # only when the build itself is stopped (Ctrl-C)
                _kill(process)
                connection.close()
            if not self.kept:
                self.close()

    def _fork(self, context) -> tuple[Any, Connection]:
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_work, args=(self.function, theirs, self.limits.job_memory_mb, self.start, os.getpid(), self.folder), daemon=True
        )
        process.start()
        theirs.close()
        return process, ours

    def _died(self, process) -> Stopped:
        process.join(1)
        return ended(process.exitcode, self.limits.job_memory_mb)


def ended(code: int | None, memory_mb: int) -> Stopped:
    """A worker that ended mid-job, with exit status `code` (negative: the signal that ended it)."""
    how = f"was ended by signal {signal.Signals(-code).name}" if code and code < 0 else f"ended with status {code}"
    return Stopped(f"stopped: the process making it {how}, most likely because it needed more than the memory limit of {memory_mb} MB")


def stopped_error(job, stopped: Stopped) -> PipelineError:
    """A job the workers stopped: too slow, or too big."""
    setting = "job_seconds" if "seconds" in stopped.why else "job_memory_mb"
    return PipelineError(
        f"making the {job.format} output {stopped.why}",
        job.source,
        hint=f"Look for a very long table, list or picture and split the handout; or raise '{setting}' under"
        " 'limits:' in site.yaml.",
    )


def _ask_to_end(connection: Connection) -> None:
    # A message, not the end of the pipe: every worker forked later holds a copy of this end too.
    try:
        connection.send(None)
    except OSError:
        pass


def _kill(process) -> None:
    if process.is_alive():
        process.kill()
    process.join()


def _work(function: Callable[[Any], Any], connection: Connection, memory_mb: int, start, parent: int, folder: str) -> None:
    """A worker: one job at a time until the build says it is done (None)."""
    import resource

    tempfile.tempdir = folder  # what it leaves there, the pool removes (module docstring)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the build stops its workers
    _die_with(parent)
    # A worker says everything through its results (the build prints them); what else reaches its
    # standard error is noise, such as Python's "Exception ignored" lines once memory has run out.
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    limit = _address_space() + memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # a lower hard limit is already set: that one holds
        pass
    if start is not None:
        start()
    while True:
        try:
            item = connection.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        try:
            result = function(item)
        except MemoryError:
            result = Stopped(f"needed more than the memory limit of {memory_mb} MB")
        connection.send(result)
        if isinstance(result, Stopped):
            os._exit(1)  # out of memory once, nothing in this process can be trusted


def _address_space() -> int:
    """The bytes of address space this process holds now (Linux; 0 elsewhere: the limit is then the whole)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _die_with(parent: int) -> None:
    """A worker whose build is killed is killed too (Linux): it must not go on writing outputs
    after the build, or a test, has looked at them. Its temporary file is removed by the next build."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the worker ends when it next asks for a job
        return
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def start_worker() -> None:
    """Once in each worker. Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which
    stamps each font with the clock unless SOURCE_DATE_EPOCH is set: a worker's PDFs must not
    depend on when it runs."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "315532800")  # 1980-01-01, the earliest a zip can record
