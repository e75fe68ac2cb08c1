"""SVG pictures (pipeline/read/svg.py): refused when they could run script, load something or take too
long to draw; otherwise published as the pipeline rewrote them, drawn exactly as before."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
import weasyprint
from PIL import Image as Picture, ImageChops

from pipeline.read import svg
from pipeline.config import SiteConfig, load_config
from pipeline.errors import PipelineError
from pipeline.writers.fetcher import SandboxFetcher
from pipeline.model import Image
from pipeline.read.handout import read_handout

from .conftest import build
from .outputs import epub_members
from .test_pictures import HEADER, read_with, refusal


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">'


def use_bomb(levels: int) -> str:
    """Ten copies of ten copies of ... one square: 10**levels squares from a few hundred bytes."""
    groups = "".join(
        f'<g id="g{level}">' + f'<use href="#g{level - 1}"/>' * 10 + "</g>" for level in range(1, levels + 1)
    )
    return f'{SVG_OPEN}<defs><g id="g0"><rect width="1" height="1"/></g>{groups}</defs><use href="#g{levels}"/></svg>'


class TestSvgRefusals:
    @pytest.mark.parametrize(
        "picture, words",
        [
            (f'{SVG_OPEN}<rect width="5" height="5" onload="alert(1)"/></svg>', "has an 'onload' attribute, which runs script"),
            ('<svg xmlns="http://www.w3.org/2000/svg" onLoad="alert(1)"/>', "has an 'onLoad' attribute"),
            (SVG_OPEN + r'<rect width="5" height="5" style="fill: \75 rl(https://example.org/a.svg#p)"/></svg>',
             "refers to 'https://example.org/a.svg#p', outside the picture"),
            (SVG_OPEN + r'<rect width="5" height="5" fill="\75 rl(other.svg#p)"/></svg>', "refers to 'other.svg#p'"),
            (SVG_OPEN + r'<style>@\69mport "https://example.org/a.css";</style></svg>', "uses the CSS rule '@import'"),
            (SVG_OPEN + "<style>@media print { @import url(a.css); }</style></svg>", "uses the CSS rule '@import'"),
            (SVG_OPEN + '<style>@font-face { font-family: X; src: local(Arial) }</style></svg>', "'@font-face'"),
            (SVG_OPEN + '<rect width="5" height="5" style="fill: image-set(\'a.png\' 1x)"/></svg>', "refers to 'a.png'"),
            (SVG_OPEN + '<rect width="5" height="5" fill="url(a b)"/></svg>', "has CSS in its 'fill' attribute that cannot be read"),
            (SVG_OPEN + '<a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a></svg>', "refers to 'javascript:alert(1)'"),
            (SVG_OPEN + '<a href="#x"><set attributeName="href" to="javascript:alert(1)"/></a></svg>', "contains a <set> element: animation"),
            (SVG_OPEN + '<animate attributeName="fill" to="red"/></svg>', "contains a <animate> element"),
            (SVG_OPEN + "<script>alert(1)</script></svg>", "contains a <script> element: a script runs"),
            (SVG_OPEN + '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
             "contains a <script> element from http://www.w3.org/1999/xhtml"),
            (SVG_OPEN + "<foreignObject/></svg>", "contains a <foreignObject> element"),
            (SVG_OPEN + '<g xml:base="https://example.org/"><use href="#a"/></g></svg>', "has an attribute 'base'"),
            (SVG_OPEN + '<rect width="5" height="5" frobnicate="1"/></svg>', "has an attribute 'frobnicate' on <rect>"),
            (SVG_OPEN + "<cursor/></svg>", "contains a <cursor> element, which a handout's pictures may not use"),
            ('<?xml-stylesheet href="a.css"?>' + SVG_OPEN + "</svg>", "links a stylesheet"),
            ('<!DOCTYPE svg [<!ENTITY x "y">]>' + SVG_OPEN + "<text>&x;</text></svg>", "declares XML entities"),
            ('<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
             + SVG_OPEN + "<text>&nbsp;</text></svg>", "uses the entity '&nbsp;'"),
            ('<svg width="5" height="5"/>', "is not an SVG picture: its outermost element is <svg>, not an SVG <svg>"),
            (SVG_OPEN + "<rect", "is not well-formed XML"),
            (use_bomb(6), "draws more than 50,000 elements once its copies of other parts"),
            (SVG_OPEN + '<g id="a"><use href="#a"/></g></svg>', "has an element that contains itself through '#a'"),
            (SVG_OPEN + "<g>" * 150 + "</g>" * 150 + "</svg>", "nests elements more than 100 deep"),
        ],
    )
    def test_an_svg_that_could_run_load_or_explode_is_an_error_with_its_line(self, write_source, picture, words):
        error = refusal(write_source, "chart.svg", picture.encode())
        assert error.message.startswith("the SVG picture 'chart.svg' ") and words in error.message, error.message

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
    def test_the_check_reads_any_encoding(self, write_source, encoding):
        """Today's regexes ran over the raw bytes, which UTF-16 hides a stylesheet or an entity from."""
        for prologue, words in (('<?xml-stylesheet href="https://example.org/a.css"?>', "links a stylesheet"),
                                ('<!DOCTYPE svg [<!ENTITY x "y">]>', "declares XML entities")):
            picture = f'<?xml version="1.0" encoding="UTF-16"?>{prologue}{SVG_OPEN}</svg>'.encode(encoding)
            if encoding == "utf-16-be":
                picture = b"\xfe\xff" + picture
            assert words in refusal(write_source, "chart.svg", picture).message

    def test_a_marker_counts_once_per_vertex(self, write_source):
        """Markers on markers multiply like <use>: 300 vertices, three times over, is 27 million."""
        path = " ".join(f"{n} {n}" for n in range(300))
        markers = "".join(f'<marker id="m{n}"><path d="M{path}" marker-mid="url(#m{n + 1})"/></marker>' for n in range(3))
        picture = f'{SVG_OPEN}<defs>{markers}<marker id="m3"><rect width="1" height="1"/></marker></defs><path d="M{path}" marker-mid="url(#m0)"/></svg>'
        assert "draws more than 50,000 elements" in refusal(write_source, "chart.svg", picture.encode()).message

    def test_rules_of_a_style_sheet_count_where_they_apply(self, write_source):
        """Clip paths of ten shapes each clipped by the level below, through class rules: WeasyPrint
        took 81 s and 910 MB for 7 levels. The rules are matched to the elements as WeasyPrint does."""
        def picture(levels: int) -> bytes:
            rules = "".join(f".c{level} {{ clip-path: url(#c{level}) }}" for level in range(levels))
            clips = '<clipPath id="c0"><rect width="1" height="1"/></clipPath>' + "".join(
                f'<clipPath id="c{level}">' + f'<rect class="c{level - 1}" width="1" height="1"/>' * 10 + "</clipPath>"
                for level in range(1, levels))
            return f'{SVG_OPEN}<style>{rules}</style><defs>{clips}</defs><rect class="c{levels - 1}" width="9" height="9"/></svg>'.encode()

        assert read_with(write_source, "chart.svg", picture(4)).images  # a thousand rectangles draw
        assert "draws more than 50,000 elements" in refusal(write_source, "chart.svg", picture(6)).message

    def test_a_rule_inside_a_rule_is_refused(self, write_source):
        picture = f"{SVG_OPEN}<style>g {{ rect {{ clip-path: url(#c) }} }}</style></svg>".encode()
        assert "has a CSS rule inside another rule" in refusal(write_source, "chart.svg", picture).message

    def test_a_use_bomb_never_reaches_weasyprint(self, write_source, tmp_path, capsys):
        source = write_source(HEADER + "![A chart](chart.svg)\n")
        (source.parent / "chart.svg").write_text(use_bomb(9))  # a thousand million squares
        assert build(source.parent, tmp_path / "out", "--format", "pdf") == 1
        assert "draws more than 50,000 elements" in capsys.readouterr().err
        assert not (tmp_path / "out").exists()

    def test_the_limit_is_on_what_is_drawn_not_on_the_file(self, write_source):
        assert read_with(write_source, "chart.svg", use_bomb(4).encode()).images  # 10,000 squares draw


