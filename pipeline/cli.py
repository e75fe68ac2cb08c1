"""Command line: `python -m pipeline build …` (also installed as `handouts`).

Exit status: 0 built, 1 a problem in a source/setting/template (the message says where), 2 a
mistake on the command line (argparse), 70 a bug in the pipeline itself (EX_SOFTWARE), 73 an
output that cannot be written (EX_CANTCREAT: a full or read-only disk, a folder not ours ...).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path
from typing import Sequence

from .errors import Exit, PipelineError, configure_logging
from . import formats


def _formats(value: str) -> list[str]:
    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in formats.names()]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(formats.names())} (got {value!r})")
    return chosen


def _paper(value: str) -> str:
    """'A4', 'a4 ' -> 'a4': one spelling, so that the build's key (and so what is rebuilt) is one."""
    from .writers.printstyle import PAPER_SIZES

    paper = value.strip().lower()
    if paper not in PAPER_SIZES:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(PAPER_SIZES)} (got {value!r})")
    return paper


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a number of processes, 1 or more (got {value!r})")
    return int(value)


def _build_arguments(sub: argparse.ArgumentParser) -> None:
    """What `build` takes besides the folders."""
    sub.add_argument(
        "--format",
        type=_formats,
        default=list(formats.names()),
        help=f"comma-separated: {', '.join(formats.names())} (default: all); 'index' is the list of handouts",
    )
    sub.add_argument("--paper", type=_paper, help="a4 or letter (default: 'paper' in site.yaml, else a4)")
    sub.add_argument(
        "-j", "--jobs", type=_jobs, default=0, metavar="N", help="processes to build in (default: one per usable core)"
    )
    sub.add_argument("-q", "--quiet", action="store_true", help="print nothing but warnings and errors")
    sub.add_argument(
        "--cold", action="store_true", help="build in this process even while 'make serve' runs (its warm process builds otherwise)"
    )
    sub.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="make the outputs on the Dask cluster of this scheduler (README: Building on a cluster)"
    )
    sub.add_argument(
        "sources", nargs="*", type=Path, metavar="SOURCE", help="handouts to build (default: every source/**/*.md)"
    )


