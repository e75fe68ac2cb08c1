"""What one handout may cost, in one place: a hostile or broken source must fail fast and clearly.

The README ("Bad sources") lists these. Tests lower them with monkeypatch; nothing else changes them.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import PipelineError

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""A handout source (or site.yaml) larger than this is refused before it is parsed. The longest real
handout is about 20 KB: 2 MB is a hundred times that, and still lays out in seconds."""

MAX_YAML_DEPTH = 20
"""Lists and mappings nested deeper than this in front matter are refused (the deepest field needs 3)."""

MAX_PICTURE_BYTES = 10 * 1024 * 1024
"""A picture file larger than this is refused before it is read. A phone photo saved as JPEG is 2-5 MB
and a full-page diagram far less; 10 MB still leaves room for a large PNG, and keeps an e-book with a
few pictures something a patient can download on a phone."""

MAX_PICTURE_PIXELS = 25_000_000
"""A picture with more pixels than this (width x height, times the frames of an animation) is refused
from its header, before it is decoded. A whole A4 page at print resolution (300 dpi) is 8.7 million
pixels, a 24-megapixel camera photo fits; decoded, 25 million pixels take 100 MB, which a PDF job can
afford. A "decompression bomb" (40000 x 40000 pixels of one colour in a few kilobytes of PNG) is
1,600 million."""

MAX_SVG_ELEMENTS = 50_000
"""An SVG picture that takes more elements to draw than this, once every `<use>` (a copy of another
part) and every `url(#...)` of a pattern, clip, mask or marker is expanded (named by an attribute or by
a `<style>` rule), is refused when it is read.
A detailed illustration has a few thousand; WeasyPrint draws about 10,000 a second (5,000 through
`<use>`), so this is at most about 10 s per PDF. A `<use>` bomb (ten copies of ten copies of ...)
draws billions from a kilobyte, and WeasyPrint, which swallows every exception while drawing an SVG,
could not be stopped by the time limit from inside."""

MAX_SVG_DEPTH = 100
"""SVG elements nested deeper than this (counting what `<use>` brings in) are refused. Drawing programs
nest a few groups deep; WeasyPrint draws by recursion, and past Python's recursion limit it would drop
the picture without a word."""

RENDER_SECONDS = 120
"""Wall-clock seconds one output of one handout (a PDF, an EPUB) may take to render."""


class _OutOfTime(BaseException):
    """Raised by the alarm inside the renderer. A BaseException, so that the renderer's own
    `except Exception` handlers (WeasyPrint has many) cannot swallow it."""


@contextmanager
def time_limit(seconds: float, what: str, path: Path) -> Iterator[None]:
    """Stop the work inside after `seconds` with a PipelineError naming `what` and `path`.

    It uses SIGALRM (an interval timer), which interrupts pure-Python work such as WeasyPrint's
    layout between two bytecodes and unwinds it cleanly, in this process, with nothing to copy.
    A thread cannot be stopped from outside in Python, and a subprocess would have to rebuild the
    handout. Signals work only in the main thread of a POSIX process: elsewhere (a thread, Windows)
    the work runs without a limit.
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _OutOfTime:
        raise PipelineError(
            f"making the {what} took longer than the limit of {seconds:g} seconds",
            path,
            hint="Look for a very long table, list or word; split the handout into shorter ones.",
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
