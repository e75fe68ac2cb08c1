"""The build: decide what is out of date, read only those handouts, make their outputs on every core.

1. Plan (cheap, for a catalogue of hundreds): hash the files each output was made from
   (pipeline/build/state.py) and compare with the records of the last build. Nothing is parsed, no git
   is run and no writer is imported for a handout whose files did not change.
2. Read the out-of-date handouts (and site.yaml) in this process: a bad source stops the build
   before any output is written.
3. Make the outputs: one job per (handout, format), the longest first, in worker processes held
   to the site's limits (pipeline/build/workers.py). A job carries its inputs and returns its files as
   bytes (pipeline/build/jobs.py); this process writes each file, atomically, and records it. With
   `--scheduler`, the jobs are made on a Dask cluster instead (pipeline/build/cluster.py).
4. Write the lists of every handout from one small entry per handout (kept in the records), then
   the records.

Everything about a format comes from its row in pipeline/formats.py: this module names none.
A job that fails is reported as `file:line: error: ...`. As with make, no other job starts after it;
those already running finish, their outputs are written and recorded, and the build exits 1.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .sources import check_slugs, discover
from ..errors import CannotWrite, PipelineError
from .. import formats
from .jobs import Job, Result, run_job
from .state import Fingerprints, Record, State, all_exist, digest, format_key, pipeline_version

if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..model import Handout
    from .progress import Progress
    from ..writers.base import OutputFile



@dataclass(frozen=True)
class Options:
    formats: Sequence[str]
    source_dir: Path
    builddir: Path
    sources: Sequence[Path] = ()
    """Build only these handouts (default: every one in source_dir)."""
    paper: str | None = None
    """'a4' or 'letter' (already checked and lower-cased), or None: the site's."""
    jobs: int = 0
    """Processes to run jobs in; 0: one per usable core."""
    scheduler: str | None = None
    """A Dask scheduler's address (tcp://host:8786): the jobs are made on its cluster, not here."""


@dataclass
class Summary:
    built: int = 0
    up_to_date: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    failed: list[Result] = field(default_factory=list)
    skipped: int = 0


