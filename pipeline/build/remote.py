"""A build's jobs on a Dask worker (pipeline/build/cluster.py is the build's side): each job in a child
process held to the site's limits, kept from one job to the next so that WeasyPrint stays warm.

The child is a fresh Python started with subprocess, not one of the build's forked workers
(pipeline/build/workers.py): Dask's nanny runs a worker as a daemonic process, which multiprocessing
forbids to start processes, and a worker runs threads (its event loop, other tasks), which a fork
would copy mid-step, locks held. The child speaks the forked workers' protocol (`_work`: a job in,
its result out, over a socket pair) and is held to the limits the same way: its address space to
what it holds once the writers are imported plus `job_memory_mb`, and killed when a job takes longer
than `job_seconds`, which then comes out Stopped, as it would in a local build. Each thread of a
worker (`dask worker --nthreads N`) keeps a child of its own. The child dies with its thread.

Before its first job, a child sends the fingerprint of the pipeline it imported (pipeline/build/
fingerprint.py), which comes back with each of its results: the build writes no file made by a
pipeline other than its own. A worker whose files change (a new commit checked out) starts a new
child for its next job, so that it is used again once it has the build's commit.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from . import fingerprint
from .jobs import Job, Result
from .workers import Limits, Stopped, _ask_to_end, _work, ended

JOBS_PER_CHILD = 200
"""Then a new child: what a long-lived process gathers must not count against one job's memory limit."""
START_SECONDS = 120.0
"""How long a child may take to import the writers and hash its fonts and templates."""
CODE = Path(__file__).resolve().parents[2]
"""The folder this pipeline is imported from: the child imports the same one."""

_here = threading.local()


@dataclass(frozen=True)
class Made:
    """What a task returns to the build: its job's outcome and who made it with what."""

    worker: str
    """The Dask worker's address."""
    digests: dict[str, str]
    """The fingerprint of the child that made it (fingerprint.digests)."""
    outcome: Result | Stopped


def make(job: Job, epoch: str | None) -> Made:
    """The Dask task: `job` made in this thread's child, under the build's SOURCE_DATE_EPOCH (`epoch`,
    None when it had none)."""
    from distributed import get_worker

    limits = job.site.limits
    child = getattr(_here, "child", None)
    if child is None or child.limits != limits or child.jobs >= JOBS_PER_CHILD or child.files != fingerprint.signature():
        if child is not None:
            child.close()
        child = _here.child = _Child(limits)
    outcome = child.run((job, epoch))
    if isinstance(outcome, Stopped):
        child.close()  # killed, or out of memory: nothing in it can be trusted
        _here.child = None
    return Made(get_worker().address, child.digests, outcome)


class _Child:
    def __init__(self, limits: Limits) -> None:
        self.limits, self.jobs = limits, 0
        self.files = fingerprint.signature()
        """What the child will import and read: when it changes (a new commit checked out), a new child."""
        self.folder = tempfile.mkdtemp(prefix="pipeline-workers-")
        atexit.register(shutil.rmtree, self.folder, True)  # a worker that ends with a child alive
        ours, theirs = socket.socketpair()
        python_path = os.pathsep.join(filter(None, [str(CODE), os.environ.get("PYTHONPATH")]))
        command = [sys.executable, "-c", "from pipeline.build.remote import child; child()"]
        self.process = subprocess.Popen(
            [*command, str(theirs.fileno()), str(os.getpid()), str(limits.job_memory_mb), self.folder],
            pass_fds=[theirs.fileno()], cwd=self.folder, env={**os.environ, "PYTHONPATH": python_path},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        )  # its standard error is the worker's, until it starts: an import that fails is in the worker's log
        theirs.close()
        self.connection = Connection(ours.detach())
        if not wait([self.connection], START_SECONDS):
            self.close()
            raise RuntimeError(f"the process to make jobs in did not start within {START_SECONDS:g} seconds")
        try:
            self.digests: dict[str, str] = self.connection.recv()
        except (EOFError, OSError):
            self.close()
            raise RuntimeError(f"the process to make jobs in ended as it started (status {self.process.wait()})") from None

    def run(self, item: tuple[Job, str | None]) -> Result | Stopped:
        self.jobs += 1
        try:
            self.connection.send(item)
            if wait([self.connection], self.limits.job_seconds):
                return self.connection.recv()
        except (EOFError, OSError):
            self.process.wait()
            return ended(self.process.returncode, self.limits.job_memory_mb)
        self.close(kill=True)
        return Stopped(f"took longer than the limit of {self.limits.job_seconds:g} seconds")

    def close(self, kill: bool = False) -> None:
        if self.process.poll() is None and not kill:
            _ask_to_end(self.connection)
            try:
                self.process.wait(1)
            except subprocess.TimeoutExpired:
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.connection.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def child() -> None:
    """The child: imports every writer, says what it is, then makes jobs until told to end."""
    from .. import formats

    descriptor, parent, memory_mb, folder = sys.argv[1:]
    for format in formats.FORMATS:
        format.writer_class()  # imported before the memory limit is set, as a forked worker inherits them
    connection = Connection(int(descriptor))
    connection.send(fingerprint.digests(fingerprint.manifest()))
    _work(_made, connection, int(memory_mb), None, int(parent), folder)


def _made(item: tuple[Job, str | None]) -> Result:
    from .workers import start_worker
    from .jobs import run_job

    job, epoch = item
    if epoch is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    start_worker()  # a build without SOURCE_DATE_EPOCH gets what its local workers would set
    return run_job(job)
