"""The document model: every writer reads a `Handout`, none reads the Markdown itself."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from markupsafe import Markup

if TYPE_CHECKING:
    from .checks.suppressions import Suppression
    from .read.review import ReviewStatus

Position = tuple[int, int]
"""(line, column), both 1-based, in the source file."""


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
    translation_of: str = ""
    """The slug of the handout this one translates ('' for an original)."""
    original_version: str = ""
    """The original's `version` this translation was made from."""


@dataclass(frozen=True)
class LanguageVersion:
    """The same handout in one language: what a page needs to link to it."""

    slug: str
    lang: str
    title: str


@dataclass(frozen=True)
class Original:
    """What a translation was translated from, as the original is now (pipeline/read/translations.py)."""

    slug: str
    lang: str
    title: str
    version: str
    """The original's version now."""
    made_from: str
    """The version the translation says it was made from (`original_version`)."""

    @property
    def out_of_date(self) -> bool:
        """The original has changed since: every output of the translation says so."""
        return self.version != self.made_from


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
class Location:
    line: int
    """1-based line in the source file."""
    column: int
    """1-based column in that line."""
    text: str
    """The text found there, as a reader sees it (Markdown syntax removed)."""


@dataclass(frozen=True)
class Sentence:
    text: str
    """As a reader sees it, one space between words."""
    offsets: tuple[int, ...]
    """Where in `text` a run of characters typed one after the other begins (the first is 0)..."""
    places: tuple[Position, ...]
    """...and where in the source that run begins. A position per character would cost a tuple per
    character of the handout; a sentence typed on one line is one run."""
    section: str
    """The title of the `##` section it is in: 'Summary' for the front matter's summary, '' before the first heading."""

    @classmethod
    def of(cls, text: str, positions: list[Position], section: str) -> Sentence:
        """A sentence from the source position of each of its characters."""
        offsets, places = [], []
        for index, (line, column) in enumerate(positions):
            if not places or places[-1][0] != line or places[-1][1] + index - offsets[-1] != column:
                offsets.append(index)
                places.append((line, column))
        return cls(text, tuple(offsets), tuple(places), section)

    def position(self, index: int) -> Position:
        """Where `text[index]` was typed."""
        run = bisect.bisect_right(self.offsets, index) - 1
        line, column = self.places[run]
        return line, column + index - self.offsets[run]

    @property
    def where(self) -> Location:
        return self.locate(0, len(self.text))

    def locate(self, start: int, end: int) -> Location:
        """The source position of `text[start:end]` (e.g. one word of the sentence)."""
        return Location(*self.position(start), self.text[start:end])


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]
    section: str


@dataclass(frozen=True)
class Prose:
    """The handout's prose as a reader meets it, every character traced to where it was typed
    (pipeline/read/prose.py makes it): what the content checks read, never the file."""

    paragraphs: tuple[Paragraph, ...]
    """The summary, then the body's paragraphs, list items that are sentences, boxes and footnotes;
    not headings, tables, code or list items that are fragments."""
    citations: tuple[Position, ...] = ()
    """Where each footnote reference (`[^1]`) whose note is defined was typed, in order."""

    @property
    def sentences(self) -> list[Sentence]:
        return [sentence for paragraph in self.paragraphs for sentence in paragraph.sentences]

    def sections(self) -> dict[str, list[Sentence]]:
        """Sentences by section title, in the order of the handout."""
        grouped: dict[str, list[Sentence]] = {}
        for sentence in self.sentences:
            grouped.setdefault(sentence.section, []).append(sentence)
        return grouped


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
    prose: Prose = Prose(())
    """The text the content checks read."""
    accepted: tuple["Suppression", ...] = ()
    """Check findings the author accepts, inline (`<!-- ignore RULE: why -->`) and in the front matter."""
    field_lines: dict[str, int] = field(default_factory=dict, compare=False)
    """The line each front-matter key is written on, for findings about a field."""
    original: Original | None = None
    """For a translation: its original, as it is now."""
    versions: tuple[LanguageVersion, ...] = ()
    """The handout in every language it has, this one included, the original first; () when it has
    no translation."""
    text: str = field(default="", repr=False, compare=False)
    """The source as read, for a message that finds the line it quotes: a job made on another
    machine (pipeline/build/cluster.py) has no file to read."""

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
