"""Every colour the stylesheets print text in keeps WCAG AA contrast (4.5:1) on its background,
and the boxes stay distinct in greyscale (the web page's colours are checked by axe in Chromium)."""

from __future__ import annotations

import re

import pytest

from pipeline.writers import templates

WHITE, TEXT = "#ffffff", "#1a1a1a"


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("stylesheet", ["css/common.css", "css/print.css", "css/epub.css"])
def test_text_colours_on_paper_keep_contrast(stylesheet):
    css = templates.environment().loader.get_source(templates.environment(), stylesheet)[0]
    colours = set(re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", css))
    for colour in colours - {WHITE}:
        assert contrast(colour, WHITE) >= 4.5, f"{stylesheet}: {colour} on white is {contrast(colour, WHITE):.2f}:1"


def test_the_get_help_now_label_keeps_contrast():
    css = templates.environment().loader.get_source(templates.environment(), "css/common.css")[0]
    rule = re.search(r"\.callout-get-help-now \.callout-label \{([^}]*)\}", css).group(1)
    background = re.search(r"background:\s*(#[0-9a-f]{6})", rule).group(1)
    foreground = re.search(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", rule).group(1)
    assert contrast(foreground, background) >= 7.0
