"""The resource sandbox: the one policy for what a handout may load, shared by every reader.

A handout may load exactly two kinds of thing:

- picture files inside its source folder (PNG, JPEG, GIF, WebP, SVG), named by a relative path.
  The path is resolved, `..` and symbolic links included, and must still be inside the folder:
  a symlink in `source/` that points elsewhere is refused like `../../etc/passwd`;
- the bundled fonts (pipeline/fonts.py).

Everything else is refused with an error naming the source line: any address with a scheme
(`http:`, `https:`, `file:`, `data:`, ...), an absolute path, a protocol-relative `//host/...`.
`data:` pictures are refused too: a picture is a file beside the handout, so it is reviewed, copied
and listed like every other. Every picture is decoded and checked when it is read
(pipeline/read/pictures.py); an SVG picture is checked against an allow-list and published as the
pipeline rewrote it (pipeline/read/svg.py), so it may refer only to parts of itself (`#id`) and runs nothing.

A picture is named by its address in the page (percent-encoded, as markdown-it writes it) and by
its file name (decoded): `picture_name` and `address_of` convert one into the other, so every
output keeps the file under the name a browser or e-reader asks for. A name some output cannot
carry (a space, `?`, `|` ... in an e-book) is refused with a way to rename it.

Links (`[text](address)`) are never loaded, only followed by the reader; they may be `http:`,
`https:`, `mailto:`, `tel:` or relative. Any other scheme (`javascript:`, `vbscript:`, `data:`,
`file:` ...) is an error: markdown-it would otherwise print the text literally without a word.

WeasyPrint loads through `SandboxFetcher` (pipeline/writers/fetcher.py), which serves the handout's pictures (already read and
checked) and the bundled fonts from memory and refuses every other URL, whatever asked for it: a
template, a stylesheet `url()`, an `<image>` inside an SVG.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from pathlib import Path, PurePosixPath

from . import characters, limits


PICTURE_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                    ".webp": "image/webp", ".svg": "image/svg+xml"}
"""Picture formats every output can show (EPUB 3 core media types)."""

LINK_SCHEMES = ("http", "https", "mailto", "tel")
"""Schemes a link may use: links are followed by the reader, never loaded by the pipeline."""

_SCHEME = re.compile(r"^\s*([^:/?#]*):")
_PLACE = "Put the picture in the source folder (or a folder inside it) and give its relative path."


class Refused(Exception):
    """A resource the sandbox refuses: `message` says what and why, `hint` what to do."""

    def __init__(self, message: str, hint: str = _PLACE) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def scheme(address: str) -> str | None:
    """The scheme of an address ('http', 'javascript', ...), lower-case; None for a relative one.

    Anything before the first ':' that comes before any '/', '?' or '#' counts, even if it is not
    a well-formed scheme: the sandbox errs on the side of refusing."""
    match = _SCHEME.match(address)
    return match.group(1).strip().lower() if match else None


def check_link(href: str) -> None:
    """Raise Refused unless `href` is a link a reader may safely follow.

    Its %-escapes are decoded first: a browser shows %E2%80%AE as U+202E, which the text of a
    handout may not hold (pipeline/read/characters.py), so neither may an address."""
    found = scheme(href)
    if found is not None and found not in LINK_SCHEMES:
        raise Refused(
            f"the link '{href}' uses '{found}:', which a handout may not link to",
            "Links may be web addresses (https://...), mailto:, tel: or sections of the handout (#section).",
        )
    if problem := characters.refused_in_address(href):
        shown = href if len(href) <= 80 else href[:77] + "..."
        raise Refused(
            f"the link '{shown}' contains {problem}",
            "Delete it from the address: a browser shows it to the reader, where it can hide or reorder what they read.",
        )


def picture_name(address: str) -> str:
    """The file a picture's address names, relative to the handout's folder.

    Pages refer to a picture by an address, percent-encoded as markdown-it writes it (`café.png`
    and `<my chart.png>` become `caf%C3%A9.png` and `my%20chart.png`); the file on disk has the
    decoded name. A '?' or '#' would make a browser ask for another file than the one read here."""
    found = scheme(address)
    if found is not None:
        kind = "a web address" if found in ("http", "https") else f"a '{found}:' address"
        raise Refused(f"the picture '{address}' is {kind}; a handout loads only picture files from its source folder")
    for mark, part in (("?", "a query"), ("#", "a place inside the picture")):
        if mark in address:
            raise Refused(
                f"the picture '{address}' has a '{mark}', which a web browser reads as {part}, not as part of the file's name",
                "Rename the file without it; if its name must keep a '#', write it as %23 in the handout.",
            )
    try:
        return urllib.parse.unquote(address, errors="strict")
    except UnicodeDecodeError:
        raise Refused(f"the picture '{address}' has a %-code that is not a UTF-8 character",
                      "Write the file's name as it is, without %-codes.") from None


def address_of(name: str) -> str:
    """The address pages use for the file `name`: the inverse of picture_name, one address per file."""
    return urllib.parse.quote(name, safe="/!$&'()+,;=@")


def read_picture(name: str, root: Path) -> tuple[Path, bytes, str]:
    """Read and check the picture file `name` (a relative path inside `root`).

    Returns (file, data as every output publishes it, media type); raises Refused for anything
    outside the sandbox, a name some output cannot carry, or a picture that does not load."""
    from . import pictures  # here: Pillow loads only when a picture is read

    found = scheme(name)
    if found is not None:
        kind = "a web address" if found in ("http", "https") else f"a '{found}:' address"
        raise Refused(f"the picture '{name}' is {kind}; a handout loads only picture files from its source folder")
    relative = PurePosixPath(name)
    if not name.strip() or relative.is_absolute() or name.startswith("\\") or ".." in relative.parts:
        raise Refused(f"the picture '{name}' is not a file inside the source folder")
    written = root / relative
    target = written.resolve()
    if not target.is_relative_to(root.resolve()):
        raise Refused(
            f"the picture '{name}' is a link to {target}, outside the source folder",
            "Copy the picture into the source folder instead of linking to it.",
        )
    if not target.is_file():
        raise Refused(f"the picture '{name}' does not exist", f"Looked for {written}.")
    media_type = PICTURE_SUFFIXES.get(relative.suffix.lower())
    if media_type is None or PICTURE_SUFFIXES.get(target.suffix.lower()) != media_type:
        raise Refused(f"the picture '{name}' is not a PNG, JPEG, GIF, WebP or SVG picture", "Convert it to one of these.")
    check_file_name(relative.as_posix())
    return target, pictures.check(_read_bounded(target, name), name, media_type), media_type


def _read_bounded(target: Path, name: str) -> bytes:
    """The file's bytes, reading no more than one past the limit (a file may grow meanwhile)."""
    limit = limits.MAX_PICTURE_BYTES
    try:
        with target.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise Refused(f"the picture '{name}' cannot be read: {error.strerror}", "Check the file's permissions.") from None
    if len(data) > limit:
        raise Refused(
            f"the picture '{name}' is {max(target.stat().st_size, len(data)) / 1024 / 1024:.1f} MB, more than"
            f" the limit of {limit / 1024 / 1024:g} MB",
            "Make it smaller: save a photo as JPEG, or with fewer pixels (2000 across is sharp in print).",
        )
    return data


