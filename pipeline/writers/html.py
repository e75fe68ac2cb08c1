"""The web page: standalone HTML5 that works opened from disk, with everything it needs beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import NamedTuple, Sequence

from markupsafe import Markup

from .. import fonts
from . import templates
from ..catalogue import CatalogueEntry
from ..formats import BY_NAME
from ..messages import Messages
from ..model import Handout
from .base import ListWriter, Made, OutputFile, Writer, output
from .printstyle import LEAFLET


class HtmlWriter(Writer):
    def write(self, handout: Handout) -> Made:
        """The page and its pictures, beside it under the names a browser asks for (the page's
        `caf%C3%A9.png` is the file café.png), and the fonts it needs beyond the site's own."""
        copied = [output(f"{self.format.folder}/{picture.file_name}", picture.data) for picture in self.pictures(handout)]
        page = self.render(handout)
        families = self.families(page, handout.meta.lang)
        extra = [family for family in families if family is not fonts.ATKINSON]
        # The site's stylesheet has Atkinson Hyperlegible and runs left to right: a page adds what
        # its script needs, and its mirrored layout.
        if extra or self.say(handout.meta.lang).direction == "rtl":
            served = _page_fonts(extra, frozenset(page))
            style = self.stylesheet("page-style.css", lambda face: served[face][0], families, extra=extra, lang=handout.meta.lang)
            page = self.render(handout, style)
            copied += [output(f"{self.format.folder}/{url}", data) for url, data in dict(served.values()).items()]
            copied += [output(f"{self.format.folder}/{ASSETS_FONTS}/{family.name.replace(' ', '')}-OFL.txt", family.license.read_bytes())
                       for family in extra]
        return Made(copied + [output(self.format.path(handout.slug), page)])

    def shared_files(self) -> list[OutputFile]:
        return self.assets()

    def render(self, handout: Handout, page_fonts: str = "") -> str:
        return templates.render(
            "web/page.html",
            **self.context(handout),
            structured_data=self.structured_data(handout),
            og_locale=og_locale(handout.meta.lang),
            page_fonts=Markup(page_fonts),  # our own stylesheet: family names and our files' addresses
        )

    def structured_data(self, handout: Handout) -> dict[str, object]:
        """schema.org MedicalWebPage for search engines and health portals: only what is known, never a guess.

        The template writes it with Jinja's `tojson`, which escapes <, >, & and ' so that no front
        matter text can close the <script> element it sits in.
        """
        meta = handout.meta
        data: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": meta.title,
            "inLanguage": meta.lang,
            # Every handout is written for patients; this is the form schema.org's own
            # MedicalWebPage example uses (https://schema.org/Patient is a MedicalAudience).
            "audience": "https://schema.org/Patient",
        }
        if meta.summary:
            data["description"] = meta.summary
        if web_address := self.config.web_address(handout.slug):
            data["url"] = web_address
        if meta.updated:
            data["dateModified"] = meta.updated.isoformat()
        if meta.reviewed_on:
            data["lastReviewed"] = meta.reviewed_on.isoformat()
        if meta.reviewed_by:
            # Plain text: the front matter does not say whether the reviewer is a person or a
            # committee, and schema.org accepts a name where it expects a Person or Organization.
            data["reviewedBy"] = meta.reviewed_by
        if self.config.organisation:
            data["publisher"] = {"@type": "Organization", "name": self.config.organisation}
        if meta.keywords:
            data["keywords"] = list(meta.keywords)
        return data

    def assets(self) -> list[OutputFile]:
        """Stylesheets and fonts, referenced by relative paths so no page reaches outside build/html/."""
        assets = f"{self.format.folder}/{self.format.shared[0]}"

        def font_url(face: fonts.Face) -> str:
            return f"fonts/{face.file.name}"

        made = [
            output(f"{assets}/screen.css", self.stylesheet("screen.css", font_url)),
            # A browser printing the page gets the standard leaflet's type sizes and margins.
            output(f"{assets}/print.css", self.stylesheet("print.css", font_url, style=LEAFLET)),
            output(f"{assets}/fonts/OFL.txt", fonts.LICENSE.read_bytes()),
        ]
        return made + [output(f"{assets}/fonts/{face.file.name}", face.file.read_bytes()) for face in fonts.FACES]


def og_locale(lang: str) -> str:
    """Open Graph writes locales with an underscore: BCP 47 'en-GB' is 'en_GB', 'en' stays 'en'."""
    return lang.replace("-", "_")


ASSETS_FONTS = "assets/fonts"


