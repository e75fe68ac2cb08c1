"""What a build tells the person who started it.

Not on a terminal (CI, make's log): one `wrote <path>` line per file and a one-line summary.
On a terminal, a multi-handout build shows a progress bar instead of hundreds of lines. `-q`:
nothing but warnings and errors. Errors always go to stderr, whatever the mode.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Summary


class Progress:
    """Plain lines."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def start(self, jobs: int) -> None:
        pass

    def wrote(self, path: str) -> None:
        if not self.quiet:
            print(f"wrote {path}", flush=True)

    def message(self, text: str) -> None:
        """A writer's note (a report's summary, a warning), as it logged it."""
        if not (self.quiet and "warning:" not in text):
            print(text, file=sys.stderr, flush=True)

    def advance(self, format: str, seconds: float) -> None:
        """One job of `format` done, after `seconds` of work."""

    def failed(self, error: str) -> None:
        print(error, file=sys.stderr, flush=True)

    def finish(self, summary: Summary, seconds: float) -> None:
        if not self.quiet:
            print(summary_line(summary, seconds), flush=True)

    def stop(self) -> None:
        """The build ended early (an error, Ctrl-C): leave the terminal tidy."""


def summary_line(summary: Summary, seconds: float) -> str:
    made = f"{summary.built} output{'s' if summary.built != 1 else ''} built, {summary.up_to_date} up to date"
    if summary.failed:
        made += f", {len(summary.failed)} failed, {summary.skipped} not started"
    per_format = ", ".join(f"{name} {spent:.1f} s" for name, spent in summary.seconds.items())
    return f"{made} in {seconds:.1f} s" + (f" (work per format: {per_format})" if per_format else "")


class Bar(Progress):
    """A progress bar on the terminal, with what each format has cost so far; files are not listed."""

    def __init__(self) -> None:
        super().__init__()
        self.bar = None
        self.done: dict[str, tuple[int, float]] = {}
        """Jobs done and seconds of work, per format."""

    def start(self, jobs: int) -> None:
        if jobs < 2:
            return  # one job: its lines say enough
        # rich is imported here, not at the top: a build with nothing to do shows no bar.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self.console = Console(stderr=True)
        self.bar = RichProgress(
            TextColumn("building"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=self.console,
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("", total=jobs)

    def wrote(self, path: str) -> None:
        if self.bar is None:
            super().wrote(path)

    def message(self, text: str) -> None:
        if self.bar is None:
            return super().message(text)
        self.console.print(text, markup=False, highlight=False)

    def advance(self, format: str, seconds: float) -> None:
        if self.bar is None:
            return
        count, spent = self.done.get(format, (0, 0.0))
        self.done[format] = (count + 1, spent + seconds)
        done = ", ".join(f"{name} {count} ({spent:.1f} s)" for name, (count, spent) in self.done.items())
        self.bar.update(self.task, advance=1, description=done)

    def failed(self, error: str) -> None:
        if self.bar is None:
            return super().failed(error)
        self.console.print(error, markup=False, highlight=False, style="bold red")

    def finish(self, summary: Summary, seconds: float) -> None:
        self.stop()
        print(summary_line(summary, seconds), flush=True)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def choose(quiet: bool) -> Progress:
    if quiet or not sys.stdout.isatty():
        return Progress(quiet)
    return Bar()
