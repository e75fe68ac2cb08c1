"""What a writer is: a function of data. It gets the handout model and the site settings (with the
build's options, such as the paper, already in them) and returns the files it made, as bytes with
their paths in the build folder. It never writes a file: the build writes and records every file
(pipeline/build/engine.py), which is what lets a job run in any process, on any machine.

Each format's row in pipeline/formats.py names its writer. A writer of a list of every handout
(an index) is a `ListWriter`: it makes a small entry per handout, and the list page from entries
the build kept, so that the handouts that did not change are not read again.
"""

from __future__ import annotations

import html
import re

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import fonts
from . import templates
from ..config import SiteConfig
from ..messages import Messages, direction, messages, own_name
from ..model import Handout, Image
from .qrcode import qr_code
from .printstyle import HIDDEN_IN_PRINT

if TYPE_CHECKING:
    from ..formats import Format

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class OutputFile:
    path: str
    """Where it goes, from the build folder, with '/': 'pdf/kratom-pain-relief.pdf'."""
    data: bytes = field(repr=False)


@dataclass
class Made:
    """What one job made: its files, and the entries it made for list formats, by format name."""

    files: list[OutputFile]
    entries: dict[str, dict] = field(default_factory=dict)


def output(path: str, data: bytes | str) -> OutputFile:
    return OutputFile(path, data.encode("utf-8") if isinstance(data, str) else data)


class Writer:
    """One format's writer. Subclasses render a handout (`render`) or override `write`."""

    def __init__(self, format: Format, config: SiteConfig) -> None:
        self.format = format
        self.config = config

    def write(self, handout: Handout) -> Made:
        """A handout's files: one job of a build."""
        return Made([output(self.format.path(handout.slug), self.render(handout))])

    def shared_files(self) -> list[OutputFile]:
        """Files every handout's file of this format refers to (stylesheets, fonts), made once per build."""
        return []

    def render(self, handout: Handout) -> bytes | str:
        raise NotImplementedError

    def context(self, handout: Handout) -> dict[str, object]:
        """What every handout template sees: `say` gives the words of the handout's language."""
        web_address = self.config.web_address(handout.slug)
        return {
            "handout": handout,
            "site": self.config,
            "lang": handout.meta.lang,
            "say": self.say(handout.meta.lang),
            "own_name": own_name,
            "own_direction": direction,
            "web_address": web_address,
            "qr_code": self.qr_code(handout),
        }

    def qr_code(self, handout: Handout) -> Image | None:
        web_address = self.config.web_address(handout.slug)
        if not web_address:
            return None
        return qr_code(web_address, handout.slug, self.say(handout.meta.lang)("qr-code", address=web_address))

    def pictures(self, handout: Handout) -> list[Image]:
        """Every picture file a handout's pages show, once each: its own, the logo, its QR code.

        A picture shown twice (or the logo also shown in the text) is one file: twice in an
        e-book it would be a duplicate zip entry, which e-readers may reject."""
        extra = (self.config.logo_image, self.qr_code(handout))
        files: dict[str, Image] = {}
        for picture in [*handout.images, *filter(None, extra)]:
            files.setdefault(picture.file_name, picture)
        return list(files.values())

    def stylesheet(self, name: str, font_url, families: tuple[fonts.Family, ...] = (fonts.ATKINSON,), **settings: object) -> str:
        """A stylesheet with the bundled `families` (font_url(face) says where each face is), on the
        site's paper unless `settings` give another page size; `draft=True` marks every printed page
        (the web page shows its own banner). Its words (page numbers, the draft band) are in
        `lang`, by default the site's."""
        settings.setdefault("paper", self.config.paper_name)
        settings.setdefault("draft", False)
        settings.setdefault("hidden", HIDDEN_IN_PRINT)
        settings["say"] = self.say(settings.pop("lang", self.config.lang))
        return templates.render(
            f"css/{name}",
            families=families,
            font_stack=fonts.stack(families),
            font_url=font_url,
            **settings,
        )

    def say(self, lang: str) -> Messages:
        """The words of pages in `lang`: its catalogue's, with the site's own over them."""
        return messages(lang, self.config.messages)

    def families(self, page: str, lang: str) -> tuple[fonts.Family, ...]:
        """The font families a page's text in `lang` needs (pipeline/fonts.py)."""
        return fonts.families_for(html.unescape(_TAG.sub(" ", page)), lang)


class ListWriter(Writer):
    """A list of every handout: an entry per handout (plain data the build keeps between builds),
    and the list's page from the entries of every handout."""

    def write(self, handout: Handout) -> Made:
        return Made([], {self.format.name: self.entry(handout)})

    def entry(self, handout: Handout) -> dict:
        raise NotImplementedError

    def list_files(self, entries: Sequence[dict], sizes: Mapping[str, int]) -> list[OutputFile]:
        """The list from every handout's entry; `sizes` are those of the handouts' files in the build
        folder now (by path from it), for a list that links them (Format.shows_sizes)."""
        raise NotImplementedError
