"""Pictures are decoded and checked when their source is read: no output publishes one that does not load.

WeasyPrint leaves a picture it cannot load out of the PDF with only a log line, and an e-book with
a broken or misnamed picture fails EPUBCheck; both used to build with exit 0. So every picture is
judged here, in this order, each step cheap before the next:

1. what it is, from its first bytes, which must agree with its name (a JPEG named `.png` is a
   broken e-book: the package declares the type from the name);
2. (pictures in pixels) its size in pixels, read from the header before anything is decoded, so
   a "decompression bomb" (a few kilobytes that decode to gigabytes) is refused unopened;
3. a full decode of every frame with Pillow, the decoder WeasyPrint itself uses: a truncated or
   damaged file fails here, with the line that shows it. SVG pictures go to pipeline/read/svg.py.
"""

from __future__ import annotations

import io

from PIL import GifImagePlugin, ImageSequence, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from . import limits, svg
from .resources import Refused

NAMES = {"image/png": ("a PNG", ".png"), "image/jpeg": ("a JPEG", ".jpg"), "image/gif": ("a GIF", ".gif"),
         "image/webp": ("a WebP", ".webp"), "image/svg+xml": ("an SVG", ".svg")}
"""Each picture type a handout may show: what it is called, and the suffix to rename a file to."""

_OPENERS = {"image/png": PngImagePlugin.PngImageFile, "image/jpeg": JpegImagePlugin.JpegImageFile,
            "image/gif": GifImagePlugin.GifImageFile, "image/webp": WebPImagePlugin.WebPImageFile}
"""Pillow's readers, called directly: `PIL.Image.open` would guess the format, and would raise its own
decompression-bomb error before saying how many pixels the picture has."""

_OTHER_FORMATS = (
    (lambda data: data[:2] == b"BM", "a BMP picture"),
    (lambda data: data[:4] in (b"II*\0", b"MM\0*"), "a TIFF picture"),
    (lambda data: data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"hevc", b"mif1", b"msf1"),
     "an HEIC photo (the format iPhones save)"),
    (lambda data: data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"), "an AVIF picture"),
    (lambda data: data[:5] == b"%PDF-", "a PDF document"),
    (lambda data: data[:4] == b"8BPS", "a Photoshop document"),
    (lambda data: data[:4] == b"PK\3\4", "a zip archive (a Word or PowerPoint file is one)"),
)


def check(data: bytes, name: str, media_type: str) -> bytes:
    """The picture's bytes as every output publishes them, or Refused saying what is wrong with it.

    `media_type` is what the file's name says it is. An SVG picture comes back cleaned (pipeline/read/svg.py)."""
    found, description = identify(data)
    if found != media_type and not (media_type == "image/svg+xml" and found is None and data):
        expected = NAMES[media_type][0]
        if found in NAMES:
            stem = name.rpartition(".")[0]
            hint = f"Rename the file to '{stem}{NAMES[found][1]}' and use that name."
        elif data and description != "text":
            hint = "Save it as PNG or JPEG (most picture programs have Export or Save As)."
        else:
            hint = "Export the picture again from the program that made it."
        raise Refused(f"the picture '{name}' is {description}, not {expected} picture", hint)
    if media_type == "image/svg+xml":
        return svg.clean(data, name)
    _decode(data, name, media_type)
    return data


def identify(data: bytes) -> tuple[str | None, str]:
    """(media type or None, what the bytes are, in words) from the first bytes of a file."""
    if not data:
        return None, "empty (0 bytes)"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "a PNG picture"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "a JPEG picture"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif", "a GIF picture"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "a WebP picture"
    for test, description in _OTHER_FORMATS:
        if test(data):
            return None, description
    head = _as_text(data[:4096])
    if head is not None and head.lstrip().startswith("<"):
        if "<svg" in head:
            return "image/svg+xml", "an SVG picture"
        return None, "a web page" if "<html" in head.lower() else "an XML file"
    return None, "text" if head is not None else "not a picture in any format a handout can show"


def _as_text(head: bytes) -> str | None:
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(encoding, "ignore")
    text = head.decode("utf-8", "ignore")
    return text if "\0" not in text and len(text) >= len(head) * 0.9 else None


def _decode(data: bytes, name: str, media_type: str) -> None:
    """Check the file's structure, and decode every frame, after checking from the header that it
    is not too many pixels. (A PNG cut short after its pixels decodes, but has lost its end and
    checksums: `verify` finds that.)"""
    opener = _OPENERS[media_type]
    try:
        with opener(io.BytesIO(data)) as picture:
            width, height = picture.size
            frames = getattr(picture, "n_frames", 1)
            if width * height * frames > limits.MAX_PICTURE_PIXELS:
                size = f"{width} × {height} pixels" + (f" in each of {frames} frames" if frames > 1 else "")
                raise Refused(
                    f"the picture '{name}' is {size}, more than the limit of"
                    f" {limits.MAX_PICTURE_PIXELS / 1_000_000:g} million pixels",
                    "Make it smaller: 2000 pixels across is sharp on a printed page.",
                )
            picture.verify()
        with opener(io.BytesIO(data)) as picture:
            for frame in ImageSequence.Iterator(picture):
                frame.load()
    except Refused:
        raise
    except Exception as error:  # Pillow reports a broken file with many kinds of exception
        reason = str(error)[:100] or type(error).__name__
        raise Refused(
            f"the picture '{name}' cannot be read as {NAMES[media_type][0]} picture: it is damaged or"
            f" incomplete ({reason})",
            "Export the picture again from the program that made it.",
        ) from None
