"""The e-book: EPUB 3 packaged by EbookLib around the same XHTML body as the web page."""

from __future__ import annotations

import io
import uuid
import zipfile

from ebooklib import epub

from . import templates
from ..read.resources import address_of
from ..messages import Messages
from ..model import Handout
from .base import Writer

CHAPTER = "handout.xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# EPUB Accessibility 1.1 metadata, for reading systems and bookshops to tell readers what the book
# offers. Claim only what is true of every book this writer makes, and tested (tests/test_epub.py,
# tests/test_epub_ace.py): the books are text only (no pictures, sound or video), with headings, a
# table of contents and one reading order. Add "visual" and "alternativeText" only when handouts can
# carry pictures and a test proves every picture has alt text. `schema:` and `a11y:` are prefixes
# reserved by EPUB 3, so the package need not declare them.
def accessibility(has_pictures: bool, say: Messages) -> list[tuple[str, str]]:
    """EPUB Accessibility 1.1 metadata, true of the book it describes: claim nothing a test does not check.

    Pictures make the book visual as well as textual; text alone still suffices because the build
    refuses any picture without alt text (pipeline/read/markdown.py), which is the alternativeText feature.
    """
    modes = ["textual", "visual"] if has_pictures else ["textual"]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if has_pictures:
        features.append("alternativeText")
    content = say("accessibility-pictures" if has_pictures else "accessibility-text-only")
    summary = f"{content} {say('accessibility-structure')}"
    return [
        *(("schema:accessMode", mode) for mode in modes),
        ("schema:accessModeSufficient", "textual"),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary),
        ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"),  # the spec's exact wording
    ]


class EpubWriter(Writer):
    def render(self, handout: Handout) -> bytes:
        meta = handout.meta
        book = epub.EpubBook()
        book.set_identifier(self.identifier(handout))
        book.set_title(meta.title)
        book.set_language(meta.lang)
        if self.say(meta.lang).direction == "rtl":  # pages turn from right to left: the spine says so
            book.set_direction("rtl")
        if meta.author:
            book.add_author(meta.author)
        if self.config.organisation:
            book.add_metadata("DC", "publisher", self.config.organisation)
        if meta.summary:
            book.add_metadata("DC", "description", meta.summary)
        for keyword in meta.keywords:
            book.add_metadata("DC", "subject", keyword)
        if meta.updated:
            book.add_metadata("DC", "date", meta.updated.isoformat())
        pictures = self.pictures(handout)
        say = self.say(meta.lang)
        for name, value in accessibility(bool(pictures), say):
            attributes = {"property": name}
            if name == "schema:accessibilitySummary":  # in English where the language has no words for it
                attributes[XML_LANG] = say.written_in("accessibility-structure")
            book.add_metadata(None, "meta", value, attributes)

        context = {**self.context(handout), "xhtml": True, "chapter": CHAPTER}
        chapter, nav = (templates.render(f"epub/{name}", **context) for name in ("chapter.xhtml", "nav.xhtml"))
        families = self.families(chapter + nav, meta.lang)
        stylesheet = self.stylesheet("epub.css", lambda face: f"../fonts/{face.file_name}", families)
        book.add_item(epub.EpubItem("style", "styles/epub.css", "text/css", stylesheet.encode("utf-8")))
        characters = frozenset(chapter + nav)  # the glyphs the book's own fonts need (pipeline/fonts.py)
        faces = [face for family in families for face in family.faces]
        for number, face in enumerate(faces, start=1):
            book.add_item(epub.EpubItem(f"font-{number}", f"fonts/{face.file_name}", f"font/{face.file_name[-3:]}", face.prepared(characters)))

        for number, picture in enumerate(pictures, start=1):
            book.add_item(epub.EpubItem(f"picture-{number}", picture.file_name, picture.media_type, picture.data))

        # Plain EpubItems, not EpubHtml/EpubNav: EbookLib would re-parse our XHTML and rebuild its <head>.
        book.add_item(_xhtml("handout", CHAPTER, chapter))
        book.add_item(_xhtml("nav", "nav.xhtml", nav, properties=["nav"]))
        # The NCX is for EPUB 2 reading systems, which still exist on older e-readers.
        words = self.say(meta.lang)
        book.toc = [epub.Link(CHAPTER, meta.title, "title")] + [
            epub.Link(f"{CHAPTER}#{entry.anchor}", words.plain(entry.title), ncx_id(entry.anchor)) for entry in handout.toc
        ]
        book.add_item(epub.EpubNcx())
        # The contents page is in the spine, or the landmarks could not link to it (EPUBCheck RSC-011),
        # but out of the reading order (linear="no"): reading goes from the handout's title to its end.
        # The landmarks' link is also what makes it reachable, as non-linear content must be (OPF-096).
        book.spine = ["handout", ("nav", "no")]

        packed = io.BytesIO()
        writer = _PackageWriter(packed, book, {"mtime": handout.build_date, "play_order": {"enabled": False}})
        writer.process()
        writer.write()  # unlike epub.write_epub, lets an error through instead of returning False
        return restamp_zip(packed.getvalue(), handout.build_date.timetuple()[:6])

    def identifier(self, handout: Handout) -> str:
        """The same book keeps the same identifier: derived from its web address or slug, never random."""
        name = self.config.web_address(handout.slug) or f"urn:handout:{handout.slug}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


class _PackageWriter(epub.EpubWriter):
    """EbookLib's writer, plus the book's language on <package>: <dc:language> alone does not say
    what language the package's own text (title, description) is in, and Ace reports it (epub-lang)."""

    def _write_opf_file(self, root):
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)

    def _write_opf_manifest(self, root):
        """EbookLib writes each file's name as its manifest href, but an href is an address: a picture
        named 'a#b.png' or '50%.png' is 'a%23b.png', '50%25.png' (as the chapter refers to it)."""
        ncx_id = super()._write_opf_manifest(root)
        for item in root.find("manifest"):
            item.set("href", address_of(item.get("href")))
        return ncx_id


def ncx_id(anchor: str) -> str:
    """The NCX's id for a section: its anchor, unless that is no XML name ('## 4 weeks' -> '4-weeks';
    EPUBCheck RSC-005): then prefixed, so that it starts with a letter."""
    return anchor if anchor[:1].isalpha() else f"section-{anchor}"


def _xhtml(uid: str, file_name: str, content: str, properties: list[str] | None = None) -> epub.EpubItem:
    item = epub.EpubItem(uid, file_name, "application/xhtml+xml", content.encode("utf-8"))
    item.properties = properties or []
    return item


def restamp_zip(data: bytes, date_time: tuple[int, ...]) -> bytes:
    """Rewrite every zip entry with one fixed timestamp: EbookLib stamps them with the wall clock."""
    date_time = max(tuple(date_time), (1980, 1, 1, 0, 0, 0))  # the earliest a zip can record
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            # 'mimetype' must stay first and uncompressed (OCF); the rest is deflated.
            info.compress_type = zipfile.ZIP_STORED if entry.filename == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry), compresslevel=9)
    return out.getvalue()
