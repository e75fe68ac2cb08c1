"""Live preview (`python -m pipeline serve`): serve build/html/, rebuild what changed, reload the open page.

One process stays warm: the modules, the Jinja environment and the fonts are loaded once, so a
saved handout is back in the browser well within a second. The main thread watches the sources and
templates (watchfiles) and rebuilds; the HTTP server (standard library) answers in other threads.

The files on disk are never changed for the preview: only the HTML the server sends carries a
`<script>` and a `<link>` to reserved paths under /_live/, plus, while the last rebuild failed, the
error at the top of the page. The script listens on /_live/events (Server-Sent Events) and reloads
the page when a rebuild finished. Script and stylesheet are same-origin files, not inline, so they
keep working under a Content-Security-Policy that allows 'self' (the pages carry none today).
"""

from __future__ import annotations

import html
import http.server
import functools
import io
import os
import re
import signal
import sys
import threading
import time
import traceback
import webbrowser
from pathlib import Path
from urllib.parse import urlsplit

import watchfiles

from .writers import templates
from .build.sources import discover
from .errors import CannotWrite, Exit, PipelineError
from .build.progress import Progress
from .build.warm import WarmPool, WarmServer

LIVE = "/_live/"
"""Reserved URL prefix: never a file in build/html/ (the pipeline writes no name starting with '_live')."""
EVENTS = LIVE + "events"

RELOAD_JS = """\
// Live preview (pipeline serve): reload this page once the pipeline has rebuilt it.
// Only the server adds this script; the files in build/html/ never carry it.
(() => {
  const built = document.currentScript.dataset.generation;
  new EventSource("/_live/events").onmessage = (event) => {
    if (event.data !== built) location.reload();
  };
})();
"""

# Its own colours in light and dark mode, so that the message keeps its contrast on any page.
OVERLAY_CSS = """\
.live-preview-error { margin: 0; padding: 1rem 1.25rem; border: 0.375rem solid #b00020;
  background: #fff; color: #1a1a1a; font-size: 1rem; line-height: 1.5; }
.live-preview-error h2 { margin: 0 0 0.5rem; font-size: 1.25rem; color: #b00020; }
.live-preview-error pre { margin: 0 0 0.5rem; white-space: pre-wrap; overflow-wrap: anywhere;
  font-family: ui-monospace, monospace; font-size: 1rem; }
.live-preview-error p { margin: 0; }
"""

LIVE_FILES = {
    LIVE + "reload.js": ("text/javascript; charset=utf-8", RELOAD_JS.encode()),
    LIVE + "overlay.css": ("text/css; charset=utf-8", OVERLAY_CSS.encode()),
}

MISSING_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8" /><title>Not built yet</title></head>
<body><main><h1>Not built yet</h1>
<p>This page has not been built. It appears here as soon as it is.</p>
<p><a href="/index.html">All handouts</a></p></main></body>
</html>
"""


def rebuild(source_dir: Path, builddir: Path, pool=None) -> list[Path]:
    """Bring the web pages and index.html up to date, and return what was written.

    The build engine decides what is out of date from the content of the files, as `make html`
    would (pipeline/build/engine.py): an edited handout rebuilds its page and the index; site.yaml or a
    template, every page; a picture, the pages that show it. Its one worker (`-j 1`) is forked from
    this warm process: modules, templates and fonts are loaded once, not at every edit; with `pool`
    (pipeline/build/warm.py), the worker itself stays between rebuilds.
    """
    from .build.engine import Build, Options

    seen = _Written(quiet=True)
    summary = Build(Options(("html", "index"), source_dir, builddir, jobs=1), seen, pool).run()
    if summary.failed:
        failed = max(summary.failed, key=lambda result: result.exit_status)
        raise BuildFailed(failed.error or "the build failed", failed.exit_status)
    return [Path(path) for path in seen.paths]


class BuildFailed(Exception):
    """A page could not be made; the message is the build's own (`file:line: error: ...`)."""

    def __init__(self, message: str, exit_status: int = 1) -> None:
        super().__init__(message)
        self.exit_status = exit_status


