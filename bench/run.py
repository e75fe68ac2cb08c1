"""`make bench`: this pipeline against Pandoc 3 on a synthetic catalogue, side by side in one run.

For each N, in a fresh temporary folder holding N handouts from bench/catalogue.py, it times
  - this pipeline's cold build of the three formats Pandoc makes (pdf,epub,html),
  - its cold build of everything `make` builds (every format, the reports and indexes),
  - a rebuild with nothing changed, and a rebuild after one handout was edited,
  - the same edit while `pipeline serve` runs: the warm build (pipeline/build/warm.py),
  - Pandoc making a standalone HTML page, an EPUB and a PDF (--pdf-engine=weasyprint) of every
    handout, one process per document, as many at once as the pipeline has workers;
then, once, the CPU of everything `make` builds against Pandoc's for a catalogue of short
handouts, and builds on a Dask cluster of this machine (bench/cluster.py). It writes the tables to
OUT/results.md (bench/report.py) and the raw numbers to OUT/results.json.

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
import subprocess
import sys
import tempfile
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Callable, Sequence

from bench.catalogue import DEFAULT_SEED, write_catalogue
from bench.measure import PYTHON, ROOT, BenchError, Measure, Pipeline, find_pandoc, pandoc_commands, run
from bench.report import LABELS, markdown, self_time_table
from bench.warm import Serve
# Only this light module of the pipeline: a child process starts with its parent's peak memory as its
# own (Linux copies it at fork and exec), so the bench must stay small to measure its children.
from pipeline.build.output import write_atomically

# The same fixed date as the tests: both tools then write the same bytes on every run, and neither
# asks git for a date (the catalogue is not in git).
SOURCE_DATE_EPOCH = "1767225600"
PANDOC_FORMATS = "pdf,epub,html"


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
        step("pandoc", lambda r: pandoc_commands(pandoc, handouts, work / f"pandoc-{r}"), pipeline.workers)
        step("pipeline_3", lambda r: [pipeline.command(source, work / f"three-{r}", PANDOC_FORMATS)])
        step("pipeline_all", lambda r: [pipeline.command(source, work / "all" if r == 0 else work / f"all-{r}")])
        step("noop", lambda r: [everything])
        step("edit", edited)
        with Serve(source, work / "all", env, log, work) as serve:
            for other in (1, 2):  # its workers' first builds: fonts, the stylesheets of drafts and not
                edit(handouts[other % n])
                run([everything], 1, env, log, work)
            step("warm_edit", edited)
            results["warm_edit"].peak_mb = round(serve.peak_mb(), 1)
        # What Pandoc redoes after that edit: the edited handout's three documents.
        step("pandoc_one", lambda r: pandoc_commands(pandoc, handouts[:1], work / "pandoc-0"), pipeline.workers)
    return results


def bench_short(n: int, args: argparse.Namespace, pipeline: Pipeline, pandoc: str, env: dict[str, str]) -> dict[str, Measure]:
    """The CPU of everything `make` builds against Pandoc's three formats, for N short handouts."""
    log = args.out / "logs" / f"short-{n}.log"
    log.write_bytes(b"")
    with tempfile.TemporaryDirectory(prefix=f"handout-bench-short-{n}-") as tmp:
        work = Path(tmp)
        handouts = write_catalogue(work / "source", n, args.seed, short=True)
        results = {
            "pandoc": run(pandoc_commands(pandoc, handouts, work / "pandoc"), pipeline.workers, env, log, work),
            "pipeline_all": run([pipeline.command(work / "source", work / "all")], 1, env, log, work),
        }
    for name, measure in results.items():
        print(f"  {n} short  {LABELS[name]:<42} {measure.wall_s:8.2f} s wall {measure.cpu_s:8.2f} s CPU", flush=True)
    return results


def bench_cluster(n: int, args: argparse.Namespace, env: dict[str, str]):
    """Builds of N handouts on a Dask scheduler and 1, then 2, workers of this machine (bench/cluster.py)."""
    from bench import cluster

    log = args.out / "logs" / f"cluster-{n}.log"
    log.write_bytes(b"")
    with tempfile.TemporaryDirectory(prefix=f"handout-bench-cluster-{n}-") as tmp:
        write_catalogue(Path(tmp) / "source", n, args.seed)
        return cluster.bench_cluster(Path(tmp) / "source", env, log)


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
        run(pandoc_commands(pandoc, handouts, Path(tmp) / "pandoc"), pipeline.workers, env, log, Path(tmp))


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
        "workers": pipeline.workers,
    }


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time this pipeline against Pandoc 3 on a synthetic catalogue.")
    parser.add_argument("--n", help="comma-separated catalogue sizes (default: 1,25,100,200; with --profile: 25)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers, and Pandoc processes at once (default: cores)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"catalogue seed (default: {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="where results go (default: build/bench)")
    parser.add_argument("--repeat", type=int, default=1, help="run each step this many times and keep the median (default: 1)")
    parser.add_argument("--profile", action="store_true", help="instead of timing: profile a cold build of everything")
    parser.add_argument("--short", type=int, default=40, help="short handouts for the CPU comparison (default: 40; 0: skip)")
    parser.add_argument("--cluster", type=int, default=25, help="handouts built on a Dask cluster of this machine (default: 25; 0: skip)")
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
    print(f"bench: N = {', '.join(map(str, ns))}; {pipeline.workers} worker(s); {facts['pandoc']}; load average {facts['load_average']}")
    warm_up(pipeline, pandoc, env, out / "logs" / "warm-up.log")
    results: dict[int, dict[str, Measure]] = {}
    extra: dict[str, object] = {}

    def save() -> str:
        """Written after every part, so that a long run stopped part-way still leaves what it measured."""
        facts["load_average_end"] = [round(load, 2) for load in os.getloadavg()]
        facts["bench_peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        table = markdown(facts, results, extra)
        raw = {"machine": facts, "results": {str(n): {k: asdict(m) for k, m in r.items()} for n, r in results.items()},
               "short": {k: asdict(m) for k, m in extra.get("short", {}).items()}, "cluster": extra.get("cluster")}
        write_atomically(out / "results.md", table)
        write_atomically(out / "results.json", json.dumps(raw, indent=2, default=vars) + "\n")
        return table

    for n in ns:
        results[n] = bench_one(n, args, pipeline, pandoc, env)
        table = save()
    if args.short:
        extra["short"] = bench_short(args.short, args, pipeline, pandoc, env)
        extra["short_n"] = args.short
        table = save()
    if args.cluster:
        extra["cluster"] = bench_cluster(args.cluster, args, env)
        table = save()
    print()
    print(table)
    print(f"wrote {out / 'results.md'} and {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
