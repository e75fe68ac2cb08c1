"""The live preview (`python -m pipeline serve`): what it rebuilds, what it adds to the pages it serves,
and, in real Chromium, that an edit shows in the open page and a broken source shows its error there."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline import preview as serve

from .conftest import ROOT, require
from .test_browser import browser, describe, run_axe  # noqa: F401 (browser: the fixture, one Chromium per module)


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\xdac\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfex\xc4\xb2\xb0\x00\x00\x00\x00IEND\xaeB`\x82"
)


def handout(title: str, text: str) -> str:
    return f"---\ntitle: {title}\nupdated: 2026-01-15\n---\n\n{text}\n"


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    """Two handouts and a site.yaml; returns (source folder, build folder)."""
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    (source_dir / "site.yaml").write_text("organisation: Riverside Clinic\n", encoding="utf-8")
    (source_dir / "first.md").write_text(handout("First handout", "The first text."), encoding="utf-8")
    (source_dir / "second.md").write_text(handout("Second handout", "The second text."), encoding="utf-8")
    return source_dir, tmp_path / "build"


def pages(written: list[Path]) -> set[str]:
    return {path.name for path in written if path.suffix == ".html"}


# What a change rebuilds ----------------------------------------------------------------------------


def test_first_build_makes_every_page(project):
    assert pages(serve.rebuild(*project)) == {"first.html", "second.html", "index.html"}


def test_an_edited_handout_rebuilds_its_page_and_the_index_only(project):
    source_dir, builddir = project
    serve.rebuild(source_dir, builddir)
    second = (builddir / "html" / "second.html").read_bytes()
    (source_dir / "first.md").write_text(handout("First handout", "The first text, edited."), encoding="utf-8")

    assert pages(serve.rebuild(source_dir, builddir)) == {"first.html", "index.html"}
    assert "The first text, edited." in (builddir / "html" / "first.html").read_text(encoding="utf-8")
    assert (builddir / "html" / "second.html").read_bytes() == second


def test_a_new_title_shows_in_the_index(project):
    source_dir, builddir = project
    serve.rebuild(source_dir, builddir)
    (source_dir / "second.md").write_text(handout("Renamed handout", "The second text."), encoding="utf-8")
    serve.rebuild(source_dir, builddir)
    assert "Renamed handout" in (builddir / "html" / "index.html").read_text(encoding="utf-8")


def test_a_setting_rebuilds_every_page(project):
    source_dir, builddir = project
    serve.rebuild(source_dir, builddir)
    (source_dir / "site.yaml").write_text("organisation: Riverside Health Centre\n", encoding="utf-8")
    assert pages(serve.rebuild(source_dir, builddir)) == {"first.html", "second.html", "index.html"}


def test_a_picture_rebuilds_the_pages_that_show_it(project):
    source_dir, builddir = project
    (source_dir / "first.md").write_text(handout("First handout", "![A tablet](tablet.png)"), encoding="utf-8")
    (source_dir / "tablet.png").write_bytes(PNG)
    serve.rebuild(source_dir, builddir)
    (source_dir / "tablet.png").write_bytes(PNG + b"\0")  # another picture, for the build: other bytes
    assert pages(serve.rebuild(source_dir, builddir)) == {"first.html", "index.html"}
    # A template change rebuilds every page: tests/test_engine.py, which can change a copy of them.


def test_a_removed_handout_rebuilds_the_index_only(project):
    source_dir, builddir = project
    serve.rebuild(source_dir, builddir)
    (source_dir / "second.md").unlink()
    assert pages(serve.rebuild(source_dir, builddir)) == {"index.html"}
    assert "Second handout" not in (builddir / "html" / "index.html").read_text(encoding="utf-8")


# What the server adds to a page --------------------------------------------------------------------

PAGE = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>T</title>\n</head>\n<body class="x">\n<h1>T</h1>\n</body>\n</html>\n'


def test_the_script_goes_into_the_head_and_nothing_else_changes():
    served = serve.inject(PAGE, "abc-1")
    script = '<script src="/_live/reload.js" data-generation="abc-1" defer></script>\n'
    assert script in served.split("</head>")[0]
    assert '<link rel="stylesheet" href="/_live/overlay.css" />\n' in served
    assert "live-preview-error" not in served
    assert re.sub(r'<link rel="stylesheet" href="/_live/[^\n]*\n<script [^\n]*\n', "", served) == PAGE


def test_an_error_is_escaped_at_the_top_of_the_body():
    error = "source/a.md:3: error: the title <b>is</b> & 'wrong'\n  Fix it."
    served = serve.inject(PAGE, "abc-2", error)
    body = served.split('<body class="x">', 1)[1]
    assert body.lstrip().startswith('<div class="live-preview-error" role="alert"')
    assert body.index("live-preview-error") < body.index("<h1>T</h1>")
    assert "the title &lt;b&gt;is&lt;/b&gt; &amp; &#x27;wrong&#x27;\n  Fix it." in body
    assert "<b>is</b>" not in served


def test_a_page_without_head_or_body_still_gets_the_script_and_error():
    served = serve.inject("<p>Fragment</p>", "g", "an error")
    assert served.endswith("<p>Fragment</p>")
    assert "reload.js" in served and "an error" in served


def test_an_internal_error_is_shown_and_the_preview_goes_on(project, monkeypatch, capsys):
    preview = serve.Preview(*project)
    preview.rebuild()
    assert preview.error is None
    before = preview.generation

    def bug(*args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(serve, "rebuild", bug)
    preview.rebuild()
    assert preview.error.startswith("internal error: ZeroDivisionError: division by zero")
    assert "report it" in preview.error
    assert preview.generation != before
    assert "Traceback" not in capsys.readouterr().err


def test_the_server_adds_the_script_to_html_only(project):
    source_dir, builddir = project
    preview = serve.Preview(source_dir, builddir)
    preview.rebuild()
    handler = type("TestHandler", (serve.Handler,), {"preview": preview})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(builddir / "html")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        for route in ("", "first.html"):
            with urllib.request.urlopen(base + route) as response:
                assert response.headers["Cache-Control"] == "no-store"
                assert "/_live/reload.js" in response.read().decode()
        with urllib.request.urlopen(base + "assets/screen.css") as response:
            assert response.read() == (builddir / "html" / "assets" / "screen.css").read_bytes()
        with urllib.request.urlopen(base + "_live/reload.js") as response:
            assert "EventSource" in response.read().decode()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "not-built.html")
        assert missing.value.code == 404 and "/_live/reload.js" in missing.value.read().decode()
    finally:
        preview.stop()
        server.shutdown()
        server.server_close()
    for page in (builddir / "html").glob("*.html"):
        assert "_live" not in page.read_text(encoding="utf-8"), page


# In a real browser ---------------------------------------------------------------------------------


class Server:
    """`python -m pipeline serve` in its own process, as an author runs it."""

    def __init__(self, source_dir: Path, builddir: Path) -> None:
        command = [sys.executable, "-m", "pipeline", "serve", "--port", "0", "--no-open"]
        command += ["--source-dir", str(source_dir), "--builddir", str(builddir)]
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )
        self.output: list[str] = []
        for line in self.process.stdout:
            self.output.append(line)
            if match := re.search(r"at (http://127\.0\.0\.1:\d+/)", line):
                self.url = match[1]
                break
        else:
            raise AssertionError(f"the server did not start:\n{''.join(self.output)}{self.process.stderr.read()}")
        # Keep reading both pipes, so that a full one never blocks the server.
        self.errors: list[str] = []
        self.readers = [
            threading.Thread(target=lambda: self.output.extend(self.process.stdout), daemon=True),
            threading.Thread(target=lambda: self.errors.extend(self.process.stderr), daemon=True),
        ]
        for reader in self.readers:
            reader.start()

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as an author stops it: its exit status and what it printed on stderr."""
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        for reader in self.readers:
            reader.join(timeout=5)
        return self.process.returncode, "".join(self.errors)


