"""Fuzzing the classes of bug a probe of hostile sources found (issue 10), one generator each.

Each property: the build makes outputs that keep the promise in question, or fails with the
pipeline's own message (`path:line: error: …`), never a traceback, an internal error or a silent gap.

- pictures of any bytes: random data, real pictures cut short, of another type than their name,
  with headers claiming billions of pixels; a picture that builds is in every output, decodable;
- SVG pictures assembled from allowed and hostile parts (event attributes, scripts, animation, CSS
  escapes spelling `url(` or `@import`, external references, processing instructions, entities,
  UTF-16): whatever builds publishes only an SVG that an independent, stricter reading finds inert;
- YAML tags on any field: a message with the line, never exit 70;
- link addresses hiding characters in %-escapes: none reaches a page;
- repetition (the same sentence, heading, footnote or unclosed comment thousands of times): the
  build finishes within the default limits and the report stays bounded.

Tables of any width and words of any length are fuzzed in tests/test_every_word.py. `make test`
runs a few examples of each; `make fuzz` many more (the profile is chosen by HYPOTHESIS_PROFILE).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image as Pillow

from pipeline.read import characters

from .test_fuzz import EXAMPLES, assert_failed_with_a_message, run_build

SOME = max(EXAMPLES // 10, 10)
"""Examples of each property: a tenth of the main property's (they build more, and PDFs)."""

HEADER = "---\ntitle: A fictional handout\nupdated: 2026-01-01\n---\n\nSome text.\n\n"


def build_with_files(body: str, files: dict[str, bytes], formats: str, folder: Path) -> tuple[int, str, Path, Path]:
    (folder / "source").mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / "source" / name).write_bytes(data)
    return run_build(HEADER + body + "\n", folder, formats)


# --- pictures of any bytes -------------------------------------------------------------------------


def _encoded(kind: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", size, (200, 120, 40)).save(out, kind)
    return out.getvalue()


@st.composite
def picture_bytes(draw) -> tuple[str, bytes]:
    """(file name, bytes): real pictures, broken ones, misnamed ones, and noise."""
    kind = draw(st.sampled_from(["PNG", "JPEG", "GIF", "WEBP"]))
    real = _encoded(kind, (draw(st.integers(1, 40)), draw(st.integers(1, 40))))
    suffix = draw(st.sampled_from([".png", ".jpg", ".gif", ".webp", {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}[kind]]))
    how = draw(st.sampled_from(["whole", "whole", "cut", "flipped", "noise", "empty", "text", "huge"]))
    if how == "cut":
        real = real[: draw(st.integers(0, len(real) - 1))]
    elif how == "flipped":
        at = draw(st.integers(0, len(real) - 1))
        real = real[:at] + bytes([real[at] ^ draw(st.integers(1, 255))]) + real[at + 1 :]
    elif how == "noise":
        real = draw(st.binary(max_size=200))
    elif how == "empty":
        real = b""
    elif how == "text":
        real = draw(st.text(max_size=50)).encode("utf-8")
    elif how == "huge":  # a PNG header claiming 40000 x 40000 pixels
        real = _encoded("PNG", (1, 1))
        real = real[:16] + (40000).to_bytes(4, "big") * 2 + real[24:]
    return f"picture{suffix}", real


@settings(max_examples=SOME, deadline=None)
@given(picture_bytes())
def test_any_picture_is_in_every_output_or_refused_with_its_line(case):
    name, data = case
    with tempfile.TemporaryDirectory() as folder:
        status, err, source, builddir = build_with_files(f"![a test picture]({name})", {name: data}, "html,epub,pdf", Path(folder))
        if status != 0:
            assert_failed_with_a_message(status, err, source)
            assert re.match(rf"{re.escape(str(source))}:8: error: ", err), err  # the line that shows it
            assert not (builddir / "pdf").exists() and not (builddir / "epub").exists()
            return
        published = (builddir / "html" / name).read_bytes()
        Pillow.open(io.BytesIO(published)).load()  # the web page's copy decodes
        with zipfile.ZipFile(next((builddir / "epub").glob("*.epub"))) as book:
            assert book.read(f"EPUB/{name}") == published


# --- SVG pictures from hostile parts ---------------------------------------------------------------

SHAPES = ['<rect width="4" height="4"/>', '<circle cx="5" cy="5" r="3" fill="#123456"/>', '<path d="M0 0 L9 9"/>']
HOSTILE = [
    '<script>alert(1)</script>',
    '<rect width="4" height="4" onload="alert(1)"/>',
    '<rect width="4" height="4" OnClick="alert(1)"/>',
    '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
    '<set attributeName="href" to="javascript:alert(1)"/>',
    '<animate attributeName="fill" to="red"/>',
    '<a href="javascript:alert(1)"><rect width="1" height="1"/></a>',
    '<use href="https://example.org/x.svg#a"/>',
    '<use xlink:href="file:///etc/passwd"/>',
    '<image href="https://example.org/a.png" width="1" height="1"/>',
    '<rect width="1" height="1" style="fill: \\75 rl(https://example.org/a)"/>',
    '<rect width="1" height="1" style="fill:url(&quot;https://example.org/&quot;)"/>',
    '<style>@\\69mport "https://example.org/x.css";</style>',
    '<style>rect { fill: url(https://example.org/a) }</style>',
    '<style>rect { fill: u\\rl(https://example.org/a) }</style>',
    '<rect width="1" height="1" xml:base="https://example.org/"/>',
    '<g xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></g>',
    '<rect width="1" height="1" fill="url(#missing)"/>',
    '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>',
    '<rect width="1" height="1" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:label="x"/>',
]
PROLOGUES = ["", '<?xml version="1.0"?>', '<?xml-stylesheet href="https://example.org/x.css"?>',
             '<!DOCTYPE svg [<!ENTITY e "&#x6a;avascript:">]>', '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x.dtd">']


@st.composite
def svg_picture(draw) -> bytes:
    parts = draw(st.lists(st.sampled_from(SHAPES + HOSTILE), min_size=1, max_size=4))
    text = (draw(st.sampled_from(PROLOGUES)) + '<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">' + "".join(parts) + "</svg>")
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8", "utf-16"])))


_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")


def _decoded_css(text: str) -> str:
    return _CSS_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], text).lower()


