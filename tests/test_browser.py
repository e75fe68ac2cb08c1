"""The web pages as readers get them: in a real browser (Debian's headless Chromium, driven by Playwright).

axe-core checks every page against WCAG 2.2 AA and its best practices, in light and dark mode; the
other tests check what axe cannot: reflow at 320 px and at 200 % zoom, the skip link, visible focus,
the dark colours, the print stylesheet, and that a page fetches nothing from outside build/html.
Pages are opened from disk (file://) and every other request is aborted, so no test uses the network.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
}
SCHEMES = ["light", "dark"]
AXE_TAKES_FOR_LIGATURES = {"ar", "ur"}
"""Pages (tests/fixtures/languages/) all of whose text axe-core mistakes for ligature icons."""
PT = 4 / 3
"""CSS pixels in a point."""


@pytest.fixture(scope="module")
def browser():
    # Playwright cannot download its own browsers here; Debian's chromium package is the browser.
    require(CHROMIUM, "sudo apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=["real", "rich", "showcase", "languages"])
def project(request) -> Path:
    """build/html of the real handouts, of the fixture project that fills in every field, of the
    showcase, and of the handouts in other languages and scripts (both directions)."""
    fixtures = {"real": "built", "rich": "rich_built", "showcase": "showcase", "languages": "languages"}
    built = request.getfixturevalue(fixtures[request.param])
    return built / "html"


def pages(html: Path) -> list[Path]:
    found = sorted(html.glob("*.html"))
    handouts = {path.stem for path in found} - {"index"}
    # Never pass by checking nothing: the index and at least one handout page must be there.
    assert (html / "index.html") in found and handouts, found
    return found


def handout_pages(html: Path) -> list[Path]:
    return [path for path in pages(html) if path.name != "index.html"]


def new_context(browser, **options):
    context = browser.new_context(**options)
    # Only file:// may load; anything else is aborted (and then reported by the request test).
    context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
    return context


def open_page(context, path: Path):
    page = context.new_page()
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")  # lay out with the real font, not a fallback
    return page


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def run_axe(page, context=None) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, context=context, options=AXE_OPTIONS).response


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations(browser, project, scheme):
    context = new_context(browser, color_scheme=scheme)
    report = []
    for path in pages(project):
        response = run_axe(open_page(context, path))
        passed = {rule["id"] for rule in response["passes"]}
        # Contrast must have been measured, not skipped: axe files what it cannot decide as incomplete.
        # axe takes Arabic and Urdu text set in their joined webfonts for icon ligatures (its
        # isIconLigature test, axe-core PR #3867) and measures none of it on those two pages;
        # their colours are the stylesheet's, measured on every other page and in test_contrast.py.
        if path.stem not in AXE_TAKES_FOR_LIGATURES:
            assert "color-contrast" in passed, f"{path.name}: axe could not check the contrast"
        else:
            assert "color-contrast" in passed or any(rule["id"] == "color-contrast" for rule in response["inapplicable"]), path.name
        if response["violations"]:
            report.append(f"{path.name} ({scheme}):\n{describe(response['violations'])}")
    context.close()
    assert not report, "axe-core found accessibility violations:\n" + "\n".join(report)


def test_no_request_leaves_build_html(browser, project):
    root = project.resolve()
    context = new_context(browser)
    for path in pages(project):
        requested, failed = [], []
        page = context.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
        page.goto(path.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        page.emulate_media(media="print")  # the print stylesheet and whatever it loads too
        page.evaluate("document.fonts.ready.then(() => true)")
        assert requested, path.name
        for url in requested:
            assert url.startswith("file://"), f"{path.name} fetches {url}"
            target = Path(re.sub("^file://", "", url)).resolve()
            assert target.is_relative_to(root), f"{path.name} reaches outside build/html: {url}"
        assert not failed, f"{path.name}: requests failed: {failed}"
        assert any(url.endswith(".ttf") for url in requested), f"{path.name} did not load the bundled font"
    context.close()


# What a reader would lose if the page did not reflow: horizontal scrolling, and text outside the
# window or cut off by a box that hides its overflow. The skip link is off-screen until focused.
REFLOW = """() => {
  const width = window.innerWidth;
  const outside = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || node.parentElement.closest('.skip-link')) continue;
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.width > 0 && (rect.left < -0.5 || rect.right > width + 0.5)) {
        outside.push(node.textContent.trim().slice(0, 50));
      }
    }
  }
  const hides = overflow => ['hidden', 'clip'].includes(overflow);
  const clipped = [...document.body.querySelectorAll('*')]
    .filter(el => !el.closest('.skip-link'))
    .filter(el => {
      const style = getComputedStyle(el);
      return (hides(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
    })
    .map(el => el.outerHTML.slice(0, 60));
  return {width, scrollWidth: document.documentElement.scrollWidth, outside, clipped};
}"""


@pytest.mark.parametrize(
    "width",
    [
        pytest.param(320, id="320px"),  # WCAG 1.4.10 reflow: a 1280 px window at 400 %, or a small phone
        pytest.param(640, id="zoom-200"),  # a 1280 px window at 200 % zoom lays out in 640 CSS px
    ],
)
def test_pages_reflow_without_horizontal_scrolling(browser, project, width):
    context = new_context(browser, viewport={"width": width, "height": 800})
    for path in pages(project):
        layout = open_page(context, path).evaluate(REFLOW)
        assert layout["width"] == width
        assert layout["scrollWidth"] <= layout["width"], f"{path.name} scrolls sideways at {width} px"
        assert not layout["outside"], f"{path.name}: text outside the window at {width} px: {layout['outside']}"
        assert not layout["clipped"], f"{path.name}: text cut off at {width} px: {layout['clipped']}"
    context.close()


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: el.textContent.trim().slice(0, 40),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor,
    box: {left: box.left, top: box.top, right: box.right, bottom: box.bottom, width: box.width, height: box.height},
  };
}"""

CANVAS = "() => getComputedStyle(document.documentElement).backgroundColor"


def rgb(colour: str) -> tuple[float, float, float]:
    red, green, blue = (float(part) for part in re.findall(r"[\d.]+", colour)[:3])
    return red, green, blue


def luminance(colour: str) -> float:
    """WCAG relative luminance of a CSS rgb()/rgba() colour."""
    channels = [value / 255 for value in rgb(colour)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_skip_link_comes_first_shows_on_focus_and_moves_to_the_text(browser, project, scheme):
    context = new_context(browser, color_scheme=scheme, viewport={"width": 1024, "height": 768})
    for path in handout_pages(project):
        page = open_page(context, path)
        hidden = page.locator(".skip-link").bounding_box()
        # Off the page's start side (left, or right on a right-to-left page, where no one can scroll to it).
        assert hidden is None or hidden["x"] + hidden["width"] <= 0 or hidden["x"] >= 1024 or hidden["width"] * hidden["height"] <= 1, (
            f"{path.name}: the skip link shows before it has focus: {hidden}"
        )

        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["cls"] == "skip-link", f"{path.name}: the first Tab stop is {focused}"
        box = focused["box"]
        assert box["width"] > 20 and box["height"] > 10, f"{path.name}: focused skip link is not visible: {box}"
        assert box["left"] >= 0 and box["top"] >= 0 and box["right"] <= 1024, f"{path.name}: off-screen: {box}"
        assert focused["outlineStyle"] != "none", f"{path.name}: the focused skip link has no outline"
        # Its text must be readable while it shows: axe measures the contrast of the focused link.
        response = run_axe(page, context=".skip-link")
        assert not response["violations"], f"{path.name} ({scheme}):\n{describe(response['violations'])}"

        page.keyboard.press("Enter")
        focused = page.evaluate(FOCUSED)
        assert (focused["tag"], focused["id"]) == ("main", "content"), f"{path.name}: focus went to {focused}"
        assert page.evaluate("location.hash") == "#content"
        # The next Tab continues from the text, not from the top of the page (when the text has a link).
        if page.evaluate("document.querySelector('main a[href]') !== null"):
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.closest('main') !== null"), path.name
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_focus_is_visible_on_every_link(browser, project, scheme):
    context = new_context(browser, color_scheme=scheme)
    for path in pages(project):
        page = open_page(context, path)
        canvas = page.evaluate(CANVAS)
        links = page.evaluate("document.querySelectorAll('a[href], button, input, select, textarea').length")
        seen = []
        for _ in range(links):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            seen.append(focused["text"])
            where = f"{path.name} ({scheme}): {focused['tag']} {focused['text']!r}"
            assert focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2, f"{where}: no focus outline"
            # WCAG 1.4.11: a focus indicator needs 3:1 against what surrounds it.
            assert contrast(focused["outlineColor"], canvas) >= 3, f"{where}: outline {focused['outlineColor']} on {canvas}"
        assert len(seen) == links >= 1, path.name
    context.close()


def test_dark_mode_uses_dark_colours(browser, project):
    for scheme in SCHEMES:
        context = new_context(browser, color_scheme=scheme)
        for path in pages(project):
            page = open_page(context, path)
            canvas = page.evaluate(CANVAS)
            text = page.evaluate("getComputedStyle(document.body).color")
            link = page.evaluate("getComputedStyle(document.querySelector('a[href]')).color")
            if scheme == "dark":
                assert luminance(canvas) < 0.05 < luminance(text), f"{path.name}: not dark: {text} on {canvas}"
            else:
                assert luminance(canvas) > 0.9 > luminance(text), f"{path.name}: not light: {text} on {canvas}"
            # axe checks this too; here it also covers the links, whichever the scheme.
            assert contrast(text, canvas) >= 7 and contrast(link, canvas) >= 4.5, (path.name, scheme, text, link, canvas)
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_print_stylesheet_is_the_leaflet(browser, project, scheme):
    context = new_context(browser, color_scheme=scheme)
    for path in handout_pages(project):
        page = open_page(context, path)
        page.emulate_media(media="print")
        style = page.evaluate(
            """() => ({
              size: parseFloat(getComputedStyle(document.body).fontSize),
              text: getComputedStyle(document.body).color,
              canvas: getComputedStyle(document.documentElement).backgroundColor,
              hidden: [...document.querySelectorAll('.skip-link, .site-nav')].map(el => getComputedStyle(el).display),
            })"""
        )
        assert style["size"] == pytest.approx(14 * PT, abs=0.01), f"{path.name}: body text is {style['size'] / PT} pt"
        assert style["hidden"] == ["none", "none"], f"{path.name}: skip link and navigation are printed"
        # Paper is white whatever the screen prefers: dark mode must not print as a black page.
        assert luminance(style["canvas"]) > 0.9 and luminance(style["text"]) < 0.05, (path.name, style)
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000, f"{path.name} does not print"
    context.close()
