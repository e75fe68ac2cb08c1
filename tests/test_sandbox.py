"""The resource sandbox (pipeline/read/resources.py): a handout loads its own pictures and the bundled
fonts, nothing else. A real HTTP listener on a local port records every connection, so each test
proves the pipeline never contacted it rather than assuming it."""

from __future__ import annotations

import io
import socketserver
import threading
from pathlib import Path

import pypdf
import pytest
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

from pipeline.read import svg
from pipeline.config import SiteConfig, load_config
from pipeline.errors import PipelineError
from pipeline.model import Image
from pipeline.writers.fetcher import SandboxFetcher
from pipeline.read.handout import read_handout

from .conftest import build

HEADER = "---\ntitle: Tablets\n---\n\n"  # the body starts on line 5
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\xdac\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfex\xc4\xb2\xb0\x00\x00\x00\x00IEND\xaeB`\x82"
)


class Listener:
    """An HTTP server on 127.0.0.1 that records every connection and answers with a picture."""

    def __init__(self) -> None:
        self.contacts: list[bytes] = []
        contacts = self.contacts

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                contacts.append(self.request.recv(4096))
                self.request.sendall(
                    b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n" % len(PNG) + PNG
                )

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_the_listener_records_a_contact(listener):
    """The control: were the pipeline to fetch, the listener would know."""
    import urllib.request

    with urllib.request.urlopen(f"{listener.url}/a.png", timeout=5) as response:
        assert response.read() == PNG
    assert len(listener.contacts) == 1


def read(write_source, body: str):
    return read_handout(write_source(HEADER + body), SiteConfig())


class TestPictures:
    @pytest.mark.parametrize(
        "src, words",
        [
            ("file:///etc/passwd", "is a 'file:' address"),
            ("FILE:///etc/passwd", "is a 'file:' address"),
            ("../../etc/passwd", "not a file inside the source folder"),
            ("/etc/passwd", "not a file inside the source folder"),
            ("data:image/png;base64,iVBORw0KGgo=", "is a 'data:' address"),
            ("//127.0.0.1/a.png", "not a file inside the source folder"),
        ],
    )
    def test_a_picture_from_outside_is_an_error_with_its_line(self, write_source, src, words):
        with pytest.raises(PipelineError, match=words) as caught:
            read(write_source, f"Text.\n\n![A chart]({src})\n")
        assert caught.value.line == 7

    def test_a_picture_later_in_a_paragraph_is_reported_on_its_own_line(self, write_source):
        with pytest.raises(PipelineError) as caught:
            read(write_source, "One line,\nanother line,\nand ![A chart](file:///etc/passwd) here.\n")
        assert caught.value.line == 7

    def test_a_symlink_out_of_the_source_folder_is_refused(self, write_source, tmp_path):
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "secret.png").write_bytes(PNG)
        source = write_source(HEADER + "![A chart](chart.png)\n\n![A chart](pictures/secret.png)\n")
        (source.parent / "chart.png").symlink_to(outside / "secret.png")
        with pytest.raises(PipelineError, match="is a link to .*outside the source folder") as caught:
            read_handout(source, SiteConfig())
        assert caught.value.line == 5
        (source.parent / "chart.png").unlink()
        (source.parent / "chart.png").write_bytes(PNG)
        (source.parent / "pictures").symlink_to(outside, target_is_directory=True)
        with pytest.raises(PipelineError, match="outside the source folder") as caught:
            read_handout(source, SiteConfig())
        assert caught.value.line == 7

    def test_a_handout_that_is_a_symlink_out_of_its_folder_is_refused(self, tmp_path, capsys):
        outside = tmp_path / "private.md"
        outside.write_text("---\ntitle: Someone else's notes\n---\n\nNot for publishing.\n")
        source_dir = tmp_path / "source"
        source_dir.mkdir()
        (source_dir / "notes.md").symlink_to(outside)
        assert build(source_dir, tmp_path / "out") == 1
        assert capsys.readouterr().err.startswith(
            f"{source_dir / 'notes.md'}: error: this is a link to {outside}, outside the source folder"
        )
        assert not (tmp_path / "out").exists()

    def test_a_site_yaml_that_is_a_symlink_out_of_the_folder_is_refused(self, tmp_path):
        (tmp_path / "other.yaml").write_text("organisation: Someone else\n")
        source_dir = tmp_path / "source"
        source_dir.mkdir()
        (source_dir / "site.yaml").symlink_to(tmp_path / "other.yaml")
        with pytest.raises(PipelineError, match="is a link to .*outside the source folder"):
            load_config(source_dir)

    def test_a_handout_symlinked_within_its_folder_builds(self, tmp_path):
        source_dir = tmp_path / "source"
        (source_dir / "drafts").mkdir(parents=True)
        (source_dir / "drafts" / "tablets.txt").write_text(HEADER + "Take them with water.\n")
        (source_dir / "tablets.md").symlink_to(source_dir / "drafts" / "tablets.txt")
        assert build(source_dir, tmp_path / "out", "--format", "html") == 0

    def test_a_symlink_inside_the_source_folder_is_fine(self, write_source):
        source = write_source(HEADER + "![A chart](alias.png)\n")
        (source.parent / "chart.png").write_bytes(PNG)
        (source.parent / "alias.png").symlink_to(source.parent / "chart.png")
        assert [image.data for image in read_handout(source, SiteConfig()).images] == [PNG]

    def test_a_remote_picture_is_never_fetched(self, write_source, tmp_path, listener, capsys):
        source = write_source(HEADER + f"![A chart]({listener.url}/a.png)\n")
        assert build(source.parent, tmp_path / "out") == 1
        assert f"{source}:5: error: the picture '{listener.url}/a.png' is a web address" in capsys.readouterr().err
        assert not (tmp_path / "out").exists()
        assert listener.contacts == []

    def test_a_remote_logo_is_never_fetched(self, tmp_path, listener):
        (tmp_path / "site.yaml").write_text(f"organisation: X\nlogo: {listener.url}/logo.png\n")
        with pytest.raises(PipelineError, match="the logo: the picture .* is a web address") as caught:
            load_config(tmp_path)
        assert caught.value.line == 2
        assert listener.contacts == []

    def test_a_logo_symlinked_from_outside_is_refused(self, tmp_path):
        (tmp_path / "secret.png").write_bytes(PNG)
        source_dir = tmp_path / "source"
        source_dir.mkdir()
        (source_dir / "logo.png").symlink_to(tmp_path / "secret.png")
        (source_dir / "site.yaml").write_text("organisation: X\nlogo: logo.png\n")
        with pytest.raises(PipelineError, match="outside the source folder"):
            load_config(source_dir)


class TestSvgPictures:
    def svg(self, inner: str, extra: str = "") -> str:
        return (
            f'{extra}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            f' width="20" height="20">{inner}</svg>'
        )

    @pytest.mark.parametrize(
        "inner, extra",
        [
            ('<image href="{url}/x.png" width="10" height="10"/>', ""),
            ('<image xlink:href="{url}/x.png" width="10" height="10"/>', ""),
            ('<rect width="5" height="5" fill="url({url}/p.svg#a)"/>', ""),
            ('<rect width="5" height="5" style="fill: url(\'{url}/p.svg#a\')"/>', ""),
            ("<style>@import url({url}/a.css);</style>", ""),
            ('<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="{url}/x.png"/></foreignObject>', ""),
            ("<script>fetch('{url}')</script>", ""),
            ("", '<?xml-stylesheet href="{url}/a.css"?>'),
            ("<text>&x;</text>", '<!DOCTYPE svg [<!ENTITY x SYSTEM "{url}/x">]>'),
            ('<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>', ""),
            ('<image href="other.png" width="1" height="1"/>', ""),
        ],
    )
    def test_an_svg_that_refers_outside_itself_is_an_error(self, write_source, listener, inner, extra):
        source = write_source(HEADER + "Text.\n\n![A chart](chart.svg)\n")
        (source.parent / "other.png").write_bytes(PNG)
        (source.parent / "chart.svg").write_text(self.svg(inner.format(url=listener.url), extra.format(url=listener.url)))
        with pytest.raises(PipelineError, match="the SVG picture 'chart.svg'") as caught:
            read_handout(source, SiteConfig())
        assert caught.value.line == 7
        assert listener.contacts == []

    def test_references_inside_the_picture_are_fine(self, write_source):
        inner = '<defs><linearGradient id="g"/></defs><rect width="5" height="5" fill="url(#g)"/><use href="#g"/>'
        source = write_source(HEADER + "![A chart](chart.svg)\n")
        (source.parent / "chart.svg").write_text(self.svg(inner))
        assert len(read_handout(source, SiteConfig()).images) == 1

    def test_the_pdf_fails_rather_than_drop_a_refused_svg_image(self, write_source, tmp_path, listener, monkeypatch, capsys):
        """Behind the read-time check, the fetcher: WeasyPrint swallows an SVG <image> it cannot
        load, leaving a gap; the PDF writer makes that an error, and nothing is contacted."""
        monkeypatch.setattr(svg, "clean", lambda data, name: data)  # the read-time check, switched off
        source = write_source(HEADER + "![A chart](chart.svg)\n")
        (source.parent / "chart.svg").write_text(self.svg(f'<image href="{listener.url}/x.png" width="10" height="10"/>'))
        assert build(source.parent, tmp_path / "out", "--format", "pdf") == 1
        assert f"the leaflet asks for '{listener.url}/x.png'" in capsys.readouterr().err
        assert not (tmp_path / "out" / "pdf" / "handout.pdf").exists()
        assert listener.contacts == []


class TestLinks:
    @pytest.mark.parametrize(
        "markdown",
        [
            "[click](javascript:alert(1))",
            "[click](JavaScript:alert(1))",
            "[click](vbscript:msgbox(1))",
            "[click](data:text/html;base64,PHNjcmlwdD4=)",
            "[click](file:///etc/passwd)",
            "<javascript:alert(1)>",
            "[click][ref]\n\n[ref]: javascript:alert(1)",
        ],
    )
    def test_an_unsafe_link_is_an_error_with_its_line(self, write_source, markdown):
        with pytest.raises(PipelineError, match="which a handout may not link to") as caught:
            read(write_source, f"Text.\n\n{markdown}\n")
        assert caught.value.line == 7

    def test_safe_links_are_kept(self, write_source):
        body = read(
            write_source,
            "[a](https://example.org/) [b](mailto:x@example.org) [c](tel:+441632960000) [d](#doses) [e](other.html)\n",
        ).body
        for href in ("https://example.org/", "mailto:x@example.org", "tel:+441632960000", "#doses", "other.html"):
            assert f'href="{href}"' in body

    def test_a_link_is_never_fetched(self, write_source, tmp_path, listener):
        source = write_source(HEADER + f"See [the chart]({listener.url}/a.png) and <{listener.url}/b>.\n")
        # (not the check reports: their readability count fails on '127.0.0.1', a separate bug)
        assert build(source.parent, tmp_path / "out", "--format", "pdf,epub,html") == 0
        assert f'href="{listener.url}/a.png"' in (tmp_path / "out" / "html" / "handout.html").read_text()
        assert listener.contacts == []


class TestRawHtml:
    def test_raw_html_is_text_and_loads_nothing(self, write_source, tmp_path, listener):
        raw = (
            f'<link rel="attachment" href="{listener.url}/a.pdf">\n'
            f'<img src="{listener.url}/a.png" alt="x">\n'
            f"<style>@import url({listener.url}/a.css); p {{ background: url({listener.url}/b.png) }}</style>\n"
        )
        source = write_source(HEADER + "Text.\n\n" + raw)
        assert build(source.parent, tmp_path / "out", "--format", "pdf,epub,html") == 0
        page = (tmp_path / "out" / "html" / "handout.html").read_text()
        assert f"&lt;img src=&quot;{listener.url}/a.png&quot;" in page and "<style>@import" not in page
        assert '<link rel="attachment"' not in page
        assert pypdf.PdfReader(tmp_path / "out" / "pdf" / "handout.pdf").attachments == {}  # nothing attached
        assert listener.contacts == []


class TestFetcher:
    """What no author can write (CSS comes only from templates) is still refused by the fetcher."""

    @pytest.mark.parametrize(
        "css",
        [
            "p {{ background: url({url}/a.png) }}",
            "@import url({url}/a.css);",
            "p {{ background: url(file:///etc/passwd) }}",
        ],
    )
    def test_a_stylesheet_url_is_refused(self, listener, css):
        fetcher = SandboxFetcher([])
        with pytest.raises(FatalURLFetchingError):
            stylesheet = weasyprint.CSS(string=css.format(url=listener.url), url_fetcher=fetcher)
            weasyprint.HTML(string="<p>x</p>", base_url=fetcher.BASE, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
        assert fetcher.refused
        assert listener.contacts == []

    def test_a_stylesheet_font_is_refused(self, listener):
        fetcher = SandboxFetcher([])
        css = f"@font-face {{ font-family: X; src: url({listener.url}/x.ttf) }} p {{ font-family: X }}"
        font_config = FontConfiguration()
        with pytest.raises(FatalURLFetchingError):
            stylesheet = weasyprint.CSS(string=css, url_fetcher=fetcher, font_config=font_config)
            page = weasyprint.HTML(string="<p>x</p>", base_url=fetcher.BASE, url_fetcher=fetcher)
            page.write_pdf(stylesheets=[stylesheet], font_config=font_config)
        assert fetcher.refused == [f"{listener.url}/x.ttf"]
        assert listener.contacts == []

    def test_an_svg_image_is_refused_and_recorded(self, listener):
        svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="{listener.url}/x.png" width="9" height="9"/></svg>'
        fetcher = SandboxFetcher([Image("a.svg", "A", svg.encode(), "image/svg+xml")])
        weasyprint.HTML(string='<img src="a.svg" alt="A">', base_url=fetcher.BASE, url_fetcher=fetcher).write_pdf()
        assert fetcher.refused == [f"{listener.url}/x.png"]
        assert listener.contacts == []

    def test_pictures_and_fonts_are_served(self):
        fetcher = SandboxFetcher([Image("a.png", "A", PNG, "image/png")])
        pdf = weasyprint.HTML(string='<img src="a.png" alt="A">', base_url=fetcher.BASE, url_fetcher=fetcher).write_pdf()
        assert fetcher.refused == [] and pypdf.PdfReader(io.BytesIO(pdf)).pages


def test_the_real_handouts_pass_the_sandbox():
    from .conftest import SOURCE_DIR, SHOWCASE_DIR

    for folder in (SOURCE_DIR, SHOWCASE_DIR):
        config = load_config(folder)
        for path in sorted(Path(folder).glob("*.md")):
            read_handout(path, config)
