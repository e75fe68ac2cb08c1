"""One Jinja environment: escaping on for every template that makes markup, whatever its name."""

from __future__ import annotations


import jinja2
import pytest

from pipeline.writers import templates


@pytest.mark.parametrize("name", ["page.html", "chapter.xhtml", "content.opf", "nav.j2", "page.html.j2", "feed.xml"])
def test_markup_templates_escape(name):
    env = templates.environment()
    loaded = env.overlay(loader=jinja2.DictLoader({name: "{{ text }}"})).get_template(name)
    assert loaded.render(text="<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"


def test_stylesheets_are_plain_text():
    env = templates.environment().overlay(loader=jinja2.DictLoader({"x.css": "{{ text }}"}))
    assert env.get_template("x.css").render(text='"a > b"') == '"a > b"'


def test_a_misspelt_variable_is_an_error_not_an_empty_string():
    env = templates.environment().overlay(loader=jinja2.DictLoader({"t.html": "{{ handout.titel }}"}))
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.html").render(handout={})


def test_every_template_compiles():
    env = templates.environment()
    names = env.list_templates()
    assert {"base.html", "handout.html", "web/page.html", "print/leaflet.html", "epub/chapter.xhtml"} <= set(names)
    for name in names:
        env.get_template(name)
