"""The resource sandbox: the one policy for what a handout may load, shared by every reader.

A handout may load exactly two kinds of thing:

- picture files inside its source folder (PNG, JPEG, GIF, WebP, SVG), named by a relative path.
  The path is resolved, `..` and symbolic links included, and must still be inside the folder:
  a symlink in `source/` that points elsewhere is refused like `../../etc/passwd`;
- the bundled fonts (pipeline/fonts.py).

Everything else is refused with an error naming the source line: any address with a scheme
(`http:`, `https:`, `file:`, `data:`, ...), an absolute path, a protocol-relative `//host/...`.
`data:` pictures are refused too: a picture is a file beside the handout, so it is reviewed, copied
and listed like every other. An SVG picture may refer only to parts of itself (`#id`): an external
`href`, `url(...)`, `@import`, `<foreignObject>`, `<script>` or an entity declaration is refused.

Links (`[text](address)`) are never loaded, only followed by the reader; they may be `http:`,
`https:`, `mailto:`, `tel:` or relative. Any other scheme (`javascript:`, `vbscript:`, `data:`,
`file:` ...) is an error: markdown-it would otherwise print the text literally without a word.

WeasyPrint loads through `SandboxFetcher` (pipeline/fetcher.py), which serves the handout's pictures (already read and
checked) and the bundled fonts from memory and refuses every other URL, whatever asked for it: a
template, a stylesheet `url()`, an `<image>` inside an SVG.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path, PurePosixPath


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
    """Raise Refused unless `href` is a link a reader may safely follow."""
    found = scheme(href)
    if found is not None and found not in LINK_SCHEMES:
        raise Refused(
            f"the link '{href}' uses '{found}:', which a handout may not link to",
            "Links may be web addresses (https://...), mailto:, tel: or sections of the handout (#section).",
        )


def read_picture(src: str, root: Path, base: Path | None = None) -> tuple[Path, bytes, str]:
    """Read the picture `src` (as the author wrote it, relative to `base`, by default `root`).

    Returns (file, data, media type); raises Refused for anything outside the sandbox."""
    found = scheme(src)
    if found is not None:
        kind = "a web address" if found in ("http", "https") else f"a '{found}:' address"
        raise Refused(f"the picture '{src}' is {kind}; a handout loads only picture files from its source folder")
    relative = PurePosixPath(src)
    if not src.strip() or relative.is_absolute() or src.startswith("\\") or ".." in relative.parts:
        raise Refused(f"the picture '{src}' is not a file inside the source folder")
    written = (base or root) / relative
    target = written.resolve()
    if not target.is_relative_to(root.resolve()):
        raise Refused(
            f"the picture '{src}' is a link to {target}, outside the source folder",
            "Copy the picture into the source folder instead of linking to it.",
        )
    if not target.is_file():
        raise Refused(f"the picture '{src}' does not exist", f"Looked for {written}.")
    media_type = PICTURE_SUFFIXES.get(relative.suffix.lower())
    if media_type is None or PICTURE_SUFFIXES.get(target.suffix.lower()) != media_type:
        raise Refused(f"the picture '{src}' is not a PNG, JPEG, GIF, WebP or SVG picture", "Convert it to one of these.")
    data = target.read_bytes()
    if media_type == "image/svg+xml":
        check_svg(data, src)
    return target, data, media_type


_SVG_HINT = "Save the SVG with everything embedded as shapes (no linked pictures, fonts or stylesheets)."
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.I)
_HREF = re.compile(r"^\{[^}]*\}href$|^href$|^src$")


def check_svg(data: bytes, src: str) -> None:
    """An SVG picture may refer only to parts of itself (`#id`): nothing it names is ever loaded."""
    if re.search(rb"<!ENTITY", data, re.I):
        raise Refused(f"the SVG picture '{src}' declares XML entities", _SVG_HINT)
    if re.search(rb"<\?xml-stylesheet", data, re.I):
        raise Refused(f"the SVG picture '{src}' links a stylesheet", _SVG_HINT)
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise Refused(f"the SVG picture '{src}' is not well-formed XML: {exc}", _SVG_HINT) from None
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if name in ("script", "foreignObject"):
            raise Refused(f"the SVG picture '{src}' contains a <{name}> element", _SVG_HINT)
        texts = [value for key, value in element.attrib.items() if not _HREF.match(key)]
        if name == "style" and element.text:
            texts.append(element.text)
            if "@import" in element.text:
                raise Refused(f"the SVG picture '{src}' imports a stylesheet", _SVG_HINT)
        references = [value for key, value in element.attrib.items() if _HREF.match(key)]
        references += [url for text in texts for url in _URL.findall(text)]
        for reference in references:
            if not reference.strip().startswith("#"):
                raise Refused(f"the SVG picture '{src}' refers to '{reference}', outside the picture", _SVG_HINT)