class _Written(Progress):
    """The build's report, kept instead of printed: the preview prints one line per rebuild."""

    def __init__(self, quiet: bool) -> None:
        super().__init__(quiet)
        self.paths: list[str] = []

    def wrote(self, path: str) -> None:
        self.paths.append(path)

    def failed(self, error: str) -> None:
        pass  # raised as BuildFailed, shown in the page and printed once


def inject(page: str, generation: str, error: str | None = None) -> str:
    """The page as the preview serves it: with the live-reload script and, if the last rebuild
    failed, the error (escaped) at the very top of the body."""
    tags = (
        f'<link rel="stylesheet" href="{LIVE}overlay.css" />\n'
        f'<script src="{LIVE}reload.js" data-generation="{html.escape(generation)}" defer></script>\n'
    )
    page = _insert(page, re.compile(r"</head\s*>", re.I), tags, before=True)
    if error is not None:
        page = _insert(page, re.compile(r"<body\b[^>]*>", re.I), _overlay(error), before=False)
    return page


def _insert(page: str, anchor: re.Pattern[str], text: str, before: bool) -> str:
    match = anchor.search(page)
    if not match:
        return text + page
    at = match.start() if before else match.end()
    return page[:at] + text + page[at:]


def _overlay(error: str) -> str:
    return (
        '\n<div class="live-preview-error" role="alert" aria-labelledby="live-preview-error-title">\n'
        '<h2 id="live-preview-error-title">The preview could not be rebuilt</h2>\n'
        f"<pre>{html.escape(error)}</pre>\n"
        "<p>Below is the last version that built. Fix the problem and save: this message goes away by itself.</p>\n"
        "</div>\n"
    )


class Preview:
    """What the HTTP threads share with the watcher: the state of the last rebuild."""

    def __init__(self, source_dir: Path, builddir: Path, debug: bool = False, pool: WarmPool | None = None) -> None:
        self.source_dir = source_dir
        self.builddir = builddir
        self.debug = debug
        self.error: str | None = None
        """The last rebuild's error message, None when it succeeded."""
        self.exit_status = 0
        """The exit status the last rebuild's error asks for (PipelineError.exit_status), 0 for none."""
        self.stopping = False
        self.lock = threading.Lock()
        """One build at a time: the preview's own, or one `pipeline build` handed to this process."""
        self.pool = pool
        """Workers kept between rebuilds (`serve` closes them), or None: forked for each."""
        self._count = 0
        self._start = f"{time.time_ns():x}"  # a page from an earlier server reloads too
        self._changed = threading.Condition()

    @property
    def generation(self) -> str:
        """Names the current state of the build; changes after every rebuild."""
        return f"{self._start}-{self._count}"

    def rebuild(self) -> None:
        started = time.perf_counter()
        error, self.exit_status = None, 0
        try:
            with self.lock:
                written = rebuild(self.source_dir, self.builddir, self.pool)
        except (PipelineError, BuildFailed) as problem:
            error, self.exit_status = str(problem), problem.exit_status
        except Exception as problem:  # a bug of ours must not stop the preview
            self.exit_status = Exit.BUG
            if self.debug:
                traceback.print_exc()
            error = (
                f"internal error: {type(problem).__name__}: {problem}\n"
                "  This is a bug in the pipeline, not in your handout. Restart with --debug and report it."
            )
        if error is None:
            pages = sorted(path.name for path in written if path.suffix == ".html")
            named = ", ".join(pages) if len(pages) <= 3 else f"{len(pages)} pages"
            print(f"rebuilt {named} in {time.perf_counter() - started:.2f} s", flush=True)
        else:
            print(error, file=sys.stderr, flush=True)
        with self._changed:
            self.error = error
            self._count += 1
            self._changed.notify_all()

    def wait(self, seen: str | None, timeout: float) -> str:
        """The generation, as soon as it differs from `seen` (or after `timeout` seconds)."""
        with self._changed:
            self._changed.wait_for(lambda: self.generation != seen or self.stopping, timeout)
            return self.generation

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()