def _page_fonts(families: list[fonts.Family], characters: frozenset[str]) -> dict[fonts.Face, tuple[str, bytes]]:
    """Where each face of `families` is, and its bytes. A variable font is one file whole, shared
    by every page, every weight taken from it. A face of Noto Sans CJK (20 MB for all its
    characters) is cut down to the page's, under a name that changes with its content."""
    served = {}
    for face in (face for family in families for face in family.faces):
        if face.variable:
            italic = "-Italic" if face.style == "italic" else ""
            served[face] = (f"{ASSETS_FONTS}/{face.family.replace(' ', '')}{italic}-Variable.ttf", face.file.read_bytes())
        else:
            data = face.prepared(characters)
            stem, suffix = face.file_name.rsplit(".", 1)
            served[face] = (f"{ASSETS_FONTS}/{stem}-{hashlib.sha256(data).hexdigest()[:12]}.{suffix}", data)
    return served


class IndexWriter(ListWriter):
    """`index.html`: every handout, listed by title, with a link to each of its files that the build wrote.

    It is written from catalogue entries, so an incremental build can write it from entries it
    kept, without reading the handouts again. A format is linked only when its file is in the build
    folder now, with its size: the index comes after the other formats (it does in a build, and the
    Makefile runs the web pages' build after the others).
    """

    def entry(self, handout: Handout) -> dict[str, object]:
        """What the list shows of a handout, as plain data (the build keeps it between builds as JSON)."""
        return CatalogueEntry.from_handout(handout).to_dict()

    def list_files(self, entries: Sequence[dict], sizes: Mapping[str, int]) -> list[OutputFile]:
        return [output(self.format.path(""), self.page([CatalogueEntry.from_dict(entry) for entry in entries], sizes))]

    def page(self, entries: Sequence[CatalogueEntry], sizes: Mapping[str, int]) -> str:
        say = self.say(self.config.lang)
        ordered = sorted(entries, key=lambda entry: entry.sort_key)
        originals = {entry.slug for entry in ordered if not entry.translation_of}
        translations: dict[str, list[Listing]] = {}
        for entry in ordered:
            if entry.translation_of in originals:
                translations.setdefault(entry.translation_of, []).append(self.listing(entry, sizes, say))
        listed = [
            self.listing(entry, sizes, say)._replace(translations=tuple(translations.get(entry.slug, ())))
            for entry in ordered
            if entry.translation_of not in originals
        ]
        organisation = self.config.organisation
        return templates.render(
            "web/index.html",
            entries=listed,
            site=self.config,
            lang=self.config.lang,
            say=say,
            title=say("index-title-of", organisation=organisation) if organisation else say("index-title"),
        )

    def listing(self, entry: CatalogueEntry, sizes: Mapping[str, int], say: Messages) -> Listing:
        """An entry in words, in the index's language; each of its files that is built, with its size."""
        page, files = None, []
        for name in entry.links:
            format = BY_NAME[name]
            size = sizes.get(format.path(entry.slug))
            if size is None:
                continue  # not built (yet): a link to nothing helps no one
            if format.folder == self.format.folder:
                page = format.href(entry.slug)  # the web page, beside the index: its title links to it
            else:
                files.append(BuiltFile(say(format.label), format.file_type, format.href(entry.slug), file_size(size, say)))
        return Listing(entry, page, tuple(files), say.language_name(entry.lang), review_words(entry, say))


def review_words(entry: CatalogueEntry, say: Messages) -> str:
    """'Reviewed 3 February 2026 by …, next review …', or, for a draft, why it is one."""
    due = dt.date.fromisoformat(entry.review_due) if entry.review_due else None
    if entry.draft:
        return say(entry.reason, date=say.date(due))
    # Not a draft: it has a reviewer and a date.
    reviewed = say.date(dt.date.fromisoformat(entry.reviewed_on))
    if due:
        return say("reviewed-on-by-next", date=reviewed, reviewer=entry.reviewed_by, next=say.date(due))
    return say("reviewed-on-by", date=reviewed, reviewer=entry.reviewed_by)


class BuiltFile(NamedTuple):
    label: str
    file_type: str
    href: str
    size: str


class Listing(NamedTuple):
    """An entry as the index shows it: its web page (if built) for the title, its other files, and
    its language and review in words."""

    entry: CatalogueEntry
    page: str | None
    files: tuple[BuiltFile, ...]
    language: str
    review: str
    translations: tuple["Listing", ...] = ()
    """The handout's translations, listed under it."""


def file_size(size: int, say: Messages) -> str:
    """'120 KB', '1.4 MB': what a reader on a metered phone plan needs, not the exact bytes."""
    kilobytes = round(size / 1024)
    if kilobytes < 1000:
        return say("size-kb", size=say.number(max(kilobytes, 1)))
    return say("size-mb", size=say.number(size / 1024 / 1024, digits=1))
