"""The document model: every writer reads a `Handout`, none reads the Markdown itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from markupsafe import Markup

if TYPE_CHECKING:
    from .review import ReviewStatus


@dataclass(frozen=True)
class Metadata:
    """What the front matter says. Unknown values are empty, never guessed."""

    title: str
    slug: str
    lang: str = "en"
    subtitle: str = ""
    summary: str = ""
    author: str = ""
    version: str = ""
    updated: dt.date | None = None
    """When the content was last changed; printed to patients when known."""
    reviewed_by: str = ""
    reviewed_on: dt.date | None = None
    next_review: dt.date | None = None
    audience: str = ""
    keywords: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    suppress: tuple[dict[str, str], ...] = ()
    """Check findings the author accepts: {'rule', 'reason', optional 'text'}."""


@dataclass(frozen=True)
class TocEntry:
    level: int
    """2 for a section (`##`), 3 for a subsection (`###`)."""
    anchor: str
    title: str


@dataclass(frozen=True)
class Image:
    """A picture a page shows, read and checked once; each writer puts it beside its output as `file_name`."""

    src: str
    """The address the pages use, relative and percent-encoded (`caf%C3%A9.png`): pipeline.resources.address_of."""
    alt: str
    """What the picture shows, for people who cannot see it."""
    data: bytes = field(repr=False)
    """What every output publishes: the checked file (an SVG picture as the pipeline rewrote it)."""
    media_type: str = "image/png"

    @property
    def file_name(self) -> str:
        """The name of the file `src` asks for (`café.png`): what each output stores it under."""
        return unquote(self.src)


@dataclass(frozen=True)
class Handout:
    source: Path
    meta: Metadata
    body: Markup
    """The Markdown body rendered to HTML that is also well-formed XHTML."""
    toc: tuple[TocEntry, ...]
    images: tuple[Image, ...]
    """Pictures the body shows, each copied beside the web page and into the EPUB."""
    review: "ReviewStatus"
    """Whether it is a draft (never reviewed, or review expired), and when the next review is due."""
    build_date: dt.datetime
    """Reproducible timestamp for file metadata (PDF dates, `dcterms:modified`, zip entries), never the clock."""

    @property
    def slug(self) -> str:
        return self.meta.slug

    @property
    def sections(self) -> list[tuple[TocEntry, list[TocEntry]]]:
        """The table of contents as sections, each with its subsections."""
        tree: list[tuple[TocEntry, list[TocEntry]]] = []
        for entry in self.toc:
            if entry.level == 2 or not tree:
                tree.append((entry, []))
            else:
                tree[-1][1].append(entry)
        return tree
