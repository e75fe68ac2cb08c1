"""One job of a build: one format of one handout, made from data and returned as data.

A `Job` carries everything it is made from (the handout model, with its pictures, and the site
settings with the build's options) and `run_job` returns a `Result` holding the files' bytes: both
can be pickled, so a job runs the same in a worker forked by the build, in a fresh process, or on
another machine. Nothing it needs travels in a module global, and it changes nothing around it:
the build writes and records what it returns.
"""

from __future__ import annotations

import functools
import logging
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import Exit, PipelineError
from .. import formats

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..model import Handout
    from ..writers.base import OutputFile, Writer


@dataclass(frozen=True)
class Job:
    format: str
    """The format it makes; for a list format, only the handout's entry in the list."""
    handout: Handout
    site: SiteConfig

    @property
    def source(self) -> str:
        return str(self.handout.source)


@dataclass
class Result:
    job_format: str
    source: str
    files: list[OutputFile] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)
    """The entries it made for list formats, by format name."""
    messages: list[str] = field(default_factory=list)
    """What the writers logged (a report's summary, a warning), for the build to print."""
    error: str | None = None
    exit_status: int = 0
    """The exit status the error asks for (PipelineError.exit_status; 70 for a bug of ours)."""
    internal: str | None = None
    """A bug in the pipeline: the traceback."""
    skipped: bool = False
    """Not started: another job had failed."""
    seconds: float = 0.0


def run_job(job: Job) -> Result:
    """Make what `job` asks for. A bad source or template is an `error`; a bug of ours also has its traceback."""
    result = Result(job.format, job.source)
    started = time.perf_counter()
    try:
        with _log_into(result.messages):
            made = writer(job.format, job.site).write(job.handout)
        result.files, result.entries = made.files, made.entries
    except PipelineError as error:
        result.error, result.exit_status = str(error), error.exit_status
    except MemoryError:
        raise  # past the job's memory limit: the worker says so (pipeline/build/workers.py)
    except Exception as error:  # a bug of ours: the build says so and exits 70
        result.internal = "".join(traceback.format_exception(error))
        result.error, result.exit_status = f"internal error: {type(error).__name__}: {error}", Exit.BUG
    result.seconds = time.perf_counter() - started
    return result


@functools.lru_cache(maxsize=32)
def writer(name: str, site: SiteConfig) -> Writer:
    """One writer per format and settings in a process, kept between jobs: a PDF writer's fonts and
    parsed stylesheets are made once. A cache, not an input: a fresh process makes its own."""
    format = formats.BY_NAME[name]
    return format.writer_class()(format, site)


class _Lines(logging.Handler):
    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.INFO)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def _log_into(lines: list[str]):
    """What the writers log during one job goes into its result, not to the terminal: the build
    prints it (workers writing to the terminal themselves would tear the progress bar)."""
    from ..errors import logger

    handler, kept = _Lines(lines), (logger.handlers[:], logger.propagate, logger.level)
    logger.handlers[:], logger.propagate = [handler], False
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.handlers[:], logger.propagate = kept[:2]
        logger.setLevel(kept[2])
