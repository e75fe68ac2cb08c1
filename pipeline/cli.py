"""Command line: `python -m pipeline build …` (also installed as `handouts`).

Exit status: 0 built, 1 a problem in a source/setting/template (the message says where), 2 a
mistake on the command line (argparse), 70 a bug in the pipeline itself (EX_SOFTWARE).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import Sequence

from .build import FORMATS, build, make_rules, read_project
from .errors import PipelineError, configure_logging


def _formats(value: str) -> list[str]:
    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(FORMATS)} (got {value!r})")
    return chosen


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
    build_cmd.add_argument(
        "--format",
        type=_formats,
        default=list(FORMATS),
        help=f"comma-separated: {', '.join(FORMATS)} (default: all); 'index' is the list of handouts",
    )
    build_cmd.add_argument("--paper", help="a4 or letter (default: 'paper' in site.yaml, else a4)")
    build_cmd.add_argument("sources", nargs="*", type=Path, metavar="SOURCE", help="handouts to build (default: every source/*.md)")

    check_cmd = commands.add_parser(
        "check",
        help="check handouts: reading level, risky claims, contradictions, review status",
        description="Run every content check, print the findings and write build/reports/.",
    )
    common(check_cmd)
    check_cmd.add_argument("--strict", action="store_true", help="exit with 1 if any handout has an error finding")
    check_cmd.add_argument("sources", nargs="*", type=Path, metavar="SOURCE", help="handouts to check (default: every source/*.md)")

    serve_cmd = commands.add_parser(
        "serve",
        help="live preview: serve the web pages, rebuild and reload them as you edit",
        description="Serve build/html/ on this machine, rebuild the pages whose sources or templates change, and reload the open browser page.",
    )
    common(serve_cmd)
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--no-open", action="store_true", help="do not open the page in a web browser")

    rules_cmd = commands.add_parser("make-rules", help="print Make rules naming each handout's outputs")
    common(rules_cmd)
    return top


def run_checks(args: argparse.Namespace) -> int:
    from .checks.run import check
    from .checks.terminal import print_report
    from .output import remove_stale_temp_files
    from .writers.report import ReportIndexWriter, ReportWriter

    project = read_project(args.source_dir, args.sources)
    reports = [check(handout, project.config) for handout in project.handouts]  # once per handout
    for report in reports:
        print_report(report)
    writer = ReportWriter(project.config, args.builddir)
    remove_stale_temp_files(writer.outdir)
    written = writer.write_reports(reports)
    if not args.sources:  # the index lists every handout, so only a run over all of them writes it
        written += ReportIndexWriter(project.config, args.builddir).write_index(reports)
    for path in written:
        if path.suffix == ".json":
            print(f"wrote {path}")
    if args.strict and any(report.failed for report in reports):
        print("check --strict: error findings above; fix them or accept each with a reason.", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    args = parser().parse_args(argv)
    try:
        if args.command == "build":
            project = read_project(args.source_dir, args.sources, args.paper)
            for path in build(project, args.format, args.builddir):
                print(f"wrote {path}")
        elif args.command == "check":
            return run_checks(args)
        elif args.command == "serve":
            from .serve import serve

            return serve(args.source_dir, args.builddir, args.host, args.port, not args.no_open, args.debug)
        elif args.command == "make-rules":
            sys.stdout.write(make_rules(read_project(args.source_dir), args.builddir))
        return 0
    except PipelineError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug of ours, not the author's: say so briefly
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("  This is a bug in the pipeline, not in your handout. Rerun with --debug and report it.", file=sys.stderr)
        return 70
