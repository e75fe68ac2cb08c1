"""`make bench`: this pipeline against Pandoc 3 on a synthetic catalogue, side by side in one run.

For each N, in a fresh temporary folder holding N handouts from bench/catalogue.py, it times
  - this pipeline's cold build of the three formats Pandoc makes (pdf,epub,html),
  - its cold build of everything `make` builds (every format, the reports and indexes),
  - a rebuild with nothing changed, and a rebuild after one handout was edited,
  - Pandoc making a standalone HTML page, an EPUB and a PDF (--pdf-engine=weasyprint) of every
    handout, one process per document, as many at once as the pipeline has workers,
and writes the tables to OUT/results.md and the raw numbers to OUT/results.json.

    python -m bench.run [--n 1,25,100,200] [--jobs J] [--seed S] [--out build/bench] [--profile]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable, Sequence

from bench.catalogue import DEFAULT_SEED, write_catalogue
# Only this light module of the pipeline: a child process starts with its parent's peak memory as its
# own (Linux copies it at fork and exec), so the bench must stay small to measure its children.
from pipeline.build.output import write_atomically

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# The same fixed date as the tests: both tools then write the same bytes on every run, and neither
# asks git for a date (the catalogue is not in git).
SOURCE_DATE_EPOCH = "1767225600"
PANDOC_FORMATS = "pdf,epub,html"
TARGETS = {"ratio_n1": 1.0, "ratio_n200": 0.30, "noop_s": 0.1, "edit_n200_s": 1.5, "peak_mb": 300}


class BenchError(Exception):
    """A problem the person running the bench can fix; printed as one message, no traceback."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass
class Measure:
    wall_s: float
    """Elapsed time from the first process started to the last one finished."""
    cpu_s: float
    """User + system time of every process run and of their children (RUSAGE_CHILDREN delta)."""
    peak_mb: float
    """Largest max RSS of any one process run (wait4's ru_maxrss: the process or its largest child)."""
    processes: int


