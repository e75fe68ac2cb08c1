"""QR codes that take a reader of the printed leaflet to its web version."""

from __future__ import annotations

import io

import segno
from ..model import Image


def qr_code(url: str, name: str, alt: str) -> Image:
    """The code as an SVG picture: vector, so sharp at any print size, and the same bytes every build.

    A picture rather than inline SVG so that every medium gives it alt text the same way (PDF/UA
    needs /Alt on every figure; WeasyPrint takes it from <img alt>). Error correction level M
    survives a crease or a smudge.
    """
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", xmldecl=False, nl=False, border=2, dark="#000000", lineclass=None, scale=4
    )
    return Image(f"{name}-qr.svg", alt, buffer.getvalue(), "image/svg+xml")
