"""The index page: every handout by title, with its language, its review and a link to each file built for it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.build.sources import read_project
from pipeline.catalogue import CatalogueEntry
from pipeline.formats import BY_NAME, FORMATS
from pipeline.messages import messages
from pipeline.writers.html import IndexWriter, file_size

from .conftest import KRATOM, RICH_SLUG, SHOWCASE_DIR, SOURCE_DIR, build


class Index(HTMLParser):
    """Each handout of the index as a reader meets it: its heading, the text of its block, its links."""

    def __init__(self) -> None:
        super().__init__()
        self.handouts: list[dict] = []
        self._depth = 0  # of <li>, to tell a handout (depth 1) from one of its files (depth 2)
        self._in: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li":
            self._depth += 1
            if self._depth == 1:
                self.handouts.append({"title": "", "title_lang": None, "text": "", "links": [], "langs": {}})
        if not self.handouts or not self._depth:
            return
        handout = self.handouts[-1]
        if "lang" in attrs:
            handout["langs"][tag] = attrs["lang"]
        if tag == "h2":
            handout["title_lang"] = attrs.get("lang")
        if tag == "a":
            self._href = attrs["href"]
            handout["links"].append([self._href, ""])
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag == "li":
            self._depth -= 1
        if tag == "a":
            self._href = None
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if not self.handouts or not self._depth:
            return
        handout = self.handouts[-1]
        handout["text"] += data
        if "h2" in self._in:
            handout["title"] += data
        if self._href is not None:
            handout["links"][-1][1] += data


def read_index(builddir: Path) -> list[dict]:
    parser = Index()
    parser.feed((builddir / "html" / "index.html").read_text(encoding="utf-8"))
    return parser.handouts


def test_every_file_built_is_linked_with_its_real_size(built):
    [kratom] = read_index(built)
    assert kratom["title"] == "Kratom and pain relief"
    links = dict(kratom["links"])
    # The title goes to the web page; each other format is named, with its type and size.
    assert links.pop(f"{KRATOM}.html") == "Kratom and pain relief"
    assert len(links) == len([format for format in FORMATS if format.label]) - 1
    for href, text in links.items():
        assert not re.match(r"^[a-z]+:|^/", href), f"{href} is not relative: the folder must work opened from disk"
        target = built / "html" / href
        assert target.is_file(), href
        assert text.endswith(f", {file_size(target.stat().st_size, messages('en'))})"), text
    assert links[f"../pdf/{KRATOM}.pdf"].startswith("PDF leaflet (PDF, ")
    assert links[f"../epub/{KRATOM}.epub"].startswith("E-book (EPUB, ")
    assert links[f"../reports/{KRATOM}.html"].startswith("Check report (HTML, ")


def test_a_format_not_built_is_not_linked(write_source, tmp_path):
    source = write_source("---\ntitle: Tablets\n---\nTake them with water.\n", "tablets.md")
    assert build(source.parent, tmp_path, "--format", "index,html") == 0  # the index still comes last
    assert [href for href, _ in read_index(tmp_path)[0]["links"]] == ["tablets.html"]
    assert build(source.parent, tmp_path, "--format", "epub,index") == 0
    assert [href for href, _ in read_index(tmp_path)[0]["links"]] == ["tablets.html", "../epub/tablets.epub"]


def test_handouts_are_sorted_by_title_ignoring_case_then_by_slug(write_source, tmp_path):
    for name, title in [("b", "banana"), ("c", "Apple"), ("a", "Banana"), ("d", "apple pie")]:
        source = write_source(f"---\ntitle: {title}\n---\nText.\n", f"{name}.md")
    assert build(source.parent, tmp_path, "--format", "html,index") == 0
    assert [handout["links"][0][0] for handout in read_index(tmp_path)] == ["c.html", "d.html", "a.html", "b.html"]


def test_the_handouts_words_carry_its_language_and_the_language_is_named(rich_built):
    [handout] = read_index(rich_built)
    assert handout["title_lang"] == "en-GB"
    assert handout["langs"]["p"] == "en-GB"  # the summary
    assert "Language" in handout["text"] and "English (United Kingdom)" in handout["text"]


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("en", "English"),
        ("en-GB", "English (United Kingdom)"),
        ("es-419", "Spanish (Latin America)"),
        ("zh-Hant-TW", "Chinese (Traditional, Taiwan)"),
        ("PT-br", "Portuguese (Brazil)"),
        ("tlh", "Klingon"),  # CLDR names more than any table of ours did
        ("qaa", "qaa"),  # a language CLDR cannot name (private use): the tag, as written
        ("en-GB-oxendict", "en-GB-oxendict"),  # a variant it cannot name: never half a name
        ("fr-x-private", "fr-x-private"),
    ],
)
def test_language_names(tag, name):
    assert messages("en").language_name(tag) == name


def review_text(text: str) -> str:
    return " ".join(text.split("Review", 1)[1].split())


def test_a_reviewed_handout_says_who_reviewed_it_and_when_the_next_review_is(rich_built):
    [handout] = read_index(rich_built)
    # The rich fixture: reviewed 2026-02-03 by Dr A. Example, next review 2027-02-03.
    assert review_text(handout["text"]) == (
        "Reviewed 3 February 2026 by Dr A. Example, respiratory consultant, next review 3 February 2027"
    )
    assert "DRAFT" not in handout["text"]


@pytest.mark.parametrize(
    "review",
    ["", "reviewed_by: Dr B\n", "reviewed_on: 2020-01-01\n", "reviewed_by: Dr B\nreviewed_on: 2020-01-01\n"],
)
def test_a_draft_says_why_as_its_own_pages_do(write_source, tmp_path, review):
    source = write_source(f"---\ntitle: Tablets\n{review}---\nTake them with water.\n", "tablets.md")
    assert build(source.parent, tmp_path, "--format", "html,index") == 0
    page = (tmp_path / "html" / "tablets.html").read_text(encoding="utf-8")
    draft, reason = re.search(r"<strong>(DRAFT[^<]*)\.</strong> This handout must not be given to patients yet: (.*?)\.</p>", page).groups()
    assert review_text(read_index(tmp_path)[0]["text"]) == f"{draft}: {reason}."


def test_entries_survive_json_and_write_the_same_index(built, tmp_path):
    """An incremental build keeps each entry as JSON and writes the index from it, reading no handout."""
    project = read_project(SOURCE_DIR)
    entries = [CatalogueEntry.from_handout(handout) for handout in project.handouts]
    kept = json.loads(json.dumps([entry.to_dict() for entry in entries]))
    assert [CatalogueEntry.from_dict(data) for data in kept] == entries
    writer = IndexWriter(BY_NAME["index"], project.config)
    expected = (built / "html" / "index.html").read_bytes()
    sizes = {str(path.relative_to(built)): path.stat().st_size for path in built.rglob("*") if path.is_file()}
    [made] = writer.list_files(kept, sizes)
    assert made.path == "html/index.html" and made.data == expected


def test_an_empty_catalogue_says_so(tmp_path):
    (tmp_path / "source").mkdir()
    assert build(tmp_path / "source", tmp_path / "out", "--format", "index") == 0
    page = (tmp_path / "out" / "html" / "index.html").read_text(encoding="utf-8")
    assert "No handouts yet." in page and "<ul" not in page


@pytest.mark.parametrize(("size", "shown"), [(1, "1 KB"), (1536, "2 KB"), (120 * 1024, "120 KB"), (1572864, "1.5 MB")])
def test_file_sizes_are_rounded_for_readers(size, shown):
    assert file_size(size, messages("en")) == shown


def test_the_rich_fixture_is_what_these_tests_assume(rich_built):
    # Guards the hard-coded review wording above: it must come from the fixture's front matter.
    page = (rich_built / "html" / f"{RICH_SLUG}.html").read_text(encoding="utf-8")
    assert "Dr A. Example, respiratory consultant" in page and "3 February 2027" in page


def test_the_reserved_names_are_those_of_every_file_the_pipeline_writes_for_itself(showcase):
    """Each file or folder beside the handouts' outputs that no handout's name starts (the index page,
    the report stylesheet, the web assets) has a name no handout may take: found in a real build, so
    a writer that starts writing another such file fails here until its name is reserved too."""
    from pipeline.read.resources import PICTURE_SUFFIXES
    from pipeline.formats import reserved_slugs

    slugs = [handout.slug for handout in read_project(SHOWCASE_DIR).handouts]
    own = [
        entry
        for folder in showcase.iterdir()
        if not folder.name.startswith(".")
        for entry in folder.iterdir()
        if not any(entry.name.startswith((f"{slug}.", f"{slug}-")) for slug in slugs)
        and entry.suffix not in PICTURE_SUFFIXES  # the handouts' own pictures, under the names they give them
    ]
    assert {Path(entry.name).stem for entry in own} == reserved_slugs()
