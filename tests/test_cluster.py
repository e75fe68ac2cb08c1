"""Builds on a Dask cluster (pipeline/build/cluster.py, remote.py): the bytes a build here writes, a
worker that dies costs a retry, a worker with another pipeline is refused, and a build without
--scheduler never imports Dask.

A real scheduler and real workers (each under Dask's nanny, as `dask worker` runs by default), on
127.0.0.1 only: the scheduler exits when idle for five minutes and the workers a minute after
losing it, should this module die before it stops them, by process id, itself.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .catalogue import copy_code
from .conftest import FIXTURES, ROOT, SHOWCASE_DIR

DASK = Path(sys.executable).parent / "dask"
HANG = 300
"""Seconds after which a build or a process that should have ended is a hang (a guard, not a measure)."""
WORKERS_EPOCH = "946684800"
"""The workers' own SOURCE_DATE_EPOCH (2000-01-01), which must not be the one a build uses: the build's is."""


class Processes:
    """What this module starts, each stopped by its process id (and its nanny's worker with it)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.started = folder, []

    def start(self, name: str, *args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")
        process = subprocess.Popen([str(DASK), *args], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        log.close()
        self.started.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def stop(self, process: subprocess.Popen) -> None:
        import psutil

        try:
            children = psutil.Process(process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        process.terminate()  # a nanny ends its worker, and the worker its job processes
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for child in children:
            try:
                os.kill(child.pid, signal.SIGKILL)  # only if it outlived its nanny
            except ProcessLookupError:
                pass
        self.started.remove(process)

    def stop_all(self) -> None:
        for process in reversed(list(self.started)):
            self.stop(process)


class Cluster:
    """A scheduler on 127.0.0.1 and the workers started on it."""

    def __init__(self, processes: Processes, name: str) -> None:
        from distributed import Client

        self.processes, self.name = processes, name
        self.scheduler = processes.start(name, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--idle-timeout", "300s")
        deadline = time.monotonic() + HANG
        while not (found := re.search(r"Scheduler at:\s+(tcp://127\.0\.0\.1:\d+)", processes.log(name))):
            assert self.scheduler.poll() is None and time.monotonic() < deadline, processes.log(name)
            time.sleep(0.1)
        self.address = found.group(1)
        self.client = Client(self.address, set_as_default=False, timeout=60)
        self.workers: dict[str, subprocess.Popen] = {}

    def add_worker(self, name: str, code: Path = ROOT) -> None:
        env = {**os.environ, "SOURCE_DATE_EPOCH": WORKERS_EPOCH, "PYTHONPATH": str(code)}
        args = ("worker", self.address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1", "--death-timeout", "60", "--name", name)
        self.workers[name] = self.processes.start(name, *args, env=env, cwd=code)
        self.client.wait_for_workers(len(self.workers), timeout=HANG)

    def remove_worker(self, name: str) -> None:
        self.processes.stop(self.workers.pop(name))
        deadline = time.monotonic() + HANG
        while len(self.client.nthreads()) > len(self.workers):
            assert time.monotonic() < deadline
            time.sleep(0.1)

    def ready(self) -> Cluster:
        """Every worker started is there (a killed one is started again by its nanny)."""
        self.client.wait_for_workers(len(self.workers), timeout=HANG)
        return self

    def kill_a_busy_worker(self) -> None:
        """SIGKILL to a worker process that has a job to do, as the kernel's out-of-memory killer would."""
        deadline = time.monotonic() + HANG
        while not (busy := [worker for worker, keys in self.client.processing().items() if keys]):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        pid = self.client.run(os.getpid, workers=busy[:1])[busy[0]]
        os.kill(pid, signal.SIGKILL)

    def close(self) -> None:
        self.client.close()


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    started = Processes(tmp_path_factory.mktemp("dask"))
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture(scope="module")
def cluster(processes):
    """A scheduler and two workers."""
    made = Cluster(processes, "scheduler")
    try:
        made.add_worker("worker-1")
        made.add_worker("worker-2")
        yield made
    finally:
        made.close()


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """A site with a logo and pictures, and a handout in Arabic (another font, right to left)."""
    root = tmp_path_factory.mktemp("catalogue")
    source = shutil.copytree(SHOWCASE_DIR, root / "source")
    shutil.copy2(FIXTURES / "languages" / "ar.md", source / "ar.md")
    return root


@pytest.fixture(scope="module")
def local_build(catalogue):
    """A build here, of every format, in a process that says at the end which Dask modules it imported."""
    program = (
        "import sys\nfrom pipeline.cli import main\n"
        "code = main(['build', '-q', '--cold', '--source-dir', 'source', '--builddir', 'local'])\n"
        "assert code == 0, code\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('dask', 'distributed')))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=catalogue, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=HANG)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def local(catalogue, local_build):
    """Every output and record of a build here, by path."""
    return everything(catalogue / "local")


def command(root: Path, builddir: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "build", "--source-dir", "source", "--builddir", builddir, *args]


def build(root: Path, builddir: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(command(root, builddir, *args), cwd=root, capture_output=True, text=True, env=env, timeout=HANG)


def everything(builddir: Path) -> dict[str, bytes]:
    """Every file of a build folder, its records included: this process writes them either way."""
    return {str(path.relative_to(builddir)): path.read_bytes() for path in sorted(builddir.rglob("*")) if path.is_file()}


def build_and_kill(root: Path, builddir: str, cluster: Cluster) -> tuple[subprocess.CompletedProcess, int]:
    """A build on the cluster during which, once its first handout's file is written, a busy worker
    is killed; with the number of handouts' files written after that."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command(root, builddir, "--scheduler", cluster.address), cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    guard = threading.Timer(HANG, process.kill)
    guard.start()
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if re.search(r"^wrote \S+/(pdf|epub|html|reports)/(?!assets)[^/]+\.\w+$", line):
                break
        cluster.kill_a_busy_worker()
        rest, errors = process.communicate()
    finally:
        guard.cancel()
    after = [line for line in rest.splitlines() if re.match(r"wrote \S+/(pdf|epub)/", line)]
    return subprocess.CompletedProcess(process.args, process.returncode, "".join(lines) + rest, errors), len(after)


# --- the same bytes ------------------------------------------------------------------------------


def test_a_build_on_the_cluster_writes_the_bytes_a_build_here_writes(catalogue, local, cluster):
    """Under the build's SOURCE_DATE_EPOCH, not the workers' own; with pictures and a logo that the
    workers have no folder to read from."""
    result = build(catalogue, "cluster", "--scheduler", cluster.ready().address)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert everything(catalogue / "cluster") == local
    again = build(catalogue, "cluster", "--scheduler", cluster.address)
    assert again.returncode == 0 and "0 outputs built" in again.stdout, again.stderr


def test_a_worker_killed_mid_build_costs_a_retry_and_the_same_bytes(catalogue, local, cluster):
    result, written_after = build_and_kill(catalogue, "killed", cluster.ready())
    assert result.returncode == 0, result.stderr
    assert written_after > 0  # it was killed mid-build
    assert everything(catalogue / "killed") == local


def test_a_job_whose_workers_keep_dying_fails_as_that_job(catalogue, cluster):
    """With the scheduler allowing no death at all, the job the killed worker held fails, named,
    rather than the build waiting for ever; the outputs made are recorded."""
    def allow_failures(count: int, dask_scheduler=None) -> int:  # nested: sent by value, not imported there
        allowed, dask_scheduler.allowed_failures = dask_scheduler.allowed_failures, count
        return allowed

    cluster.ready()
    allowed = cluster.client.run_on_scheduler(allow_failures, 0)
    try:
        result, _ = build_and_kill(catalogue, "gave-up", cluster)
    finally:
        cluster.client.run_on_scheduler(allow_failures, allowed)
    assert result.returncode == 1, result.stderr
    assert re.search(r"source/\S+\.md: error: making the \S+ output: each Dask worker that ran it died", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_a_job_on_a_worker_is_held_to_the_sites_time_limit(tmp_path, cluster):
    """A real source slow to lay out (a table of 3,000 rows): stopped on the worker, reported as here."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "site.yaml").write_text("limits:\n  job_seconds: 2\n", encoding="utf-8")
    rows = "".join("| " + " | ".join(f"r{row}c{col}" for col in range(8)) + " |\n" for row in range(3000))
    table = "| " + " | ".join(f"Col {n}" for n in range(8)) + " |\n|" + "---|" * 8 + "\n" + rows
    (source / "big-table.md").write_text("---\ntitle: A long table\nupdated: 2026-01-01\n---\n\nRows.\n\n" + table, encoding="utf-8")
    result = build(tmp_path, "out", "--format", "pdf", "--scheduler", cluster.ready().address)
    assert result.returncode == 1, result.stderr
    assert "source/big-table.md: error: making the pdf output took longer than the limit of 2 seconds" in result.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))


# --- refused workers -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def other_pipeline(tmp_path_factory):
    """A checkout of this pipeline with one template changed: a worker running it would make other bytes."""
    code = copy_code(tmp_path_factory.mktemp("other-pipeline"))
    shutil.copy2(ROOT / "pyproject.toml", code / "pyproject.toml")
    screen = code / "templates" / "css" / "screen.css"
    screen.write_text(screen.read_text(encoding="utf-8") + "\n/* another pipeline */\n", encoding="utf-8")
    return code


def test_a_worker_with_other_templates_is_refused_and_the_others_build(catalogue, local, cluster, other_pipeline):
    cluster.ready().add_worker("other", code=other_pipeline)
    try:
        result = build(catalogue, "mixed", "--scheduler", cluster.address)
    finally:
        cluster.remove_worker("other")
    assert result.returncode == 0, result.stderr
    refused = re.findall(r"warning: the Dask worker (tcp://127\.0\.0\.1:\d+) is not used: it differs from this machine in (.*)", result.stderr)
    assert [what for _, what in refused] == ["templates (css/screen.css), so the files it made would differ."], result.stderr
    assert everything(catalogue / "mixed") == local


def test_a_cluster_of_refused_workers_fails_at_once_saying_why(catalogue, processes, other_pipeline):
    alone = Cluster(processes, "scheduler-other")
    try:
        alone.add_worker("other-alone", code=other_pipeline)
        result = build(catalogue, "refused", "--scheduler", alone.address)
    finally:
        alone.close()
        for process in [*alone.workers.values(), alone.scheduler]:
            processes.stop(process)
    assert result.returncode == 69, result.stderr
    assert f"error: no worker of the Dask cluster at {alone.address} can make this build's files" in result.stderr
    assert "templates (css/screen.css)" in result.stderr and "Traceback" not in result.stderr
    assert not list((catalogue / "refused").glob("pdf/*.pdf"))  # no file of another pipeline


# --- without a cluster ---------------------------------------------------------------------------


def test_a_build_without_a_scheduler_never_imports_dask(catalogue, local_build):
    assert local_build.stdout.splitlines()[-1] == "[]"
    assert (catalogue / "local" / "pdf" / "ar-booklet.pdf").exists()  # it did build, every format


def test_without_dask_installed_the_message_says_how_to_install_it(catalogue):
    program = (
        "import sys\nsys.modules['distributed'] = None  # as if not installed\nfrom pipeline.cli import main\n"
        "sys.exit(main(['build', '--source-dir', 'source', '--builddir', 'no-dask-installed', '--format', 'html',"
        " '--scheduler', 'tcp://127.0.0.1:8786']))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=catalogue, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=HANG)
    assert result.returncode == 69
    assert "needs the packages dask and distributed, which are not installed" in result.stderr
    assert "pip install -e '.[cluster]'" in result.stderr and "Traceback" not in result.stderr


def test_a_scheduler_that_does_not_answer_is_one_clear_error(catalogue):
    with socket.socket() as unused:  # a port on which nothing listens
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    result = build(catalogue, "unreachable", "--format", "html", "--scheduler", f"tcp://127.0.0.1:{port}",
                   env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert result.returncode == 69
    assert result.stderr.startswith(f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: "), result.stderr
    assert "Traceback" not in result.stderr
    not_an_address = build(catalogue, "unreachable", "--format", "html", "--scheduler", "build-1")
    assert not_an_address.returncode == 69 and "'build-1' is not the address of a Dask scheduler" in not_an_address.stderr


def test_a_job_finds_the_line_it_quotes_without_the_source_file(tmp_path):
    """A worker has no folder of sources: a message that names the line of a text it quotes finds it
    in the handout the job carries."""
    from pipeline.config import SiteConfig
    from pipeline.read.handout import read_handout
    from pipeline.writers.layout import _line_of

    source = tmp_path / "ar.md"
    source.write_bytes((FIXTURES / "languages" / "ar.md").read_bytes())
    handout = read_handout(source, SiteConfig())
    line = next(number for number, text in enumerate(source.read_text(encoding="utf-8").split("\n"), 1) if text.startswith("## "))
    quoted = source.read_text(encoding="utf-8").split("\n")[line - 1].removeprefix("## ")
    source.unlink()
    assert _line_of(handout, [quoted]) == line
