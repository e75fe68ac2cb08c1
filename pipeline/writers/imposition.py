"""Saddle-stitch imposition: the pages of a half-size document, two to a side, on sheets that are
printed on both sides, folded once in the middle and stapled on the fold.

With the page count padded with blank pages to n, a multiple of 4, sheet s (0, 1, … n/4 - 1) holds
(pages numbered from 1, written left half / right half):

    front:  n - 2s   | 2s + 1
    back:   2s + 2   | n - 2s - 1

For 8 pages: sheet 0 is 8|1 and 2|7, sheet 1 is 6|3 and 4|5. A right-to-left booklet is bound on
the right, and each side is the mirror image: 1|8 and 7|2. Nest the printed sheets with sheet 0
(page 1) outermost, fold them together and the pages read 1 to n. Odd pages are always on the
right half, so a right-hand page's inner (left) margin lies against the fold, as does a left-hand
page's right margin. Printed double-sided with "flip on short edge", each back comes out the right
way up behind its front.

Each page goes onto its sheet whole, as a form XObject: its content stream as WeasyPrint wrote it
(still compressed), its resources, its box as the form's /BBox (which clips it as the paper edge
would), drawn at its place on the sheet with `cm` and `Do`. The drawing is never parsed: merging
pages operator by operator (pypdf's merge_transformed_page) parsed every page's stream three times
and was a quarter of the cost of a whole build.

The result is a print master, not a document to read on screen. The structure tree (the tags a
screen reader follows), the links and the bookmarks of the original are not carried over to the
sheets. The accessible version is the document before imposition; for a handout, the standard
leaflet PDF.
"""

from __future__ import annotations

import hashlib
import io

import pypdf
from pypdf.generic import ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject, FloatObject, IndirectObject, NameObject

Side = tuple[int | None, int | None]
"""The page numbers on the left and right half of one side of a sheet; None for a padding blank."""


def saddle_stitch_order(pages: int, bound_on_right: bool = False) -> list[Side]:
    """Every side of every sheet in printing order (front, back, next front, …). A booklet bound on
    the right (right to left: Arabic, Hebrew …) is the mirror image: page 1 on the left half."""
    n = -(-pages // 4) * 4  # padded up to a multiple of 4

    def shown(number: int) -> int | None:
        return number if number <= pages else None  # beyond the last page: a padding blank

    sides: list[Side] = []
    for s in range(n // 4):
        sides.append((shown(n - 2 * s), shown(2 * s + 1)))
        sides.append((shown(2 * s + 2), shown(n - 2 * s - 1)))
    return [(right, left) for left, right in sides] if bound_on_right else sides


def impose(pdf: bytes, sheet: tuple[float, float], identifier: bytes, bound_on_right: bool = False) -> bytes:
    """Place the pages of `pdf` two-up on sheets of `sheet` size (width, height in points, landscape).

    Each page touches the fold line in the middle of the sheet and is centred vertically. The
    document information (title, author, subject, keywords, dates) and the language are kept. The
    /ID is `identifier` and a hash of the input, so the same input gives the same bytes.
    """
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    width, height = sheet
    fold = width / 2
    writer = pypdf.PdfWriter()
    for side in saddle_stitch_order(len(reader.pages), bound_on_right):
        placed = []
        for half, number in zip(("left", "right"), side):
            if number is None:
                continue
            page = reader.pages[number - 1]
            box = page.mediabox
            x = fold - float(box.width) if half == "left" else fold
            y = (height - float(box.height)) / 2
            # The form keeps the page's own coordinates: move its box's corner to (x, y).
            placed.append((f"/P{number}", _form(page, writer), x - float(box.left), y - float(box.bottom)))
        _add_sheet(writer, width, height, placed)

    writer.pdf_header = reader.pdf_header
    if reader.metadata:
        writer.add_metadata({**reader.metadata, "/Producer": f"{reader.metadata.producer}; imposed by pypdf {pypdf.__version__}"})
    root = reader.trailer["/Root"]
    for key in ("/Lang", "/ViewerPreferences"):
        if key in root:
            writer.root_object[NameObject(key)] = root[key].clone(writer)
    # pypdf would otherwise write no /ID, or a random one if asked; a PDF should have one and the
    # same input must give the same bytes. (No public setter in pypdf 7.1: the version is pinned.)
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(hashlib.md5(pdf, usedforsecurity=False).digest())])

    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form(page: pypdf.PageObject, writer: pypdf.PdfWriter) -> IndirectObject:
    """`page` as a form XObject in `writer`: its drawing and resources as they are. Its links
    (/Annots) are left behind: they lead to pages of the original, and paper needs none."""
    contents = page[NameObject("/Contents")].get_object()
    if isinstance(contents, ArrayObject):  # a drawing in several streams (never WeasyPrint's): joined
        form = DecodedStreamObject()
        form.set_data(b"\n".join(part.get_object().get_data() for part in contents))
    else:
        form = contents.clone(writer)  # the bytes as they are, filter and all
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(value) for value in page.mediabox),
            NameObject("/Resources"): page[NameObject("/Resources")].clone(writer),
        }
    )
    return form.indirect_reference or writer._add_object(form)


def _add_sheet(writer: pypdf.PdfWriter, width: float, height: float, placed: list[tuple[str, IndirectObject, float, float]]) -> None:
    """One side of a sheet, drawing each (name, form, x, y) with its origin at (x, y)."""
    paper = writer.add_blank_page(width, height)
    drawing = "".join(f"q 1 0 0 1 {_number(x)} {_number(y)} cm {name} Do Q\n" for name, _, x, y in placed)
    content = DecodedStreamObject()
    content.set_data(drawing.encode("ascii"))
    paper[NameObject("/Contents")] = writer._add_object(content)
    forms = DictionaryObject({NameObject(name): form for name, form, _x, _y in placed})
    paper[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})


def _number(value: float) -> str:
    """A coordinate as PDF writes it: plain decimal, never an exponent, no trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".") or "0"
