"""The bundled typeface: Atkinson Hyperlegible, designed for low-vision readers (SIL OFL).

It comes from a pinned PyPI package, so every machine lays out pages with the same font files, and
no output ever depends on what fonts a system happens to have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible as _package
from fontTools.ttLib import TTFont

FAMILY = _package.FAMILY
FONT_DIR = Path(_package.ROOT) / "files"
LICENSE = Path(_package.ROOT) / "LICENSE"


@dataclass(frozen=True)
class Face:
    file: Path
    weight: int
    style: str


FACES = (
    Face(FONT_DIR / "AtkinsonHyperlegible-Regular.ttf", 400, "normal"),
    Face(FONT_DIR / "AtkinsonHyperlegible-Italic.ttf", 400, "italic"),
    Face(FONT_DIR / "AtkinsonHyperlegible-Bold.ttf", 700, "normal"),
    Face(FONT_DIR / "AtkinsonHyperlegible-BoldItalic.ttf", 700, "italic"),
)


@cache
def _covered() -> frozenset[int]:
    covered: set[int] = set()
    for face in FACES:
        with TTFont(face.file, lazy=True) as font:
            covered.update(font.getBestCmap())
    return frozenset(covered)


def is_bundled(pdf_font_name: str) -> bool:
    """Whether a font named in a PDF ('Atkinson-Hyperlegible-Bold', subset tag removed) is ours."""
    squash = lambda name: re.sub(r"[^a-z]", "", name.lower())  # noqa: E731
    return squash(pdf_font_name).startswith(squash(FAMILY))


def uncovered(text: str) -> list[str]:
    """Characters of `text` that no bundled face can draw (layout whitespace excepted)."""
    covered = _covered()
    return sorted({char for char in text if ord(char) not in covered and char not in "\n\r\t"})
