"""Fuzzing: whatever an author writes, the build either makes valid outputs or says what is wrong.

Hypothesis writes handouts: front matter with valid and invalid values for every known key and
unknown keys, and Markdown bodies with the constructs authors use (headings, lists, emphasis, links,
code, tables, callouts, footnotes, pictures, raw HTML) in text drawn from the bundled font's
characters and from outside it. The property: `build` returns 0 and every output is valid, or
returns 1 with the pipeline's own message (`path:line: error: …`), never a traceback or an
internal error.

`make test` runs a few hundred examples (profile "test"); `make fuzz` runs 10,000 (profile "fuzz",
chosen with HYPOTHESIS_PROFILE). Examples that once failed are kept in .hypothesis/ and tried first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from pipeline import fonts
from pipeline.read.handout import FIELDS
from pipeline.cli import main
from pipeline.formats import reserved_slugs

from .outputs import html_text

# --- profiles ------------------------------------------------------------------------------------

settings.register_profile(
    "test", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "test"))
EXAMPLES = settings().max_examples
"""Examples of the HTML + EPUB property; the PDF one (slower) runs a tenth as many."""

# --- text ----------------------------------------------------------------------------------------

COVERED = sorted(chr(point) for point in fonts.ATKINSON.codepoints if chr(point).isprintable())
"""Characters the bundled font can draw."""

covered_char = st.sampled_from(COVERED)
any_char = st.characters(exclude_categories=("Cs", "Cc"))  # anything UTF-8 can hold: emoji, RTL, unassigned…
control_char = st.characters(categories=("Cc",))
"""Put into one document in seven (`FLAWS`): were they in any text, almost no document would build."""
char = st.one_of(covered_char, any_char)
WORDS = "Take one tablet with water pain dose safe risk call 999 doctor kratom & < > \" ' café naïve – … © 10%".split()


def words(alphabet) -> st.SearchStrategy[str]:
    """A few words: mostly everyday ones, some made of any character of `alphabet`."""
    word = st.one_of(
        st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS), st.text(alphabet, min_size=1, max_size=10)
    )
    return st.lists(word, min_size=1, max_size=8).map(" ".join)


plain = words(covered_char)
"""Text the font can draw."""
wild = words(char)
"""Text with, now and then, characters from anywhere (emoji, right-to-left, unassigned)."""

SAFE_URLS = ["https://www.nhs.uk/", "#section", "#notes", "mailto:a@example.org", "tel:999", "leaflet.html"]
BAD_URLS = ["javascript:alert(1)", "", "<>", "data:text/html,x", "file:///etc/passwd"]
PICTURE = "picture.png"
"""The one picture `run_build` puts beside every handout."""
MISSING_PICTURES = ["missing.png", "https://e.org/a.png", "../up.png", "notes.txt"]
JUNK = ["*", "_", "[", "]", "`", "<b>", "&amp;", "&nbsp;", "&#0;", "\\", "[^]", "|", ":::", "<!--"]


@st.composite
def inline(draw, broken: bool) -> str:
    text = draw(wild if broken else plain)
    url = draw(st.one_of(st.sampled_from(SAFE_URLS + BAD_URLS), st.text(char, max_size=20)) if broken else st.sampled_from(SAFE_URLS))
    kind = draw(st.sampled_from(["plain", "plain", "strong", "em", "code", "link", "autolink", "footnote", "break", "junk"]))
    return {
        "plain": text,
        "strong": f"**{text}**",
        "em": f"*{text}*",
        "code": f"`{text}`",
        "link": f"[{text}]({url})",
        "autolink": f"<{url}>",
        "footnote": f"{text}[^{draw(st.integers(1, 3))}]",
        "break": f"{text}  \n{text}",
        "junk": draw(st.sampled_from(JUNK)),
    }[kind]


@st.composite
def block(draw, broken: bool) -> str:
    kind = draw(st.sampled_from(
        ["para", "para", "h2", "h3", "h4", "list", "ordered", "table", "callout", "footnote", "code", "quote",
         "rule", "picture", "html", "comment"] + (["h1"] if broken else [])  # one title only: '#' is an error
    ))
    line_text = st.lists(inline(broken), min_size=1, max_size=6).map(" ".join)
    text = draw(line_text)
    if kind == "para":
        return "\n".join(draw(st.lists(line_text, min_size=1, max_size=3)))
    if kind in ("h1", "h2", "h3", "h4"):
        return "#" * int(kind[1]) + " " + text
    if kind in ("list", "ordered"):
        items = draw(st.lists(line_text, min_size=1, max_size=4))
        nested = draw(st.booleans())
        lines = [f"{f'{n}.' if kind == 'ordered' else '-'} {item}" for n, item in enumerate(items, 1)]
        return "\n".join(lines + (["   - " + text] if nested else []))
    if kind == "table":
        columns = draw(st.integers(1, 4))
        rows = draw(st.lists(st.lists(plain, min_size=columns, max_size=columns), min_size=1, max_size=3))
        ragged = draw(st.booleans())
        head = "| " + " | ".join(rows[0]) + " |"
        rule = "|" + "---|" * (columns + (1 if ragged else 0))
        return "\n".join([head, rule] + ["| " + " | ".join(row) + " |" for row in rows[1:]])
    if kind == "callout":
        boxes = st.sampled_from(["note", "warning", "get-help-now"])
        box = draw(st.one_of(boxes, st.sampled_from(["warnin", "tip", "Note"]), plain) if broken else boxes)
        closed = not broken or draw(st.integers(0, 9)) > 0
        return f"::: {box}\n{text}\n" + (":::" if closed else "")
    if kind == "footnote":
        return f"[^{draw(st.integers(1, 4))}]: {text}"
    if kind == "code":
        return draw(st.sampled_from(["```\n{}\n```", "    {}", "~~~python\n{}\n~~~"])).format(text)
    if kind == "quote":
        return "> " + text
    if kind == "rule":
        return draw(st.sampled_from(["---", "***", "___"]))
    if kind == "picture":
        alt = draw(st.one_of(st.just(""), plain) if broken else plain)
        return f"![{alt}]({draw(st.sampled_from([PICTURE, *MISSING_PICTURES]) if broken else st.just(PICTURE))})"
    if kind == "html":
        return f"<div class=\"x\">{text}</div>"
    rule = draw(st.sampled_from(["claim-absolute", "long-sentence", "made-up"]) if broken else st.sampled_from(["claim-absolute", "long-sentence"]))
    return f"<!-- ignore {rule}: {text} -->\n{text}"


def body(broken: bool) -> st.SearchStrategy[str]:
    return st.lists(block(broken), min_size=0 if broken else 1, max_size=8).map("\n\n".join)

# --- front matter --------------------------------------------------------------------------------

date_text = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(["2025-02-30", "2026-13-01", "yesterday", "01/02/2025", "2025-1-1", ""]),
)
anything = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(char, max_size=20), date_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(char, min_size=1, max_size=8), inner, max_size=3)),
    max_leaves=6,
)
good_date = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)).map(lambda day: day.isoformat())
good_suppress = st.lists(
    st.fixed_dictionaries(
        {"rule": st.sampled_from(["claim-absolute", "long-sentence"]), "reason": plain}, optional={"text": plain}
    ),
    max_size=2,
)
TEXT_FIELDS = ("title", "subtitle", "summary", "author", "audience", "reviewed_by")
VALID = {
    **{key: plain for key in TEXT_FIELDS},
    "version": st.sampled_from(["1.0", "2", "2026a"]),
    "lang": st.sampled_from(["en", "en-GB", "es-419", "fr", "de-CH-1996"]),
    "slug": st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z").filter(lambda name: name not in reserved_slugs()),
    "updated": good_date,
    "reviewed_on": good_date,
    "next_review": good_date,
    "keywords": st.lists(plain, max_size=4),
    "references": st.lists(plain, max_size=3),
    "suppress": good_suppress,
    "translation_of": st.just(""),  # a lone handout translates nothing (a missing original is an error)
    "original_version": st.sampled_from(["1.0", "2", "2026a"]),
}
"""A value the pipeline must accept, for every key it knows."""
INVALID = {
    **{key: st.one_of(anything, wild) for key in TEXT_FIELDS},
    "version": st.one_of(st.floats(0, 10), anything),
    "lang": st.one_of(st.sampled_from(["english", "e n", "EN_gb", "12", "x-private"]), anything),
    "slug": st.one_of(st.sampled_from(["Bad Slug", "a--b", "-a", "über", *sorted(reserved_slugs())]), anything),
    "updated": st.one_of(date_text, anything),
    "reviewed_on": st.one_of(date_text, anything),
    "next_review": st.one_of(date_text, anything),
    "keywords": st.one_of(st.lists(wild, max_size=4), anything),
    "references": st.one_of(st.lists(wild, max_size=3), anything),
    "suppress": st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {"rule": st.sampled_from(["claim-absolute", "long-sentence", "no-such-rule"]), "reason": st.one_of(wild, st.just(""))},
                optional={"text": wild, "extra": wild},
            ),
            max_size=2,
        ),
        anything,
    ),
    "translation_of": st.one_of(st.sampled_from(["no-such-handout", "Bad Slug", "handout"]), anything),
    "original_version": st.one_of(st.floats(0, 10), anything),
}
"""Values that may or may not be valid: wrong types, impossible dates, odd characters."""
assert VALID.keys() == INVALID.keys() == {field.name for field in FIELDS}, "a front-matter key the fuzzer does not know"


@dataclass(frozen=True)
class Handout:
    text: str
    title: str | None
    """The title the outputs must show, when the front matter is sure to give one."""


FLAWS = ["none", "none", "none", "front matter", "body", "shape", "control character"]
"""What may be wrong with a generated handout. Half have no deliberate flaw, so that they reach the
writers (an example with several flaws at once almost never builds); the rest have one kind."""


@st.composite
def handout(draw) -> Handout:
    flaw = draw(st.sampled_from(FLAWS))
    event(f"flaw: {flaw}")
    keys = draw(st.lists(st.sampled_from(sorted(VALID)), unique=True, max_size=6))
    if flaw != "front matter" or draw(st.integers(0, 9)) > 0:
        keys = ["title", *[key for key in keys if key != "title"]]
    values = {key: draw(VALID[key]) for key in keys}
    if flaw == "front matter":
        for key in draw(st.lists(st.sampled_from(sorted(INVALID)), min_size=1, max_size=2, unique=True)):
            values[key] = draw(INVALID[key])
        if draw(st.integers(0, 9)) == 0:
            values[draw(st.text(char, min_size=1, max_size=10))] = draw(anything)  # an unknown key
    typed_by_hand = flaw == "shape" and draw(st.booleans())
    if typed_by_hand:  # not necessarily valid YAML, nor the values drawn ('title: "' opens a string)
        front = "".join(f"{key}: {value}\n" for key, value in values.items())
    else:
        front = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, default_flow_style=False) if values else ""
    text_body = draw(body(broken=flaw == "body"))
    shape = draw(st.integers(0, 3)) if flaw == "shape" else 3
    text = {0: f"{front}\n{text_body}", 1: f"---\n{front}{text_body}", 2: f"\ufeff---\n{front}---\n{text_body}"}.get(
        shape, f"---\n{front}---\n\n{text_body}\n"
    )
    if flaw == "control character":  # an error, with its line
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(control_char) + text[at:]
    title = None if typed_by_hand else values.get("title")
    return Handout(text, title.strip() if isinstance(title, str) else None)


valid_text = st.lists(st.text(st.sampled_from([char for char in COVERED if not unicodedata.combining(char)]), min_size=1, max_size=10), min_size=1, max_size=8).map(" ".join)


@st.composite
def valid_handout(draw) -> Handout:
    """A handout the build must accept: only valid values, only characters the font has."""
    title = draw(valid_text.filter(lambda text: text.strip() and not text.strip().startswith(("-", "#", "*"))))
    front = yaml.safe_dump({"title": title, "summary": draw(valid_text), "lang": "en", "keywords": draw(st.lists(valid_text, max_size=2))}, allow_unicode=True)
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        text = draw(valid_text).replace("*", " ").replace("`", " ").replace("#", " ").replace(":::", " ")
        assume(text.strip())  # '* *' leaves only spaces: a handout with no text is rightly refused
        blocks.append(draw(st.sampled_from(["{}", "## {}", "### {}", "- {}\n- {}", "::: note\n{}\n:::", "| a | b |\n|---|---|\n| {} | x |", "{}[^1]\n\n[^1]: {}"])).format(text, text))
    return Handout(f"---\n{front}---\n\n" + "\n\n".join(blocks) + "\n", title.strip())


TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\xdac\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfex\xc4\xb2\xb0\x00\x00\x00\x00IEND\xaeB`\x82"
)
"""A 1x1 PNG: the picture handouts may show."""

# --- checking what the build did -------------------------------------------------------------------


def run_build(text: str, folder: Path, formats: str) -> tuple[int, str, Path, Path]:
    source_dir = folder / "source"
    source_dir.mkdir(exist_ok=True)
    source = source_dir / "handout.md"
    source.write_text(text, encoding="utf-8")
    (source_dir / PICTURE).write_bytes(TINY_PNG)
    builddir = folder / "build"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(["build", "--source-dir", str(source_dir), "--builddir", str(builddir), "--format", formats])
    # --hypothesis-show-statistics tells how many built and which errors the others met
    found = re.search(r": error: (.{0,30})", err.getvalue())
    if log := os.environ.get("FUZZ_LOG"):  # one line per example, to follow a long run
        with open(log, "a", encoding="utf-8") as file:
            file.write(f"{status} {formats} {found[1] if found else ''}\n".replace("\r", " "))
    with contextlib.suppress(InvalidArgument):  # outside a Hypothesis test
        event("built" if status == 0 else f"exit {status}: {found[1] if found else err.getvalue()[:40]}")
    return status, err.getvalue(), source, builddir


def squash(text: str) -> str:
    """Text compared the way it can be read back from any output: NFKC, no spaces, no hyphens."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\u00ad\x02\ufffe\-]+", "", text)


