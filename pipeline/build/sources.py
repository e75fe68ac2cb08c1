"""Find the handouts and read them into the document model: a bad source stops the build before any output.

What to rebuild, and building it on every core, is pipeline/build/engine.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from ..errors import PipelineError

if TYPE_CHECKING:  # imported where used: finding the handouts must stay cheap for a build with nothing to do
    from ..config import SiteConfig
    from ..model import Handout


@dataclass(frozen=True)
class Project:
    config: SiteConfig
    handouts: tuple[Handout, ...]


def discover(source_dir: Path) -> list[Path]:
    """Every `*.md` file in the source folder and its sub-folders is a handout (hidden folders aside).

    Sub-folders only organise the sources: outputs are named by slug, side by side."""
    if not source_dir.is_dir():
        raise PipelineError("the source folder does not exist", source_dir, hint="Create it, or pass --source-dir.")
    found = (path for path in source_dir.rglob("*.md") if not any(part.startswith(".") for part in path.relative_to(source_dir).parts))
    return sorted(found, key=lambda path: path.relative_to(source_dir).parts)


def check_slugs(slugs: Iterable[tuple[Path, str]]) -> None:
    """Two sources whose outputs have one name would overwrite each other: refuse, naming both.
    That is two with one slug, and also 'tablets' and 'tablets-booklet': the leaflet of the second
    is the booklet of the first (each format's file for a slug: pipeline/formats.py)."""
    from .. import formats

    by_file: dict[str, tuple[Path, str]] = {}
    for source, slug in slugs:
        for file in (format.path(slug) for format in formats.FORMATS if not format.lists_every_handout):
            other, other_slug = by_file.setdefault(file, (source, slug))
            if other == source:
                continue
            same = f"'{slug}' is already the name of {other}; both would write the same files"
            raise PipelineError(
                same if slug == other_slug else f"'{slug}' and '{other_slug}' ({other}) would both write {file}",
                source,
                hint="Give one of them another 'slug:' in its front matter.",
            )


def read_project(source_dir: Path, sources: Sequence[Path] = ()) -> Project:
    from ..config import load_config
    from ..read.handout import read_handout

    from ..read.translations import link

    config = load_config(source_dir)
    handouts = [read_handout(path, config) for path in (sources or discover(source_dir))]
    check_slugs((handout.source, handout.slug) for handout in handouts)
    if sources and any(handout.meta.translation_of for handout in handouts):  # their originals, to link them
        named = {handout.source.resolve() for handout in handouts}
        others = [read_handout(path, config) for path in discover(source_dir) if path.resolve() not in named]
        linked = link([*handouts, *others])[: len(handouts)]
    else:
        linked = link(handouts)
    return Project(config, tuple(linked))
