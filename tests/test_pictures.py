"""Pictures (pipeline/read/pictures.py, the names in pipeline/read/resources.py): each picture is decoded and
checked when its source is read, and every output keeps a picture under the name its pages ask
for. SVG pictures: tests/test_svg.py.

The pictures are made here with Pillow, a few pixels each."""

from __future__ import annotations

import functools
import html
import http.server
import io
import re
import struct
import threading
import urllib.request
import zlib

import pypdf
import pytest
from PIL import Image as Picture

from pipeline.read import limits
from pipeline.config import SiteConfig, load_config
from pipeline.errors import PipelineError
from pipeline.read.handout import read_handout

from .conftest import build
from .outputs import epub_members
from .test_epub import run_epubcheck

HEADER = "---\ntitle: Tablets\n---\n\nText.\n\n"  # a picture right after it is on line 7
CLEAN = "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos"


def encoded(kind: str, size: tuple[int, int] = (4, 3), **options) -> bytes:
    buffer = io.BytesIO()
    Picture.new("RGB", size, (200, 30, 30)).save(buffer, kind, **options)
    return buffer.getvalue()


def animated_gif() -> bytes:
    buffer = io.BytesIO()
    frames = [Picture.new("RGB", (4, 4), colour) for colour in ("red", "green", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that says it is width x height pixels, with data no decoder could read."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"not zlib data") + chunk(b"IEND", b"")


def read_with(write_source, name: str, data: bytes, written: str | None = None):
    source = write_source(HEADER + f"![A chart]({written or name})\n")
    (source.parent / name).write_bytes(data)
    return read_handout(source, SiteConfig())


def refusal(write_source, name: str, data: bytes, written: str | None = None) -> PipelineError:
    with pytest.raises(PipelineError) as caught:
        read_with(write_source, name, data, written)
    assert caught.value.line == 7
    return caught.value


class TestBrokenPictures:
    @pytest.mark.parametrize(
        "name, data, words, hint",
        [
            ("chart.png", b"", "is empty (0 bytes), not a PNG picture", "Export the picture again"),
            ("chart.png", encoded("PNG")[:-12], "cannot be read as a PNG picture: it is damaged or incomplete", "Export"),
            ("chart.png", encoded("PNG", (64, 64))[:100], "cannot be read as a PNG picture", "Export"),
            ("chart.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "cannot be read as a PNG picture", "Export"),
            ("chart.png", b"Take two tablets.\n", "is text, not a PNG picture", "Export"),
            ("chart.png", encoded("JPEG"), "is a JPEG picture, not a PNG picture", "Rename the file to 'chart.jpg'"),
            ("chart.jpg", encoded("PNG"), "is a PNG picture, not a JPEG picture", "Rename the file to 'chart.png'"),
            ("chart.gif", encoded("WEBP"), "is a WebP picture, not a GIF picture", "'chart.webp'"),
            ("chart.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "is an SVG picture, not a PNG", "'chart.svg'"),
            ("chart.svg", encoded("PNG"), "is a PNG picture, not an SVG picture", "'chart.png'"),
            ("chart.png", encoded("BMP"), "is a BMP picture, not a PNG picture", "Save it as PNG or JPEG"),
            ("chart.jpg", encoded("JPEG")[:-200], "cannot be read as a JPEG picture", "Export"),
        ],
        ids=["empty", "without-end", "truncated", "garbage", "text", "jpeg-named-png", "png-named-jpg", "webp-named-gif",
             "svg-named-png", "png-named-svg", "bmp", "truncated-jpeg"],
    )
    def test_a_picture_that_does_not_load_is_an_error_with_its_line(self, write_source, name, data, words, hint):
        error = refusal(write_source, name, data)
        assert f"the picture '{name}' " in error.message and words in error.message
        assert hint in error.hint

    def test_a_decompression_bomb_is_refused_from_its_header_before_any_decoding(self, write_source):
        # The data after the header is not even compressed: only the header is read.
        error = refusal(write_source, "chart.png", png_header_only(40_000, 40_000))
        assert error.message == (
            "the picture 'chart.png' is 40000 × 40000 pixels, more than the limit of 25 million pixels"
        )

    def test_the_pixel_limit_counts_every_frame(self, write_source, monkeypatch):
        monkeypatch.setattr(limits, "MAX_PICTURE_PIXELS", 40)  # 3 frames of 4 x 4
        error = refusal(write_source, "chart.gif", animated_gif())
        assert "is 4 × 4 pixels in each of 3 frames, more than the limit" in error.message

    def test_a_picture_over_the_size_limit_is_refused(self, write_source, monkeypatch):
        monkeypatch.setattr(limits, "MAX_PICTURE_BYTES", 100)
        error = refusal(write_source, "chart.png", encoded("PNG", (64, 64), compress_level=0))
        assert error.message.startswith("the picture 'chart.png' is 0.0 MB, more than the limit of")

    def test_a_broken_logo_is_an_error_on_its_line_of_site_yaml(self, tmp_path):
        (tmp_path / "logo.png").write_bytes(encoded("JPEG"))
        (tmp_path / "site.yaml").write_text("organisation: Example Clinic\nlogo: logo.png\n")
        with pytest.raises(PipelineError, match="the logo: the picture 'logo.png' is a JPEG picture, not a PNG") as caught:
            load_config(tmp_path)
        assert caught.value.line == 2

    def test_nothing_is_written_for_a_broken_picture(self, write_source, tmp_path, capsys):
        source = write_source(HEADER + "![A chart](chart.png)\n")
        (source.parent / "chart.png").write_bytes(encoded("PNG")[:60])
        assert build(source.parent, tmp_path / "out") == 1
        assert f"{source}:7: error: the picture 'chart.png' cannot be read" in capsys.readouterr().err
        assert not (tmp_path / "out").exists()


def test_every_kind_of_picture_is_in_every_output(write_source, tmp_path):
    """PNG, JPEG, GIF (animated too), WebP and SVG: on the PDF's page, beside the web page, and in an
    e-book EPUBCheck finds nothing wrong with."""
    pictures = {"a.png": encoded("PNG"), "b.jpg": encoded("JPEG"), "c.gif": animated_gif(),
                "d.webp": encoded("WEBP"), "e.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'}
    source = write_source(HEADER + "\n\n".join(f"![Picture {name}]({name})" for name in pictures) + "\n")
    for name, data in pictures.items():
        (source.parent / name).write_bytes(data)
    assert build(source.parent, tmp_path / "out", "--format", "pdf,epub,html") == 0
    page = pypdf.PdfReader(tmp_path / "out" / "pdf" / "handout.pdf").pages[0]
    assert len(page.images) == 4  # the raster pictures (the SVG is drawn as vectors)
    for name, data in pictures.items():
        if name != "e.svg":
            assert (tmp_path / "out" / "html" / name).read_bytes() == data  # a raster picture is published as it is
    report = run_epubcheck(tmp_path / "out" / "epub" / "handout.epub")
    assert CLEAN in report, report


@pytest.fixture
def named_pictures(write_source, tmp_path):
    """A handout showing pictures with an accent, '#', '%' and a folder in their names; built."""
    written = {"café.png": "café.png", "a#b.png": "a%23b.png", "50%.png": "50%.png", "x%20y.png": "x%2520y.png",
               "diagrams/ünits.svg": "diagrams/%C3%BCnits.svg"}
    source = write_source(HEADER + "\n\n".join(f"![Picture {n}]({address})" for n, address in enumerate(written.values())) + "\n")
    (source.parent / "diagrams").mkdir()
    for name in written:
        data = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>' if name.endswith(".svg") else encoded("PNG")
        (source.parent / name).write_bytes(data)
    (source.parent / "site.yaml").write_text("organisation: Example Clinic\nlogo: logö.svg\n")
    (source.parent / "logö.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    assert build(source.parent, tmp_path / "out", "--format", "pdf,epub,html") == 0
    return tmp_path / "out", [*written, "logö.svg"]


class TestPictureNames:
    def test_the_web_page_finds_every_picture(self, named_pictures):
        """A real browser's request: each `src` of the page, through an HTTP server, gets the picture."""
        builddir, names = named_pictures
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=builddir / "html")
        handler.log_message = lambda *args: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            page = (builddir / "html" / "handout.html").read_text(encoding="utf-8")
            sources = [html.unescape(src) for src in re.findall(r'<img [^>]*src="([^"]*)"', page)]
            assert len(sources) == len(names)
            for src in sources:
                with urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/{src}", timeout=5) as answer:
                    assert answer.status == 200 and answer.read()
        finally:
            server.shutdown()
            server.server_close()
        assert {str(path.relative_to(builddir / "html")) for path in (builddir / "html").rglob("*.*")} >= set(names)

    def test_the_e_book_holds_them_under_their_names_and_passes_epubcheck(self, named_pictures):
        builddir, names = named_pictures
        book = builddir / "epub" / "handout.epub"
        assert {f"EPUB/{name}" for name in names} <= set(epub_members(book))
        assert 'href="a%23b.png"' in epub_members(book)["EPUB/content.opf"].decode()
        report = run_epubcheck(book)
        assert CLEAN in report, report

    def test_the_pdf_shows_them(self, named_pictures):
        builddir, _names = named_pictures
        assert len(pypdf.PdfReader(builddir / "pdf" / "handout.pdf").pages[0].images) == 4  # the PNGs

    @pytest.mark.parametrize("written", ["<my chart.png>", "my%20chart.png"])
    def test_a_space_in_a_name_is_refused_with_a_new_name(self, write_source, written):
        error = refusal(write_source, "my chart.png", encoded("PNG"), written)
        assert error.message == "the picture 'my chart.png' has a space in its name, which some e-book readers cannot open"
        assert error.hint == "Rename the file 'my-chart.png' (a '-' for each space) and use that name."

    @pytest.mark.parametrize(
        "name, written, words",
        [
            ("a#b.png", "a#b.png", "has a '#', which a web browser reads as a place inside the picture"),
            ("a.png", "a.png?v=2", "has a '?', which a web browser reads as a query"),
            ("a|b.png", "a%7Cb.png", "has '|' in its name, which an e-book's file names may not contain"),
            ("a.png", "a%FF.png", "has a %-code that is not a UTF-8 character"),
            ("a b.png", "a%2520b.png", "the picture 'a%20b.png' does not exist"),
        ],
    )
    def test_an_address_no_output_can_follow_is_refused(self, write_source, name, written, words):
        assert words in refusal(write_source, name, encoded("PNG"), written).message

    def test_a_logo_name_with_a_space_is_refused(self, tmp_path):
        (tmp_path / "our logo.png").write_bytes(encoded("PNG"))
        (tmp_path / "site.yaml").write_text("organisation: Example Clinic\nlogo: our logo.png\n")
        with pytest.raises(PipelineError, match="the logo: the picture 'our logo.png' has a space") as caught:
            load_config(tmp_path)
        assert "Rename the file 'our-logo.png'" in caught.value.hint

    def test_names_that_differ_only_in_capitals_are_refused(self, write_source):
        source = write_source(HEADER + "![One](Chart.png)\n\n![Two](chart.png)\n")
        (source.parent / "Chart.png").write_bytes(encoded("PNG"))
        (source.parent / "chart.png").write_bytes(encoded("PNG", (2, 2)))
        with pytest.raises(PipelineError, match="'Chart.png' and 'chart.png' have names that differ only in capitals") as caught:
            read_handout(source, SiteConfig())
        assert caught.value.line == 9

    def test_a_picture_with_the_logos_name_must_be_the_logo(self, tmp_path):
        (tmp_path / "clinic").mkdir()
        for folder, size in ((tmp_path, (2, 2)), (tmp_path / "clinic", (3, 3))):
            (folder / "logo.png").write_bytes(encoded("PNG", size))
        (tmp_path / "site.yaml").write_text("organisation: Example Clinic\nlogo: logo.png\n")
        config = load_config(tmp_path)
        (tmp_path / "same.md").write_text(HEADER + "![Our logo](logo.png)\n")
        assert read_handout(tmp_path / "same.md", config).images[0].data == config.logo_image.data
        (tmp_path / "clinic" / "other.md").write_text(HEADER + "![Our logo](logo.png)\n")
        with pytest.raises(PipelineError, match="has the name of the logo in site.yaml but is another picture"):
            read_handout(tmp_path / "clinic" / "other.md", config)

