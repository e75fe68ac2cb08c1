"""A warm build: `pipeline build` (and so `make`) served by a process that is already running.

A cold build pays for starting: importing WeasyPrint (about a second), configuring fonts, parsing
the print stylesheets, in every worker. The live preview (`make serve`) has paid all of that once and
keeps it: while it runs, a build into its build folder is handed to it and made there, by the same
engine and in workers it keeps between builds, and this process only shows what the server reports.

How a build finds the server, and why it trusts it:
- The server writes `<builddir>/.state/warm-build.json` (mode 0600): its process id, a port on
  127.0.0.1, a secret token, the folder it runs in and the hash of the pipeline it runs
  (`pipeline_version`: its code, data files and pins). It removes the file when it stops.
- A build reads the file, and builds cold when: there is none; the process is gone (a crash, a
  SIGKILL: the file is then removed); the version differs from the pipeline on disk now (the code
  changed since the server started, so its bytes could differ); the folder differs (relative paths
  in the records would mean other files); the server refuses, or does not answer within
  `ANSWER_SECONDS`; or it stops answering part-way (the outputs and records it wrote are whole, being
  written atomically, and the cold build redoes the rest).
- The server checks the token, the requester's version and its own version against the disk again
  before building; one build at a time (its preview rebuilds included) runs under its lock.

The same bytes either way: the server runs the build the client would have run, with the client's
options and SOURCE_DATE_EPOCH, and a test compares the two.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import socket
import socketserver
import threading
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..errors import PipelineError
from .jobs import _log_into
from .state import FOLDER, Fingerprints, pipeline_version

if TYPE_CHECKING:
    from .engine import Options, Summary
    from .progress import Progress
    from .workers import Limits, Workers

ADDRESS_FILE = "warm-build.json"
ANSWER_SECONDS = 5.0
"""How long a build waits for the server to accept it (it answers at once, before waiting its turn)."""
SILENCE_SECONDS = 30.0
"""How long a build in progress may go without a word from the server: it says it is alive every
`HEARTBEAT_SECONDS`, so silence means it hangs."""
HEARTBEAT_SECONDS = 2.0
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
"""What in the requester's environment a build reads (pipeline/build/state.py, read/review.py)."""
PROGRESS_CALLS = frozenset({"start", "wrote", "message", "advance", "failed"})


def address_file(builddir: Path) -> Path:
    return builddir / FOLDER / ADDRESS_FILE


# --- the client: `pipeline build` ----------------------------------------------------------------


def build(options: Options, progress: Progress, say: Callable[[str], None]) -> Summary | None:
    """The build, made by the warm server of `options.builddir` if one runs and can be trusted;
    None when there is none (build cold). `say` tells the person why a server was passed over."""
    server = _find_server(options.builddir, say)
    if server is None:
        return None
    request = {
        "token": server["token"],
        "version": server["version"],
        "cwd": os.getcwd(),
        "options": {key: _jsonable(value) for key, value in asdict(options).items()},
        "environment": {name: os.environ.get(name) for name in ENVIRONMENT},
    }
    try:
        with socket.create_connection(("127.0.0.1", server["port"]), timeout=ANSWER_SECONDS) as connection:
            connection.sendall(json.dumps(request).encode() + b"\n")
            lines = connection.makefile("rb")
            first = _answer(lines)
            if "refused" in first:
                say(f"note: the warm build process {server['pid']} did not take this build ({first['refused']}); building here")
                return None
            connection.settimeout(SILENCE_SECONDS)
            say(f"note: building in the warm build process {server['pid']} (make serve)")
            return _follow(lines, progress)
    except (OSError, ValueError, KeyError) as problem:  # refused, reset, timed out, garbled
        say(f"note: the warm build process {server['pid']} stopped answering ({_why(problem)}); building here")
        return None


