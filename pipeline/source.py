"""Read a handout source (YAML front matter + Markdown) into the document model, once."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from markupsafe import Markup

from . import schema
from .config import SiteConfig
from .errors import PipelineError, warn
from .markdown import render
from .model import Handout, Metadata
from .review import check_date, review_status

FIELDS = (
    schema.Field("title", schema.text, "the handout's title, as patients will see it", required=True),
    schema.Field("subtitle", schema.text, "a short line under the title"),
    schema.Field("summary", schema.text, "the opening summary, printed under the title"),
    schema.Field("lang", schema.language, "the language of the text as a BCP 47 tag, e.g. en or en-GB"),
    schema.Field("slug", schema.slug, "the output file name, e.g. kratom-pain-relief"),
    schema.Field("author", schema.text, "who wrote the handout"),
    schema.Field("version", schema.text, 'the handout\'s version, in quotes, e.g. "1.2"'),
    schema.Field("updated", schema.date, "when the content last changed, as YYYY-MM-DD"),
    schema.Field("reviewed_by", schema.text, "who reviewed the handout for patient use"),
    schema.Field("reviewed_on", schema.date, "when it was reviewed, as YYYY-MM-DD"),
    schema.Field("next_review", schema.date, "when it must be reviewed again, as YYYY-MM-DD"),
    schema.Field("audience", schema.text, "who the handout is for, e.g. adults living with chronic pain"),
    schema.Field("keywords", schema.text_list, "a list of search words"),
    schema.Field("references", schema.text_list, "a list of sources the handout relies on"),
    schema.Field(
        "suppress",
        schema.suppression_list,
        "check findings to accept, each '- rule: RULE' with 'reason: WHY' (and 'text: WORDS' to narrow it)",
    ),
)

FENCE = "---"


def read_handout(path: Path, config: SiteConfig) -> Handout:
    text = _read_text(path)
    front, front_line, body, body_line = split_front_matter(text, path)
    values = schema.read_mapping(front, FIELDS, path, front_line)
    if "slug" not in values:
        values["slug"] = _default_slug(path)
    meta = Metadata(**values)
    rendered = render(blank_comments(body), path, body_line)
    review = review_status(meta, config.review_years, check_date())
    return Handout(path, meta, Markup(rendered.html), rendered.toc, rendered.images, review, build_date(path, meta))


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def blank_comments(text: str) -> str:
    """Remove HTML comments (notes to other authors, check suppressions) from what readers get.

    Each is replaced by as many spaces, newlines kept, so every line and column stays where the
    author typed it. (Raw HTML is otherwise shown as text, never passed through.)
    """
    return _COMMENT.sub(lambda comment: re.sub(r"[^\n]", " ", comment.group()), text)


def split_front_matter(text: str, path: Path) -> tuple[str, int, str, int]:
    """Split into (front matter, its first line, body, its first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != FENCE:
        raise PipelineError(
            "the file does not start with front matter",
            path,
            1,
            "Begin the file with a line '---', then 'title: …', then another '---' line before the text.",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (FENCE, "..."):
            return "".join(lines[1:index]), 2, "".join(lines[index + 1 :]), index + 2
    raise PipelineError(
        "the front matter is never closed",
        path,
        1,
        "Add a line '---' after the last 'key: value' line, before the handout text.",
    )


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read the file: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PipelineError(
            "the file is not UTF-8 text", path, line, "Save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)."
        ) from None
    if control := schema.CONTROL.search(text):
        raise PipelineError(
            f"the file contains the invisible control character U+{ord(control.group()):04X}",
            path,
            text.count("\n", 0, control.start()) + 1,
            "Delete it (retyping the line removes it); no output can show it.",
        )
    return text


def _default_slug(path: Path) -> str:
    try:
        return schema.slug(path.stem)
    except schema.Invalid:
        raise PipelineError(
            f"the file name '{path.name}' cannot be used as the output name",
            path,
            hint="Rename the file to lower-case letters, digits and hyphens, or set 'slug:' in the front matter.",
        ) from None


def build_date(path: Path, meta: Metadata) -> dt.datetime:
    """The timestamp stamped into file metadata, chosen so that rebuilding gives the same bytes.

    SOURCE_DATE_EPOCH (reproducible-builds.org) wins; then the handout's `updated` date; then the
    time of the last commit that touched the source; never the wall clock.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError):
            raise PipelineError(
                f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch!r}"
            ) from None
    if meta.updated:
        return dt.datetime.combine(meta.updated, dt.time(), dt.timezone.utc)
    committed = _last_commit_time(path)
    if committed is not None:
        return committed
    warn("no 'updated:' date and not committed to git: file dates are set to 1980-01-01", path)
    return dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)


def _last_commit_time(path: Path) -> dt.datetime | None:
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", path.name],
            cwd=path.parent,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return dt.datetime.fromtimestamp(int(out), dt.timezone.utc) if out.isdigit() else None
