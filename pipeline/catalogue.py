"""What the index page lists about each handout: a small entry made once from the document model.

An entry holds only JSON-friendly values, so an incremental build can keep it beside its outputs
(`to_dict`) and write the index again later (`from_dict`) without reading any handout again.

The index links a format only when its file is in the build folder as the index is written (see
`IndexWriter`), so an entry names every format the project builds by default and the writer keeps
those that exist, with their sizes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from .languages import language_name
from .templates import long_date

if TYPE_CHECKING:  # the build checks the entries it kept against these types: importing them stays cheap
    from .config import SiteConfig
    from .model import Handout



@dataclass(frozen=True)
class Format:
    """One way a handout is published, as the index names it."""

    writer: str
    """The writer's `--format` name."""
    label: str
    """What a reader calls it: 'PDF leaflet'."""
    file_type: str
    """The kind of file, so a reader knows what will open it: 'PDF'."""
    href: str
    """Where the file is, from build/html/, with `{slug}` for the handout's. Written here rather than
    asked of the writer, whose module may import WeasyPrint, which a web-only build must not load;
    tests/test_catalogue.py checks that each is where its writer writes."""


FORMATS = (
    Format("html", "Web page", "HTML", "{slug}.html"),
    Format("pdf", "PDF leaflet", "PDF", "../pdf/{slug}.pdf"),
    Format("large-print", "Large print", "PDF", "../pdf/{slug}-large-print.pdf"),
    Format("booklet", "Booklet to print", "PDF", "../pdf/{slug}-booklet.pdf"),
    Format("epub", "E-book", "EPUB", "../epub/{slug}.epub"),
    Format("report", "Check report", "HTML", "../reports/{slug}.html"),
)
"""Every format the index links to, in the order it lists them."""


@dataclass(frozen=True)
class FormatLink:
    format: str
    """The writer's `--format` name: 'html' is the web page, which the title links to."""
    label: str
    file_type: str
    href: str
    """Relative to build/html/, so the folder works opened from disk: '../pdf/<slug>.pdf'."""


@dataclass(frozen=True)
class CatalogueEntry:
    slug: str
    title: str
    subtitle: str
    summary: str
    lang: str
    """BCP 47 tag of the handout's text."""
    language: str
    """The tag in words, 'English (United Kingdom)', or the tag when it cannot be named."""
    draft: bool
    review: str
    """Plain words: 'Reviewed 3 February 2026 by …, next review …', or, for a draft, why it is one."""
    review_due: str | None
    """When the next review is due, YYYY-MM-DD: the day a reviewed handout becomes a draft again."""
    links: tuple[FormatLink, ...]
    """Every format the project builds by default, the web page first."""

    @classmethod
    def from_handout(cls, handout: Handout, config: SiteConfig) -> CatalogueEntry:
        """The entry of a handout read once. `config` is not needed yet; it is part of the call the
        incremental build makes, for when an entry depends on a site setting."""
        meta, review = handout.meta, handout.review
        links = tuple(
            FormatLink(fmt.writer, fmt.label, fmt.file_type, fmt.href.format(slug=handout.slug)) for fmt in FORMATS
        )
        return cls(
            slug=handout.slug,
            title=meta.title,
            subtitle=meta.subtitle,
            summary=meta.summary,
            lang=meta.lang,
            language=language_name(meta.lang),
            draft=review.draft,
            review=review.reason if review.draft else _reviewed(meta.reviewed_by, meta.reviewed_on, review.due),
            review_due=review.due.isoformat() if review.due else None,
            links=links,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CatalogueEntry:
        return cls(**{**data, "links": tuple(FormatLink(**link) for link in data["links"])})

    @property
    def sort_key(self) -> tuple[str, str]:
        """By title as a reader looks one up (case ignored); the slug, unique, settles ties."""
        return (self.title.casefold(), self.slug)


class ReportEntry(TypedDict):
    """A handout's line in the report index (pipeline/writers/report.py), kept like a CatalogueEntry."""

    slug: str
    title: str
    summary: str


KEPT_ENTRIES = {"index": CatalogueEntry, "report-index": ReportEntry, "report": ReportEntry}
"""The entry each format's build records keep per handout (as JSON); pipeline/state.py reads back
only entries of this shape. A report job makes the report index's entry (engine.MAKES_ENTRY)."""


def _reviewed(by: str, on: dt.date | None, due: dt.date | None) -> str:
    # Only called for a handout that is not a draft: it has a reviewer and a date.
    text = f"Reviewed {long_date(on)} by {by}"
    return f"{text}, next review {long_date(due)}" if due else text
