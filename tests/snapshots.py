"""Syrupy extensions that keep snapshots reviewable: one readable file per output part.

Text snapshots are stored as plain files with their real extension (.html, .xml, .txt, .json), so a
snapshot diff reads like a diff of what a reader sees. Page pictures are small greyscale PNGs
compared with a tolerance, since anti-aliasing may differ by a shade between machines.
"""

from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image, ImageChops
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode


def index_page(builddir) -> str:
    """The index, its file sizes left out: a PDF's bytes differ with the font subsetter a machine has
    (README, Reproducible builds), and tests/test_catalogue.py checks each size against its file."""
    page = (builddir / "html" / "index.html").read_text(encoding="utf-8")
    return re.sub(r", \d+(\.\d)? [KM]B\)</a>", ", SIZE)</a>", page)


class TextSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "txt"

    def serialize(self, data: Any, **kwargs: Any) -> str:
        # One trailing newline and no trailing spaces: the file diffs cleanly.
        return "\n".join(line.rstrip() for line in str(data).strip("\n").splitlines()) + "\n"


class HtmlSnapshot(TextSnapshot):
    file_extension = "html"


class XmlSnapshot(TextSnapshot):
    file_extension = "xml"


class JsonSnapshot(TextSnapshot):
    file_extension = "json"


class PageImageSnapshot(SingleFileSnapshotExtension):
    file_extension = "png"

    PIXEL_TOLERANCE = 48
    """Grey levels (of 255) a pixel may differ by before it counts as changed."""
    AREA_TOLERANCE = 0.002
    """Share of a page's pixels that may change: less than a short word at 30 dpi."""

    def serialize(self, data: Any, **kwargs: Any) -> bytes:
        if isinstance(data, Image.Image):
            buffer = io.BytesIO()
            data.save(buffer, format="PNG", optimize=True)
            return buffer.getvalue()
        return bytes(data)

    def matches(self, *, serialized_data: Any, snapshot_data: Any) -> bool:
        if snapshot_data is None:
            return False
        new, old = (Image.open(io.BytesIO(data)).convert("L") for data in (serialized_data, snapshot_data))
        if new.size != old.size:
            return False
        changed = ImageChops.difference(new, old).point(lambda grey: 255 if grey > self.PIXEL_TOLERANCE else 0)
        return changed.histogram()[255] <= self.AREA_TOLERANCE * new.width * new.height