def parser() -> argparse.ArgumentParser:
    invoked_as = Path(sys.argv[0]).name
    top = argparse.ArgumentParser(
        prog=invoked_as if invoked_as == "handouts" else "python -m pipeline",
        description="Publish patient handouts (Markdown + YAML front matter) as PDF leaflet, EPUB 3 and web page.",
    )
    top.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--source-dir", type=Path, default=Path("source"), help="folder of handouts and site.yaml (default: source)")
        sub.add_argument("--builddir", type=Path, default=Path("build"), help="where outputs go (default: build)")

    build_cmd = commands.add_parser("build", help="build handouts", description="Build handouts into build/<format>/.")
    common(build_cmd)
    _build_arguments(build_cmd)

    check_cmd = commands.add_parser(
        "check",
        help="check handouts: reading level, risky claims, contradictions, review status",
        description="Run every content check, print the findings and write build/reports/.",
    )
    common(check_cmd)
    check_cmd.add_argument("--strict", action="store_true", help="exit with 1 if any handout has an error finding")
    check_cmd.add_argument("sources", nargs="*", type=Path, metavar="SOURCE", help="handouts to check (default: every source/**/*.md)")

    new_cmd = commands.add_parser(
        "new",
        help="start a new handout: source/<slug>.md with every field explained",
        description="Write a new handout source with every front-matter field, explained, and placeholder text. "
        "It builds at once, as a DRAFT.",
    )
    new_cmd.add_argument("title", help="the handout's title, in quotes")
    new_cmd.add_argument("--source-dir", type=Path, default=Path("source"), help="folder of handouts (default: source)")
    new_cmd.add_argument("--slug", help="the file and output name (default: made from the title)")

    serve_cmd = commands.add_parser(
        "serve",
        help="live preview: serve the web pages, rebuild and reload them as you edit",
        description="Serve build/html/ on this machine, rebuild the pages whose sources or templates change, and reload the open browser page.",
    )
    common(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--no-open", action="store_true", help="do not open the page in a web browser")
    return top


def run_build(args: argparse.Namespace) -> int:
    from .build.engine import Build, Options
    from .build.progress import choose

    started = time.perf_counter()
    progress = choose(args.quiet)
    options = Options(args.format, args.source_dir, args.builddir, args.sources, args.paper, args.jobs, args.scheduler)
    try:
        summary = None if args.cold or args.scheduler else _warm_build(options, progress, args.quiet)
        if summary is None:
            summary = Build(options, progress).run()
    finally:
        progress.stop()
    progress.finish(summary, time.perf_counter() - started)
    internal = [result.internal for result in summary.failed if result.internal]
    if internal:
        if args.debug:
            print(internal[0], file=sys.stderr)
        print("  This is a bug in the pipeline, not in your handout. Rerun with --debug and report it.", file=sys.stderr)
        return Exit.BUG
    return max((result.exit_status for result in summary.failed), default=Exit.OK)


def _warm_build(options, progress, quiet: bool):
    """The build made by a running warm process (pipeline/build/warm.py), or None: build here."""
    from .build import warm

    return warm.build(options, progress, say=lambda note: quiet or print(note, file=sys.stderr, flush=True))


def run_new(args: argparse.Namespace) -> int:
    from .scaffold import new_handout

    path = new_handout(args.title, args.source_dir, args.slug)
    print(f"wrote {path}")
    print(f"  Next: write the handout in {path} (replace every [Write here: …]), then run 'make'.")
    print("  It is a DRAFT until a reviewer is named in 'reviewed_by:' and 'reviewed_on:'.")
    return Exit.OK


def run_checks(args: argparse.Namespace) -> int:
    from .build.sources import read_project
    from .checks.report import Report
    from .checks.run import check_all
    from .build.workers import usable_cores
    from .checks.terminal import print_report
    from .build.output import remove_stale_temp_files, write_atomically
    from .writers.report import report_writers

    project = read_project(args.source_dir, args.sources)
    outcomes = check_all(project.handouts, project.config, usable_cores())  # once per handout
    reports = [outcome for outcome in outcomes if isinstance(outcome, Report)]
    for outcome in outcomes:
        if isinstance(outcome, Report):
            print_report(outcome)
        else:
            print(outcome, file=sys.stderr)
    reports_writer, index_writer = report_writers(project.config)
    remove_stale_temp_files(args.builddir / reports_writer.format.folder)
    files = reports_writer.shared_files() + [file for report in reports for file in reports_writer.report_files(report)]
    if not args.sources and len(reports) == len(outcomes):  # the index lists every handout: only a run over all
        files += index_writer.list_files([index_writer.entry_of(report) for report in reports], {})
    for file in files:
        path = write_atomically(args.builddir / file.path, file.data)
        if path.suffix == ".json":
            print(f"wrote {path}")
    if len(reports) < len(outcomes):
        return Exit.PROBLEM
    if args.strict and any(report.failed for report in reports):
        print("check --strict: error findings, or page words not in the handout's language, above; fix them or accept each with a reason.", file=sys.stderr)
        return Exit.PROBLEM
    return Exit.OK


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            return run_build(args)
        if args.command == "new":
            return run_new(args)
        if args.command == "serve":
            from .preview import serve

            return serve(args.source_dir, args.builddir, args.host, args.port, not args.no_open, args.debug)
        return run_checks(args)
    except PipelineError as error:
        print(error, file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except Exception as error:  # a bug of ours, not the author's: say so briefly
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("  This is a bug in the pipeline, not in your handout. Rerun with --debug and report it.", file=sys.stderr)
        return Exit.BUG
