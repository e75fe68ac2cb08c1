"""A build's jobs on a Dask cluster: `pipeline build --scheduler tcp://host:8786`.

The build reads, writes and records in its own process exactly as a local build does
(pipeline/build/engine.py); only the making of the jobs moves. `Cluster` has the local workers'
interface (pipeline/build/workers.py): `run(jobs)` yields (job, outcome) as each finishes, `stop()`
starts no other. A job carries everything it is made from and its result the files' bytes, so the
workers need no shared folder; on a worker each job runs in a child process held to the site's
limits (pipeline/build/remote.py).

- Only a worker that would make the same bytes is used. Before a job is sent, and for each worker
  that joins later, this machine's manifest (pipeline/build/fingerprint.py) is compared with the
  worker's: a worker that differs is refused and named, with what differs. Each result brings the
  fingerprint of the process that made it; one that differs is never written, and its job is sent
  again (`TRIES` in all).
- A worker that dies costs a retry: the scheduler gives its tasks to the others. A job whose
  workers keep dying (more than `distributed.scheduler.allowed-failures`, 3 by default) fails as that
  job, and a cluster left with no worker that can be used fails the jobs left after
  `WAIT_FOR_WORKERS` seconds: neither waits for ever.
- At most `AHEAD` jobs per worker thread are sent at a time, in the build's order (the longest first),
  so that after `stop()` (a job failed) only those already sent are made, as in a local build.

Dask is imported by this module only, and only this module's build imports it.
"""

from __future__ import annotations

import logging
import os
import queue
import re
import time
import uuid
from collections import deque
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from ..errors import PipelineError, Unavailable
from . import fingerprint
from .jobs import Job, Result
from .remote import Made, make

if TYPE_CHECKING:
    from distributed import Client, Future

INSTALL = "pip install -e '.[cluster]'"
ADDRESS = re.compile(r"(?:[a-z]+://)?(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):[0-9]+")
AHEAD = 2
TRIES = 3
RETRIES = 2
"""A task that raises (not a job that fails: run_job returns those) is run again this many times."""
WAIT_FOR_WORKERS = 120.0
"""How long a build waits for a worker it can use: workers that a batch system starts take a while."""
LOOK_EVERY = 1.0
"""Seconds between two looks at the cluster's workers (which joined, which left)."""