def assert_failed_with_a_message(status: int, err: str, source: Path) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert status == 1, err
    # The error comes first, after any warnings about the same source (an unclosed comment, say).
    first = next(line for line in err.strip().splitlines() if ": warning: " not in line)
    assert re.match(rf"{re.escape(str(source))}(:[0-9]+)?: error: \S", first), err


class _Strict(HTMLParser):
    def error(self, message):  # pragma: no cover - HTMLParser of old Pythons
        raise AssertionError(message)


def check_html(builddir: Path, title: str | None) -> str:
    pages = [path for path in (builddir / "html").glob("*.html")]
    assert len(pages) == 1, pages
    markup = pages[0].read_text(encoding="utf-8")
    parser = _Strict(convert_charrefs=True)
    parser.feed(markup)
    parser.close()
    assert markup.lstrip().lower().startswith("<!doctype html>")
    if title is not None:
        assert squash(title) in squash(html_text(markup))
    return pages[0].stem


def check_epub(path: Path, title: str | None) -> None:
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        assert len(names) == len(set(names)), names  # a picture shown twice was once stored twice
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        assert book.testzip() is None
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                ET.fromstring(book.read(name))  # well-formed XML, or it raises
        chapter = book.read("EPUB/handout.xhtml").decode("utf-8")
    if title is not None:
        assert squash(title) in squash(html_text(chapter))


