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

MAX_WORD_CHARACTERS = 200
"""The longest run of characters with no place to break a line (a space, a hyphen, a slash) that a
handout may print. The longest real words are under 70 letters, and a web address is broken at its
slashes; a longer run is no word a patient can read, and laying it out costs time that grows with
the square of its length (100,000 letters: over two minutes for one PDF)."""

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
