"""The build: decide what is out of date, read only those handouts, make their outputs on every core.

1. Plan (cheap, for a catalogue of hundreds): hash the files each output was made from
   (pipeline/state.py) and compare with the records of the last build. Nothing is parsed, no git
   is run and no writer is imported for a handout whose files did not change.
2. Read the out-of-date handouts (and site.yaml) in this process: a bad source stops the build
   before any output is written.
3. Make the outputs: one job per (handout, format), the longest (PDFs) first, in a pool of
   processes forked from this one, so they inherit the handouts already read. A worker imports
   WeasyPrint once and keeps its font configuration and stylesheets from one PDF to the next.
   One job, or `-j 1`, runs here, without a pool.
4. Write the indexes from one small entry per handout (kept in the records), then the records.

A job that fails is reported as `file:line: error: ...`. As with make, no other job starts after it;
those already running finish, their outputs are recorded, and the build exits 1.
"""

from __future__ import annotations

import json
import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .build import check_slugs, discover
from .errors import CannotWrite, PipelineError
from .state import Fingerprints, Record, State, all_exist, digest, format_key, pipeline_version, relative

if TYPE_CHECKING:
    from .config import SiteConfig
    from .model import Handout
    from .progress import Progress
    from .writers.base import Writer

INDEXES = ("index", "report-index")
"""The formats that list every handout, each from one small entry per handout."""

MAKES_ENTRY = {"report": "report-index"}
"""A report job makes the handout's entry in the report index from the checks it ran (the checks are
the costly part), and its record keeps the entry, so the index needs no checks of its own."""

WEIGHT = {"booklet": 5, "large-print": 4, "pdf": 3, "report": 2, "report-index": 2, "epub": 1, "html": 1}
"""Roughly how long a job of each format takes: the longest start first, so no core idles at the end."""


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Options:
    formats: Sequence[str]
    source_dir: Path
    builddir: Path
    sources: Sequence[Path] = ()
    """Build only these handouts (default: every one in source_dir)."""
    paper: str | None = None
    jobs: int = 0
    """Processes to run jobs in; 0: one per usable core."""


@dataclass(frozen=True)
class Job:
    source: str
    format: str
    """The format whose outputs it writes; an index format when it only makes an entry."""
    entries: tuple[str, ...] = ()
    """Index formats whose entry for this handout the job makes too."""


@dataclass
class Result:
    job: Job
    written: list[str] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    """What the writers logged (a report's summary, a warning), printed by the parent."""
    error: str | None = None
    exit_status: int = 0
    """The exit status the error asks for (PipelineError.exit_status; 70 for a bug of ours)."""
    internal: str | None = None
    """A bug in the pipeline: the traceback."""
    skipped: bool = False
    """Not started: another job had failed."""
    seconds: float = 0.0


@dataclass
class Summary:
    built: int = 0
    up_to_date: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    failed: list[Result] = field(default_factory=list)
    skipped: int = 0