def check_pdf(path: Path, title: str | None) -> None:
    document = pdfium.PdfDocument(path)
    try:
        assert len(document) >= 1
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    # pdfium reads a letter with combining marks back wrongly ('0Ň̦' as '0ĥŇ̦'; pdftotext reads it
    # right): the PDF is fine, its reader is not, so such titles are not compared.
    if title is not None and not any(unicodedata.combining(char) for char in title):
        assert squash(title) in squash(text)


# --- the properties ------------------------------------------------------------------------------


@settings(max_examples=EXAMPLES)
@given(handout())
def test_any_handout_builds_valid_html_and_epub_or_fails_with_a_message(case):
    with tempfile.TemporaryDirectory() as folder:
        status, err, source, builddir = run_build(case.text, Path(folder), "html,epub")
        if status != 0:
            assert_failed_with_a_message(status, err, source)
            return
        slug = check_html(builddir, case.title)
        check_epub(builddir / "epub" / f"{slug}.epub", case.title)


@settings(max_examples=max(EXAMPLES // 10, 10))
@given(handout())
def test_any_handout_builds_a_readable_pdf_or_fails_with_a_message(case):
    with tempfile.TemporaryDirectory() as folder:
        status, err, source, builddir = run_build(case.text, Path(folder), "pdf")
        if status != 0:
            assert_failed_with_a_message(status, err, source)
            return
        pdfs = list((builddir / "pdf").glob("*.pdf"))
        assert len(pdfs) == 1
        check_pdf(pdfs[0], case.title)


@settings(max_examples=max(EXAMPLES // 10, 10))
@given(valid_handout())
def test_a_valid_handout_always_builds(case):
    with tempfile.TemporaryDirectory() as folder:
        status, err, source, builddir = run_build(case.text, Path(folder), "pdf,epub,html")
        assert status == 0, err
        slug = check_html(builddir, case.title)
        check_epub(builddir / "epub" / f"{slug}.epub", case.title)
        check_pdf(builddir / "pdf" / f"{slug}.pdf", case.title)


EPUBCHECKED = 3


@settings(max_examples=EPUBCHECKED, database=None, phases=[Phase.generate])  # shrinking would take minutes
@given(valid_handout())
def test_epubcheck_accepts_generated_books(case):
    """EPUBCheck takes seconds a book: a handful of generated books, every one must pass it."""
    from .test_epub import run_epubcheck

    with tempfile.TemporaryDirectory() as folder:
        status, err, source, builddir = run_build(case.text, Path(folder), "epub")
        assert status == 0, err
        report = run_epubcheck(next((builddir / "epub").glob("*.epub")))
        assert "Messages: 0 fatals / 0 errors / 0 warnings" in report, report


# --- what the fuzzing found, kept as plain tests ----------------------------------------------------


@pytest.mark.parametrize(
    "text, line",
    [
        ("---\ntitle: Tablets\n---\n\nTake\x0cthem.\n", 5),  # a form feed in the text: no XML may hold it
        ("---\ntitle: Tablets\nauthor: \x1f\n---\n", 3),  # YAML refused it with an internal error
        ('---\ntitle: "\\e"\n---\n', 2),  # a YAML escape made a control character in the title
    ],
)
def test_control_characters_are_errors_with_their_line(text, line, tmp_path):
    status, err, source, _ = run_build(text, tmp_path, "html,epub")
    assert status == 1, err
    assert err.startswith(f"{source}:{line}: error: "), err
    assert "U+00" in err


def test_a_character_yaml_refuses_in_site_yaml_is_an_error_with_its_line(tmp_path):
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "site.yaml").write_text("organisation: Clinic\ncontact: a\x7fb\n", encoding="utf-8")
    status, err, source, _ = run_build("---\ntitle: Tablets\n---\n", tmp_path, "html")
    assert status == 1, err
    assert err.startswith(f"{source.parent / 'site.yaml'}:2: error: "), err


def test_a_picture_shown_twice_is_stored_once_in_the_epub(tmp_path):
    text = f"---\ntitle: Tablets\n---\n\n![A tablet]({PICTURE})\n\nAgain: ![The same tablet]({PICTURE})\n"
    status, err, _, builddir = run_build(text, tmp_path, "epub")
    assert status == 0, err
    with zipfile.ZipFile(builddir / "epub" / "handout.epub") as book:
        assert book.namelist().count(f"EPUB/{PICTURE}") == 1


def test_a_list_inside_a_list_prints_with_the_bundled_font(tmp_path):
    """The default markers of nested lists (circle, square) are not in the font: the leaflet was refused."""
    text = "---\ntitle: Tablets\n---\n\n- Bring\n   - the box\n      - the leaflet\n\n1. Stop\n   - rest\n"
    status, err, _, builddir = run_build(text, tmp_path, "pdf")
    assert status == 0, err
    assert "Bring" in "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(builddir / "pdf" / "handout.pdf"))


def test_a_section_whose_anchor_starts_with_a_digit_has_an_xml_name_in_the_ncx(tmp_path):
    status, err, _, builddir = run_build("---\ntitle: Tablets\n---\n\n## 4 weeks\n\nText.\n", tmp_path, "epub")
    assert status == 0, err
    with zipfile.ZipFile(builddir / "epub" / "handout.epub") as book:
        ncx = ET.fromstring(book.read("EPUB/toc.ncx"))
    ids = [point.get("id") for point in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}navPoint")]
    assert ids == ["title", "section-4-weeks"]
