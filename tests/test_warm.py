"""The warm build (pipeline/build/warm.py): while `pipeline serve` runs, `pipeline build` into its
build folder is made in that process, with the same bytes as a cold build; a server that is gone,
hangs, stops half-way, runs other code or is asked with the wrong token is never trusted."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.build import warm
from pipeline.build.state import Fingerprints, pipeline_version

from .conftest import ROOT

EPOCH = "1767225600"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1"}


def handout(title: str, text: str) -> str:
    return f"---\ntitle: {title}\nupdated: 2026-01-15\nlang: en\n---\n\n## About this\n\n{text}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder like a user's: source/ with two handouts (one of them the real kratom handout)."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / "source" / "kratom-pain-relief.md", source)
    (source / "short.md").write_text(handout("A short handout", "Drink water. Rest."), encoding="utf-8")
    return tmp_path


class Serve:
    """`pipeline serve` in `folder`, as an author runs it; stopped by its process id."""

    def __init__(self, folder: Path) -> None:
        command = [sys.executable, "-m", "pipeline", "serve", "--port", "0", "--no-open"]
        self.process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
        self.timer = threading.Timer(120, self.process.kill)  # bounded, whatever happens in the test
        self.timer.start()
        lines = []
        for line in self.process.stdout:
            lines.append(line)
            if line.startswith("Serving"):
                break
        else:
            raise AssertionError(f"the server did not start:\n{''.join(lines)}")
        threading.Thread(target=self.process.stdout.read, daemon=True).start()  # a full pipe never blocks it

    def stop(self) -> None:
        self.timer.cancel()
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def server(project: Path):
    served = Serve(project)
    try:
        yield served
    finally:
        served.stop()


def build(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "build", *args], cwd=folder, capture_output=True, text=True, env=ENV, timeout=300
    )


def outputs(builddir: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(builddir)): path.read_bytes()
        for path in sorted(builddir.rglob("*"))
        if path.is_file() and ".state" not in path.parts
    }


def served_by(run: subprocess.CompletedProcess) -> int | None:
    match = re.search(r"building in the warm build process (\d+)", run.stderr)
    return int(match[1]) if match else None


def test_a_build_while_serving_is_made_by_the_server_with_the_bytes_of_a_cold_build(project, server):
    warm_run = build(project)
    assert warm_run.returncode == 0, warm_run.stderr
    assert served_by(warm_run) == server.process.pid
    assert re.search(r"\d+ outputs built", warm_run.stdout)  # the summary, as a local build prints it
    cold_run = build(project, "--builddir", "cold")  # no server for that folder
    assert cold_run.returncode == 0 and served_by(cold_run) is None
    assert outputs(project / "build") == outputs(project / "cold")

    with (project / "source" / "short.md").open("a", encoding="utf-8") as file:
        file.write("\nSleep well.\n")
    warm_run, cold_run = build(project), build(project, "--builddir", "cold")
    assert served_by(warm_run) == server.process.pid and "wrote build/pdf/short.pdf" in warm_run.stdout
    assert "wrote build/pdf/kratom-pain-relief.pdf" not in warm_run.stdout  # only what changed
    assert outputs(project / "build") == outputs(project / "cold")


def test_a_bad_source_gives_the_same_message_and_status_warm_as_cold(project, server):
    (project / "source" / "broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n", encoding="utf-8")
    warm_run, cold_run = build(project, "--format", "html"), build(project, "--format", "html", "--cold")
    assert served_by(warm_run) == server.process.pid and served_by(cold_run) is None
    assert warm_run.returncode == cold_run.returncode == 1
    said = lambda run: [line for line in run.stderr.splitlines() if not line.startswith("note:")]  # noqa: E731
    assert said(warm_run) == said(cold_run) and "source/broken.md:3: error:" in cold_run.stderr


def test_a_killed_server_is_not_trusted_and_its_address_is_removed(project, server):
    address = warm.address_file(project / "build")
    assert address.exists()
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    run = build(project, "--format", "html")
    assert run.returncode == 0 and served_by(run) is None
    assert not address.exists()


def test_a_stopped_server_removes_its_address(project, server):
    address = warm.address_file(project / "build")
    assert json.loads(address.read_text())["pid"] == server.process.pid
    assert address.stat().st_mode & 0o077 == 0  # the token is for this user only
    server.stop()
    assert server.process.returncode == 0 and not address.exists()


def test_a_server_running_other_code_is_not_used(project, server):
    address = warm.address_file(project / "build")
    entry = json.loads(address.read_text())
    address.write_text(json.dumps({**entry, "version": "0" * 64}))  # as a server started before an upgrade would say
    run = build(project, "--format", "html")
    assert run.returncode == 0 and served_by(run) is None
    assert f"the warm build process {server.process.pid} runs an older version" in run.stderr


def ask(port: int, request: dict) -> dict:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(json.dumps(request).encode() + b"\n")
        return json.loads(connection.makefile("rb").readline())


def test_the_server_refuses_a_wrong_token_or_version_or_folder(project, server):
    entry = json.loads(warm.address_file(project / "build").read_text())
    request = {"token": entry["token"], "version": entry["version"], "cwd": str(project)}
    assert ask(entry["port"], {**request, "token": "f" * 32}) == {"refused": "wrong token"}
    assert ask(entry["port"], {**request, "version": "0" * 64}) == {"refused": "the pipeline changed since it started"}
    assert ask(entry["port"], {**request, "cwd": "/"}) == {"refused": "it runs in another folder"}


class FakeServer:
    """A listener on 127.0.0.1 that answers a build as `behaviour` says: never, or accept then hang up."""

    def __init__(self, behaviour: str) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.behaviour = behaviour
        self.thread = threading.Thread(target=self.answer, daemon=True)
        self.thread.start()

    def answer(self) -> None:
        connection, _ = self.socket.accept()
        with connection:
            connection.makefile("rb").readline()
            if self.behaviour == "hangs up":
                connection.sendall(b'{"accepted": true}\n{"call": "start", "args": [3]}\n')
            else:
                connection.recv(1)  # until the client gives up and closes

    def announce(self, builddir: Path) -> None:
        address = warm.address_file(builddir)
        address.parent.mkdir(parents=True, exist_ok=True)
        entry = {"pid": os.getpid(), "port": self.socket.getsockname()[1], "token": "t", "cwd": os.getcwd(), "version": pipeline_version(Fingerprints())}
        address.write_text(json.dumps(entry))


@pytest.mark.parametrize("behaviour", ["never answers", "hangs up"])
def test_a_server_that_hangs_or_stops_half_way_costs_a_cold_build(project, behaviour, monkeypatch, capsys):
    monkeypatch.setattr(warm, "ANSWER_SECONDS", 0.5)
    fake = FakeServer(behaviour)
    try:
        builddir = project / "build"
        fake.announce(builddir)
        status = cli.main(["build", "--source-dir", str(project / "source"), "--builddir", str(builddir), "--format", "html"])
    finally:
        fake.socket.close()
    said = capsys.readouterr()
    assert status == 0
    assert re.search(rf"the warm build process {os.getpid()} stopped answering \((no answer|it closed the connection)\); building here", said.err)
    assert (builddir / "html" / "kratom-pain-relief.html").exists() and (builddir / "html" / "short.html").exists()


def _pid(item: int) -> int:
    return os.getpid()


def test_a_kept_pool_serves_the_next_build_with_the_same_workers_until_closed():
    import multiprocessing

    from pipeline.build.workers import Limits, Workers

    workers = Workers(_pid, 2, Limits(job_seconds=30), kept=True)
    first = {pid for _, pid in workers.run(range(6))}
    second = {pid for _, pid in workers.run(range(6), processes=1)}
    assert len(first) == 2 and len(second) == 1 and second <= first  # no new process forked
    workers.close()
    assert not multiprocessing.active_children()


def test_the_server_ignores_what_is_not_a_build_and_goes_on(project, server):
    entry = json.loads(warm.address_file(project / "build").read_text())
    for garbage in (b"not json\n", b"[1, 2]\n", b"\n"):
        with socket.create_connection(("127.0.0.1", entry["port"]), timeout=10) as connection:
            connection.sendall(garbage)
            assert connection.makefile("rb").readline() == b""  # hung up, no answer
    run = build(project, "--format", "html")
    assert run.returncode == 0 and served_by(run) == server.process.pid


def test_a_build_stopped_with_ctrl_c_leaves_the_server_serving(project, server):
    stopped = subprocess.Popen([sys.executable, "-m", "pipeline", "build"], cwd=project, env=ENV, stderr=subprocess.PIPE, text=True)
    try:
        assert "building in the warm build process" in stopped.stderr.readline()
        stopped.send_signal(signal.SIGINT)
        stopped.wait(timeout=60)
    finally:
        if stopped.poll() is None:
            stopped.kill()
    run = build(project)
    assert run.returncode == 0 and served_by(run) == server.process.pid
    cold = build(project, "--builddir", "cold")
    assert outputs(project / "build") == outputs(project / "cold")