class Handler(http.server.SimpleHTTPRequestHandler):
    """build/html/ as it is on disk, except that HTML pages get the live-reload script."""

    preview: Preview  # set on the subclass `serve` makes

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload must show the rebuilt page and CSS
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the rebuild messages

    def do_GET(self) -> None:
        if urlsplit(self.path).path == EVENTS:
            self._stream_events()
        else:
            super().do_GET()

    def send_head(self):
        route = urlsplit(self.path).path
        if route in LIVE_FILES:
            return self._respond(200, *LIVE_FILES[route])
        path = Path(self.translate_path(self.path))
        if route.endswith("/"):
            path /= "index.html"
        if path.suffix != ".html":
            return super().send_head()
        try:
            status, page = 200, path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            status, page = 404, MISSING_PAGE
        body = inject(page, self.preview.generation, self.preview.error).encode()
        return self._respond(status, "text/html; charset=utf-8", body)

    def _respond(self, status: int, content_type: str, body: bytes) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def _stream_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = None
        try:
            self.wfile.write(b"retry: 500\n\n")  # reconnect quickly when the server restarts
            while not self.preview.stopping:
                generation = self.preview.wait(seen, timeout=15)
                # A comment line when nothing changed: a closed tab shows up as a failed write.
                self.wfile.write(b": idle\n\n" if generation == seen else f"data: {generation}\n\n".encode())
                self.wfile.flush()
                seen = generation
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


def serve(
    source_dir: Path, builddir: Path, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = True, debug: bool = False
) -> int:
    """Serve until Ctrl-C (exit status 130) or SIGTERM (0)."""
    discover(source_dir)  # a missing source folder is a mistake on the command line, not a preview to show
    preview = Preview(source_dir, builddir, debug, WarmPool())
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    html_dir = builddir / "html"
    try:
        server = http.server.ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(html_dir)))
    except OSError as error:
        raise PipelineError(
            f"cannot serve on {host}:{port}: {error.strerror}", hint="Choose another port: make serve PORT=8001."
        ) from None
    watched = [source_dir, templates.TEMPLATE_DIR]
    # Ctrl-C and SIGTERM only ask the watch loop to end (it looks every 50 ms), so that stopping
    # never interrupts a rebuild or the watcher half-way; Ctrl-C still exits with 130, like the CLI.
    stop = threading.Event()
    status = {"code": 0}

    def request_stop(signum: int, _frame: object) -> None:
        status["code"] = Exit.INTERRUPTED if signum == signal.SIGINT else Exit.OK
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    try:
        preview.rebuild()
        if preview.exit_status == CannotWrite.exit_status:  # nothing to serve, and no edit of a handout helps
            return preview.exit_status
        thread.start()
        # While it runs, `make` in another terminal is built here, warm (pipeline/build/warm.py).
        with WarmServer(builddir, preview.lock, preview.pool) as warm:
            url = f"http://{host}:{server.server_port}/"
            print(f"Serving {html_dir}/ at {url}", flush=True)
            print(f"Watching {', '.join(f'{_shown(path)}/' for path in watched)}; Ctrl-C stops.", flush=True)
            if open_browser:
                _open(url)
            ignore = watchfiles.DefaultFilter(ignore_paths=[str(builddir.resolve())])
            for _changes in watchfiles.watch(*watched, watch_filter=ignore, stop_event=stop):
                preview.rebuild()  # the build finds what the changes affect
                warm.announce()  # again: `make clean` removes it
        return status["code"]
    except KeyboardInterrupt:  # before the handlers were set
        return Exit.INTERRUPTED
    finally:
        preview.stop()
        if preview.lock.acquire(timeout=10):  # a build handed to this process finishes first
            preview.pool.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        print("Stopped.", flush=True)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _open(url: str) -> None:
    # Without a desktop, webbrowser would start a text browser (lynx, w3m) in this very terminal.
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print(f"Open {url} in your browser.", flush=True)
    else:
        webbrowser.open(url)