def assert_inert(data: bytes) -> None:
    """An SVG that can run nothing and load nothing, read by rules simpler and stricter than the pipeline's."""
    import xml.etree.ElementTree as ET

    assert b"<?" not in data.lstrip()[2:] and b"<!DOCTYPE" not in data and b"<!ENTITY" not in data
    root = ET.fromstring(data)
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower()
        assert element.tag.startswith("{http://www.w3.org/2000/svg}"), element.tag
        assert tag not in ("script", "foreignobject", "set", "animate", "animatetransform", "animatemotion", "handler"), tag
        for key, value in element.attrib.items():
            name = key.rsplit("}", 1)[-1].lower()
            assert not name.startswith("on") and name != "base", key
            if name in ("href", "src"):
                assert value.strip().startswith("#"), value
            css = _decoded_css(value if name == "style" else "")
            assert "@import" not in css and "expression(" not in css, value
            for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css):
                assert url.strip().startswith("#"), value
        if tag == "style" and element.text:
            css = _decoded_css(element.text)
            assert "@import" not in css
            for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", css):
                assert url.strip().startswith("#"), element.text


@settings(max_examples=SOME, deadline=None)
@given(svg_picture())
def test_a_published_svg_runs_nothing_and_loads_nothing(data):
    with tempfile.TemporaryDirectory() as folder:
        status, err, source, builddir = build_with_files("![a test picture](chart.svg)", {"chart.svg": data}, "html,epub", Path(folder))
        if status != 0:
            assert_failed_with_a_message(status, err, source)
            return
        published = (builddir / "html" / "chart.svg").read_bytes()
        assert_inert(published)
        with zipfile.ZipFile(next((builddir / "epub").glob("*.epub"))) as book:
            assert book.read("EPUB/chart.svg") == published


# --- YAML tags, and addresses hiding characters ------------------------------------------------------

TAGS = ["!!int", "!!float", "!!bool", "!!timestamp", "!!str", "!!binary", "!!null", "!!set", "!!omap", "!custom",
        "!!python/object:os.system", "!<tag:yaml.org,2002:int>"]
FIELDS = ["title", "subtitle", "summary", "version", "updated", "reviewed_on", "lang", "slug", "keywords"]
VALUES = ["hello", "0000-00-00", "2026-01-01", "12", "1e999", "yes", "", "[a, b]", "{a: b}", "0x1F", "-.inf"]


@settings(max_examples=SOME, deadline=None)
@given(st.sampled_from(FIELDS), st.sampled_from(TAGS), st.sampled_from(VALUES))
def test_a_yaml_tag_on_any_field_is_an_error_with_its_line(field, tag, value):
    title = "" if field == "title" else "title: Tablets\n"
    text = f"---\n{title}{field}: {tag} {value}\n---\n\nText.\n"
    with tempfile.TemporaryDirectory() as folder:
        status, err, source, _builddir = run_build(text, Path(folder), "html")
        assert_failed_with_a_message(status, err, source)
        assert err.startswith(f"{source}:{2 if field == 'title' else 3}: error:"), err


HIDDEN = ["%E2%80%AE", "%E2%80%8B", "%E2%81%A6", "%00", "%1B", "%C2%85", "%EF%BB%BF", "%E2%80%A8", "%20", "%41", "%25"]


@settings(max_examples=SOME, deadline=None)
@given(st.lists(st.sampled_from(HIDDEN + ["a", "/", "b"]), min_size=1, max_size=5).map("".join),
       st.sampled_from(["https://example.org/", "mailto:a@example.org?subject=", "page.html#", ""]))
def test_no_link_hides_a_refused_character_in_its_address(path, start):
    with tempfile.TemporaryDirectory() as folder:
        status, err, source, builddir = run_build(HEADER + f"[a link]({start}{path})\n", Path(folder), "html")
        if status != 0:
            assert_failed_with_a_message(status, err, source)
            return
        page = (builddir / "html" / "handout.html").read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]*)"', page):
            assert not any(characters.why_refused(char) for char in unquote(href)), href


# --- repetition ------------------------------------------------------------------------------------

UNITS = ["No risk of overdose. ", "Overdose is possible. ", "\n\n## The same heading\n\n", "<!-- ", "Text[^1]. ",
         "Word^[an inline note]. ", "It is safe. ", "\n- item\n", "\n\n::: note\nA box.\n:::\n\n", "| a | b |\n"]


@settings(max_examples=SOME, deadline=None)
@given(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3), st.integers(100, 3000))
def test_repetition_builds_in_linear_time_with_a_bounded_report(units, times):
    body = "".join(units) * times + "\n\n[^1]: A note.\n"
    with tempfile.TemporaryDirectory() as folder:
        status, err, source, builddir = run_build(HEADER + body, Path(folder), "html,report")
        if status != 0:
            assert_failed_with_a_message(status, err, source)
            return
        report = builddir / "reports" / "handout.json"
        assert report.stat().st_size < 2 * 1024 * 1024  # grouped findings, not one per repetition
        json.loads(report.read_text(encoding="utf-8"))
