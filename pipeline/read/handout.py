"""Read a handout source (YAML front matter + Markdown) into the document model, once."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

from markdown_it.token import Token
from markupsafe import Markup

from . import characters, limits, schema, site_words
from ..checks import suppressions
from ..config import SiteConfig
from ..errors import PipelineError, warn
from .markdown import parse, parser, render
from .prose import read_prose
from ..model import Handout, Metadata
from .text import blank_comments, read_source_text
from .review import check_date, review_status

_TITLE = schema.text_up_to(limits.MAX_TITLE_CHARACTERS)
_LINE = schema.text_up_to(limits.MAX_LINE_CHARACTERS)

FIELDS = (
    schema.Field("title", _TITLE, "the handout's title, as patients will see it", required=True),
    schema.Field("subtitle", _TITLE, "a short line under the title"),
    schema.Field("summary", schema.text_up_to(limits.MAX_SUMMARY_CHARACTERS), "the opening summary, printed under the title"),
    schema.Field("lang", schema.language, "the language of the text as a BCP 47 tag, e.g. en or en-GB"),
    schema.Field("slug", schema.slug, "the output file name, e.g. kratom-pain-relief"),
    schema.Field("author", _LINE, "who wrote the handout"),
    schema.Field("version", _LINE, 'the handout\'s version, in quotes, e.g. "1.2"'),
    schema.Field("updated", schema.date, "when the content last changed, as YYYY-MM-DD"),
    schema.Field("reviewed_by", _LINE, "who reviewed the handout for patient use"),
    schema.Field("reviewed_on", schema.date, "when it was reviewed, as YYYY-MM-DD"),
    schema.Field("next_review", schema.date, "when it must be reviewed again, as YYYY-MM-DD"),
    schema.Field("audience", _LINE, "who the handout is for, e.g. adults living with chronic pain"),
    schema.Field("keywords", schema.list_of(limits.MAX_KEYWORDS, limits.MAX_KEYWORD_CHARACTERS), "a list of search words"),
    schema.Field(
        "references",
        schema.list_of(limits.MAX_REFERENCES, limits.MAX_REFERENCE_CHARACTERS),
        "a list of sources the handout relies on",
    ),
    schema.Field("translation_of", schema.slug, "the slug of the handout this one translates, e.g. kratom-pain-relief"),
    schema.Field("original_version", _LINE, 'the original\'s version this translation was made from, in quotes, e.g. "1.2"'),
    schema.Field(
        "suppress",
        schema.suppression_list,
        "check findings to accept, each '- rule: RULE' with 'reason: WHY' (and 'text: WORDS' to narrow it)",
    ),
)

FENCE = "---"


def read_handout(path: Path, config: SiteConfig) -> Handout:
    text = read_source_text(path, root=path.parent)  # where its pictures must be too
    front, front_line, body, body_line = split_front_matter(text, path)
    values = schema.read_mapping(front, FIELDS, path, front_line)
    characters.check_source(text, path, values, front, front_line)  # before any output is written
    if "slug" not in values:
        values["slug"] = _default_slug(path)
    meta = Metadata(**values)
    if words := site_words.untranslated(meta.lang, config.messages):
        warn(f"{words[0]}. {words[1]}", path, values.lines.get("lang"))
    # Read now, before any output: a malformed '<!-- ignore ... -->', or more than the limit of them, stops here.
    accepted = suppressions.read_suppressions(path, text, meta.suppress, values.lines.get("suppress", 1))
    body = blank_comments(body)
    if (unclosed := body.find("<!--")) >= 0:  # every closed one is blank now
        line = body_line + body.count("\n", 0, unclosed)
        warn("an HTML comment ('<!--') is never closed ('-->'): it and everything after it is printed", path, line)
    _check_body(body, path, body_line)
    tokens = parse(body)  # once: checked, rendered, and read as prose
    _check_blocks(tokens, body, path, body_line)
    rendered = render(tokens, path, body_line, config.logo_image)
    prose = read_prose(text, meta.summary, values.lines.get("summary"), tokens, body_line)
    review = review_status(meta, config.review_years, check_date())
    return Handout(
        path, meta, Markup(rendered.html), rendered.toc, rendered.images, review, build_date(path, meta),
        prose, tuple(accepted), dict(values.lines), text=text,
    )


def split_front_matter(text: str, path: Path) -> tuple[str, int, str, int]:
    """Split into (front matter, its first line, body, its first line).

    Lines end only at '\n': read_source_text has made '\r\n' and '\r' into '\n' and refused the
    other characters str.splitlines() would break at, so line numbers are the ones an editor shows.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise PipelineError(
            "the file does not start with front matter",
            path,
            1,
            "Begin the file with a line '---', then 'title: …', then another '---' line before the text.",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:index]) + "\n", 2, "\n".join(lines[index + 1 :]), index + 2
    raise PipelineError(
        "the front matter is never closed",
        path,
        1,
        "Add a line '---' after the last 'key: value' line, before the handout text.",
    )


