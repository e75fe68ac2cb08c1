"""The laid-out pages, checked against the page they were laid out from, before any PDF is written.

WeasyPrint never says that it put something off the page: a table wider than the paper, a word
longer than the line, a picture it could not load. So the PDF writer asks two questions of the
layout (the boxes WeasyPrint made for every page; no PDF is read back):

- `wide_tables`: which tables are wider than the column they stand in, once their text is wrapped
  at every space. The writer lays those out another way (pipeline/writers/tables.py).
- `check_every_word`: is all the text of every element of the page, and every picture, on a page
  and inside the paper? If not, the build fails and names what would be lost. Whatever a future
  stylesheet or WeasyPrint does, no word a patient needs can go missing silently.

The text of each element is compared with the text of the boxes made for that element (spaces,
soft hyphens and hyphens left out, since lines break there). A table's header row may be repeated
on every page it spans, so an element's text may be found more than once, never less.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from ..errors import PipelineError
from ..model import Handout
from .printstyle import HIDDEN_IN_PRINT

TOLERANCE = 0.5
"""Points a box may stand past an edge (rounding in the layout), far less than any glyph."""

_NOT_COMPARED = re.compile(r"[\s\u00ad-]")
"""Where lines may break, so not compared: spaces, soft hyphens, hyphens (a hyphenated word is
printed with one)."""


def _boxes(box, right: float) -> Iterator[tuple[boxes.Box, float]]:
    """Every box under `box`, each with the right edge of the block it stands in."""
    for child in getattr(box, "children", ()):
        if isinstance(child, AbsolutePlaceholder):
            child = child._box
        yield child, right
        # A table's wrapper is as wide as the table: the table stands in the block around both.
        is_block = isinstance(child, boxes.BlockContainerBox) and not child.is_table_wrapper
        inner = child.content_box_x() + child.width if is_block else right
        yield from _boxes(child, inner)


def _pages(document) -> Iterator[tuple[boxes.PageBox, float, float]]:
    for page in document.pages:
        page_box = page._page_box  # WeasyPrint's layout of the page (pinned version)
        yield page_box, page_box.margin_width(), page_box.margin_height()


def wide_tables(document, root) -> set[int]:
    """The tables (numbered from 0 in the order of the page) wider than the block they stand in."""
    tables = {id(element): number for number, element in enumerate(root.iter("table"))}
    wide = set()
    for page_box, _width, _height in _pages(document):
        for box, right in _boxes(page_box, page_box.content_box_x() + page_box.width):
            if isinstance(box, boxes.TableBox) and id(box.element) in tables:
                if box.border_box_x() + box.border_width() > right + TOLERANCE:
                    wide.add(tables[id(box.element)])
    return wide


FOOTER_SPACE = 4
"""Points left between a running footer's last line and the foot of the paper, which many printers
cannot print on anyway."""


def footer_overflow(document) -> float:
    """How many points deeper the bottom margin must be for every page's running footer to fit
    above the foot of the paper: 0 when it fits (a long title can make it three lines deep)."""
    return max([0.0, *(box.position_y + box.height + FOOTER_SPACE - height for box, height in _margin_text(document, "@bottom"))])


def header_overflow(document) -> float:
    """How many points deeper the top margin must be for every page's draft band to fit below the
    top of the paper: 0 when it fits (in a longer language it can take two lines)."""
    return max([0.0, *(FOOTER_SPACE - box.position_y for box, _height in _margin_text(document, "@top"))])


def _margin_text(document, side: str) -> Iterator[tuple[boxes.TextBox, float]]:
    """Every line of text in the margin boxes of `side` ('@top', '@bottom') of every page, with the page's height."""
    for page_box, _width, height in _pages(document):
        for margin_box in page_box.children:
            if isinstance(margin_box, boxes.MarginBox) and margin_box.at_keyword.startswith(side):
                for box, _right in _boxes(margin_box, 0):
                    if isinstance(box, boxes.TextBox):
                        yield box, height


def check_every_word(document, root, handout: Handout, what: str) -> None:
    """Raise a PipelineError naming the text and pictures of the page that are not inside a page."""
    body = root.find("body")
    hidden = _hidden_elements(body)
    expected = dict(_expected_text(body, hidden))
    pictures = {id(element): element for element in body.iter("img") if id(element) not in hidden}
    shown: dict[int, list[str]] = defaultdict(list)
    outside: list[str] = []
    for page_box, width, height in _pages(document):
        for box, _right in _boxes(page_box, width):
            is_text = isinstance(box, boxes.TextBox)
            if not is_text and not isinstance(box, boxes.ReplacedBox):
                continue
            inside = (
                box.position_x >= -TOLERANCE
                and box.position_y >= -TOLERANCE
                and box.position_x + box.width <= width + TOLERANCE
                and box.position_y + box.height <= height + TOLERANCE
            )
            if not inside:
                outside.append(box.text if is_text else f"the picture '{box.element.get('src')}'")
                continue
            if is_text and "::" not in (box.element_tag or ""):  # generated text (markers, labels) is not the page's
                shown[id(box.element)].append(box.text)
            elif not is_text:
                pictures.pop(id(box.element), None)
    missing = [
        text
        for key, (element, text) in expected.items()
        if _comparable(text) not in _comparable("".join(shown.get(key, ())))
    ]
    missing += [f"the picture '{element.get('src')}'" for element in pictures.values()]
    if outside or missing:
        _refuse(handout, what, outside + missing)


def _expected_text(body, hidden: set[int]) -> Iterator[tuple[int, tuple[object, str]]]:
    """Each element of the body with the text it holds itself (its children's text is theirs)."""
    for element in body.iter():
        if id(element) in hidden or not isinstance(element.tag, str):
            continue
        text = (element.text or "") + "".join(child.tail or "" for child in element)
        if text.strip():
            yield id(element), (element, text)


def _hidden_elements(body) -> set[int]:
    """Elements the print stylesheet does not show (HIDDEN_IN_PRINT), with everything inside them."""
    hidden: set[int] = set()
    for element in body.iter():
        if set(element.get("class", "").split()) & HIDDEN_IN_PRINT:
            hidden.update(id(node) for node in element.iter())
    return hidden


def _comparable(text: str) -> str:
    return _NOT_COMPARED.sub("", text)


def _refuse(handout: Handout, what: str, lost: list[str]) -> None:
    shown = [" ".join(text.split()) for text in dict.fromkeys(lost)]
    quoted = "; ".join(f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'" for text in shown[:5])
    more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
    line = _line_of(handout, shown)
    raise PipelineError(
        f"the {what} would not show all of the handout: {quoted}{more} would be off the page or missing",
        handout.source,
        line,
        "This is a layout the pipeline cannot print whole. Shorten the longest words or split the table,"
        " and report it: no handout should lose words.",
    )


def _line_of(handout: Handout, texts: list[str]) -> int | None:
    """The line of the source where the first of `texts` was typed, when it can be found."""
    try:
        source = handout.text or handout.source.read_text(encoding="utf-8")
    except OSError:
        return None
    for text in texts:
        words = text.split()
        if words and (found := source.find(words[0])) >= 0:
            return source.count("\n", 0, found) + 1
    return None
