"""Markdown to HTML: CommonMark with tables, raw HTML escaped, stable heading anchors.

The output is both valid HTML5 and well-formed XHTML (void elements self-closed, only the five
XML entities), so the same body goes into the web page, the EPUB and the leaflet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from .errors import PipelineError
from .model import TocEntry


def anchor_for(title: str) -> str:
    """A readable, stable id from a heading: 'Safety: risks & dosing' -> 'safety-risks-dosing'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "section"


@cache
def parser() -> MarkdownIt:
    # html=False: raw HTML in a handout is shown as text, never passed to a reader's browser.
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True}).enable("table")
    md.use(anchors_plugin, min_level=2, max_level=3, slug_func=anchor_for)
    return md


def render(markdown: str, path: Path, first_line: int) -> tuple[str, tuple[TocEntry, ...]]:
    """Render the body; `first_line` is the line of `path` on which the body starts."""
    md = parser()
    tokens = md.parse(markdown)
    toc = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        line = first_line + token.map[0] if token.map else None
        if level == 1:
            raise PipelineError(
                "a '#' heading in the body would be a second title",
                path,
                line,
                "The title comes from 'title:' in the front matter; start sections with '##'.",
            )
        if level <= 3:
            toc.append(TocEntry(level, str(token.attrs["id"]), _plain_text(tokens[index + 1])))
    return md.renderer.render(tokens, md.options, {}), tuple(toc)


def _plain_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