class Build:
    def __init__(self, options: Options, progress: Progress, pool=None) -> None:
        """`pool`: a warm process's kept workers (pipeline/build/warm.py), or None: fork them for this build."""
        self.options = options
        self.pool = pool
        self.progress = progress
        self.fingerprints = Fingerprints()
        self.summary = Summary()
        self._config: SiteConfig | None = None
        self.handouts: dict[str, Handout] = {}
        """The handouts read this time, by source."""
        self._source_of: dict[str, Path] = {}
        """The source of each handout read, by slug (its family's records name them)."""
        self.workers = None

    # --- 1. plan --------------------------------------------------------------------------------

    def run(self) -> Summary:
        options = self.options
        from ..writers import templates  # cheap: it imports Jinja only to render

        sources = [str(path) for path in (options.sources or discover(options.source_dir))]
        version = pipeline_version(self.fingerprints)
        self.states = {
            name: State.load(options.builddir, name, format_key(formats.BY_NAME[name], templates.TEMPLATE_DIR, version, options.paper, self.fingerprints))
            for name in options.formats
        }
        today = _today()
        stale = {
            name: [source for source in sources if not self._fresh(state.records.get(source), today)]
            for name, state in self.states.items()
        }
        records = self._read(sources, stale)
        self.summary.up_to_date = sum(
            len(sources) - len(stale[name]) for name in options.formats if not formats.BY_NAME[name].lists_every_handout
        )
        jobs = self._jobs(stale, records)
        if jobs:
            self._make(jobs, records)
        if self.summary.failed:
            self._save_after_failure(sources)
            return self.summary
        for name in self.states:
            if formats.BY_NAME[name].lists_every_handout:
                self._list(name, sources, stale[name], records)
        self._save(sources, full=not options.sources)
        return self.summary

    def _fresh(self, record: Record | None, today: str) -> bool:
        return record is not None and record.is_fresh(self.fingerprints, today, self.options.builddir)

    @property
    def config(self) -> SiteConfig:
        if self._config is None:
            from ..config import load_config  # here: a build with nothing to do never reads YAML

            self._config = load_config(self.options.source_dir).with_paper(self.options.paper)
        return self._config

    # --- 2. read --------------------------------------------------------------------------------

    def _read(self, sources: list[str], stale: dict[str, list[str]]) -> dict[str, Record]:
        """Read the handouts some output of which is out of date; their records as they are now."""
        out_of_date = {source for names in stale.values() for source in names}
        to_read = [source for source in sources if source in out_of_date]
        if to_read:
            from ..read.translations import link  # here: a build with nothing to do reads nothing

            known = {source: record.slug for state in self.states.values() for source, record in state.records.items()}
            self._read_with_families(to_read, sources, known)
            check_slugs((Path(source), self.handouts[source].slug if source in self.handouts else known[source]) for source in sources)
            for handout in link(self.handouts.values()):
                self.handouts[str(handout.source)] = handout
            # A handout read for its family's sake is rebuilt too, in each format where one of its
            # family is: its list of languages, or its original, may have changed.
            family = {source: handout.meta.translation_of or handout.slug for source, handout in self.handouts.items()}
            for names in stale.values():
                changed = {family[source] for source in names if source in family}
                names[:] = [source for source in sources if source in names or family.get(source) in changed]
        self._source_of = {handout.slug: Path(source) for source, handout in self.handouts.items()}
        records = {source: self._record(handout) for source, handout in self.handouts.items()}
        if to_read:
            for name in self.states:
                if formats.BY_NAME[name].pictures_beside:
                    self._check_pictures(name, sources, records)
        return records

    def _read_with_families(self, to_read: list[str], sources: list[str], known: dict[str, str]) -> None:
        """Read `to_read` and the other handouts of their families, so that they link
        (pipeline/read/translations.py): a translation's original, and every handout the last build
        recorded as a member of a family read (its record lists their sources)."""
        from ..read.handout import read_handout

        members, queue, listed = set(), list(to_read), set(sources)
        source_of = {slug: path for path, slug in known.items()}
        while queue:
            source = queue.pop()
            if source in members:
                continue
            members.add(source)
            handout = self.handouts.get(source) or read_handout(Path(source), self.config)
            self.handouts[source] = handout
            source_of[handout.slug] = source
            if handout.meta.translation_of in source_of:
                queue.append(source_of[handout.meta.translation_of])
            for state in self.states.values():
                if record := state.records.get(source):
                    queue += [dep for dep in record.deps if dep in listed and dep != source]

    def _record(self, handout: Handout) -> Record:
        """What this handout's outputs are made from, apart from what every handout's are (the format key)."""
        from ..config import CONFIG_NAME
        from ..read.site_words import FILE_NAME as SITE_WORDS

        pictures = [handout.source.parent / picture.file_name for picture in handout.images]
        # site.yaml and the site's words: recorded absent too, for when they appear
        site = [self.options.source_dir / CONFIG_NAME, self.options.source_dir / SITE_WORDS]
        if self.config.logo:
            site.append(self.options.source_dir / self.config.logo)
        changes_on = handout.review.changes_on  # every output says whether the handout is a draft
        # the other languages of its family: a page lists them, a translation names its original
        family = [self._source_of[version.slug] for version in handout.versions if version.slug != handout.slug]
        return Record(
            handout.slug,
            self.fingerprints.of([handout.source, *family, *pictures, *site]),
            stale_from=changes_on.isoformat() if changes_on else None,
            pictures={picture.file_name: self.fingerprints(path) for picture, path in zip(handout.images, pictures)},
        )

    def _check_pictures(self, name: str, sources: list[str], records: dict[str, Record]) -> None:
        """A format that keeps the pictures beside its files, under the names the Markdown uses: two
        handouts in different folders may not show different pictures under one name."""
        kept = self.states[name].records
        shown: dict[str, tuple[str, str]] = {}
        for source in sources:
            record = records.get(source) or kept.get(source)
            for picture, content in (record.pictures if record else {}).items():
                other_content, other = shown.setdefault(picture, (content, source))
                if other_content != content:
                    path = f"{formats.BY_NAME[name].folder}/{picture}"
                    raise PipelineError(
                        f"the picture '{picture}' is not the picture {other} shows under the same name;"
                        f" both would be written to {self.options.builddir / path}",
                        source,
                        hint="Give one of the two pictures another name.",
                    )

    # --- 3. make --------------------------------------------------------------------------------

    def _jobs(self, stale: dict[str, list[str]], records: dict[str, Record]) -> list[Job]:
        """A job per handout and format out of date; for a list whose entries another format's jobs
        make, a job for an entry alone when that format's record cannot give it."""
        jobs = [
            Job(name, self.handouts[source], self.config)
            for name, sources in stale.items()
            if not formats.BY_NAME[name].lists_every_handout
            for source in sources
        ]
        planned = {(job.format, job.source) for job in jobs}
        for maker in (format for format in formats.FORMATS if format.makes_entry_for in self.states):
            listing, kept = maker.makes_entry_for, self.states.get(maker.name)
            for source in stale[listing]:
                record = kept.records.get(source) if kept else None
                if (maker.name, source) in planned:
                    continue
                if record is not None and record.entry is not None and source not in stale[maker.name]:
                    self.states[listing].records[source] = Record(**{**vars(records[source]), "entry": record.entry})
                else:
                    jobs.append(Job(listing, self.handouts[source], self.config))  # the entry alone
        sizes = {source: os.path.getsize(source) for source in {job.source for job in jobs}}
        return sorted(jobs, key=lambda job: (-formats.BY_NAME[job.format].weight, -sizes[job.source], job.source))

    def _make(self, jobs: list[Job], records: dict[str, Record]) -> None:
        from .workers import Stopped, stopped_error, usable_cores  # here: a build with nothing to do starts no process

        self.progress.start(len(jobs))
        for name in sorted({job.format for job in jobs}):
            if not formats.BY_NAME[name].lists_every_handout:
                self._prepare(name)
        processes = min(self.options.jobs or usable_cores(), len(jobs))
        self.workers = self._workers(processes)
        for job, outcome in self.workers.run(jobs, processes):
            if isinstance(outcome, Stopped):
                error = stopped_error(job, outcome)
                outcome = Result(job.format, job.source, error=str(error), exit_status=error.exit_status, seconds=self.config.limits.job_seconds)
            elif outcome is None:
                outcome = Result(job.format, job.source, skipped=True)  # not started: another job had failed
            self._collect(outcome, records)

    def _workers(self, processes: int):
        """Where the jobs are made: on a Dask cluster (--scheduler), by a warm process's kept workers
        (pipeline/build/warm.py), or by workers forked for this build."""
        from .workers import Workers, start_worker

        if self.options.scheduler:  # only then is Dask imported
            from .cluster import Cluster

            return Cluster(self.options.scheduler, self.progress.message)
        if self.pool:
            return self.pool.workers(self.config.limits)
        return Workers(run_job, processes, self.config.limits, start=start_worker)

    def _prepare(self, name: str) -> None:
        """Before a format's jobs: remove what a killed build left, and write the files they share."""
        from .jobs import writer
        from .output import remove_stale_temp_files

        format, state = formats.BY_NAME[name], self.states[name]
        remove_stale_temp_files(self.options.builddir / format.folder)
        make = writer(name, self.config)  # imported here once (WeasyPrint), not once per worker
        if not state.shared or not all_exist(self.options.builddir, state.shared):
            state.shared = self._write(make.shared_files())

    def _write(self, files: list[OutputFile]) -> list[str]:
        """Write files the writers made, each atomically; their paths from the build folder."""
        from .output import write_atomically

        for file in files:
            self.progress.wrote(str(write_atomically(self.options.builddir / file.path, file.data)))
        return [file.path for file in files]

    def _collect(self, result: Result, records: dict[str, Record]) -> None:
        for message in result.messages:
            self.progress.message(message)
        if not result.error and not result.skipped:
            try:
                written = self._write(result.files)
            except CannotWrite as error:
                result.error, result.exit_status = str(error), error.exit_status
        self.summary.seconds[result.job_format] = self.summary.seconds.get(result.job_format, 0.0) + result.seconds
        self.progress.advance(result.job_format, result.seconds)
        if result.skipped:
            self.summary.skipped += 1
        elif result.error:
            self._failed(result)
        else:
            self._recorded(result, written, records[result.source])

    def _failed(self, result: Result) -> None:
        self.workers.stop()  # like make: start no other job; those running finish, whole
        said = any(
            result.error == other.error or result.exit_status == other.exit_status == CannotWrite.exit_status
            for other in self.summary.failed
        )
        if not said:  # a broken template, or a full disk, fails the jobs running at once alike
            self.progress.failed(result.error or "")
        self.summary.failed.append(result)

    def _recorded(self, result: Result, written: list[str], made_from: Record) -> None:
        format = formats.BY_NAME[result.job_format]
        for name in filter(None, (format.name, format.makes_entry_for)):
            if name not in self.states:
                continue  # an entry for a list this build does not make: kept in the maker's record
            record = Record(**vars(made_from))
            if formats.BY_NAME[name].lists_every_handout:
                record.entry = result.entries[name]
            else:
                record.outputs = written
                record.entry = result.entries.get(format.makes_entry_for or "")
                self.summary.built += 1
            self.states[name].records[result.source] = record

    # --- 4. lists, records ----------------------------------------------------------------------

    def _list(self, name: str, sources: list[str], stale: list[str], records: dict[str, Record]) -> None:
        """The list of every handout, from each one's entry (kept in the records, so that the handouts
        that did not change are not read). Rewritten when a handout or site.yaml changed (stale), a
        handout came or went (the entries), a file it shows the size of changed size, or the
        format's key changed (no records)."""
        from .jobs import writer

        format, state = formats.BY_NAME[name], self.states[name]
        made_by_another = any(other.makes_entry_for == name for other in formats.FORMATS)
        if stale and not made_by_another:  # cheap entries, made here
            for source in stale:
                state.records[source] = Record(**{**vars(records[source]), "entry": writer(name, self.config).entry(self.handouts[source])})
        entries = [state.records[source].entry for source in sources]
        sizes = _sizes(self.options.builddir, entries) if format.shows_sizes else {}
        made_from = digest(json.dumps([entries, sorted(sizes.items())], sort_keys=True).encode())
        if not stale and state.listed_from == made_from and state.shared and all_exist(self.options.builddir, state.shared):
            self.summary.up_to_date += 1
            return
        state.shared = self._write(writer(name, self.config).list_files(entries, sizes))
        state.listed_from = made_from
        self.summary.built += 1

    def _save(self, sources: list[str], full: bool) -> None:
        """Write the records, after the outputs. A full build forgets the sources that are gone."""
        from .output import remove_stale_temp_files

        remove_stale_temp_files(self.options.builddir / ".state")
        for state in self.states.values():
            if full:
                state.records = {source: record for source, record in state.records.items() if source in set(sources)}
            state.save()

    def _save_after_failure(self, sources: list[str]) -> None:
        """The records of what was made, so that the next build does only what is left."""
        try:
            self._save(sources, full=False)
        except CannotWrite:  # said already if the outputs' disk refused them; the records only save time
            if all(result.exit_status != CannotWrite.exit_status for result in self.summary.failed):
                raise


def _sizes(builddir: Path, entries: list[dict]) -> dict[str, int]:
    """The size of each file of each listed handout in the build folder now, by its path from there:
    a list that shows them (the index of handouts) links only the files that exist."""
    sizes: dict[str, int] = {}
    for slug in (entry["slug"] for entry in entries):
        for format in formats.FORMATS:
            if format.label is not None:
                path = format.path(slug)
                try:
                    sizes[path] = os.stat(os.path.join(builddir, path)).st_size  # os.path: pathlib is slower here
                except OSError:
                    pass
    return sizes


def _today() -> str:
    from ..read.review import check_date

    return check_date().isoformat()
