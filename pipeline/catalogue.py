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

from . import formats
from .languages import language_name
from .templates import long_date

if TYPE_CHECKING:  # the build checks the entries it kept against these types: importing them stays cheap
    from .config import SiteConfig
    from .model import Handout



LABELS = {
    "format-html": "Web page",
    "format-pdf": "PDF leaflet",
    "format-large-print": "Large print",
    "format-booklet": "Booklet to print",
    "format-epub": "E-book",
    "format-report": "Check report",
}
"""What a reader calls each format the index links to (pipeline/formats.py `label`)."""


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
    """Every format the index links, in the order of pipeline/formats.py."""

    @classmethod
    def from_handout(cls, handout: Handout, config: SiteConfig) -> CatalogueEntry:
        """The entry of a handout read once. `config` is not needed yet; it is part of the call the
        incremental build makes, for when an entry depends on a site setting."""
        meta, review = handout.meta, handout.review
        links = tuple(
            FormatLink(fmt.name, LABELS[fmt.label], fmt.file_type, fmt.href(handout.slug)) for fmt in formats.FORMATS if fmt.label
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


def _reviewed(by: str, on: dt.date | None, due: dt.date | None) -> str:
    # Only called for a handout that is not a draft: it has a reviewer and a date.
    text = f"Reviewed {long_date(on)} by {by}"
    return f"{text}, next review {long_date(due)}" if due else text
