"""`pipeline new "Title"`: a source with every field explained, that builds at once as a DRAFT."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from pipeline.cli import main
from pipeline.config import SiteConfig
from pipeline.read.schema import read_mapping
from pipeline.read.handout import FIELDS, read_handout, split_front_matter

from .conftest import ROOT, build, require

TITLE = "Asthma: using your inhaler"
SLUG = "asthma-using-your-inhaler"


def explanations(front: str) -> dict[str, str]:
    """Each key of the front matter, with the comment lines just above it joined into one line."""
    found, comment = {}, []
    for line in front.splitlines():
        if line.startswith("#"):
            comment.append(line.lstrip("# "))
        elif key := re.match(r"^([a-z_]+):", line):
            found[key.group(1)] = " ".join(comment)
            comment = []
        else:
            comment = []  # a blank line ends a comment: the one above it is about something else
    return found


def new(source_dir, *args: str) -> int:
    return main(["new", "--source-dir", str(source_dir), *args])


@pytest.fixture
def source_dir(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    return folder


def test_the_new_source_has_every_field_explained_and_only_the_title_filled_in(source_dir, capsys):
    assert new(source_dir, TITLE) == 0
    path = source_dir / f"{SLUG}.md"
    out = capsys.readouterr().out
    assert f"wrote {path}" in out and "Next:" in out
    text = path.read_text(encoding="utf-8")
    front, line, _body, _ = split_front_matter(text, path)
    explained = explanations(front)
    assert list(explained) == [field.name for field in FIELDS]  # a field added to the schema must appear here
    for field in FIELDS:
        assert explained[field.name].startswith(f"{field.name}: {field.help}"), field.name
    # Nothing made up: no reviewer, date, reference or keyword, only the title the author gave.
    assert read_mapping(front, FIELDS, path, line) == {"title": TITLE}


def test_it_builds_in_every_format_as_a_draft(source_dir, tmp_path):
    assert new(source_dir, TITLE) == 0
    handout = read_handout(source_dir / f"{SLUG}.md", SiteConfig())
    assert handout.review.draft and handout.slug == SLUG
    out = tmp_path / "build"
    assert build(source_dir, out) == 0
    for path in ["pdf/{}.pdf", "pdf/{}-large-print.pdf", "pdf/{}-booklet.pdf", "epub/{}.epub", "html/{}.html", "reports/{}.json"]:
        assert (out / path.format(SLUG)).is_file(), path
    page = (out / "html" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "DRAFT – not reviewed for patient use." in page and "Write here" in page
    report = json.loads((out / "reports" / f"{SLUG}.json").read_text(encoding="utf-8"))
    assert report["review"]["draft"] is True
    # The placeholders trip no check: the one error is the true one, that nobody has reviewed it.
    assert [finding["rule"] for finding in report["findings"] if finding["severity"] != "info"] == ["review-status"]
    assert "DRAFT – not reviewed for patient use:</strong> it has never been reviewed." in (
        out / "html" / "index.html"
    ).read_text(encoding="utf-8")


def test_new_twice_is_refused_and_keeps_the_file(source_dir, capsys):
    assert new(source_dir, TITLE) == 0
    path = source_dir / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nThe author's work.\n", encoding="utf-8")
    before = path.read_bytes()
    capsys.readouterr()
    assert new(source_dir, TITLE) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: error: this file already exists") and "--slug" in err and "Traceback" not in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in source_dir.iterdir()) == [path.name]  # no temporary file left


def test_a_slug_another_handout_uses_is_refused(source_dir, capsys):
    other = source_dir / "topics" / "inhalers.md"
    other.parent.mkdir()
    other.write_text(f"---\ntitle: Inhalers\nslug: {SLUG}\n---\nText.\n", encoding="utf-8")
    assert new(source_dir, TITLE) == 1
    assert f"{other}: error: '{SLUG}' is already the name of this handout" in capsys.readouterr().err
    assert not (source_dir / f"{SLUG}.md").exists()
    assert new(source_dir, TITLE, "--slug", "asthma-inhaler") == 0
    assert (source_dir / "asthma-inhaler.md").is_file()


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Asthma \U0001fac1", "no bundled font can print"),  # a character the bundled font lacks
        ("Asthma\u202e", "cannot be seen"),  # a bidirectional override
        ("   ", "the title is empty"),
        ("Two\nlines", "one line"),
        ("!!!", "--slug"),  # no letter to make a file name from
    ],
)
def test_a_title_that_cannot_be_used_is_refused(source_dir, capsys, title, message):
    assert new(source_dir, title) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert list(source_dir.iterdir()) == []


def test_a_bad_slug_is_refused(source_dir, capsys):
    assert new(source_dir, TITLE, "--slug", "Not A Slug") == 1
    assert "lower-case letters, digits and single hyphens" in capsys.readouterr().err


@pytest.mark.parametrize("args", [("Index",), (TITLE, "--slug", "index"), (TITLE, "--slug", "report")])
def test_a_name_the_pipelines_own_files_have_is_refused(source_dir, capsys, args):
    assert new(source_dir, *args) == 1
    assert "a name the pipeline's own files do not have (assets, index, report)" in capsys.readouterr().err
    assert list(source_dir.iterdir()) == []


def test_make_new_passes_the_title_as_typed(tmp_path):
    require("make", "sudo apt-get install -y make")
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    title = """It's "quoted" $HOME `id`"""
    command = ["make", "new", f"TITLE={title}", f"SOURCEDIR={source_dir}", f"PIPELINE={sys.executable} -m pipeline", "INSTALLED="]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    [path] = source_dir.iterdir()
    handout = read_handout(path, SiteConfig())
    assert handout.meta.title == title and handout.slug == "it-s-quoted-home-id"
