"""Read every handout first, then let each writer write: a bad source stops the build before any output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .config import SiteConfig, load_config
from .errors import PipelineError
from .model import Handout
from .output import remove_stale_temp_files
from .source import read_handout
from .writers import WRITERS

FORMATS = tuple(WRITERS)


@dataclass(frozen=True)
class Project:
    config: SiteConfig
    handouts: tuple[Handout, ...]


def discover(source_dir: Path) -> list[Path]:
    """Every `*.md` file in the source folder is a handout."""
    if not source_dir.is_dir():
        raise PipelineError("the source folder does not exist", source_dir, hint="Create it, or pass --source-dir.")
    return sorted(source_dir.glob("*.md"))


def read_project(source_dir: Path, sources: Sequence[Path] = (), paper: str | None = None) -> Project:
    config = load_config(source_dir).with_paper(paper)
    handouts = tuple(read_handout(path, config) for path in (sources or discover(source_dir)))
    by_slug: dict[str, Handout] = {}
    for handout in handouts:
        other = by_slug.setdefault(handout.slug, handout)
        if other is not handout:
            raise PipelineError(
                f"'{handout.slug}' is already the name of {other.source}; both would write the same files",
                handout.source,
                hint="Give one of them another 'slug:' in its front matter.",
            )
    return Project(config, handouts)


def build(project: Project, formats: Sequence[str], builddir: Path) -> list[Path]:
    written: list[Path] = []
    # The index links each file the other formats wrote, with its size: it comes last.
    for name in sorted(formats, key=lambda name: name == "index"):
        writer = WRITERS[name](project.config, builddir)
        remove_stale_temp_files(writer.outdir)  # left by a build that was killed while writing
        written += writer.write(project.handouts)
    return written


def make_rules(project: Project, builddir: Path) -> str:
    """Make rules naming each handout's outputs and the source each depends on (like `gcc -MD`)."""
    lines = []
    for name in ("pdf", "large-print", "booklet", "epub", "html", "report"):
        writer = WRITERS[name](project.config, builddir)
        outputs = [writer.output_path(handout) for handout in project.handouts]
        lines.append(f"{name.upper().replace('-', '_')}_OUTPUTS := {' '.join(map(str, outputs))}")
        lines += [f"{output}: {handout.source}" for output, handout in zip(outputs, project.handouts)]
    return "\n".join(lines) + "\n"