class Build:
    def __init__(self, options: Options, progress: Progress) -> None:
        self.options = options
        self.progress = progress
        self.fingerprints = Fingerprints()
        self.summary = Summary()
        self._config: SiteConfig | None = None
        self.handouts: dict[str, Handout] = {}
        """The handouts read this time, by source."""

    # --- 1. plan --------------------------------------------------------------------------------

    def run(self) -> Summary:
        options = self.options
        from . import templates  # cheap: it imports Jinja only to render

        sources = [str(path) for path in (options.sources or discover(options.source_dir))]
        version = pipeline_version(self.fingerprints)
        self.states = {
            name: State.load(
                options.builddir,
                name,
                format_key(name, templates.TEMPLATE_DIR, version, options.paper, self.fingerprints),
            )
            for name in options.formats
        }
        today = _today()
        stale = {
            name: [source for source in sources if not self._fresh(state.records.get(source), today)]
            for name, state in self.states.items()
        }
        self.summary.up_to_date = sum(len(sources) - len(stale[name]) for name in options.formats if name not in INDEXES)

        # --- 2. read --------------------------------------------------------------------------
        out_of_date = {source for names in stale.values() for source in names}
        to_read = [source for source in sources if source in out_of_date]
        for source in to_read:
            self.handouts[source] = self._read(Path(source))
        if to_read:
            known = {source: record.slug for state in self.states.values() for source, record in state.records.items()}
            check_slugs((Path(source), self.handouts[source].slug if source in self.handouts else known[source]) for source in sources)
        records = {source: self._record(handout) for source, handout in self.handouts.items()}
        if to_read and "html" in self.states:
            self._check_pictures(sources, records)

        # --- 3. make --------------------------------------------------------------------------
        jobs = self._jobs(stale, records)
        if jobs:
            self.progress.start(len(jobs))
            for name in sorted({job.format for job in jobs} - set(INDEXES)):
                self._prepare(name)
            for result in self._run(jobs):
                self._collect(result, records)
        if self.summary.failed:
            try:
                self._save(sources, full=False)
            except CannotWrite:  # said already if the outputs' disk refused them; the records only save time
                if all(result.exit_status != CannotWrite.exit_status for result in self.summary.failed):
                    raise
            return self.summary

        # --- 4. index, records ----------------------------------------------------------------
        for name in self.states:
            if name in INDEXES:
                self._index(name, sources, stale[name], records)
        self._save(sources, full=not options.sources)
        return self.summary

    def _fresh(self, record: Record | None, today: str) -> bool:
        return record is not None and record.is_fresh(self.fingerprints, today, self.options.builddir)

    @property
    def config(self) -> SiteConfig:
        if self._config is None:
            from .config import load_config  # here: a build with nothing to do never reads YAML

            self._config = load_config(self.options.source_dir).with_paper(self.options.paper)
        return self._config

    def _read(self, source: Path) -> Handout:
        from .source import read_handout

        return read_handout(source, self.config)

    def _record(self, handout: Handout) -> Record:
        """What this handout's outputs are made from, apart from what every handout's are (the format key)."""
        from .config import CONFIG_NAME

        pictures = [handout.source.parent / picture.file_name for picture in handout.images]
        site = [self.options.source_dir / CONFIG_NAME]  # a record for when it appears, too
        if self.config.logo:
            site.append(self.options.source_dir / self.config.logo)
        changes_on = handout.review.changes_on  # every output says whether the handout is a draft
        return Record(
            handout.slug,
            self.fingerprints.of([handout.source, *pictures, *site]),
            stale_from=changes_on.isoformat() if changes_on else None,
            pictures={picture.file_name: self.fingerprints(path) for picture, path in zip(handout.images, pictures)},
        )

    def _check_pictures(self, sources: list[str], records: dict[str, Record]) -> None:
        """The web pages keep their pictures beside them, under the names the Markdown uses: two
        handouts in different folders may not show different pictures under one name."""
        kept = self.states["html"].records
        shown: dict[str, tuple[str, str]] = {}
        for source in sources:
            record = records.get(source) or kept.get(source)
            for name, content in (record.pictures if record else {}).items():
                other_content, other = shown.setdefault(name, (content, source))
                if other_content != content:
                    raise PipelineError(
                        f"the picture '{name}' is not the picture {other} shows under the same name;"
                        f" both web pages would use build/html/{name}",
                        source,
                        hint="Give one of the two pictures another name.",
                    )

    def _jobs(self, stale: dict[str, list[str]], records: dict[str, Record]) -> list[Job]:
        jobs = [
            Job(source, name, (MAKES_ENTRY[name],) if name in MAKES_ENTRY else ())
            for name, sources in stale.items()
            if name not in INDEXES
            for source in sources
        ]
        planned = {(job.source, job.format) for job in jobs}
        reports = self.states.get("report")
        for source in stale.get("report-index", ()):
            kept = reports.records.get(source) if reports else None
            if (source, "report") in planned:
                continue
            if kept is not None and kept.entry is not None and source not in stale["report"]:
                self.states["report-index"].records[source] = Record(**{**vars(records[source]), "entry": kept.entry})
            else:
                jobs.append(Job(source, "report-index"))  # runs the checks for the entry alone
        sizes = {source: os.path.getsize(source) for source in {job.source for job in jobs}}
        return sorted(jobs, key=lambda job: (-WEIGHT[job.format], -sizes[job.source], job.source))

    def _prepare(self, name: str) -> None:
        """Before a format's jobs: remove what a killed build left, and write the files they share."""
        from .output import remove_stale_temp_files

        state = self.states[name]
        writer = _writer(name, self.config, self.options.builddir)
        remove_stale_temp_files(writer.outdir)
        if not state.shared or not all_exist(self.options.builddir, state.shared):
            written = writer.write_shared()
            for path in written:
                self.progress.wrote(str(path))
            state.shared = relative(self.options.builddir, written)

    def _run(self, jobs: list[Job]):
        global _CONTEXT
        from .workers import Stopped, Workers
        from .writers import writer_class

        for name in {job.format for job in jobs}:
            writer_class(name)  # its module (WeasyPrint for a PDF) imported once here, not once per worker
        # The workers are forked from this process: they inherit the handouts read and _CONTEXT.
        _CONTEXT = (self.config, self.handouts, self.options.builddir)
        processes = min(self.options.jobs or usable_cores(), len(jobs))
        self.workers = Workers(_run_job, processes, self.config.limits, start=_start_worker)
        for job, outcome in self.workers.run(jobs):
            if isinstance(outcome, Result):
                yield outcome
            elif isinstance(outcome, Stopped):
                error = _stopped(job, outcome)
                yield Result(job, error=str(error), exit_status=error.exit_status, seconds=self.config.limits.job_seconds)
            else:
                yield Result(job, skipped=True)  # not started: another job had failed

    def _collect(self, result: Result, records: dict[str, Record]) -> None:
        job = result.job
        for message in result.messages:
            self.progress.message(message)
        for path in result.written:
            self.progress.wrote(path)
        self.summary.seconds[job.format] = self.summary.seconds.get(job.format, 0.0) + result.seconds
        self.progress.advance(job.format, result.seconds)
        if result.skipped:
            self.summary.skipped += 1
            return
        if result.error or result.internal:
            self.workers.stop()  # like make: start no other job; those running finish, whole
            said = any(
                result.error == other.error or result.exit_status == other.exit_status == CannotWrite.exit_status
                for other in self.summary.failed
            )
            if not said:  # a broken template, or a full disk, fails the jobs running at once alike
                self.progress.failed(result.error or "")
            self.summary.failed.append(result)
            return
        for name in (job.format, *job.entries):
            if name not in self.states:
                continue  # an entry for an index this build does not make: kept in the report's record
            record = Record(**vars(records[job.source]))
            if name in INDEXES:
                record.entry = result.entries[name]
            else:
                record.outputs = relative(self.options.builddir, result.written)
                record.entry = result.entries.get(MAKES_ENTRY.get(name, ""))
                self.summary.built += 1
            self.states[name].records[job.source] = record

    # --- 4. --------------------------------------------------------------------------------------

    def _index(self, name: str, sources: list[str], stale: list[str], records: dict[str, Record]) -> None:
        """The list of every handout, from each one's entry (kept in the records, so that the handouts
        that did not change are not read). Rewritten when a handout or site.yaml changed (stale), a
        handout came or went (the entries), a file it links to was rebuilt or removed (its size, as
        the HTML index shows), or the format's key changed (no records)."""
        state = self.states[name]
        if name == "index" and stale:
            writer = _writer(name, self.config, self.options.builddir)
            for source in stale:
                state.records[source] = Record(**{**vars(records[source]), "entry": writer.entry(self.handouts[source])})
        entries = [state.records[source].entry for source in sources]
        linked = _linked_sizes(self.options.builddir, entries) if name == "index" else []
        made_from = digest(json.dumps([entries, linked], sort_keys=True).encode())
        if not stale and state.index == made_from and state.shared and all_exist(self.options.builddir, state.shared):
            self.summary.up_to_date += 1
            return
        written = _writer(name, self.config, self.options.builddir).write_index(entries)
        for path in written:
            self.progress.wrote(str(path))
        state.shared = relative(self.options.builddir, written)
        state.index = made_from
        self.summary.built += 1

    def _save(self, sources: list[str], full: bool) -> None:
        """Write the records, after the outputs. A full build forgets the sources that are gone."""
        from .output import remove_stale_temp_files

        remove_stale_temp_files(self.options.builddir / ".state")
        for state in self.states.values():
            if full:
                state.records = {source: record for source, record in state.records.items() if source in set(sources)}
            state.save()