def _find_server(builddir: Path, say: Callable[[str], None]) -> dict | None:
    path = address_file(builddir)
    try:
        server = json.loads(path.read_text(encoding="utf-8"))
        pid, port, version = int(server["pid"]), int(server["port"]), str(server["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none running (or a file we cannot read: not one to trust)
    if not _alive(pid):
        with contextlib.suppress(OSError):
            path.unlink()  # left by a server that crashed or was killed
        return None
    if Path(server.get("cwd", "")) != Path.cwd():
        return None  # another folder's server: the relative paths of its records name other files
    if version != pipeline_version(Fingerprints()):
        say(f"note: the warm build process {pid} runs an older version of the pipeline; building here (restart 'make serve')")
        return None
    return {**server, "pid": pid, "port": port}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process has the number now
        return False
    return True


def _answer(lines) -> dict:
    line = lines.readline(1 << 20)
    if not line:
        raise ConnectionResetError("it closed the connection")
    return json.loads(line)


def _follow(lines, progress: Progress) -> Summary:
    """Show the server's progress here, as a local build would, until its summary."""
    while True:
        message = _answer(lines)
        if "call" in message and message["call"] in PROGRESS_CALLS:
            getattr(progress, message["call"])(*message["args"])
        elif "summary" in message:
            return _summary(message["summary"])
        elif "error" in message:
            raise ServedError(message["error"], message["exit_status"])
        elif "internal" in message:
            raise ConnectionResetError("it failed")  # its bug; the cold build shows it the usual way


class ServedError(PipelineError):
    """The error that stopped a build in the server (a bad source), as it said it."""

    def __init__(self, text: str, exit_status: int) -> None:
        super().__init__(text)
        self.exit_status = exit_status

    def __str__(self) -> str:
        return self.message


def _summary(data: dict) -> Summary:
    from .engine import Summary
    from .jobs import Result

    failed = [Result(**result) for result in data.pop("failed")]
    return Summary(**data, failed=failed)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


def _why(problem: Exception) -> str:
    return "no answer" if isinstance(problem, socket.timeout) else (getattr(problem, "strerror", None) or str(problem) or type(problem).__name__)


# --- the server: in `pipeline serve` -------------------------------------------------------------


class WarmPool:
    """The workers a warm process keeps between builds, with their caches (fonts, stylesheets).

    One pool for given limits (site.yaml) and environment: workers are forked with both, so a build
    asking for others gets new workers."""

    def __init__(self) -> None:
        self._workers: Workers | None = None
        self._made_for: tuple | None = None

    def workers(self, limits: Limits) -> Workers:
        from .workers import start_worker, usable_cores
        from .jobs import run_job
        from .workers import Workers

        made_for = (limits, tuple(os.environ.get(name) for name in ENVIRONMENT))
        if made_for != self._made_for:
            self.close()
            self._workers = Workers(run_job, usable_cores(), limits, start=start_worker, kept=True)
            self._made_for = made_for
        return self._workers

    def close(self) -> None:
        if self._workers is not None:
            self._workers.close()
        self._workers, self._made_for = None, None


class WarmServer(socketserver.ThreadingTCPServer):
    """Builds for `builddir` made in this process, one at a time under `lock`, with `pool`'s workers."""

    daemon_threads = True

    def __init__(self, builddir: Path, lock: threading.Lock, pool: WarmPool) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.builddir, self.lock, self.pool = builddir, lock, pool
        self.token = secrets.token_hex(16)
        self.cwd = os.getcwd()
        self.version = pipeline_version(Fingerprints())
        self.thread = threading.Thread(target=self.serve_forever, name="warm-build-server", daemon=True)

    def __enter__(self) -> WarmServer:
        self.thread.start()
        self.announce()
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()
        self.server_close()
        path = address_file(self.builddir)
        with contextlib.suppress(OSError, ValueError):
            if json.loads(path.read_text(encoding="utf-8")).get("token") == self.token:
                path.unlink()  # ours: a server started since in the same folder keeps its own

    def announce(self) -> None:
        """(Re)write the address file: after `make clean` too, builds find this server again."""
        path = address_file(self.builddir)
        data = {"pid": os.getpid(), "port": self.server_address[1], "token": self.token, "cwd": self.cwd, "version": self.version}
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the token is a secret
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(data, file)
            os.replace(tmp, path)

    def refusal(self, request: dict) -> str | None:
        """Why this server will not make the build asked for, or None."""
        if not hmac.compare_digest(str(request.get("token", "")), self.token):
            return "wrong token"
        if request.get("version") != self.version or pipeline_version(Fingerprints()) != self.version:
            return "the pipeline changed since it started"
        if request.get("cwd") != self.cwd:
            return "it runs in another folder"
        return None


class _Handler(socketserver.StreamRequestHandler):
    server: WarmServer

    def handle(self) -> None:
        try:
            request = json.loads(self.rfile.readline(1 << 20))
            if isinstance(request, dict):
                self.build(request)
        except ValueError:
            pass  # not a build asking: nothing to answer
        except OSError:
            pass  # the build that asked is gone (Ctrl-C): its build stopped at the first line it could not send

    def build(self, request: dict) -> None:
        from .engine import Build, Options

        refusal = self.server.refusal(request)
        send = _Sender(self.wfile)
        send({"refused": refusal} if refusal else {"accepted": True})
        if refusal:
            return
        options = request["options"]
        options = Options(**{**options, "source_dir": Path(options["source_dir"]), "builddir": Path(options["builddir"]),
                             "sources": [Path(source) for source in options["sources"]]})
        relay = _Relay(send)
        with send.heartbeat(), self.server.lock, _environment(request["environment"]), _log_into(relay):
            try:
                summary = Build(options, relay, self.server.pool).run()
            except Exception as error:
                if isinstance(error, PipelineError):
                    send({"error": str(error), "exit_status": error.exit_status})
                else:
                    send({"internal": "".join(traceback.format_exception(error))})
                return
        send({"summary": {**asdict(summary), "failed": [{**asdict(result), "files": []} for result in summary.failed]}})


class _Sender:
    """One JSON line at a time to the client, from the build and from the heartbeat thread."""

    def __init__(self, out) -> None:
        self.out, self.lock = out, threading.Lock()

    def __call__(self, message: dict) -> None:
        with self.lock:
            self.out.write(json.dumps(message).encode() + b"\n")
            self.out.flush()

    @contextlib.contextmanager
    def heartbeat(self):
        done = threading.Event()

        def beat() -> None:
            while not done.wait(HEARTBEAT_SECONDS):
                with contextlib.suppress(OSError):
                    self({"alive": True})

        thread = threading.Thread(target=beat, daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()


class _Relay:
    """A Progress that sends every call to the client (a client gone stops the build: the write fails).
    What the build logs in this process (a warning about a source) goes the same way (`append`)."""

    quiet = True

    def __init__(self, send: _Sender) -> None:
        self.send = send

    def append(self, text: str) -> None:
        self.message(text)

    def __getattr__(self, name: str):
        if name not in PROGRESS_CALLS:
            raise AttributeError(name)
        return lambda *args: self.send({"call": name, "args": list(args)})


@contextlib.contextmanager
def _environment(values: dict[str, str | None]):
    """The requester's environment for the time of its build (under the server's lock)."""
    kept = {name: os.environ.get(name) for name in ENVIRONMENT}
    _set({name: values.get(name) for name in ENVIRONMENT})
    try:
        yield
    finally:
        _set(kept)


def _set(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value

