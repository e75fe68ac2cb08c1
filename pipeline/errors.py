"""One error type for everything a person can fix: it knows the file, the line and what to do."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar


@dataclass
class PipelineError(Exception):
    """A problem in a source, the configuration or a template, told the way an editor would tell it."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    """1-based line number in `path`, when the problem has one."""
    hint: str | None = None
    """What to do about it, in one sentence."""

    exit_status: ClassVar[int] = 1
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

    exit_status = 73  # EX_CANTCREAT in sysexits.h: "a (user specified) output file cannot be created"


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
