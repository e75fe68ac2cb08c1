"""The bundled typefaces: Atkinson Hyperlegible first, then legible fonts for the scripts it lacks.

Atkinson Hyperlegible, designed for low-vision readers, draws the Latin letters of most western
European languages. The other families draw what it cannot: Noto Sans (Latin with Vietnamese and
other stacked accents, Cyrillic, Greek), Noto Sans Arabic (Arabic, Persian), Heebo (Hebrew), Noto
Sans Devanagari (Hindi, Marathi, Nepali) and Noto Sans Thai, each from a pinned PyPI package; Noto
Sans Bengali, Noto Sans Gurmukhi (Punjabi), Noto Nastaliq Urdu and Noto Sans Ethiopic (Amharic,
Tigrinya), which no package carries, are committed in fontfiles/. All are under the SIL Open Font
License, so every machine lays out pages with the same font files, and no output ever depends on
what fonts a system happens to have.

A page names only the families its text needs (`families_for`), so a handout Atkinson can print
whole is set in it alone. When Atkinson lacks letters of the text's own script (a Vietnamese or a
Russian handout), Noto Sans comes first, so that one typeface sets every word. The Noto fonts and
Heebo are variable fonts: a PDF or an e-book carries a static instance of each weight it uses;
every face but Atkinson's is cut down to the characters it prints (`Face.prepared`), made the same
way every time.

Chinese, Japanese and Korean are set in Noto Sans CJK, in the form of the handout's language
(simplified or traditional Chinese, Japanese, Korean: the same character is drawn differently in
each). No sound PyPI package carries it, so it comes from Debian's `fonts-noto-cjk`, installed like
Pango, and is used only when its files are the ones this project was checked with (`CJK_FILES`, by
SHA-256): other files would lay out other pages. A machine without them builds every other handout,
and a CJK handout stops with the install command.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import fontpkg_atkinson_hyperlegible
import fontpkg_heebo
import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
import fontpkg_noto_sans_devanagari
import fontpkg_noto_sans_thai
from fontTools.ttLib import TTFont


@dataclass(frozen=True)
class Face:
    family: str
    file: Path
    weight: int
    style: str
    variable: bool = False
    """A variable font: `weight` is an instance of it, made when a page needs it (`prepared`)."""
    index: int | None = None
    """Its number in a font collection (.ttc), which an output carries cut down (`prepared`)."""
    whole: bool = False
    """Carried as it is by every output (Atkinson Hyperlegible, as it always was), not cut down."""

    @property
    def cut_down(self) -> bool:
        """Whether an output carries it cut down to its characters rather than as it is."""
        return not self.whole

    @property
    def file_name(self) -> str:
        """Its name in an output: 'AtkinsonHyperlegible-Bold.ttf', 'NotoSansArabic-700.ttf'."""
        if not self.cut_down:
            return self.file.name
        italic = "-italic" if self.style == "italic" else ""
        return f"{self.family.replace(' ', '')}-{self.weight}{italic}.{'otf' if self.index is not None else 'ttf'}"

    @property
    def css_format(self) -> str:
        """Its `format()` in a CSS `src`: Noto Sans CJK has PostScript outlines."""
        return "opentype" if self.index is not None else "truetype"

    def prepared(self, characters: frozenset[str]) -> bytes:
        """The face an output embeds: a static face as it is; a variable one as a static instance of
        its weight, and a face of a collection on its own, with only the glyphs `characters` need
        (their accents, ligatures and joined forms included): the same bytes for the same
        characters, every time."""
        if not self.cut_down:
            return self.file.read_bytes()
        return _instance(self, characters)


@dataclass(frozen=True)
class Family:
    name: str
    faces: tuple[Face, ...]
    license: Path = field(repr=False)
    package: str = ""
    """The Debian package it comes from, when it is not a Python one."""

    @property
    def variable(self) -> bool:
        return any(face.variable for face in self.faces)

    @property
    def codepoints(self) -> frozenset[int]:
        """Every character it draws (those of its upright face)."""
        return _cmap(self.faces[0].file, self.faces[0].index)

    def covers(self, char: str) -> bool:
        return ord(char) in self.codepoints

    @property
    def installed(self) -> bool:
        """Whether its files are here, and the ones the project was checked with."""
        return not self.package or all(_checked(face.file) for face in self.faces)


def _static(package, files: tuple[tuple[str, int, str], ...]) -> Family:
    folder = Path(package.ROOT) / "files"
    faces = tuple(Face(package.FAMILY, folder / name, weight, style, whole=True) for name, weight, style in files)
    return Family(package.FAMILY, faces, Path(package.ROOT) / "LICENSE")


COMMITTED = Path(__file__).resolve().parent / "fontfiles"
"""Fonts no pinned package carries, committed with their licence (fontfiles/README.md)."""


def _committed(name: str) -> Family:
    stem = name.replace(" ", "")
    faces = tuple(Face(name, COMMITTED / f"{stem}-{style}.ttf", weight, "normal") for style, weight in (("Regular", 400), ("Bold", 700)))
    return Family(name, faces, COMMITTED / "OFL.txt")


def _variable(package, upright: str, italic: str | None = None) -> Family:
    folder = Path(package.ROOT) / "files"
    faces = [Face(package.FAMILY, folder / upright, weight, "normal", True) for weight in (400, 700)]
    if italic:
        faces += [Face(package.FAMILY, folder / italic, weight, "italic", True) for weight in (400, 700)]
    return Family(package.FAMILY, tuple(faces), Path(package.ROOT) / "LICENSE")


ATKINSON = _static(fontpkg_atkinson_hyperlegible, (
    ("AtkinsonHyperlegible-Regular.ttf", 400, "normal"),
    ("AtkinsonHyperlegible-Italic.ttf", 400, "italic"),
    ("AtkinsonHyperlegible-Bold.ttf", 700, "normal"),
    ("AtkinsonHyperlegible-BoldItalic.ttf", 700, "italic"),
))
NOTO_SANS = _variable(fontpkg_noto_sans, "NotoSans[wdth,wght].ttf", "NotoSans-Italic[wdth,wght].ttf")
CJK_PACKAGE = "fonts-noto-cjk"
CJK_FOLDER = Path("/usr/share/fonts/opentype/noto")
CJK_FILES = {
    # Debian 12's fonts-noto-cjk 1:20220127+repack1-1
    "NotoSansCJK-Regular.ttc": "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a",
    "NotoSansCJK-Bold.ttc": "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb",
}
CJK_LICENSE = Path("/usr/share/doc/fonts-noto-cjk/copyright")


def _cjk(name: str, index: int) -> Family:
    faces = tuple(Face(name, CJK_FOLDER / file, weight, "normal", index=index)
                  for file, weight in (("NotoSansCJK-Regular.ttc", 400), ("NotoSansCJK-Bold.ttc", 700)))
    return Family(name, faces, CJK_LICENSE, package=CJK_PACKAGE)


CJK = {  # the form of the characters each language reads, by the collection's face numbers
    "ja": _cjk("Noto Sans CJK JP", 0),
    "ko": _cjk("Noto Sans CJK KR", 1),
    "zh-Hans": _cjk("Noto Sans CJK SC", 2),
    "zh-Hant": _cjk("Noto Sans CJK TC", 3),
}
NASTALIQ = _committed("Noto Nastaliq Urdu")
"""Urdu is read in Nastaliq; Arabic and Persian in Naskh (Noto Sans Arabic). `families_for` puts it
first for a page in Urdu."""
FAMILIES = (
    ATKINSON,
    _variable(fontpkg_noto_sans_arabic, "NotoSansArabic[wdth,wght].ttf"),
    _variable(fontpkg_heebo, "Heebo[wght].ttf"),
    _variable(fontpkg_noto_sans_devanagari, "NotoSansDevanagari[wdth,wght].ttf"),
    _committed("Noto Sans Bengali"),
    _committed("Noto Sans Gurmukhi"),
    _variable(fontpkg_noto_sans_thai, "NotoSansThai[wdth,wght].ttf"),
    _committed("Noto Sans Ethiopic"),
    NOTO_SANS,
    NASTALIQ,
    *CJK.values(),
)
"""Every bundled family, in the order a page falls back from one to the next: a script's own font
before Noto Sans, which draws some of those scripts too, but not as well shaped; Noto Sans before
Noto Sans CJK, which draws Latin, Cyrillic and Greek too."""

FAMILY = ATKINSON.name
FACES = ATKINSON.faces
LICENSE = ATKINSON.license
_LAYOUT_WHITESPACE = frozenset("\n\r\t\u200c\u200d\u200e\u200f\u061c\u2066\u2067\u2068\u2069")
"""Characters no font draws: line breaks, and the invisible joiners, marks and isolates that shape
and order text (pipeline/read/characters.py allows them in a handout's text)."""


@cache
def _cmap(file: Path, index: int | None = None) -> frozenset[int]:
    with TTFont(file, lazy=True, fontNumber=index or 0) as font:
        return frozenset(font.getBestCmap())


@cache
def _checked(file: Path) -> bool:
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest() == CJK_FILES.get(file.name)
    except OSError:
        return False


def cjk_form(lang: str) -> str:
    """Which form of Chinese characters a language reads: 'ja', 'ko', 'zh-Hant' or 'zh-Hans'."""
    parts = lang.lower().replace("_", "-").split("-")  # language tags are not case-sensitive
    if parts[0] in ("ja", "ko"):
        return parts[0]
    traditional = "hant" in parts or any(region in parts for region in ("tw", "hk", "mo"))
    return "zh-Hant" if traditional and "hans" not in parts else "zh-Hans"


def _fallback_order(lang: str) -> tuple[Family, ...]:
    """Every family in fallback order, with the CJK form `lang` reads first of the CJK ones, and
    Nastaliq first for Urdu."""
    first = CJK[cjk_form(lang)]
    own = [family for family in FAMILIES if not family.package and family is not NASTALIQ]
    if lang.lower().split("-")[0] == "ur":
        own.insert(1, NASTALIQ)
    return (*own, NASTALIQ, first, *(f for f in CJK.values() if f is not first))


_CJK_NAMES = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH")


def missing(char: str) -> Family | None:
    """The family that would draw `char` if its system package were installed (its files may be
    absent, so this goes by the character's Unicode name)."""
    if unicodedata.name(char, "").startswith(_CJK_NAMES) and not CJK["zh-Hans"].installed:
        return CJK["zh-Hans"]
    return None


def _own_script_first(order: tuple[Family, ...], chars: set[str]) -> tuple[Family, ...]:
    """The order with the family that draws most of the letters Atkinson lacks right after it: the
    text's own script, whose font then draws the marks it shares with other scripts too (the
    danda '।' of Bengali and Gurmukhi is in Noto Sans Devanagari as well)."""
    letters = {char for char in chars if unicodedata.category(char)[0] in "LM" and not ATKINSON.covers(char)}
    if not letters:
        return order
    own = [family for family in order if family is not ATKINSON and not family.package]
    main = max(own, key=lambda family: len({char for char in letters if family.covers(char)}))
    if not any(main.covers(char) for char in letters):
        return order
    return (ATKINSON, main, *(family for family in order if family not in (ATKINSON, main)))


def families_for(text: str, lang: str = "") -> tuple[Family, ...]:
    """The families that draw `text`, in the order a page should ask for them: Atkinson
    Hyperlegible alone for a text it can print whole."""
    chars = set(text) - _LAYOUT_WHITESPACE
    needed: list[Family] = []
    for family in _own_script_first(_fallback_order(lang), chars):
        if not chars:
            break
        if not family.installed:  # looked at only when a page needs it: the check reads the files
            continue
        drawn = {char for char in chars if family.covers(char)}
        if drawn:
            needed.append(family)
            chars -= drawn
    if NOTO_SANS in needed:  # Atkinson lacks letters of the text's own script: one typeface for every word
        needed.remove(NOTO_SANS)
        needed.insert(0, NOTO_SANS)
        if ATKINSON in needed and all(NOTO_SANS.covers(char) for char in set(text) if ATKINSON.covers(char)):
            needed.remove(ATKINSON)
    return tuple(needed) or (ATKINSON,)


def stack(families: tuple[Family, ...]) -> str:
    """The CSS `font-family` value for these families: '"Atkinson Hyperlegible", sans-serif'."""
    return ", ".join(f'"{family.name}"' for family in families) + ", sans-serif"


def uncovered(text: str) -> list[str]:
    """Characters of `text` that no bundled family can draw (layout whitespace excepted)."""
    chars = set(text) - _LAYOUT_WHITESPACE
    for family in _fallback_order(""):
        if chars and family.installed:
            chars = {char for char in chars if not family.covers(char)}
    return sorted(chars)


def is_bundled(pdf_font_name: str) -> bool:
    """Whether a font named in a PDF ('Noto-Sans-Arabic-Bold', subset tag removed) is one of ours."""
    squash = lambda name: re.sub(r"[^a-z]", "", name.lower())  # noqa: E731
    return any(squash(pdf_font_name).startswith(squash(family.name)) for family in FAMILIES)


def _with_parts(characters: frozenset[str]) -> set[str]:
    """The characters, the parts a shaper may split each into (Thai SARA AM into NIKHAHIT and SARA
    AA), and the dotted circle it draws under a mark with nothing to sit on."""
    parts = {part for char in characters for part in unicodedata.normalize("NFKD", char)}
    return set(characters) | parts | {" ", "\u25cc"}


@cache
def _instance(face: Face, characters: frozenset[str]) -> bytes:
    from fontTools import subset
    from fontTools.varLib.instancer import instantiateVariableFont

    font = TTFont(face.file, fontNumber=face.index or 0)
    options = subset.Options()
    options.layout_features = ["*"]  # shaping: joined Arabic, Devanagari conjuncts, marks
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(char) for char in _with_parts(characters)}))
    subsetter.subset(font)
    if face.variable:
        axes = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes} | {"wght": face.weight}
        static = instantiateVariableFont(font, axes, static=True)
    else:
        static = font
    static.recalcTimestamp = False  # the file's own dates, not the clock: the same bytes every build
    out = io.BytesIO()
    static.save(out)
    return out.getvalue()
