"""The web page: semantic, self-contained HTML5 that works opened from disk."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import KRATOM, build


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(path: Path) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


@pytest.fixture(scope="module")
def page(built):
    return built / "html" / f"{KRATOM}.html"


def test_semantic_structure(page):
    tags = elements(page)
    names = [name for name, _ in tags]
    assert tags[0] == ("html", {"lang": "en"})
    assert names.count("h1") == 1
    for landmark in ("header", "main", "footer"):
        assert names.count(landmark) == 1, landmark
    assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in tags
    assert ("link", {"rel": "stylesheet", "href": "assets/print.css", "media": "print"}) in tags


def referenced_urls(built: Path):
    """Every URL a browser would fetch when opening the pages: src/href of resources and CSS url()s."""
    for path in (built / "html").rglob("*"):
        if path.suffix == ".html":
            for tag, attrs in elements(path):
                if tag == "a":
                    continue  # links are followed by the reader, not fetched
                for key in ("src", "href", "srcset", "poster", "data"):
                    if key in attrs:
                        yield path, attrs[key]
        elif path.suffix == ".css":
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", path.read_text(encoding="utf-8")):
                yield path, url
            for url in re.findall(r"@import\s+['\"]([^'\"]+)", path.read_text(encoding="utf-8")):
                yield path, url


def test_no_request_leaves_build_html(built):
    root = (built / "html").resolve()
    urls = list(referenced_urls(built))
    assert len(urls) >= 6  # two stylesheets and four fonts at least
    for path, url in urls:
        assert not urlsplit(url).scheme and not url.startswith("//"), f"{path.name} fetches {url}"
        target = (path.parent / url).resolve()
        assert target.is_relative_to(root), f"{path.name} reaches outside build/html: {url}"
        assert target.is_file(), f"{path.name} refers to a missing file: {url}"


def test_the_index_lists_every_handout(write_source, tmp_path):
    write_source("---\ntitle: Inhalers\n---\nText.\n", "inhalers.md")
    source = write_source("---\ntitle: Asthma <and> you\nlang: en-GB\n---\nText.\n", "asthma.md")
    assert build(source.parent, tmp_path) == 0
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert index.index('href="asthma.html"') < index.index('href="inhalers.html"')  # by title
    assert "Asthma &lt;and&gt; you" in index  # front matter is escaped, never markup
    assert '<li lang="en-GB">' in index


def test_front_matter_text_is_escaped_everywhere(write_source, tmp_path):
    source = write_source('---\ntitle: "<script>alert(1)</script> & \\"quotes\\""\nsummary: "a < b"\n---\nText.\n')
    assert build(source.parent, tmp_path, "--format", "html,epub") == 0
    page = (tmp_path / "html" / "handout.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in page
    assert 'content="a &lt; b"' in page
