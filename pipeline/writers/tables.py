"""A table too wide for the printed page, laid out another way: one small table per row, each cell
beside its column's header.

A medicine table of eight columns fits a web page that scrolls, but on paper its last columns (the
note with the daily maximum dose) would fall off the edge. The PDF writer lays every table out as
written first; a table that is still wider than its column once its text is wrapped at every space
(pipeline/writers/layout.py measures that) is rewritten here, and the page is laid out again:

    | Medicine   | Morning | … | Notes                |        Medicine | Examplamol
    | Examplamol | 2       | … | No more than 8 a day |   ->   Morning  | 2
                                                                …
                                                                Notes    | No more than 8 a day

Each row becomes a two-column table with a fixed layout (headers a third of the width), so it
always fits, and a word longer than its cell is broken rather than pushed off the page. The rows
keep their order, their cells' content (links, emphasis, footnote references) and their header
cells' meaning for a screen reader (`<th scope="row">`).

Markdown tables hold only inline content, never a table in a table: a table in the page is one
`<table>…</table>` span of well-formed XHTML (pipeline/read/markdown.py).
"""

from __future__ import annotations

import re
from copy import deepcopy
import xml.etree.ElementTree as ElementTree
from html import escape
from typing import Collection

_TABLE = re.compile(r"<table>.*?</table>", re.S)


def stack(page: str, which: Collection[int]) -> str:
    """The page with the tables numbered `which` (from 0, in the order of the page) laid out one row at a time."""
    numbers = iter(range(len(_TABLE.findall(page))))
    return _TABLE.sub(lambda match: stacked(match.group()) if next(numbers) in which else match.group(), page)


def stacked(table: str) -> str:
    """One table (its XHTML) as a sequence of row tables."""
    root = ElementTree.fromstring(table)
    header_row = root.find("thead/tr")
    headers = list(header_row) if header_row is not None else []
    rows = [list(row) for row in root.iterfind("tbody/tr")] or [[]]
    blocks = []
    for number, cells in enumerate(rows):
        pairs = []
        for column in range(max(len(headers), len(cells))):
            # A header's own ids (a footnote reference in it) may appear once in the page.
            header = _inner(headers[column], keep_ids=number == 0) if column < len(headers) else ""
            cell = _inner(cells[column]) if column < len(cells) else ""
            if header.strip():
                pairs.append(f'<tr>\n<th scope="row">{header}</th>\n<td>{cell}</td>\n</tr>')
            else:
                pairs.append(f'<tr>\n<td colspan="2">{cell}</td>\n</tr>')
        blocks.append('<table class="stacked-table">\n<tbody>\n' + "\n".join(pairs) + "\n</tbody>\n</table>")
    return "\n".join(blocks)


def _inner(element: ElementTree.Element, keep_ids: bool = True) -> str:
    """The content of a cell as XHTML: its text and its children (their tails included)."""
    parts = [escape(element.text or "", quote=False)]
    for child in element:
        if not keep_ids:
            child = _without_ids(child)
        parts.append(ElementTree.tostring(child, encoding="unicode", short_empty_elements=True))
    return "".join(parts)


def _without_ids(element: ElementTree.Element) -> ElementTree.Element:
    copy = deepcopy(element)
    for node in copy.iter():
        node.attrib.pop("id", None)
    return copy
