"""Front matter and Markdown: every bad source is one clear error naming the file and the line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.read import schema
from pipeline.config import SiteConfig
from pipeline.errors import PipelineError
from pipeline.read.handout import FIELDS, build_date, read_handout

from .conftest import build

GOOD = """---
title: Taking your tablets
summary: How and when to take them.
lang: en-GB
version: "1.2"
updated: 2026-03-05
keywords:
  - tablets
---

Take them with water.

## When to take them

In the morning.

### With food

Yes.
"""


def error_for(write_source, text: str | bytes) -> PipelineError:
    path = write_source(text)
    with pytest.raises(PipelineError) as caught:
        read_handout(path, SiteConfig())
    return caught.value


def test_a_good_source_becomes_a_handout(write_source):
    handout = read_handout(write_source(GOOD, "taking-tablets.md"), SiteConfig())
    assert handout.meta.title == "Taking your tablets"
    assert handout.meta.lang == "en-GB"
    assert handout.meta.version == "1.2"
    assert handout.meta.updated == dt.date(2026, 3, 5)
    assert handout.meta.keywords == ("tablets",)
    assert handout.slug == "taking-tablets"  # the file name, since no slug is given
    assert handout.meta.reviewed_by == "" and handout.meta.reviewed_on is None  # unknown stays empty
    assert [(entry.level, entry.anchor, entry.title) for entry in handout.toc] == [
        (2, "when-to-take-them", "When to take them"),
        (3, "with-food", "With food"),
    ]
    assert '<h2 id="when-to-take-them">When to take them</h2>' in handout.body


@pytest.mark.parametrize(
    "change, line, words",
    [
        (("title: Taking your tablets\n", ""), 2, "has no 'title'"),
        (("title: Taking your tablets", "audience: adults\ntitle:"), 3, "has no 'title'"),
        (("lang: en-GB", "lang: english language"), 4, "BCP 47"),
        (("lang: en-GB", "lang: 12"), 4, "text, not the number 12"),
        (("updated: 2026-03-05", "updated: 2026-02-30"), 6, "real date"),
        (("updated: 2026-03-05", "updated: 5 March 2026"), 6, "real date"),
        (('version: "1.2"', "version: 1.2"), 5, 'put it in quotes, e.g. "1.2"'),
        (("keywords:\n  - tablets", "keywords: tablets"), 7, "a list"),
        (("summary: How", "sumary: How"), 3, "Did you mean 'summary'?"),
        (("lang: en-GB", "lang: en-GB\ntitle: Again"), 5, "given twice (first on line 2)"),
        (("summary: How and when to take them.", "summary: [unclosed"), 4, "not valid YAML"),
        (("summary: How and when to take them.", "- a list"), 3, "not valid YAML"),
        (("Take them with water.", "# A second title"), 11, "'#' heading in the body"),
        (("lang: en-GB", "slug: Tablets Now"), 4, "lower-case letters"),
        (("title: Taking your tablets", "title:\n  nested: mapping"), 3, "text, not a mapping"),
    ],
)
def test_a_bad_front_matter_is_one_error_with_its_line(write_source, change, line, words):
    old, new = change
    assert old in GOOD
    error = error_for(write_source, GOOD.replace(old, new, 1))
    assert words in str(error)
    assert error.line == line, str(error)
    assert str(error).startswith(f"{error.path}:{line}: error: ")
    assert error.hint  # every error says what to do


@pytest.mark.parametrize(
    "text, words",
    [
        ("Just text, no front matter.\n", "does not start with front matter"),
        ("", "does not start with front matter"),
        ("---\ntitle: Never closed\n\nBody.\n", "never closed"),
        ("---\n- a\n- b\n---\nBody.\n", "must be a list of 'key: value' lines"),
        (b"---\ntitle: Caf\xe9\n---\n", "not UTF-8"),
    ],
)
def test_a_broken_file_is_one_error(write_source, text, words):
    error = error_for(write_source, text)
    assert words in str(error)
    assert error.path is not None and error.line is not None


def test_raw_html_is_shown_as_text_not_passed_through(write_source):
    handout = read_handout(write_source(GOOD.replace("Yes.", 'Yes <script>alert("x")</script>.')), SiteConfig())
    assert "<script>" not in handout.body
    assert "&lt;script&gt;" in handout.body


def test_a_file_name_that_cannot_be_a_slug_needs_a_slug(write_source):
    with pytest.raises(PipelineError, match="cannot be used as the output name"):
        read_handout(write_source(GOOD, "My Handout.md"), SiteConfig())
    path = write_source(GOOD.replace("lang: en-GB", "lang: en-GB\nslug: my-handout"), "My Handout 2.md")
    assert read_handout(path, SiteConfig()).slug == "my-handout"


@pytest.mark.parametrize("tag", ["!!int", "!!float", "!!bool", "!!timestamp", "!!str", "!!binary", "!mine", "!"])
@pytest.mark.parametrize("value", ["hello", "0000-00-00", "12"])
def test_a_yaml_tag_is_refused_on_its_line(tag, value, tmp_path):
    """No field takes a tag; each would run a constructor of its own on the value (int('hello'): exit 70)."""
    front = f"title: Taking your tablets\nupdated: {tag} {value}\n"
    with pytest.raises(PipelineError) as caught:
        schema.read_mapping(front, FIELDS, tmp_path / "x.md", first_line=2)
    assert caught.value.line == 3
    assert f"the YAML tag '{tag}'" in caught.value.message and caught.value.hint


@pytest.mark.parametrize("error", [ValueError, TypeError, OverflowError, RecursionError, KeyError, AttributeError])
def test_whatever_a_yaml_constructor_raises_is_an_error_with_its_line(error, tmp_path, monkeypatch):
    plain = schema._Loader.yaml_constructors["tag:yaml.org,2002:str"]

    def constructor(loader, node):
        if node.value == "the broken value":
            raise error("raised inside PyYAML")
        return plain(loader, node)

    monkeypatch.setitem(schema._Loader.yaml_constructors, "tag:yaml.org,2002:str", constructor)
    with pytest.raises(PipelineError) as caught:
        schema.read_mapping("title: Tablets\nsummary: the broken value\n", FIELDS, tmp_path / "x.md", first_line=2)
    assert caught.value.line == 3 and error.__name__ in caught.value.message


def test_an_error_outside_any_value_still_names_the_block(tmp_path, monkeypatch):
    def overflow(loader):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(schema._Loader, "get_single_node", overflow)
    with pytest.raises(PipelineError) as caught:
        schema.read_mapping("title: Tablets\n", FIELDS, tmp_path / "x.md", first_line=2)
    assert caught.value.line == 2 and caught.value.hint


class TestBuildDate:
    """File metadata dates: SOURCE_DATE_EPOCH, else `updated`, else the last commit; never the clock."""

    def test_source_date_epoch_wins(self, write_source, monkeypatch):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        handout = read_handout(write_source(GOOD), SiteConfig())
        assert handout.build_date == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)

    def test_then_the_updated_date(self, write_source, monkeypatch):
        monkeypatch.delenv("SOURCE_DATE_EPOCH")
        handout = read_handout(write_source(GOOD), SiteConfig())
        assert handout.build_date == dt.datetime(2026, 3, 5, tzinfo=dt.timezone.utc)

    def test_without_either_nor_git_a_fixed_date_and_a_warning(self, write_source, monkeypatch, caplog):
        monkeypatch.delenv("SOURCE_DATE_EPOCH")
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(Path(write_source("").parent.parent)))
        path = write_source(GOOD.replace("updated: 2026-03-05\n", ""))
        first = build_date(path, read_handout(path, SiteConfig()).meta)
        assert first == dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
        assert "no 'updated:' date" in caplog.text

    def test_a_bad_epoch_is_an_error(self, write_source, monkeypatch):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
        with pytest.raises(PipelineError, match="SOURCE_DATE_EPOCH"):
            read_handout(write_source(GOOD), SiteConfig())


def test_a_comment_never_closed_is_printed_with_a_warning_on_its_line(write_source, tmp_path, capsys):
    """A note to reviewers whose '-->' is missing would reach patients: the build says so, on its line."""
    source = write_source("---\ntitle: Tablets\nupdated: 2026-01-01\n---\n\nText.\n\n<!-- a note for reviewers\n\nMore.\n")
    assert build(source.parent, tmp_path, "--format", "html") == 0
    assert f"{source}:8: warning: an HTML comment ('<!--') is never closed" in capsys.readouterr().err
    assert "a note for reviewers" in (tmp_path / "html" / "handout.html").read_text(encoding="utf-8")
