"""One error type for everything a person can fix: it knows the file, the line and what to do."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import ClassVar


class Exit(IntEnum):
    """The exit status of every command (`build`, `check`, `new`, `serve`), listed in the README."""

    OK = 0
    PROBLEM = 1
    """A problem in a handout, setting or template that a person can fix (the message says where), or
    `check --strict` finding an error."""
    USAGE = 2
    """A mistake on the command line (argparse's own status)."""
    UNAVAILABLE = 69
    """`build --scheduler`: the Dask packages are missing, the scheduler cannot be reached, or no
    worker of its cluster can make the jobs: EX_UNAVAILABLE in sysexits.h."""
    BUG = 70
    """A bug in the pipeline itself: EX_SOFTWARE in sysexits.h."""
    CANNOT_WRITE = 73
    """An output that cannot be written: EX_CANTCREAT in sysexits.h."""
    INTERRUPTED = 130
    """Stopped with Ctrl-C (128 + SIGINT, as a shell reports it)."""


@dataclass
class PipelineError(Exception):
    """A problem in a source, the configuration or a template, told the way an editor would tell it."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    """1-based line number in `path`, when the problem has one."""
    hint: str | None = None
    """What to do about it, in one sentence."""

    exit_status: ClassVar[int] = Exit.PROBLEM
    """The exit status of a command this stops (README, "The command line")."""

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}error: {self.message}"
        if self.hint:
            text += f"\n  {self.hint}"
        return text


class CannotWrite(PipelineError):
    """An output (or the source `new` writes) that the disk will not take: full, read-only, not
    ours to write, or a path through a file or a loop of links. Nothing is wrong with the handout."""

    exit_status = Exit.CANNOT_WRITE


class Unavailable(PipelineError):
    """A cluster to build on (`build --scheduler`) that cannot be used. Nothing is wrong with the handouts."""

    exit_status = Exit.UNAVAILABLE


logger = logging.getLogger("pipeline")


def warn(message: str, path: Path | str | None = None, line: int | None = None) -> None:
    """Report something the author should know about that does not stop the build."""
    where = f"{path}:{line}: " if path and line else f"{path}: " if path else ""
    logger.warning("%swarning: %s", where, message)


def configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