_OCF_FORBIDDEN = set('"*:<>?\\|\x7f')
_INVISIBLE = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}


def check_file_name(name: str) -> None:
    """Refuse a picture name that some output cannot carry: every output keeps the picture under
    its name, and an e-book's file names may not hold a space (EPUBCheck PKG-010: some e-readers
    cannot open the file), `"*:<>?\\|`, control, private or invisible characters (PKG-009), or end a
    folder or file name with '.'."""
    for char in name:
        if unicodedata.category(char) == "Zs":
            renamed = "-".join("".join(c if unicodedata.category(c) != "Zs" else " " for c in name).split())
            raise Refused(
                f"the picture '{name}' has a space in its name, which some e-book readers cannot open",
                f"Rename the file '{renamed}' (a '-' for each space) and use that name.",
            )
        if char in _OCF_FORBIDDEN or unicodedata.category(char) in _INVISIBLE or 0xFFF0 <= ord(char) <= 0xFFFF:
            shown = char if char.isprintable() else f"U+{ord(char):04X}"
            raise Refused(
                f"the picture '{name}' has '{shown}' in its name, which an e-book's file names may not contain",
                "Rename the file with letters, digits, '-' and '_' only, and use that name.",
            )
    if any(part.endswith(".") for part in name.split("/")):
        raise Refused(f"the picture '{name}' has a name that ends with '.', which an e-book's file names may not",
                      "Rename the file (or folder) without the final '.'.")
