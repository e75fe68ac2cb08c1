"""Review status, as NHS trusts govern patient information: a handout that was never reviewed, or
whose review has expired, is a draft, and every output says so."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from ..model import Metadata


@dataclass(frozen=True)
class ReviewStatus:
    draft: bool
    reason: str
    """Why it is a draft, as a key of the message table ('draft-never-reviewed'); '' when it is not."""
    due: dt.date | None
    """When the next review is due: `next_review`, else `reviewed_on` plus the review period."""

    @property
    def changes_on(self) -> dt.date | None:
        """The first day this status no longer holds though the handout is unchanged: a reviewed
        handout is a draft from the day after its review is due. (A draft stays one until edited.)"""
        if self.draft or self.due is None or self.due >= dt.date.max:
            return None
        return self.due + dt.timedelta(days=1)


def review_status(meta: Metadata, review_years: int, today: dt.date) -> ReviewStatus:
    due = meta.next_review or (_add_years(meta.reviewed_on, review_years) if meta.reviewed_on else None)
    if not meta.reviewed_by and not meta.reviewed_on:
        reason = "draft-never-reviewed"
    elif not meta.reviewed_on:
        reason = "draft-no-review-date"
    elif not meta.reviewed_by:
        reason = "draft-no-reviewer"
    elif due and due < today:
        reason = "draft-review-expired"  # on `due`
    else:
        return ReviewStatus(False, "", due)
    return ReviewStatus(True, reason, due)


def check_date() -> dt.date:
    """The day against which reviews expire: SOURCE_DATE_EPOCH's when it is set (so a rebuild of the
    same sources gives the same outputs), else today. Expiry is the one thing that must follow the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def _add_years(day: dt.date, years: int) -> dt.date:
    if day.year + years > dt.MAXYEAR:  # e.g. reviewed_on: 9999-01-01: due never, as far as a date can say
        return dt.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)