def _linked_sizes(builddir: Path, entries: list[dict]) -> list[int | None]:
    """The size of every file the HTML index links to, None for one not built: the page shows them.
    (Here, not in the writer: a build with nothing to do must not import it.)"""
    folder = os.path.join(builddir, "html")
    sizes: list[int | None] = []
    for link in (link for entry in entries for link in entry["links"]):
        try:
            sizes.append(os.stat(os.path.join(folder, link["href"])).st_size)  # os.path: pathlib is slower here
        except OSError:
            sizes.append(None)
    return sizes


def _today() -> str:
    from .review import check_date

    return check_date().isoformat()


# --- the jobs, in a worker or in this process ----------------------------------------------------

_CONTEXT: tuple[SiteConfig, dict[str, Handout], Path] | None = None
"""What every job needs, set before the workers are forked so that they inherit it: the site
settings, the handouts read, the build folder."""


def _stopped(job: Job, stopped) -> PipelineError:
    """A job the workers stopped (pipeline/workers.py): too slow, or too big."""
    setting = "job_seconds" if "seconds" in stopped.why else "job_memory_mb"
    return PipelineError(
        f"making the {job.format} output {stopped.why}",
        job.source,
        hint=f"Look for a very long table, list or picture and split the handout; or raise '{setting}' under"
        " 'limits:' in site.yaml.",
    )


