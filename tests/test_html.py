"""The web page: semantic, self-contained HTML5 that works opened from disk."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.writers.html import og_locale

from .conftest import KRATOM, RICH_SLUG, build


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


class Scripts(HTMLParser):
    """The text of every <script>, as a browser splits it (a script ends at the first '</script')."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str], str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append((dict(attrs), ""))

    def handle_data(self, data):
        if self.lasttag == "script" and self.scripts and self.cdata_elem == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def json_ld(path: Path) -> dict:
    parser = Scripts()
    parser.feed(path.read_text(encoding="utf-8"))
    assert [attrs for attrs, _ in parser.scripts] == [{"type": "application/ld+json"}], "one JSON-LD script, nothing else"
    return json.loads(parser.scripts[0][1])


def open_graph(path: Path) -> dict[str, str]:
    found = [attrs for tag, attrs in elements(path) if tag == "meta" and attrs.get("property", "").startswith("og:")]
    properties = {attrs["property"]: attrs["content"] for attrs in found}
    assert len(properties) == len(found), "an Open Graph property is given twice"
    return properties


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
    assert '<h2 lang="en-GB"><a href="asthma.html">' in index  # the title is read in its own language


def test_front_matter_text_is_escaped_everywhere(write_source, tmp_path):
    source = write_source('---\ntitle: "<script>alert(1)</script> & \\"quotes\\""\nsummary: "a < b"\n---\nText.\n')
    assert build(source.parent, tmp_path, "--format", "html,epub") == 0
    page = (tmp_path / "html" / "handout.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in page
    assert 'content="a &lt; b"' in page


def test_json_ld_says_only_what_the_front_matter_says(page):
    # The kratom handout has no reviewer, review date, update date or publisher, and no base_url:
    # none of them may appear, not even empty.
    assert json_ld(page) == {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": "Kratom and pain relief",
        "description": (
            "Kratom, derived from Mitragyna speciosa, offers natural pain relief through mitragynine and "
            "7-hydroxymitragynine, which interact with opioid receptors. While safer than prescription opioids, "
            "excessive use or high doses can lead to anxiety, paranoia, and rare respiratory depression. "
            "Understanding kratom's complexities, adhering to dosages, and consulting healthcare professionals "
            "before use are crucial to minimize the risk of a kratom overdose, especially for individuals with "
            "pre-existing conditions."
        ),
        "inLanguage": "en",
        "audience": "https://schema.org/Patient",
        "keywords": ["kratom", "pain relief", "chronic pain"],
    }


def test_json_ld_gives_every_known_fact(rich_built):
    data = json_ld(rich_built / "html" / f"{RICH_SLUG}.html")
    assert data == {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": "Using your inhaler",
        "description": "How to use a metered-dose inhaler with a spacer, how often, and when to get help.",
        "inLanguage": "en-GB",
        "audience": "https://schema.org/Patient",
        "url": f"https://example.org/handouts/{RICH_SLUG}.html",
        "dateModified": "2026-01-15",
        "lastReviewed": "2026-02-03",
        "reviewedBy": "Dr A. Example, respiratory consultant",
        "publisher": {"@type": "Organization", "name": "Riverside Health Centre"},
        "keywords": ["asthma", "inhaler", "spacer"],
    }


def test_json_ld_gives_a_review_date_without_a_reviewer(write_source, tmp_path):
    source = write_source("---\ntitle: Flu jabs\nreviewed_on: 2026-03-05\n---\nText.\n")
    assert build(source.parent, tmp_path, "--format", "html") == 0
    data = json_ld(tmp_path / "html" / "handout.html")
    assert data["lastReviewed"] == "2026-03-05"
    assert "reviewedBy" not in data and "description" not in data and "keywords" not in data


def test_json_ld_cannot_be_broken_out_of(write_source, tmp_path):
    title = '</script><script>alert("title")</script><!-- & \'quotes\''
    summary = "</SCRIPT ><img src=x onerror=alert(1)>"
    source = write_source(f"---\ntitle: {json.dumps(title)}\nsummary: {json.dumps(summary)}\n---\nText.\n")
    assert build(source.parent, tmp_path, "--format", "html") == 0
    page = tmp_path / "html" / "handout.html"
    data = json_ld(page)  # also asserts the page still has exactly one script, the JSON-LD
    assert (data["name"], data["description"]) == (title, summary)
    assert "</script><script>" not in page.read_text(encoding="utf-8").lower()


def test_open_graph_says_only_what_is_known(page):
    assert open_graph(page) == {
        "og:type": "article",
        "og:title": "Kratom and pain relief",
        "og:description": json_ld(page)["description"],
        "og:locale": "en",
    }


def test_open_graph_gives_the_address_and_locale(rich_built):
    assert open_graph(rich_built / "html" / f"{RICH_SLUG}.html") == {
        "og:type": "article",
        "og:title": "Using your inhaler",
        "og:description": "How to use a metered-dose inhaler with a spacer, how often, and when to get help.",
        "og:locale": "en_GB",
        "og:url": f"https://example.org/handouts/{RICH_SLUG}.html",
    }


def test_open_graph_without_a_summary_has_no_description(write_source, tmp_path):
    source = write_source("---\ntitle: Flu jabs\nlang: es-419\n---\nTexto.\n")
    assert build(source.parent, tmp_path, "--format", "html") == 0
    assert open_graph(tmp_path / "html" / "handout.html") == {
        "og:type": "article",
        "og:title": "Flu jabs",
        "og:locale": "es_419",
    }


@pytest.mark.parametrize(("lang", "locale"), [("en", "en"), ("en-GB", "en_GB"), ("pt-BR", "pt_BR")])
def test_open_graph_locale(lang, locale):
    assert og_locale(lang) == locale