class Cluster:
    def __init__(self, address: str, say: Callable[[str], None]) -> None:
        self.address, self.say = address, say
        self.stopped = False
        self.epoch = os.environ.get("SOURCE_DATE_EPOCH")
        """The build's, sent with each job: the outputs' dates depend on it."""
        self.ours = fingerprint.manifest()
        self.digests = fingerprint.digests(self.ours)
        self.client = connect(address)
        self.accepted: dict[str, int] = {}
        """The workers checked and found to make this machine's bytes, with their threads."""
        self.refused: set[str] = set()
        self.present: set[str] = set()
        self.looked = float("-inf")
        self.lonely_since: float | None = None
        self.lost: Exception | None = None
        self.done: queue.Queue[Future] = queue.Queue()
        """Each future sent, once it has finished, erred or been cancelled."""

    def stop(self) -> None:
        self.stopped = True

    def run(self, jobs: Iterable[Job], processes: int | None = None) -> Iterator[tuple[Job, Any]]:
        """(job, outcome) in the order they finish: a Result; Stopped, when its child on the worker
        was stopped at a limit; None for a job never sent because of stop(). `processes`: the local
        workers' count, which a cluster has no use for."""
        pending = deque((job, 1) for job in jobs)
        sent: dict[Future, tuple[Job, int, frozenset[str]]] = {}
        try:
            while pending or sent:
                self._look(pending, sent)
                if error := self._cannot_go_on():
                    failing = [job for job, *_ in [*sent.values(), *([] if self.stopped else pending)]]
                    sent.clear()
                    if not self.stopped:
                        pending.clear()
                    yield from ((job, _failed(job, error)) for job in failing)
                    break
                self._send(pending, sent)
                if not sent:
                    if self.stopped or not pending:
                        break
                    time.sleep(LOOK_EVERY / 4)  # waiting for a worker
                    continue
                try:
                    future = self.done.get(timeout=LOOK_EVERY)
                except queue.Empty:
                    continue
                if future not in sent:
                    continue  # cancelled here, and sent again
                job, tries, _ = sent.pop(future)
                outcome = self._outcome(future, job, tries)
                if outcome is None:
                    pending.appendleft((job, tries + 1))
                else:
                    yield job, outcome
            for job, _ in pending:
                yield job, None
        finally:
            self._close(list(sent))

    def _close(self, futures: list[Future]) -> None:
        try:
            if futures:  # the build was stopped (Ctrl-C)
                self.client.cancel(futures)
            self.client.close()
        except (OSError, TimeoutError):  # the scheduler is gone already
            pass

    # --- which workers ------------------------------------------------------------------------

    def _look(self, pending: deque, sent: dict) -> None:
        """Check the workers that joined; forget those that left, and send again the jobs that only
        workers now gone could take."""
        if time.monotonic() - self.looked < LOOK_EVERY:
            return
        self.looked = time.monotonic()
        try:
            threads = self.client.nthreads()
        except (OSError, TimeoutError) as error:
            self.lost = error
            return
        self.present = set(threads)
        new = [worker for worker in threads if worker not in self.accepted and worker not in self.refused]
        if new:
            self._check(new, threads)
        self.accepted = {worker: count for worker, count in self.accepted.items() if worker in threads}
        for future, (job, tries, allowed) in list(sent.items()):
            if self.accepted and not allowed & self.accepted.keys():
                future.cancel()
                del sent[future]
                pending.appendleft((job, tries))
        self.lonely_since = None if self.accepted else self.lonely_since or time.monotonic()

    def _check(self, workers: list[str], threads: dict[str, int]) -> None:
        try:
            answers = self.client.run(fingerprint.manifest, workers=workers, on_error="return")
        except (OSError, TimeoutError, KeyError):  # one left while asked: look again next time
            return
        for worker, theirs in answers.items():
            if isinstance(theirs, BaseException):
                self._refuse(worker, [f"its pipeline, which cannot say what it is ({type(theirs).__name__}: {theirs})"])
            elif differ := fingerprint.differences(self.ours, theirs):
                self._refuse(worker, differ)
            else:
                if not self.accepted and not self.refused:
                    self.say(f"note: building on the Dask cluster at {self.address}")
                self.accepted[worker] = threads[worker]

    def _refuse(self, worker: str, what: list[str]) -> None:
        self.refused.add(worker)
        self.accepted.pop(worker, None)
        self.say(
            f"warning: the Dask worker {worker} is not used: it differs from this machine in {'; '.join(what)},"
            f" so the files it made would differ.\n  Install the same commit there ({INSTALL}) and restart the worker."
        )

    def _cannot_go_on(self) -> Unavailable | None:
        """Why no job can be made: the scheduler is lost; or no worker can make them, at once when
        every worker there is was refused, after WAIT_FOR_WORKERS when there are none."""
        if self.lost is not None:
            return Unavailable(f"lost the Dask scheduler at {self.address}: {self.lost}")
        if self.accepted:
            return None
        if self.present and self.present <= self.refused:
            why = "each of its workers was refused (above)"
        elif time.monotonic() - (self.lonely_since or time.monotonic()) >= WAIT_FOR_WORKERS:
            why = f"it has had no worker this build can use for {WAIT_FOR_WORKERS:g} seconds"
        else:
            return None
        return Unavailable(
            f"no worker of the Dask cluster at {self.address} can make this build's files: {why}",
            hint="Start workers with this commit of the pipeline installed (README, \"Building on a cluster\"), or build here without --scheduler.",
        )

    # --- jobs -------------------------------------------------------------------------------------

    def _send(self, pending: deque, sent: dict) -> None:
        while pending and self.accepted and not self.stopped and len(sent) < AHEAD * sum(self.accepted.values()):
            job, tries = pending.popleft()
            workers = sorted(self.accepted)
            future = self.client.submit(
                make, job, self.epoch, key=f"pipeline-{job.format}-{job.handout.slug}-{uuid.uuid4().hex[:8]}",
                workers=workers, allow_other_workers=False, retries=RETRIES, pure=False,
            )
            sent[future] = (job, tries, frozenset(workers))
            future.add_done_callback(self.done.put)

    def _outcome(self, future: Future, job: Job, tries: int) -> Any:
        """The job's outcome; None: send it again."""
        from distributed import KilledWorker

        if future.status == "finished":
            made: Made = future.result()
            if made.digests == self.digests:
                return made.outcome
            parts = fingerprint.digest_differences(self.digests, made.digests)
            self._refuse(made.worker, [f"{', '.join(parts)} (found in a result: its pipeline changed since it was checked)"])
            if tries < TRIES:
                return None
            error = Unavailable(f"making the {job.format} output: {TRIES} workers made it with another pipeline", job.source)
        elif future.status == "error" and isinstance(future.exception(), KilledWorker):
            error = PipelineError(
                f"making the {job.format} output: each Dask worker that ran it died ({future.exception()})",
                job.source,
                hint="Look in the workers' logs for why (a machine out of memory?); the scheduler's"
                " 'distributed.scheduler.allowed-failures' says how many deaths a job may cause.",
            )
        else:
            problem = future.exception() if future.status == "error" else f"the task was {future.status}"
            error = Unavailable(f"making the {job.format} output on the Dask cluster at {self.address} failed: {problem}", job.source)
        return _failed(job, error)


def _failed(job: Job, error: PipelineError) -> Result:
    return Result(job.format, job.source, error=str(error), exit_status=error.exit_status)


def connect(address: str) -> Client:
    """A client of the scheduler at `address`, or a message that says why there is none: Dask is
    not installed, or the scheduler does not answer within Dask's connect timeout
    (`distributed.comm.timeouts.connect`, 30 s by default; DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=10s)."""
    try:
        from distributed import Client
    except ImportError:
        raise Unavailable(
            "building on a Dask cluster (--scheduler) needs the packages dask and distributed, which are not installed",
            hint=f"Install them into the pipeline's environment: {INSTALL}",
        ) from None
    if not ADDRESS.fullmatch(address):  # checked here: Dask's client, refused one, hangs as Python ends
        raise Unavailable(f"'{address}' is not the address of a Dask scheduler", hint="Give it as tcp://HOST:PORT, e.g. tcp://build-1.example.org:8786.")
    # Dask's client logs what it goes through (a lost scheduler: tracebacks); the build says what matters, once.
    for name in ["distributed", *(name for name in logging.root.manager.loggerDict if name.startswith("distributed."))]:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        return Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise Unavailable(
            f"cannot reach the Dask scheduler at {address}: {error}",
            hint="Check the address (tcp://HOST:8786), that 'dask scheduler' runs there, and that this machine may connect to that port.",
        ) from None