_KEY_LINE = re.compile(rf"^(?:{'|'.join(field.name for field in FIELDS)})\s*:(\s|$)")
"""A line that sets a front matter field: found in the body, it means the front matter was split."""


def _check_body(body: str, path: Path, first_line: int) -> None:
    """A handout needs text, and one block of front matter (a second would print as a heading)."""
    lines = body.split("\n")
    filled = [(number, line) for number, line in enumerate(lines) if line.strip()]
    if not filled:
        raise PipelineError(
            "the handout has no text after its front matter",
            path,
            first_line,
            "Write the handout below the closing '---' line: a leaflet with only a title helps no one.",
        )
    number, line = filled[0]
    # '---' then 'key: value' lines; or, when the first block was closed early, key lines then '---'
    # (Markdown would print them as a heading).
    second = line.rstrip() == FENCE and number + 1 < len(lines) and _KEY_LINE.match(lines[number + 1])
    if not second and _KEY_LINE.match(line):
        following = lines[number + 1 :]
        ends = next((i for i, text in enumerate(following) if text.rstrip() == FENCE), None)
        second = ends is not None and all(re.match(r"^[A-Za-z_][\w-]*\s*:|[ \t]", text) for text in following[:ends])
    if second:
        raise PipelineError(
            "a second block of front matter: the file has two '---' blocks",
            path,
            first_line + number,
            "Merge the 'key: value' lines into the first block and delete the second.",
        )


def _check_blocks(tokens: list[Token], body: str, path: Path, first_line: int) -> None:
    """What markdown-it accepts silently but a reader would miss: text dropped at its nesting limit,
    a box never closed (the rest of the handout would be inside it), a box inside a box (its ':::'
    closed the outer one), a heading with no words."""
    lines = body.split("\n")
    limit = parser().options["maxNesting"] - 1  # a block opened at this level has its inside dropped
    boxes: list[tuple[str, int]] = []  # the callout boxes open around the current token
    for index, token in enumerate(tokens):
        line = first_line + token.map[0] if token.map else first_line
        if token.nesting == 1 and token.level >= limit:
            raise PipelineError(
                "the text is nested too deeply (quotes, lists or boxes inside each other): some of it would be lost",
                path,
                line,
                "Flatten it: a patient handout needs at most two or three levels of list.",
            )
        if token.type == "container_callout_close":
            boxes.pop()
        if token.type == "container_callout_open" and token.map:
            if boxes:
                raise PipelineError(
                    f"a '::: {token.info.strip()}' box inside the '::: {boxes[-1][0]}' box of line {boxes[-1][1]}",
                    path,
                    line,
                    "Close the first box with a line ':::' before opening the next.",
                )
            boxes.append((token.info.strip(), line))
            end = token.map[1]
            if end >= len(lines) or not lines[end].lstrip(" \t>").startswith(":::"):
                raise PipelineError(
                    f"the '::: {token.info.strip()}' box is never closed: the rest of the handout would be inside it",
                    path,
                    line,
                    "Add a line ':::' where the box ends.",
                )
        if token.type == "heading_open" and not tokens[index + 1].content.strip():
            raise PipelineError("a heading with no words", path, line, "Write the heading after the '##', or delete the line.")


def _default_slug(path: Path) -> str:
    try:
        return schema.slug(path.stem)
    except schema.Invalid as exc:
        raise PipelineError(
            f"the file name '{path.name}' cannot be used as the output name, which must be {exc}",
            path,
            hint="Rename the file, or set 'slug:' in the front matter.",
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
        # A zip (the EPUB) can record only dates from 1980 to 2107.
        updated = min(max(meta.updated, dt.date(1980, 1, 1)), dt.date(2107, 12, 31))
        return dt.datetime.combine(updated, dt.time(), dt.timezone.utc)
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
