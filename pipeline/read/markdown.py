"""Markdown to HTML: CommonMark with tables, footnotes and callout boxes; raw HTML escaped.

The output is both valid HTML5 and well-formed XHTML (void elements self-closed, only the five
XML entities), so the same body goes into the web page, the EPUB and the leaflet.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import characters, limits, resources
from ..errors import PipelineError
from ..messages import marker
from ..model import Image, TocEntry


CALLOUTS = {"note": "i", "warning": "!", "get-help-now": "!"}
"""`::: kind` boxes an author can write, each with its symbol (never colour alone); the word printed
on each is the message `callout-<kind>`, in the page's language (pipeline/messages/)."""


def anchor_for(title: str) -> str:
    """A readable, stable id from a heading: 'Safety: risks & dosing' -> 'safety-risks-dosing'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "section"


@cache
def parser() -> MarkdownIt:
    # html=False: raw HTML in a handout is shown as text, never passed to a reader's browser.
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True}).enable("table")
    # markdown-it drops links and pictures with 'unsafe' addresses (javascript:, file:, data: ...) and
    # prints their Markdown as text, silently. Let every address through to `render`, which judges it
    # by the sandbox's rules (pipeline/read/resources.py) and reports a refusal with its line.
    md.validateLink = lambda url: True
    md.core.ruler.push("heading_ids", _heading_ids)
    md.use(footnote_plugin)
    # Any `::: word` opens a box; unknown words are reported (with their line) by `render`.
    md.use(container_plugin, name="callout", validate=lambda params, *_: bool(params.strip()), render=_render_callout)
    md.add_render_rule("footnote_block_open", _render_notes_open)
    md.add_render_rule("footnote_anchor", _render_back_link)
    return md


def _heading_ids(state: StateCore) -> None:
    """An id for every '##' and '###' heading, from its words, made unique with -1, -2 ... as
    mdit-py-plugins' anchors plugin makes them (the same ids), in linear time: that plugin tries
    -1, -2 ... from the start for every heading, so 50,000 headings of one title took hours."""
    taken: set[str] = set()
    next_number: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open" or token.tag not in ("h2", "h3"):
            continue
        base = anchor_for(_plain_text(state.tokens[index + 1]))
        unique, number = base, next_number.get(base, 1)
        if base in taken:  # every suffix below `number` is taken already: start from there
            while (unique := f"{base}-{number}") in taken:
                number += 1
            next_number[base] = number + 1
        taken.add(unique)
        token.attrSet("id", unique)


@dataclass(frozen=True)
class Body:
    html: str
    toc: tuple[TocEntry, ...]
    images: tuple[Image, ...]


def parse(markdown: str) -> list[Token]:
    """The body's tokens: parsed once, then checked (pipeline/read/handout.py), rendered and read as prose."""
    return parser().parse(markdown)


def render(tokens: list[Token], path: Path, first_line: int, logo: Image | None = None) -> Body:
    """Render the body from its tokens; `first_line` is the line of `path` on which the body starts.
    The `logo` goes into the same outputs as the body's pictures, so their names must not clash."""
    md = parser()
    toc, images = [], []
    shown = {_folded(logo.file_name): logo} if logo else {}
    headings, notes = 0, set()
    for index, token in enumerate(tokens):
        line = first_line + token.map[0] if token.map else None
        if token.type == "heading_open":
            headings += 1
            _check_count(headings, limits.MAX_HEADINGS, "headings", path, line)
            level = int(token.tag[1])
            if level == 1:
                raise PipelineError(
                    "a '#' heading in the body would be a second title",
                    path,
                    line,
                    "The title comes from 'title:' in the front matter; start sections with '##'.",
                )
            if level <= 3:
                toc.append(TocEntry(level, str(token.attrs["id"]), _plain_text(tokens[index + 1])))
        elif token.type == "container_callout_open":
            _check_callout(token.info.strip(), path, line)
        elif token.type == "inline":
            images += _check_inline(token, path, line, shown)
            for child, child_line in _children_with_lines(token, line):
                if child.type == "footnote_ref":
                    notes.add(child.meta["id"])
                    _check_count(len(notes), limits.MAX_NOTES, "notes", path, child_line)
        elif token.type in ("fence", "code_block"):
            _check_words(token.content, path, line + (token.type == "fence") if line else None)
        elif token.type == "footnote_block_open":
            toc.append(TocEntry(2, NOTES_ANCHOR, marker("notes-heading")))  # the heading _render_notes_open writes
    return Body(md.renderer.render(tokens, md.options, {}), tuple(toc), tuple(images))


def _check_count(count: int, most: int, what: str, path: Path, line: int | None) -> None:
    if count > most:
        raise PipelineError(
            f"the handout has more than {most:,} {what}",
            path,
            line,
            "Split it into shorter handouts: each of these is laid out on the page, and a patient handout has a few dozen.",
        )


