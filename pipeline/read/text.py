"""Reading a source file as text: the first place a bad source is stopped, with one clear error."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

from . import characters, limits
from ..errors import PipelineError

_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""Control characters (all but tab and line ends), the invisible Unicode line and paragraph
separators, and non-characters: binary data or pasted debris, never text. Some are not allowed in
the XML of the e-book, none is in the font, and the separators would shift line numbers."""



def read_source_text(path: Path, root: Path | None = None) -> str:
    """A source's text, or one error saying why it is not a text a handout can be made from.

    With `root` (the source folder), the file must be inside it after resolving symbolic links,
    like every picture (pipeline/read/resources.py): a `source/notes.md` linking to a file elsewhere
    would publish that file.

    A UTF-8 byte order mark (Windows Notepad writes one) is dropped, and Windows ('\r\n') and old
    Mac ('\r') line ends become '\n': such files build exactly like the same text saved on Linux.
    """
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise PipelineError(
            f"this is a link to {path.resolve()}, outside the source folder {root}",
            path,
            hint="Copy the file into the source folder instead of linking to it.",
        )
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PipelineError(
            "the file is not UTF-8 text", path, line, "Save it as UTF-8 (in most editors: Save As, Encoding: UTF-8)."
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Stopped here, before YAML or Markdown sees them (a NUL breaks the YAML parser); described
    # the way pipeline/read/characters.py describes every refused character. The first is enough: a
    # binary file would list nothing but noise.
    characters.report(
        (
            characters.Problem(
                text.count("\n", 0, bad.start()) + 1,
                bad.start() - text.rfind("\n", 0, bad.start()),
                bad.group(),
                characters.why_refused(bad.group()) or "not a character",
            )
            for bad in [_NOT_TEXT.search(text)]
            if bad
        ),
        path,
        "the file contains characters that are not text",
        characters.HINT,
    )
    return text


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file no larger than the limit; else one error saying why."""
    too_big = PipelineError(
        f"the file is more than the limit of {limits.MAX_SOURCE_BYTES / 1024 / 1024:g} MB for one handout",
        path,
        hint="Split it into shorter handouts; a patient handout is rarely more than 50 KB.",
    )
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # opening a FIFO waits forever; /dev/zero never ends
            raise PipelineError("this is not a regular file", path, hint="A handout must be a text file.")
        if info.st_size > limits.MAX_SOURCE_BYTES:
            too_big.message = (
                f"the file is {info.st_size / 1024 / 1024:.1f} MB, more than the limit of "
                f"{limits.MAX_SOURCE_BYTES / 1024 / 1024:g} MB for one handout"
            )
            raise too_big
        with path.open("rb") as file:
            data = file.read(limits.MAX_SOURCE_BYTES + 1)  # a file that grows meanwhile stops here
        if len(data) > limits.MAX_SOURCE_BYTES:
            raise too_big
    except OSError as exc:
        raise PipelineError(f"cannot read the file: {exc.strerror}", path) from None
    return data


def html_comments(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each HTML comment, `<!--` to the first `-->` after it, as a browser reads them.

    Found with str.find, in one pass: the regular expression `<!--.*?-->` rescans to the end of
    the text from every `<!--` that is never closed (20,000 of them took 40 s). Once one is
    unclosed, no later one can close either."""
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            return
        position = end + 3
        yield start, position


def blank_comments(text: str) -> str:
    """`text` with its HTML comments (notes to other authors, check suppressions) made into spaces.

    Each is replaced by as many spaces, newlines kept, so every line and column stays where the
    author typed it. (Raw HTML is otherwise shown as text, never passed through.)
    """
    parts, done = [], 0
    for start, end in html_comments(text):
        parts += [text[done:start], re.sub(r"[^\n]", " ", text[start:end])]
        done = end
    return "".join(parts) + text[done:]
