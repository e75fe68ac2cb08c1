"""Site settings: one file beside the handouts, optional, validated like front matter."""

from __future__ import annotations

import pytest

from pipeline.config import SiteConfig, load_config
from pipeline.errors import PipelineError


def test_a_project_without_site_yaml_gets_defaults(tmp_path):
    config = load_config(tmp_path)
    assert (config.organisation, config.contact, config.base_url, config.paper, config.lang) == ("", "", "", "a4", "en")


def test_settings_are_read(tmp_path):
    (tmp_path / "site.yaml").write_text(
        "organisation: Riverside Clinic\ncontact: 'Call 01234 567890'\nbase_url: https://example.org/leaflets\npaper: letter\n"
    )
    config = load_config(tmp_path)
    assert config.organisation == "Riverside Clinic"
    assert config.paper_name == "Letter"
    assert config.web_address("tablets") == "https://example.org/leaflets/tablets.html"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("paper: a5\n", 1, "one of a4, letter"),
        ("organisation: X\norganization: Y\n", 2, "Did you mean 'organisation'?"),
        ("base_url: example.org\n", 1, "http:// or https://"),
    ],
)
def test_bad_settings_are_one_error_with_a_line(tmp_path, text, line, words):
    (tmp_path / "site.yaml").write_text(text)
    with pytest.raises(PipelineError) as caught:
        load_config(tmp_path)
    assert words in str(caught.value)
    assert caught.value.line == line


def test_paper_can_be_overridden_for_one_build():
    assert SiteConfig().with_paper("LETTER").paper == "letter"
    assert SiteConfig(paper="letter").with_paper(None).paper == "letter"
    with pytest.raises(PipelineError, match="PAPER=a4"):
        SiteConfig().with_paper("a3")


@pytest.mark.parametrize(
    "address",
    ["https://example.org/handouts/", "http://example.org", "HTTPS://Example.ORG/a/b", "https://example.org:8443/h/",
     "http://10.0.0.7/", "http://[2001:db8::1]:8080/", "https://xn--bcher-kva.example/", "https://intranet/handouts/",
     "https://example.org/caf%C3%A9/", "https://example.org/a-b_c.d~e/(1)/"],
)
def test_a_real_web_address_is_a_base_url(tmp_path, address):
    (tmp_path / "site.yaml").write_text(f"organisation: Riverside Clinic\nbase_url: '{address}'\n", encoding="utf-8")
    assert load_config(tmp_path).base_url == address


@pytest.mark.parametrize(
    "address, words",
    [
        ("ftp://example.org/", "an http:// or https:// address"),
        ("https:/example.org/", "an http:// or https:// address"),
        ("https://nurse:secret@example.org/", "without a user name or password"),
        ("https://example.org\\@evil.example/", "without a user name or password"),
        ("https://example.org/?from=leaflet", "without '?' or '#'"),
        ("https://example.org/#top", "without '?' or '#'"),
        ("https://example.org:99999/", "port is a number from 1 to 65535"),
        ("https://example.org:/", "port is a number from 1 to 65535"),
        ("https://example.org:http/", "port is a number from 1 to 65535"),
        ("https:///handouts/", "host is a name such as example.org"),
        ("https://-example.org/", "host is a name such as example.org"),
        ("https://example..org/", "host is a name such as example.org"),
        ("https://exa mple.org/", "host is a name such as example.org"),
        ("https://1.2.3/", "host is a name such as example.org"),
        ("https://300.1.1.1/", "host is a name such as example.org"),
        ("https://bücher.example/", "host is a name such as example.org"),
        ("https://example.org/hand outs/", "without spaces, quotes"),
        ('https://example.org/a"onmouseover="x', "without spaces, quotes"),
        ("https://example.org/<script>", "without spaces, quotes"),
        ("https://example.org/a\\b", "without spaces, quotes"),
        ("https://example.org/café/", "%-encoded: é as %C3%A9"),
        ("https://example.org/50%off", "%-encoded"),
        ("https://example.org/hand%20outs/", "%-encoded or not"),
        ("https://example.org/a%22onmouseover%3D", "%-encoded or not"),
        ("https://example.org/a%3Cb%3E", "%-encoded or not"),
        ("https://example.org/a%5Cb", "%-encoded or not"),
        ("https://example.org/%E2%80%AE/", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("https://example.org/%E2%80%8B/", "U+200B ZERO WIDTH SPACE"),
        ("https://example.org/%00/", "U+0000"),
        ("https://example.org/‮/", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ],
)
def test_a_base_url_that_is_not_a_plain_web_address_is_an_error_with_its_line(tmp_path, address, words):
    text = address.replace("'", "''")
    (tmp_path / "site.yaml").write_text(f"organisation: Riverside Clinic\nbase_url: '{text}'\n", encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        load_config(tmp_path)
    assert caught.value.message.startswith("'base_url' must be ") and words in caught.value.message, caught.value.message
    assert caught.value.line == 2 and "https://example.org/handouts/" in caught.value.hint