def timed(what: str, started: float, timings: dict[str, float]) -> None:
    timings[what] = time.perf_counter() - started


def test_an_edit_shows_in_the_open_page_and_an_error_until_fixed(tmp_path, browser, record_property):
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    source = source_dir / "preview.md"
    source.write_text(handout("Preview", "The first version of the text."), encoding="utf-8")
    server = Server(source_dir, tmp_path / "build")
    timings: dict[str, float] = {}
    try:
        context = browser.new_context()
        # Only the preview server may be reached: nothing goes to the network.
        context.route(re.compile(rf"^(?!{re.escape(server.url)})"), lambda route: route.abort())
        page = context.new_page()
        page.goto(server.url + "preview.html")
        main = page.locator("main")
        alert = page.locator(".live-preview-error[role=alert]")
        main.get_by_text("The first version of the text.").wait_for()
        # A marker the page loses only when it is loaded again: the server must reload it, not us.
        page.evaluate("window.notReloaded = true")

        started = time.perf_counter()
        source.write_text(handout("Preview", "The second version of the text."), encoding="utf-8")
        main.get_by_text("The second version of the text.").wait_for(timeout=10_000)
        timed("edit", started, timings)
        assert page.evaluate("window.notReloaded") is None

        started = time.perf_counter()
        source.write_text("---\ntitle: Preview\nupdated: someday\n---\n\nThe broken version.\n", encoding="utf-8")
        alert.wait_for(timeout=10_000)
        timed("break", started, timings)
        assert "The preview could not be rebuilt" in alert.inner_text()
        assert f"{source}:3: error: 'updated' must be a real date" in alert.inner_text()
        assert main.get_by_text("The second version of the text.").is_visible()  # the last good page, below
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            violations = run_axe(page, context=".live-preview-error")["violations"]
            assert not violations, f"the error message ({scheme}):\n{describe(violations)}"

        started = time.perf_counter()
        source.write_text(handout("Preview", "The fixed version of the text."), encoding="utf-8")
        main.get_by_text("The fixed version of the text.").wait_for(timeout=10_000)
        timed("fix", started, timings)
        assert alert.count() == 0
        context.close()
    finally:
        status, errors = server.stop()

    for name, seconds in timings.items():
        record_property(f"edit_to_reload_{name}_seconds", round(seconds, 3))
    print("edit-to-reload:", ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items()))
    assert status == 130, errors
    assert "Traceback" not in errors, errors
    assert f"{source}:3: error: 'updated' must be a real date" in errors  # the terminal says it too
    for built in (tmp_path / "build" / "html").glob("*.html"):
        assert "_live" not in built.read_text(encoding="utf-8"), f"{built.name} on disk carries the live-reload script"
