"""Builds on a Dask cluster of this machine, for `make bench` (bench/run.py calls `bench_cluster`).

Given a folder of N handouts, it starts a Dask scheduler and one worker (one thread) on 127.0.0.1
and times a cold build of everything with `--scheduler`: the worker's job process starts with the
build, as a worker that has just joined. Then the same with two fresh workers, and a build here
with one process (`-j 1`) to compare the one-worker build with. For each it measures the wall time
and the CPU time of every process taking part: the build's own (the client), the scheduler's and
the workers' with their job processes. It also measures what one task costs the scheduler (a
trivial task's round trip, and the cost per task of many at once), the peak memory of a worker and
of its job process, and whether the cluster's files are the bytes of the build here. Everything it
starts it stops by process id.

`projection(result, handouts, workers)` turns these numbers into the time of a larger catalogue on
a larger cluster, and says how.

    python -m bench.cluster SOURCE_DIR [--log LOG]     # prints the numbers and the projection
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from bench.measure import PYTHON, ROOT, BenchError, children, descendants, peak_kb

DASK = str(Path(PYTHON).parent / "dask")
START_SECONDS = 120
"""A hang guard for a scheduler or worker to start, not a measure."""
TRIVIAL_TASKS = 200
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

_TRIVIAL = """
import json, sys, time
from operator import neg
from distributed import Client
client = Client(sys.argv[1], set_as_default=False, timeout=60)
count = int(sys.argv[2])
started = time.perf_counter()
for number in range(count):
    client.submit(neg, number, pure=False).result()
