"""The e-book: EPUB 3 packaged by EbookLib around the same XHTML body as the web page."""

from __future__ import annotations

import io
import uuid
import zipfile

from ebooklib import epub

from .. import fonts, templates
from ..model import Handout
from .base import Writer

CHAPTER = "handout.xhtml"


class EpubWriter(Writer):
    name = "epub"
    folder = "epub"
    suffix = ".epub"

    def render(self, handout: Handout) -> bytes:
        meta = handout.meta
        book = epub.EpubBook()
        book.set_identifier(self.identifier(handout))
        book.set_title(meta.title)
        book.set_language(meta.lang)
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

        stylesheet = self.stylesheet("epub.css", lambda face: f"../fonts/{face.file.name}")
        book.add_item(epub.EpubItem("style", "styles/epub.css", "text/css", stylesheet.encode("utf-8")))
        for number, face in enumerate(fonts.FACES, start=1):
            book.add_item(epub.EpubItem(f"font-{number}", f"fonts/{face.file.name}", "font/ttf", face.file.read_bytes()))

        for number, picture in enumerate(self.pictures(handout), start=1):
            book.add_item(epub.EpubItem(f"picture-{number}", picture.src, picture.media_type, picture.data))

        # Plain EpubItems, not EpubHtml/EpubNav: EbookLib would re-parse our XHTML and rebuild its <head>.
        context = {**self.context(handout), "xhtml": True, "chapter": CHAPTER}
        book.add_item(_xhtml("handout", CHAPTER, templates.render("epub/chapter.xhtml", **context)))
        book.add_item(_xhtml("nav", "nav.xhtml", templates.render("epub/nav.xhtml", **context), properties=["nav"]))
        # The NCX is for EPUB 2 reading systems, which still exist on older e-readers.
        book.toc = [epub.Link(CHAPTER, meta.title, "title")] + [
            epub.Link(f"{CHAPTER}#{entry.anchor}", entry.title, entry.anchor) for entry in handout.toc
        ]
        book.add_item(epub.EpubNcx())
        book.spine = ["handout"]

        packed = io.BytesIO()
        epub.write_epub(packed, book, {"mtime": handout.build_date, "play_order": {"enabled": False}})
        return restamp_zip(packed.getvalue(), handout.build_date.timetuple()[:6])

    def identifier(self, handout: Handout) -> str:
        """The same book keeps the same identifier: derived from its web address or slug, never random."""
        name = self.config.web_address(handout.slug) or f"urn:handout:{handout.slug}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


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