def run(commands: Sequence[Sequence[str]], jobs: int, env: dict[str, str], log: Path, cwd: Path | None = None) -> Measure:
    """Run the commands in `cwd`, at most `jobs` at a time; all must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    pending = list(reversed(commands))
    running: dict[int, tuple[subprocess.Popen, Sequence[str]]] = {}
    peak_kb = 0
    start = time.perf_counter()
    with log.open("ab") as out:
        try:
            while pending or running:
                while pending and len(running) < jobs:
                    command = pending.pop()
                    process = subprocess.Popen(
                        command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd
                    )
                    running[process.pid] = (process, command)
                pid, status, usage = _wait_for_one(running)
                process, command = running.pop(pid)
                process.returncode = os.waitstatus_to_exitcode(status)
                peak_kb = max(peak_kb, usage.ru_maxrss)  # kilobytes on Linux
                if process.returncode != 0:
                    raise BenchError(f"'{shlex.join(command)}' failed (exit status {process.returncode})", f"Its output is in {log}.")
        finally:
            for process, _ in running.values():  # after a failure or Ctrl-C: leave nothing running
                process.kill()
                process.wait()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measure(round(wall, 3), round(cpu, 3), round(peak_kb / 1024, 1), len(commands))


def _wait_for_one(running: dict[int, object]) -> tuple[int, int, resource.struct_rusage]:
    """Wait until one of these processes ends: (pid, status, its resource usage).

    wait4, not Popen.wait: it gives that one process's peak memory. Each pid is waited for by name,
    never any child (-1), which could reap a process someone else started (a test's, say).
    """
    if len(running) == 1:
        return os.wait4(next(iter(running)), 0)
    while True:
        for pid in running:
            ended, status, usage = os.wait4(pid, os.WNOHANG)
            if ended:
                return ended, status, usage
        time.sleep(0.005)  # at most 5 ms late on a run that takes seconds


@dataclass(frozen=True)
class Pipeline:
    """How to call this pipeline's command line; -j and -q are passed only when it has them."""

    jobs: int
    has_jobs: bool
    has_quiet: bool
    formats: tuple[str, ...]

    @classmethod
    def detect(cls, jobs: int) -> "Pipeline":
        help_text = subprocess.run(
            [PYTHON, "-m", "pipeline", "build", "--help"], capture_output=True, text=True, cwd=ROOT
        ).stdout
        if "--builddir" not in help_text:
            raise BenchError("'python -m pipeline build --help' did not run", "Run 'make' first to install the pipeline.")
        has = lambda flag: re.search(rf"(^|[\s\[,]){re.escape(flag)}\b", help_text) is not None  # noqa: E731
        # The formats as --help lists them (importing the writers here would weigh on every measure).
        formats = re.search(r"comma-separated: (.+?) \(default", " ".join(help_text.split()))
        if not formats:
            raise BenchError("'python -m pipeline build --help' lists no formats", "bench/run.py needs updating to its new wording.")
        return cls(jobs, has("-j"), has("-q"), tuple(name.strip() for name in formats.group(1).split(",")))

    @property
    def workers(self) -> int:
        return self.jobs if self.has_jobs else 1

    def command(self, source: Path, builddir: Path, formats: str | None = None, jobs: int | None = None) -> list[str]:
        command = [PYTHON, "-m", "pipeline", "build", "--source-dir", str(source), "--builddir", str(builddir)]
        if self.has_jobs:
            command += ["-j", str(jobs or self.jobs)]
        if self.has_quiet:
            command += ["-q"]
        return command + (["--format", formats] if formats else [])


def pandoc_commands(pandoc: str, handouts: Sequence[Path], outdir: Path) -> list[list[str]]:
    """What a user of Pandoc runs: one process per document."""
    outdir.mkdir(parents=True, exist_ok=True)
    commands = []
    for source in handouts:
        out = outdir / source.stem
        commands += [
            [pandoc, str(source), "--standalone", "-o", f"{out}.html"],
            [pandoc, str(source), "-o", f"{out}.epub"],
            [pandoc, str(source), "--pdf-engine=weasyprint", "-o", f"{out}.pdf"],
        ]
    return commands


def edit(handout: Path) -> None:
    """Change one handout as an author would: one more sentence in its text."""
    with handout.open("a", encoding="utf-8", newline="\n") as file:
        file.write("\nOne more synthetic sentence, added to time a rebuild after an edit.\n")


def bench_one(n: int, args: argparse.Namespace, pipeline: Pipeline, pandoc: str, env: dict[str, str]) -> dict[str, Measure]:
    """Every step for one N; each step `args.repeat` times, keeping the run of median wall time."""
    log = args.out / "logs" / f"n{n}.log"
    log.write_bytes(b"")
    results: dict[str, Measure] = {}

    def step(name: str, commands: Callable[[int], Sequence[Sequence[str]]], jobs: int = 1) -> None:
        # In the temporary folder: Pandoc leaves its intermediate HTML for WeasyPrint in the current one.
        runs = sorted((run(commands(r), jobs, env, log, work) for r in range(args.repeat)), key=lambda m: m.wall_s)
        results[name] = measure = runs[len(runs) // 2]
        print(f"  N={n:<4} {LABELS[name]:<42} {measure.wall_s:8.2f} s wall {measure.cpu_s:8.2f} s CPU {measure.peak_mb:6.0f} MB", flush=True)

    with tempfile.TemporaryDirectory(prefix=f"handout-bench-{n}-") as tmp:
        work = Path(tmp)
        source = work / "source"
        handouts = write_catalogue(source, n, args.seed)
        everything = pipeline.command(source, work / "all")

        def edited(r: int) -> list[list[str]]:
            edit(handouts[0])
            return [everything]

        # A cold build writes into an empty folder: a new one for each repeat.
        step("pandoc", lambda r: pandoc_commands(pandoc, handouts, work / f"pandoc-{r}"), pipeline.build.workers)
        step("pipeline_3", lambda r: [pipeline.command(source, work / f"three-{r}", PANDOC_FORMATS)])
        step("pipeline_all", lambda r: [pipeline.command(source, work / "all" if r == 0 else work / f"all-{r}")])
        step("noop", lambda r: [everything])
        step("edit", edited)
        # What Pandoc redoes after that edit: the edited handout's three documents.
        step("pandoc_one", lambda r: pandoc_commands(pandoc, handouts[:1], work / "pandoc-0"), pipeline.build.workers)
    return results


def warm_up(pipeline: Pipeline, pandoc: str, env: dict[str, str], log: Path) -> None:
    """One small untimed build with each tool, so that neither pays for reading the libraries from disk first."""
    log.write_bytes(b"")
    # The pipeline's bytecode, as an installed package has it (pip compiles it). Without it, a
    # machine with PYTHONDONTWRITEBYTECODE=1 (this one) compiles the modules on every start, about
    # 10 ms of every build, which no user's installed copy pays.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "pipeline"), str(ROOT / "bench")], check=True)
    with tempfile.TemporaryDirectory(prefix="handout-bench-warm-up-") as tmp:
        handouts = write_catalogue(Path(tmp) / "source", 1)
        run([pipeline.command(Path(tmp) / "source", Path(tmp) / "build", PANDOC_FORMATS)], 1, env, log, Path(tmp))
        run(pandoc_commands(pandoc, handouts, Path(tmp) / "pandoc"), pipeline.build.workers, env, log, Path(tmp))


LABELS = {
    "pandoc": "Pandoc, pdf+epub+html, cold",
    "pipeline_3": "pipeline, pdf+epub+html, cold",
    "pipeline_all": "pipeline, everything make builds, cold",
    "noop": "pipeline, everything, nothing changed",
    "edit": "pipeline, everything, one handout edited",
    "pandoc_one": "Pandoc, the edited handout's 3 documents",
}


def fit(ns: Sequence[int], seconds: Sequence[float]) -> tuple[float, float] | None:
    """Least-squares line seconds = fixed + per_handout * N, or None with fewer than two N."""
    if len(set(ns)) < 2:
        return None
    mean_n, mean_s = sum(ns) / len(ns), sum(seconds) / len(seconds)
    slope = sum((n - mean_n) * (s - mean_s) for n, s in zip(ns, seconds)) / sum((n - mean_n) ** 2 for n in ns)
    return mean_s - slope * mean_n, slope


def machine(pandoc: str, pipeline: Pipeline) -> dict[str, object]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": model.group(1).strip() if model else platform.processor() or "unknown",
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
        "weasyprint": metadata.version("weasyprint"),
        "pandoc": subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.splitlines()[0],
        "pipeline_commit": commit or "unknown",
        "pipeline_has_jobs": pipeline.has_jobs,
        "workers": pipeline.build.workers,
    }


def markdown(facts: dict[str, object], results: dict[int, dict[str, Measure]]) -> str:
    ns = sorted(results)
    lines = [
        "# Benchmark: this pipeline against Pandoc",
        "",
        f"{facts['date']} · {facts['cores']} cores ({facts['cpu']}) · load average at the start "
        f"{', '.join(map(str, facts['load_average']))} (end: {', '.join(map(str, facts['load_average_end']))}) · "
        f"Python {facts['python']} · WeasyPrint {facts['weasyprint']} · {facts['pandoc']} · "
        f"pipeline {facts['pipeline_commit']}",
        "",
        f"Workers: {facts['workers']} "
        + ("(the pipeline's `-j`)" if facts["pipeline_has_jobs"] else "(this pipeline has no `-j`: it builds in one process)")
        + f"; Pandoc runs as many processes at once. Catalogue: bench/catalogue.py, seed {facts['seed']}. "
        f"Each step run {facts['repeat']} time(s), the run of median wall time shown. "
        "Wall: elapsed time. CPU: user + system time of every process and its children "
        "(`RUSAGE_CHILDREN` deltas). Peak: the largest max RSS of any one process, from `wait4` "
        "(a process's own, or that of its largest child: a worker, or the WeasyPrint Pandoc runs); "
        f"a value at or below the bench's own {facts['bench_peak_mb']:.0f} MB means 'at most that', since a "
        "child starts counting from its parent's peak.",
        "",
        "## Cold build of PDF, EPUB and HTML",
        "",
        "| N | pipeline wall s | pipeline CPU s | pipeline peak MB | Pandoc wall s | Pandoc CPU s | Pandoc peak MB | wall ratio | CPU ratio |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for n in ns:
        ours, pandoc = results[n]["pipeline_3"], results[n]["pandoc"]
        lines.append(
            f"| {n} | {ours.wall_s:.2f} | {ours.cpu_s:.2f} | {ours.peak_mb:.0f} | {pandoc.wall_s:.2f} | {pandoc.cpu_s:.2f} "
            f"| {pandoc.peak_mb:.0f} | {ours.wall_s / pandoc.wall_s:.2f}x | {ours.cpu_s / pandoc.cpu_s:.2f}x |"
        )
    lines += [
        "",
        "## This pipeline, everything `make` builds",
        "",
        "All PDFs (leaflet, large print, booklet), EPUB, HTML, check reports and both indexes. Pandoc has no "
        "rebuild of its own; the last column is what it redoes for one edited handout (its three documents).",
        "",
        "| N | cold wall s | cold CPU s | peak MB | no-op rebuild s | one edited s | one edited peak MB | Pandoc, one handout s |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for n in ns:
        r = results[n]
        lines.append(
            f"| {n} | {r['pipeline_all'].wall_s:.2f} | {r['pipeline_all'].cpu_s:.2f} | {r['pipeline_all'].peak_mb:.0f} "
            f"| {r['noop'].wall_s:.3f} | {r['edit'].wall_s:.2f} | {r['edit'].peak_mb:.0f} | {r['pandoc_one'].wall_s:.2f} |"
        )
    lines += ["", "## How time grows with N", ""]
    lines += [
        "Least-squares lines: seconds = fixed + per handout × N, for wall and for CPU time (on a busy "
        "machine CPU time is the steadier of the two).",
        "",
        "| run | wall: fixed s | wall: per handout s | CPU: fixed s | CPU: per handout s | wall s / N at each N |",
        "|---|--:|--:|--:|--:|---|",
    ]
    for name in ("pipeline_3", "pandoc", "pipeline_all", "noop", "edit"):
        cells = []
        for kind in ("wall_s", "cpu_s"):
            line = fit(ns, [getattr(results[n][name], kind) for n in ns])
            cells += [f"{line[0]:.2f}", f"{line[1]:.3f}"] if line else ["–", "– (needs two N)"]
        per_n = ", ".join(f"{results[n][name].wall_s / n:.3f} (N={n})" for n in ns)
        lines.append(f"| {LABELS[name]} | {' | '.join(cells)} | {per_n} |")
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {target} | {measured} | {met} |" for target, measured, met in targets(results)]
    return "\n".join(lines) + "\n"


def targets(results: dict[int, dict[str, Measure]]) -> list[tuple[str, str, str]]:
    """The product owner's targets against what this run measured ('not measured' when N is missing)."""
    rows = []

    def ratio(n: int) -> float | None:
        return results[n]["pipeline_3"].wall_s / results[n]["pandoc"].wall_s if n in results else None

    for n, limit in ((1, TARGETS["ratio_n1"]), (200, TARGETS["ratio_n200"])):
        value = ratio(n)
        rows.append((f"N = {n} cold, at most {limit:.2f}x Pandoc", "not measured" if value is None else f"{value:.2f}x", _met(value, limit)))
    worst_noop = max(results.values(), key=lambda r: r["noop"].wall_s)["noop"].wall_s
    rows.append((f"no-op rebuild at most {TARGETS['noop_s']} s (worst N)", f"{worst_noop:.3f} s", _met(worst_noop, TARGETS["noop_s"])))
    edit = results[200]["edit"].wall_s if 200 in results else None
    rows.append(
        (f"one edited handout of 200 rebuilt in at most {TARGETS['edit_n200_s']} s", "not measured" if edit is None else f"{edit:.2f} s", _met(edit, TARGETS["edit_n200_s"]))
    )
    peak = max(m.peak_mb for r in results.values() for name, m in r.items() if not name.startswith("pandoc"))
    rows.append((f"peak memory at most {TARGETS['peak_mb']} MB per worker (pipeline, any run)", f"{peak:.0f} MB", _met(peak, TARGETS["peak_mb"])))
    return rows


def _met(value: float | None, limit: float) -> str:
    return "–" if value is None else ("yes" if value <= limit else "**no**")


def profile(n: int, seed: int, pipeline: Pipeline, env: dict[str, str], out: Path) -> None:
    """Where a cold build of everything spends its time: each format timed alone, then pyinstrument.

    The profile runs in one process (-j 1 when there is -j): a sampling profiler sees only its own.
    """
    log = out / "logs" / "profile.log"
    log.write_bytes(b"")
    rows = ["| format | wall s | CPU s | peak MB |", "|---|--:|--:|--:|"]
    with tempfile.TemporaryDirectory(prefix="handout-bench-profile-") as tmp:
        work = Path(tmp)
        write_catalogue(work / "source", n, seed)
        for name in pipeline.formats:  # each one alone, into an empty folder, so each pays reading the sources once
            measure = run([pipeline.command(work / "source", work / name, name, jobs=1)], 1, env, log)
            rows.append(f"| {name} | {measure.wall_s:.2f} | {measure.cpu_s:.2f} | {measure.peak_mb:.0f} |")
            print(f"  N={n} --format {name:<13} {measure.wall_s:8.2f} s wall {measure.cpu_s:8.2f} s CPU", flush=True)
        session = out / "profile.pyisession"
        command = pipeline.command(work / "source", work / "build", jobs=1)
        measure = run([[PYTHON, "-m", "pyinstrument", "-i", "0.005", "-r", "pyisession", "-o", str(session), *command[1:]]], 1, env, log)
    # Show the libraries' frames too (WeasyPrint, pypdf, EbookLib): that is where the time goes.
    for renderer, name in (("text", "profile.txt"), ("html", "profile.html"), ("pstats", "profile.pstats")):
        subprocess.run(
            [PYTHON, "-m", "pyinstrument", "--load", str(session), "-r", renderer, "--show", "*/site-packages/*", "-o", str(out / name)],
            check=True,
            env=env,
        )
    write_atomically(
        out / "profile.md",
        f"# Profile of a cold build of everything, N = {n}\n\n"
        "Each format built alone (a separate `--format` run into an empty folder, so each includes starting "
        "Python and reading the sources; `index` is little more than that):\n\n" + "\n".join(rows) + "\n\n"
        "The whole build in one process under pyinstrument (profile.txt, profile.html), its time by where "
        "it is spent (self time, summed by library or pipeline module):\n\n" + self_time_table(out / "profile.pstats") + "\n",
    )
    print(f"profiled a cold build of everything for N={n} ({measure.wall_s:.1f} s under the profiler)")
    print(f"wrote {out / 'profile.md'}, {out / 'profile.txt'} and {out / 'profile.html'}")


def self_time_table(stats_file: Path, rows: int = 12) -> str:
    """Self time summed by library (site-packages/<name>) or pipeline module, largest first."""
    import pstats

    by_place: dict[str, float] = {}
    for (path, _, _), (_, _, self_time, _, _) in pstats.Stats(str(stats_file)).stats.items():
        place = re.search(r"site-packages/([^/]+)|/(pipeline/[\w/]+)\.py$", path)
        name = next(filter(None, place.groups())) if place else "Python itself"
        by_place[name] = by_place.get(name, 0.0) + self_time
    total = sum(by_place.values()) or 1.0
    lines = ["| where | self s | share |", "|---|--:|--:|"]
    for name, seconds in sorted(by_place.items(), key=lambda item: -item[1])[:rows]:
        lines.append(f"| {name} | {seconds:.1f} | {100 * seconds / total:.0f} % |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time this pipeline against Pandoc 3 on a synthetic catalogue.")
    parser.add_argument("--n", help="comma-separated catalogue sizes (default: 1,25,100,200; with --profile: 25)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers, and Pandoc processes at once (default: cores)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"catalogue seed (default: {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="where results go (default: build/bench)")
    parser.add_argument("--repeat", type=int, default=1, help="run each step this many times and keep the median (default: 1)")
    parser.add_argument("--profile", action="store_true", help="instead of timing: profile a cold build of everything")
    args = parser.parse_args(argv)
    args.n = args.n or ("25" if args.profile else "1,25,100,200")
    try:
        ns = [int(n) for n in args.n.split(",") if n.strip()]
        if not ns or min(ns) < 1 or args.jobs < 1 or args.repeat < 1:
            raise ValueError
    except ValueError:
        parser.error(f"--n must be positive whole numbers separated by commas, e.g. 1,25 (got {args.n!r}); --jobs and --repeat at least 1")
    try:
        return bench(ns, args)
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        if error.hint:
            print(f"  {error.hint}", file=sys.stderr)
        return 1
    except (OSError, subprocess.SubprocessError) as error:  # a program missing or failing outside a timed run
        print(f"bench: error: {error}", file=sys.stderr)
        print("  Run 'make' first; 'make bench' installs Pandoc and pyinstrument.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def bench(ns: list[int], args: argparse.Namespace) -> int:
    bindir = str(Path(PYTHON).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    pipeline = Pipeline.detect(args.jobs)
    out = args.out
    (out / "logs").mkdir(parents=True, exist_ok=True)
    if args.profile:
        profile(ns[0], args.seed, pipeline, env, out)
        return 0
    pandoc = find_pandoc(bindir)
    facts = machine(pandoc, pipeline) | {"seed": args.seed, "repeat": args.repeat}
    print(f"bench: N = {', '.join(map(str, ns))}; {pipeline.build.workers} worker(s); {facts['pandoc']}; load average {facts['load_average']}")
    warm_up(pipeline, pandoc, env, out / "logs" / "warm-up.log")
    results: dict[int, dict[str, Measure]] = {}
    for n in ns:
        results[n] = bench_one(n, args, pipeline, pandoc, env)
        # Written after every N, so that a long run stopped part-way still leaves what it measured.
        facts["load_average_end"] = [round(load, 2) for load in os.getloadavg()]
        facts["bench_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        table = markdown(facts, results)
        raw = {"machine": facts, "results": {str(n): {k: asdict(m) for k, m in r.items()} for n, r in results.items()}}
        write_atomically(out / "results.md", table)
        write_atomically(out / "results.json", json.dumps(raw, indent=2) + "\n")
    print()
    print(table)
    print(f"wrote {out / 'results.md'} and {out / 'results.json'}")
    return 0


def find_pandoc(bindir: str) -> str:
    if not shutil.which("weasyprint", path=bindir):
        raise BenchError(f"no 'weasyprint' command in {bindir}", "Run 'make' to install the pipeline into .venv.")
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as error:
        raise BenchError(f"Pandoc is not installed ({error})", "Run 'make bench': it installs pypandoc_binary into .venv.") from None


if __name__ == "__main__":
    raise SystemExit(main())
