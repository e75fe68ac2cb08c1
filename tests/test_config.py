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