INKSCAPE = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg width="60" height="40" viewBox="0 0 60 40" version="1.1" id="svg5"
   inkscape:version="1.3 (0e150ed6c4, 2023-07-21)" sodipodi:docname="chart.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg"
   xmlns:svg="http://www.w3.org/2000/svg" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview id="namedview7" pagecolor="#ffffff" inkscape:zoom="4"><inkscape:grid type="xygrid"/></sodipodi:namedview>
  <defs id="defs2">
    <linearGradient inkscape:collect="always" id="fade"><stop style="stop-color:#1a1a1a;stop-opacity:1" offset="0"/><stop style="stop-color:#1a1a1a;stop-opacity:0.2" offset="1"/></linearGradient>
    <linearGradient xlink:href="#fade" id="bar" x1="0" y1="0" x2="50" y2="0" gradientUnits="userSpaceOnUse"/>
    <style>.outline {{ fill: none; stroke: #767676; stroke-width: 1 }}</style>
  </defs>
  <metadata id="metadata5"><rdf:RDF><cc:Work rdf:about=""><dc:title>Two bars</dc:title></cc:Work></rdf:RDF></metadata>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <rect style="fill:url(#bar);stroke:none" id="rect1" width="50" height="10" x="5" y="5" sodipodi:nodetypes="cccc"/>
    <rect class="outline" id="rect2" width="30" height="10" x="5" y="22"/>
    <use xlink:href="#rect2" x="20" y="0" id="use1"/>
    <path d="M 5,36 H 55" style="stroke:#1a1a1a;stroke-width:2" inkscape:connector-curvature="0"/>
  </g>
</svg>
"""
"""What Inkscape saves: editor data in its namespaces, RDF metadata, a comment, a doctype."""


def rendered(picture: bytes) -> Picture.Image:
    fetcher = SandboxFetcher([Image("a.svg", "A", picture, "image/svg+xml")])
    page = '<img src="a.svg" alt="A" style="width: 12cm">'
    pdf = weasyprint.HTML(string=page, base_url=fetcher.BASE, url_fetcher=fetcher).write_pdf()
    return pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("RGB")


class TestCleanedSvg:
    def test_editor_data_is_dropped_and_the_picture_is_drawn_the_same(self):
        cleaned = svg.clean(INKSCAPE.encode(), "chart.svg")
        for gone in (b"inkscape", b"sodipodi", b"rdf", b"<metadata", b"<!--", b"DOCTYPE", b"Two bars"):
            assert gone not in cleaned
        assert b'<use xlink:href="#rect2"' in cleaned and b"stroke:#1a1a1a" in cleaned
        assert ImageChops.difference(rendered(INKSCAPE.encode()), rendered(cleaned)).getbbox() is None

    def test_the_same_picture_always_gives_the_same_bytes(self):
        cleaned = svg.clean(INKSCAPE.encode(), "chart.svg")
        assert svg.clean(INKSCAPE.encode(), "chart.svg") == cleaned
        assert svg.clean(cleaned, "chart.svg") == cleaned  # what was cleaned passes the check unchanged
        utf16 = INKSCAPE.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
        assert svg.clean(utf16, "chart.svg") == cleaned  # whatever the encoding

    def test_css_is_published_as_parsed_without_what_a_browser_would_drop(self):
        picture = (SVG_OPEN + '<style>/* note */ .a { fill: url(#g) } .b { fill: url(x y) }</style>'
                   '<rect style="fill: red; /* note */ stroke: url(var(--x)); opacity: 1" width="5" height="5"/></svg>')
        cleaned = svg.clean(picture.encode(), "chart.svg").decode()
        assert "<style> .a { fill: url(#g) } </style>" in cleaned
        assert re.search(r'style="fill: red;\s*opacity: 1;"', cleaned)  # the declaration that did not parse is gone
        assert "note" not in cleaned and "url(x" not in cleaned

    def test_every_output_publishes_the_cleaned_picture(self, write_source, tmp_path):
        source = write_source(HEADER + "![A chart](chart.svg)\n\n[Enlarge the chart](chart.svg)\n")
        (source.parent / "chart.svg").write_text(INKSCAPE)
        cleaned = svg.clean(INKSCAPE.encode(), "chart.svg")
        assert read_handout(source, SiteConfig()).images[0].data == cleaned  # what the PDF's fetcher serves
        assert build(source.parent, tmp_path / "out", "--format", "epub,html") == 0
        assert (tmp_path / "out" / "html" / "chart.svg").read_bytes() == cleaned
        assert epub_members(tmp_path / "out" / "epub" / "handout.epub")["EPUB/chart.svg"] == cleaned

    def test_the_logo_is_cleaned_too(self, tmp_path):
        (tmp_path / "logo.svg").write_text(INKSCAPE)
        (tmp_path / "site.yaml").write_text("organisation: Example Clinic\nlogo: logo.svg\n")
        assert load_config(tmp_path).logo_image.data == svg.clean(INKSCAPE.encode(), "logo.svg")
        (tmp_path / "logo.svg").write_text(f'{SVG_OPEN}<rect width="5" height="5" onclick="alert(1)"/></svg>')
        with pytest.raises(PipelineError, match="the logo: the SVG picture 'logo.svg' has an 'onclick' attribute"):
            load_config(tmp_path)