_WRITERS: dict[str, Writer] = {}


def _writer(name: str, config: SiteConfig | None, builddir: Path) -> Writer:
    """One writer per format and process (a PDF writer keeps its fonts and stylesheets between handouts)."""
    from .writers import writer_class

    key = f"{name}:{builddir}"
    if key not in _WRITERS or _WRITERS[key].config is not config:
        _WRITERS[key] = writer_class(name)(config, builddir)
    return _WRITERS[key]


class _Collect(logging.Handler):
    """What a worker's writers log (a report's summary, a warning), sent back with the job's result
    for the parent to print: workers writing to the terminal themselves would tear the progress bar."""

    lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


_COLLECT: _Collect | None = None


def _start_worker() -> None:
    from .errors import logger

    global _COLLECT
    _COLLECT = _Collect()
    logger.handlers[:] = [_COLLECT]


def _run_job(job: Job) -> Result:
    config, handouts, builddir = _CONTEXT
    result = Result(job)
    handout = handouts[job.source]
    started = time.perf_counter()
    if _COLLECT is not None:
        _COLLECT.lines = result.messages
    try:
        writer = _writer(job.format, config, builddir)
        if job.format in INDEXES:
            result.entries[job.format] = writer.entry(handout)
        else:
            result.written = [str(path) for path in writer.write_handout(handout)]
        for name in job.entries:
            result.entries[name] = _writer(name, config, builddir).entry(handout)
    except PipelineError as error:
        result.error, result.exit_status = str(error), error.exit_status
    except MemoryError:
        raise  # past the job's memory limit: the worker says so (pipeline/workers.py)
    except Exception as error:  # a bug of ours: the parent says so and exits 70
        result.internal = "".join(traceback.format_exception(error))
        result.error, result.exit_status = f"internal error: {type(error).__name__}: {error}", 70
    result.seconds = time.perf_counter() - started
    return result