def _plain_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def _check_callout(kind: str, path: Path, line: int | None) -> None:
    if kind in CALLOUTS:
        return
    close = difflib.get_close_matches(kind, CALLOUTS, n=1)
    raise PipelineError(
        f"'::: {kind}' is not a kind of box",
        path,
        line,
        f"Did you mean '::: {close[0]}'?" if close else f"Use one of: {', '.join(f'::: {name}' for name in CALLOUTS)}.",
    )


def _render_callout(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return "</aside>\n"
    kind = token.info.strip()
    label, symbol = marker(f"callout-{kind}"), CALLOUTS[kind]
    # An aside (a box apart from the text) named by its visible label; the symbol is decoration.
    return (
        f'<aside class="callout callout-{kind}" aria-label="{label}">\n'
        f'<p class="callout-label"><span class="callout-symbol" aria-hidden="true">{symbol}</span> {label}</p>\n'
    )


NOTES_ANCHOR = "footnotes_"
"""Never made from a heading: anchor_for writes only a-z, 0-9 and '-', so '## Notes' cannot clash."""


def _render_notes_open(self, tokens, idx, options, env) -> str:
    return (
        f'<section class="footnotes" aria-labelledby="{NOTES_ANCHOR}">\n'
        f'<h2 id="{NOTES_ANCHOR}">{marker("notes-heading")}</h2>\n<ol class="footnotes-list">\n'
    )


def _render_back_link(self, tokens, idx, options, env) -> str:
    # The plugin's ↩ is not in the bundled font (and means nothing to a screen reader): use words.
    number = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    sub = tokens[idx].meta.get("subId", 0)
    ref = f"{number}:{sub}" if sub > 0 else number
    return f' <a href="#fnref{ref}" class="footnote-backref">{marker("back-to-text")}</a>'


def _check_inline(inline: Token, path: Path, line: int | None, shown: dict[str, Image]) -> list[Image]:
    """Check every link and read every picture of a block; each is reported on its own line.

    `shown` holds the pictures the outputs carry so far (the logo first), by folded name (_folded)."""
    images = []
    for child, child_line in _children_with_lines(inline, line):
        if child.type in ("text", "code_inline"):
            _check_words(child.content, path, child_line)
        try:
            if child.type == "image":
                images.append(_image(child, path, child_line))
                _check_distinct(images[-1], shown.setdefault(_folded(images[-1].file_name), images[-1]))
            elif child.type == "link_open":
                resources.check_link(str(child.attrs.get("href", "")))
        except resources.Refused as refused:
            raise PipelineError(refused.message, path, child_line, refused.hint) from None
    return images


def _check_words(text: str, path: Path, line: int | None) -> None:
    """Every word must fit on a line: a longer run of letters would run off the page."""
    if word := characters.long_word(text):
        if line is not None:
            line += text.count("\n", 0, word.start())
        raise PipelineError(characters.long_word_message(word.group()), path, line, characters.WORD_HINT)


def _check_distinct(picture: Image, other: Image) -> None:
    """Every output keeps a handout's pictures side by side under their names: one name, one picture."""
    if other.file_name != picture.file_name:
        raise resources.Refused(
            f"the pictures '{other.file_name}' and '{picture.file_name}' have names that differ only in capitals"
            " or accents, which an e-book cannot hold side by side",
            "Rename one of the two files.",
        )
    if other.data != picture.data:  # only the logo, from the top folder, can be another file
        raise resources.Refused(
            f"the picture '{picture.file_name}' has the name of the logo in site.yaml but is another picture",
            "Rename the picture: the outputs keep it and the logo under the same name.",
        )


def _folded(name: str) -> str:
    """A name as an e-book compares file names: after Unicode normalisation and case folding (EPUBCheck OPF-060)."""
    return unicodedata.normalize("NFC", name).casefold()


def _children_with_lines(inline: Token, line: int | None):
    """Each child of an inline token with its line: the block's first line plus the breaks before it."""
    for child in inline.children or ():
        yield child, line
        if line is not None and child.type in ("softbreak", "hardbreak"):
            line += 1


def _image(token: Token, path: Path, line: int | None) -> Image:
    """An image must say what it shows and live inside the source folder (copied beside each output)."""
    src = str(token.attrs.get("src", ""))
    if not token.content.strip():
        raise PipelineError(
            f"the image '{src}' has no alt text",
            path,
            line,
            f"Say what the picture shows for people who cannot see it: ![what it shows]({src})",
        )
    name = PurePosixPath(resources.picture_name(src)).as_posix()
    _file, data, media_type = resources.read_picture(name, path.parent)
    token.attrs["src"] = resources.address_of(name)  # one address per file, in every output
    return Image(token.attrs["src"], token.content.strip(), data, media_type)
