"""The tables `make bench` writes: results.md from what bench/run.py measured."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from bench.measure import Measure


TARGETS = {
    "ratio_n1": 1.0, "ratio_n200": 0.30, "noop_s": 0.1, "edit_n200_s": 1.5, "warm_edit_n200_s": 0.5, "peak_mb": 300,
    "cpu_per_handout_s": 1.2, "short_cpu_ratio": 0.5,
}


LABELS = {
    "pandoc": "Pandoc, pdf+epub+html, cold",
    "pipeline_3": "pipeline, pdf+epub+html, cold",
    "pipeline_all": "pipeline, everything make builds, cold",
    "noop": "pipeline, everything, nothing changed",
    "edit": "pipeline, everything, one handout edited",
    "warm_edit": "the same, warm (while pipeline serve runs)",
    "pandoc_one": "Pandoc, the edited handout's 3 documents",
}


def fit(ns: Sequence[int], seconds: Sequence[float]) -> tuple[float, float] | None:
    """Least-squares line seconds = fixed + per_handout * N, or None with fewer than two N."""
    if len(set(ns)) < 2:
        return None
    mean_n, mean_s = sum(ns) / len(ns), sum(seconds) / len(seconds)
    slope = sum((n - mean_n) * (s - mean_s) for n, s in zip(ns, seconds)) / sum((n - mean_n) ** 2 for n in ns)
    return mean_s - slope * mean_n, slope


def markdown(facts: dict[str, object], results: dict[int, dict[str, Measure]], extra: dict[str, object]) -> str:
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
        "One edited, warm: the same edit and build while `pipeline serve` runs on the catalogue, after two "
        "untimed edits of other handouts (its workers' first builds); its peak is the largest of the server's and "
        "each worker's (VmHWM).",
        "",
        "| N | cold wall s | cold CPU s | CPU s per handout | peak MB | no-op rebuild s | one edited s | one edited, warm s "
        "| warm peak MB | Pandoc, one handout s |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for n in ns:
        r = results[n]
        lines.append(
            f"| {n} | {r['pipeline_all'].wall_s:.2f} | {r['pipeline_all'].cpu_s:.2f} | {r['pipeline_all'].cpu_s / n:.2f} "
            f"| {r['pipeline_all'].peak_mb:.0f} | {r['noop'].wall_s:.3f} | {r['edit'].wall_s:.2f} | {r['warm_edit'].wall_s:.2f} "
            f"| {r['warm_edit'].peak_mb:.0f} | {r['pandoc_one'].wall_s:.2f} |"
        )
    lines += short_table(extra)
    lines += cluster_table(extra)
    lines += ["", "## How time grows with N", ""]
    lines += [
        "Least-squares lines: seconds = fixed + per handout × N, for wall and for CPU time (on a busy "
        "machine CPU time is the steadier of the two).",
        "",
        "| run | wall: fixed s | wall: per handout s | CPU: fixed s | CPU: per handout s | wall s / N at each N |",
        "|---|--:|--:|--:|--:|---|",
    ]
    for name in ("pipeline_3", "pandoc", "pipeline_all", "noop", "edit", "warm_edit"):
        cells = []
        for kind in ("wall_s", "cpu_s"):
            line = fit(ns, [getattr(results[n][name], kind) for n in ns])
            cells += [f"{line[0]:.2f}", f"{line[1]:.3f}"] if line else ["–", "– (needs two N)"]
        per_n = ", ".join(f"{results[n][name].wall_s / n:.3f} (N={n})" for n in ns)
        lines.append(f"| {LABELS[name]} | {' | '.join(cells)} | {per_n} |")
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {target} | {measured} | {met} |" for target, measured, met in targets(results, extra)]
    return "\n".join(lines) + "\n"


def targets(results: dict[int, dict[str, Measure]], extra: dict[str, object]) -> list[tuple[str, str, str]]:
    """The product owner's targets against what this run measured ('not measured' when N is missing)."""
    rows = []

    def ratio(n: int) -> float | None:
        return results[n]["pipeline_3"].wall_s / results[n]["pandoc"].wall_s if n in results else None

    for n, limit in ((1, TARGETS["ratio_n1"]), (200, TARGETS["ratio_n200"])):
        value = ratio(n)
        rows.append((f"N = {n} cold, at most {limit:.2f}x Pandoc", "not measured" if value is None else f"{value:.2f}x", _met(value, limit)))
    worst_noop = max(results.values(), key=lambda r: r["noop"].wall_s)["noop"].wall_s
    rows.append((f"no-op rebuild at most {TARGETS['noop_s']} s (worst N)", f"{worst_noop:.3f} s", _met(worst_noop, TARGETS["noop_s"])))
    for name, label, limit in (("edit", "cold", TARGETS["edit_n200_s"]), ("warm_edit", "warm", TARGETS["warm_edit_n200_s"])):
        edit = results[200][name].wall_s if 200 in results else None
        rows.append((f"one edited handout of 200 rebuilt, {label}, in at most {limit} s", "not measured" if edit is None else f"{edit:.2f} s", _met(edit, limit)))
    largest = max(results)
    per_handout = results[largest]["pipeline_all"].cpu_s / largest
    rows.append((f"everything `make` builds: at most {TARGETS['cpu_per_handout_s']} s of CPU per handout (N = {largest})", f"{per_handout:.2f} s", _met(per_handout, TARGETS["cpu_per_handout_s"])))
    short = extra.get("short")
    ratio = short["pipeline_all"].cpu_s / short["pandoc"].cpu_s if short else None
    rows.append((f"short handouts: everything at most {TARGETS['short_cpu_ratio']}x the CPU of Pandoc's three formats", "not measured" if ratio is None else f"{ratio:.2f}x", _met(ratio, TARGETS["short_cpu_ratio"])))
    peak = max(m.peak_mb for r in results.values() for name, m in r.items() if not name.startswith("pandoc"))
    rows.append((f"peak memory at most {TARGETS['peak_mb']} MB per worker (pipeline, any run)", f"{peak:.0f} MB", _met(peak, TARGETS["peak_mb"])))
    return rows


def short_table(extra: dict[str, object]) -> list[str]:
    short = extra.get("short")
    if not short:
        return []
    ours, pandoc = short["pipeline_all"], short["pandoc"]
    return [
        "",
        f"## A catalogue of {extra['short_n']} short handouts",
        "",
        "bench/catalogue.py's short handouts (550 to 850 words: one or two pages). The pipeline makes everything `make` "
        "builds (three PDFs, EPUB, web page, report, indexes); Pandoc its three formats.",
        "",
        "| | wall s | CPU s | peak MB |",
        "|---|--:|--:|--:|",
        f"| pipeline, everything | {ours.wall_s:.2f} | {ours.cpu_s:.2f} | {ours.peak_mb:.0f} |",
        f"| Pandoc, pdf+epub+html | {pandoc.wall_s:.2f} | {pandoc.cpu_s:.2f} | {pandoc.peak_mb:.0f} |",
        f"| ratio | {ours.wall_s / pandoc.wall_s:.2f}x | {ours.cpu_s / pandoc.cpu_s:.2f}x | |",
    ]


def cluster_table(extra: dict[str, object]) -> list[str]:
    if not extra.get("cluster"):
        return []
    from bench.cluster import markdown_lines  # the Dask part's own table and projection

    return markdown_lines(extra["cluster"])


def _met(value: float | None, limit: float) -> str:
    return "–" if value is None else ("yes" if value <= limit else "**no**")


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
