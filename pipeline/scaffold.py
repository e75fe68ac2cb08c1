"""`pipeline new "Title"`: a new handout source with every front-matter field, each explained.

The file builds at once, as a DRAFT: every value nobody has supplied yet is left empty (never a
made-up reviewer, date or reference), and the text is placeholders an author cannot miss.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from pathlib import Path

from .read import characters, schema
from . import fonts
from .errors import PipelineError
from .build.output import write_atomically
from .read.handout import FIELDS, split_front_matter

# How to write a value of a kind, where a field's own help (source.FIELDS) does not say it already.
_HOW = {
    schema.language: "Leave it empty for en.",
    schema.slug: "Leave it empty to use the file name.",
    schema.text_list: "One '- item' per line under the key, indented by two spaces.",
    schema.suppression_list: "Leave it empty until you accept a finding; see README.md, 'Content checks'.",
}

BODY = """\
<!-- Everything in [square brackets] is a placeholder: replace it with your text.
     Comments like this one are never printed. Delete them when you no longer need them. -->

[Write here: who this handout is for, and what it is about.]

## [Write here: the first heading]

[Write here: the text. Use short lines and plain words.]

## [Write here: the next heading]

[Write here: the text.]

<!-- Boxes stand out from the text. To use one, copy it out of this comment and write its text:

::: note
[Write here: something helpful to know.]
:::

::: warning
[Write here: something that could cause harm, and how to avoid it.]
:::

::: get-help-now
[Write here: when to get urgent help, and whom to call.]
:::
-->
"""


def slug_for(title: str) -> str:
    """'Asthma & your inhaler' -> 'asthma-your-inhaler': letters without accents, digits, single hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def source_text(title: str) -> str:
    lines = [
        "---",
        "# Every field the pipeline knows. Leave a field empty when its value is not known: the",
        "# pipeline never guesses one and prints 'not recorded'. Until a reviewer fills in",
        "# reviewed_by and reviewed_on, every output is marked DRAFT. Put text in quotes when it",
        "# is a number or has ': ' or ' #' in it.",
        "",
    ]
    for field in FIELDS:
        how = _HOW.get(getattr(field.parse, "func", field.parse))  # a list with limits is a partial of text_list
        explained = " ".join(filter(None, (f"{field.name}: {field.help}.", how, "Required." if field.required else "")))
        lines += textwrap.wrap(explained, 98, initial_indent="# ", subsequent_indent="#   ")
        # JSON's quoted string is also YAML's: the title is kept exactly, whatever ':' or '#' it has.
        lines.append(f"{field.name}: {json.dumps(title, ensure_ascii=False)}" if field.name == "title" else f"{field.name}:")
    return "\n".join([*lines, "---", "", BODY])


def new_handout(title: str, source_dir: Path, slug: str | None = None) -> Path:
    """Write `<source_dir>/<slug>.md` for a new handout titled `title`; refuse to overwrite or reuse a slug."""
    title = title.strip()
    if not title:
        raise PipelineError("the title is empty", hint='Give the title in quotes: make new TITLE="Using your inhaler".')
    if "\n" in title or "\r" in title:
        raise PipelineError("the title must be one line", hint="Put a longer explanation in 'subtitle:' or 'summary:'.")
    problems = list(characters.find(title)) + list(characters.find_uncovered(title))
    if problems:
        listed = "; ".join(f"U+{ord(problem.char):04X} {unicodedata.name(problem.char, '')} ({problem.why})" for problem in problems)
        raise PipelineError(
            f"the title has characters no bundled font can print or that cannot be seen: {listed}",
            hint=characters.FONT_HINT,
        )
    try:
        slug = schema.slug(slug if slug is not None else slug_for(title))
    except schema.Invalid as exc:
        raise PipelineError(
            f"the file name must be {exc}", hint="Choose one with --slug (make new TITLE=… SLUG=…), e.g. --slug using-your-inhaler."
        ) from None
    if not source_dir.is_dir():
        raise PipelineError("the source folder does not exist", source_dir, hint="Create it, or pass --source-dir.")
    path = source_dir / f"{slug}.md"
    if path.exists():
        raise PipelineError(
            "this file already exists; it was left as it is", path, hint="Edit it, or choose another name with --slug."
        )
    for other in sorted(source_dir.rglob("*.md")):
        if _slug_of(other) == slug:
            raise PipelineError(
                f"'{slug}' is already the name of this handout; both would write the same files",
                other,
                hint="Choose another name with --slug.",
            )
    write_atomically(path, source_text(title))
    return path


def _slug_of(path: Path) -> str:
    """An existing source's slug: its 'slug:' when it sets one, else its file name. A source that
    cannot be read is judged by its file name: `new` is not the place to report its errors."""
    try:
        front, line, _body, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        return schema.read_mapping(front, FIELDS, path, line).get("slug", path.stem)
    except (PipelineError, OSError, UnicodeDecodeError):
        return path.stem