one_by_one = (time.perf_counter() - started) / count
started = time.perf_counter()
client.gather(client.map(neg, range(count * 10), pure=False))
at_once = (time.perf_counter() - started) / (count * 10)
print(json.dumps({"round_trip_ms": round(one_by_one * 1000, 2), "per_task_ms": round(at_once * 1000, 3)}))
client.close()
"""


class _Cluster:
    """A scheduler and workers on 127.0.0.1, their output in `log`."""

    def __init__(self, log: Path, env: dict[str, str]) -> None:
        self.log, self.env, self.processes = log, env, []
        scheduler = self._start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--idle-timeout", "600s")
        self.scheduler = scheduler
        self.address = self._wait_for(scheduler, r"Scheduler at:\s+(tcp://127\.0\.0\.1:\d+)")
        self.workers: list[subprocess.Popen] = []

    def _start(self, name: str, *args: str) -> subprocess.Popen:
        out = open(self.log.with_name(f"{self.log.stem}-{name}-{len(self.processes)}.log"), "w+b")
        process = subprocess.Popen([DASK, *args], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=self.env, cwd=ROOT)
        process.out = out
        self.processes.append(process)
        return process

    def _wait_for(self, process: subprocess.Popen, pattern: str) -> str:
        deadline = time.monotonic() + START_SECONDS
        while True:
            process.out.seek(0)
            if found := re.search(pattern, process.out.read().decode("utf-8", "replace")):
                return found.group(1) if found.groups() else found.group(0)
            if process.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"'dask {process.args[1]}' did not start", f"Its output is in {process.out.name}.")
            time.sleep(0.1)

    def add_worker(self) -> None:
        worker = self._start("worker", "worker", self.address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard", "--death-timeout", "60")
        self._wait_for(worker, r"Registered to:")
        self.workers.append(worker)

    def remove_workers(self) -> None:
        for worker in self.workers:
            self._stop(worker)
        self.workers = []

    def _stop(self, process: subprocess.Popen) -> None:
        family = descendants(process.pid)
        process.send_signal(signal.SIGTERM)  # the nanny ends its worker, the worker its job processes
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for pid in family:  # only those that outlived their parent
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.out.close()
        self.processes.remove(process)

    def pids(self) -> dict[str, list[int]]:
        """The scheduler's processes, and every worker's: its nanny, itself and its job processes."""
        family = lambda process: [process.pid, *descendants(process.pid)]  # noqa: E731
        return {"scheduler": family(self.scheduler), "workers": [pid for worker in self.workers for pid in family(worker)]}

    def close(self) -> None:
        for process in reversed(list(self.processes)):
            self._stop(process)


def bench_cluster(source_dir: Path, env: dict[str, str], log: Path) -> dict:
    """Cold builds of every handout in `source_dir` on one, then two, workers of a Dask cluster of
    this machine, and a build here (`-j 1`); the numbers as a dict (it goes into results.json)."""
    env = {**env, "PYTHONPATH": str(ROOT)}
    handouts = len(list(source_dir.rglob("*.md")))
    with tempfile.TemporaryDirectory(prefix="handout-bench-cluster-") as tmp:
        work = Path(tmp)
        local = _timed([PYTHON, "-m", "pipeline", "build", "-q", "--cold", "-j", "1", "--source-dir", str(source_dir),
                        "--builddir", str(work / "local")], env, log, dict)
        cluster = _Cluster(log, env)
        try:
            result = {"handouts": handouts, "jobs": _jobs(work / "local"), "local_1_process": local}
            for workers in (1, 2):
                cluster.remove_workers()
                for _ in range(workers):
                    cluster.add_worker()
                builddir = work / f"workers-{workers}"
                command = [PYTHON, "-m", "pipeline", "build", "-q", "--source-dir", str(source_dir), "--builddir", str(builddir),
                           "--scheduler", cluster.address]
                result[f"cluster_{workers}_worker"] = _timed(command, env, log, cluster.pids)
                result[f"cluster_{workers}_worker"]["same_bytes"] = _same(work / "local", builddir)
                if workers == 1:
                    result["worker_peak_mb"], result["job_process_peak_mb"] = _worker_peaks(cluster)
            one = sorted(source_dir.rglob("*.md"))[0]  # what the build's process costs before its first handout
            command = [PYTHON, "-m", "pipeline", "build", "-q", "--source-dir", str(source_dir), "--builddir", str(work / "one"),
                       "--scheduler", cluster.address, str(one)]
            result["cluster_2_worker_1_handout"] = _timed(command, env, log, cluster.pids)
            result["tasks"] = _trivial_tasks(cluster.address, env, log)
        finally:
            cluster.close()
    result["job_process_start_s"] = _job_process_start(env)
    result["output_mb_per_handout"] = result["cluster_1_worker"].pop("output_mb") / handouts
    return result


def _timed(command: list[str], env: dict[str, str], log: Path, others: Callable[[], dict[str, list[int]]]) -> dict:
    """Wall time of `command`, its CPU time, and that of the processes `others()` names meanwhile
    (from /proc: each one's own and its reaped children's), by group."""
    before_cpu = {pid: _cpu_s(pid) for pids in others().values() for pid in pids}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with log.open("ab") as out:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise BenchError(f"a build on the cluster failed (exit status {done.returncode})", f"Its output is in {log}.")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    groups = {f"{group}_cpu_s": round(sum(_cpu_s(pid) - before_cpu.get(pid, 0.0) for pid in pids), 2) for group, pids in others().items()}
    builddir = Path(command[command.index("--builddir") + 1])
    size = sum(path.stat().st_size for path in builddir.rglob("*") if path.is_file() and ".state" not in path.parts)
    return {"wall_s": round(wall, 2), "client_cpu_s": round(client, 2), **groups,
            "cpu_s": round(client + sum(groups.values()), 2), "output_mb": size / 1e6}


def _jobs(builddir: Path) -> int:
    """The jobs of a cold build of everything: one per handout and format that is not a list."""
    records = [json.loads(path.read_text(encoding="utf-8")) for path in (builddir / ".state").glob("*.json")]
    return sum(len(record["records"]) for record in records if record["records"] and not record["listed_from"])


def _same(one: Path, other: Path) -> bool:
    """Whether two build folders hold the same files with the same bytes."""
    compared = filecmp.dircmp(one, other)
    pending = [compared]
    while pending:
        level = pending.pop()
        _, mismatch, errors = filecmp.cmpfiles(level.left, level.right, level.common_files, shallow=False)
        if level.left_only or level.right_only or mismatch or errors:
            return False
        pending += level.subdirs.values()
    return True


def _worker_peaks(cluster: _Cluster) -> tuple[float, float]:
    """The peak resident memory (VmHWM) of the Dask worker process and of its largest job process, in MB."""
    nanny = cluster.workers[0].pid
    worker = max(children(nanny), key=peak_kb, default=nanny)
    jobs = children(worker)
    return round(peak_kb(worker) / 1024, 1), round(max(map(peak_kb, jobs), default=0) / 1024, 1)


def _trivial_tasks(address: str, env: dict[str, str], log: Path) -> dict:
    """A trivial task's round trip through the scheduler, and the cost per task of many sent at once
    (measured in a process of its own: Dask stays out of the bench's)."""
    done = subprocess.run([PYTHON, "-c", _TRIVIAL, address, str(TRIVIAL_TASKS)], capture_output=True, text=True, env=env, timeout=600)
    with log.open("a", encoding="utf-8") as out:
        out.write(done.stderr)
    if done.returncode != 0:
        raise BenchError("the trivial tasks failed on the cluster", f"Their output is in {log}.")
    return json.loads(done.stdout.splitlines()[-1])


def _job_process_start(env: dict[str, str]) -> float:
    """What a worker's job process takes to start: Python and every writer imported."""
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", "from pipeline import formats\nfor f in formats.FORMATS: f.writer_class()"], env=env, cwd=ROOT, check=True)
    return round(time.perf_counter() - started, 2)


def projection(result: dict, handouts: int = 40_000, workers: int = 50, threads_per_worker: int = 1) -> tuple[float, str]:
    """The projected wall time, in seconds, of a cold build of `handouts` handouts (as the bench's,
    every format) on `workers` Dask workers of `threads_per_worker` threads, and how it is reckoned."""
    one = result["cluster_1_worker"]
    n = result["handouts"]
    # one core's time per handout: the jobs, with the worker's share of the overhead, less its job process's start
    work = max(one["workers_cpu_s"] - result["job_process_start_s"], 0.0) / n
    # the one process that reads, writes and records: what each handout adds to its cost
    # (never below nothing: on a few handouts, noise can make the difference negative)
    client = max(result["cluster_2_worker"]["client_cpu_s"] - result["cluster_2_worker_1_handout"]["client_cpu_s"], 0.0) / max(n - 1, 1)
    scheduler = result["jobs"] / n * result["tasks"]["per_task_ms"] / 1000
    threads = workers * threads_per_worker
    bounds = {"workers": handouts * work / threads, "client": handouts * client, "scheduler": handouts * scheduler}
    start = result["job_process_start_s"] + result["tasks"]["round_trip_ms"] / 1000
    total = start + max(bounds.values())
    limit = max(bounds, key=bounds.get)
    text = (
        f"A cold build of {handouts:,} handouts on {workers} workers of {threads_per_worker} thread(s) ({threads} job processes) "
        f"would take about {total / 60:.0f} minutes. Three things run at once and the slowest sets the pace: the workers, "
        f"{work:.2f} s of one core per handout (the CPU the one-worker build took on its worker, job process included, less its start), "
        f"shared by {threads} threads: {bounds['workers'] / 60:.1f} min; the build's own process, which reads every handout and "
        f"writes and records every file, {client:.3f} s per handout (its CPU building {n} handouts less its CPU building one): "
        f"{bounds['client'] / 60:.1f} min; "
        f"and the scheduler, {result['tasks']['per_task_ms']:.2f} ms per task for {result['jobs'] / n:.0f} tasks per handout "
        f"(trivial tasks sent at once): {bounds['scheduler'] / 60:.1f} min. Here the {limit} bound it. Add the start of each "
        f"job process ({result['job_process_start_s']:.1f} s) and a round trip. It assumes workers as fast per core as this machine, "
        f"a network that carries {result['output_mb_per_handout']:.2f} MB per handout back to the build (about "
        f"{handouts * result['output_mb_per_handout'] / max(total, 1):.1f} MB/s at that pace), a disk that takes it, and every "
        f"worker there from the start; measured on {n} handouts, with the scheduler, the build and the workers sharing this machine."
    )
    return round(total, 1), text


def markdown_lines(result: dict) -> list[str]:
    """The part of results.md about the cluster."""
    rows = [("here, 1 process", result["local_1_process"]), ("cluster, 1 worker", result["cluster_1_worker"]),
            ("cluster, 2 workers", result["cluster_2_worker"])]
    lines = ["", f"### On a Dask cluster of this machine ({result['handouts']} handouts, {result['jobs']} jobs, cold)", "",
             "| | wall s | CPU s: build | scheduler | workers | same bytes as here |", "|---|--:|--:|--:|--:|:-:|"]
    for name, run in rows:
        same = "" if "same_bytes" not in run else ("yes" if run["same_bytes"] else "**no**")
        cells = [f"{run[key]:.2f}" if key in run else "" for key in ("wall_s", "client_cpu_s", "scheduler_cpu_s", "workers_cpu_s")]
        lines.append(f"| {name} | {' | '.join(cells)} | {same} |")
    overhead = (result["cluster_1_worker"]["wall_s"] - result["local_1_process"]["wall_s"]) / result["jobs"]
    seconds, text = projection(result)
    lines += ["", f"A trivial task's round trip: {result['tasks']['round_trip_ms']:.1f} ms; many at once: "
              f"{result['tasks']['per_task_ms']:.2f} ms each. One worker against one process here: {overhead * 1000:+.0f} ms per job. "
              f"Peak memory: the worker {result['worker_peak_mb']:.0f} MB, its job process {result['job_process_peak_mb']:.0f} MB.",
              "", f"Projection: {text}"]
    return lines






def _cpu_s(pid: int) -> float:
    """User and system time of a process and of its children that it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a folder of handouts (python -m bench.catalogue OUT --n 10)")
    parser.add_argument("--log", type=Path, default=Path(tempfile.gettempdir()) / "bench-cluster.log")
    args = parser.parse_args(argv)
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    args.log.write_bytes(b"")
    try:
        result = bench_cluster(args.source.resolve(), env, args.log)
    except BenchError as error:
        print(f"error: {error}\n  {error.hint}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=1))
    print("\n".join(markdown_lines(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
