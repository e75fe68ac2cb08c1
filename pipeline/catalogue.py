"""What the lists of every handout keep about each: a small entry made once from the document model.

An entry holds facts, never words (the writers put them into words, in the page's language, when
they write: pipeline/messages/), and only JSON-friendly values, so an incremental build can keep it
beside its outputs (`to_dict`) and write the list again later (`from_dict`) without reading any
handout again.

The index links a format only when its file is in the build folder as the index is written (see
`IndexWriter`), so an entry names every format the index can link and the writer keeps those that
exist, with their sizes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from . import formats

if TYPE_CHECKING:  # the build checks the entries it kept against these types: importing them stays cheap
    from .model import Handout


@dataclass(frozen=True)
class CatalogueEntry:
    slug: str
    title: str
    subtitle: str
    summary: str
    lang: str
    """BCP 47 tag of the handout's text."""
    draft: bool
    reason: str
    """Why it is a draft (a key of the message table), '' when it is not."""
    reviewed_by: str
    reviewed_on: str | None
    """YYYY-MM-DD."""
    review_due: str | None
    """When the next review is due, YYYY-MM-DD: the day a reviewed handout becomes a draft again."""
    links: tuple[str, ...]
    """Every format the index can link (a `label` in pipeline/formats.py), in the table's order."""
    translation_of: str = ""
    """The original's slug, for a translation: the index lists it under its original."""
    original_title: str = ""
    out_of_date: bool = False
    """A translation made from an earlier version of its original than the original is now."""

    @classmethod
    def from_handout(cls, handout: Handout) -> CatalogueEntry:
        """The entry of a handout read once."""
        meta, review = handout.meta, handout.review
        return cls(
            slug=handout.slug,
            title=meta.title,
            subtitle=meta.subtitle,
            summary=meta.summary,
            lang=meta.lang,
            draft=review.draft,
            reason=review.reason,
            reviewed_by=meta.reviewed_by,
            reviewed_on=meta.reviewed_on.isoformat() if meta.reviewed_on else None,
            review_due=review.due.isoformat() if review.due else None,
            links=tuple(format.name for format in formats.FORMATS if format.label),
            translation_of=meta.translation_of,
            original_title=handout.original.title if handout.original else "",
            out_of_date=bool(handout.original and handout.original.out_of_date),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CatalogueEntry:
        return cls(**{**data, "links": tuple(data["links"])})

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        """By title as a reader looks one up (case ignored), a translation by its original's title,
        right after it, in the order of their languages; the slug, unique, settles ties."""
        if self.translation_of:
            return (self.original_title.casefold(), self.translation_of, self.lang, self.slug)
        return (self.title.casefold(), self.slug, "", "")


class ReportEntry(TypedDict):
    """A handout's line in the report index (pipeline/writers/report.py), kept like a CatalogueEntry:
    the facts its summary is written from (pipeline/checks/report.py `Summary`)."""

    slug: str
    title: str
    draft: bool
    smog: float | None
    flesch_kincaid: float | None
    errors: int
    warnings: int
    accepted: int
