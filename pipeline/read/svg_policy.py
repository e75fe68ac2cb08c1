"""What an SVG picture may hold (pipeline/read/svg.py applies it): the allow-lists, in one place to review.

The lists are of static SVG (1.1 and 2): what draws a still picture in WeasyPrint, a browser and an
e-reader. Anything else in the SVG, XLink or XML namespaces is refused, not guessed at: an element or
attribute missing here that a real picture needs can be added after a look at what it does.
"""

from __future__ import annotations

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
ACTIVE_NAMESPACES = {
    SVG, XLINK, XML,
    "http://www.w3.org/1999/xhtml",  # an HTML <script> inside an SVG runs
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/2001/xml-events",  # ev:event attaches script to events
    "http://www.w3.org/1999/XSL/Transform",
}
"""Namespaces a browser acts on: in them, anything not on the allow-lists is refused. Every other
namespace holds an editor's private data, which no renderer draws: it is dropped."""

ELEMENTS = frozenset((
    # structure and accessible names
    "svg", "g", "defs", "symbol", "use", "switch", "a", "title", "desc", "style",
    # shapes and text
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath",
    # paint, clipping, masking, markers; an <image> may only name an element of the picture
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image",
    # filters
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode",
    "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
    "feTurbulence",
))
"""SVG elements that draw a still picture (SVG 1.1 and 2): what WeasyPrint, browsers and e-readers
render on paper or on a screen. Not here: script, animation, embedded documents, SVG fonts, cursors
and colour profiles (which load files), and `<tref>` (obsolete)."""

_ANIMATION = "animation can change the picture after it was checked (and a printed picture cannot move)"
REFUSED = {
    "script": "a script runs when the picture is opened",
    "handler": "a script runs when the picture is opened",
    "foreignObject": "it embeds a web page in the picture",
    **dict.fromkeys(("animate", "animateColor", "animateMotion", "animateTransform", "set", "discard", "mpath"), _ANIMATION),
}
"""Elements refused with a reason of their own; every other element not in ELEMENTS is refused too."""

DROPPED = frozenset(("metadata",))
"""SVG elements never drawn that editors fill (RDF, XMP): dropped with what is inside."""

_PRESENTATION = (
    "alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation"
    " color-interpolation-filters color-rendering cursor direction display dominant-baseline"
    " enable-background fill fill-opacity fill-rule filter flood-color flood-opacity font font-family"
    " font-size font-size-adjust font-stretch font-style font-variant font-weight"
    " glyph-orientation-horizontal glyph-orientation-vertical image-rendering isolation kerning"
    " letter-spacing lighting-color marker marker-end marker-mid marker-start mask mask-type"
    " mix-blend-mode opacity overflow paint-order pointer-events shape-rendering solid-color"
    " solid-opacity stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap"
    " stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor text-decoration"
    " text-rendering transform-origin unicode-bidi vector-effect visibility white-space word-spacing"
    " writing-mode"
)
_GEOMETRY = (
    "id class style lang role focusable version baseProfile zoomAndPan x y width height rx ry cx cy r"
    " fx fy fr x1 y1 x2 y2 d points pathLength transform viewBox preserveAspectRatio href"
    " dx dy rotate textLength lengthAdjust startOffset method spacing side"
    " gradientUnits gradientTransform spreadMethod offset patternUnits patternContentUnits"
    " patternTransform clipPathUnits maskUnits maskContentUnits markerUnits markerWidth markerHeight"
    " refX refY orient requiredFeatures requiredExtensions systemLanguage media type title"
)
_FILTERS = (
    "filterUnits primitiveUnits in in2 result mode values operator k1 k2 k3 k4 stdDeviation edgeMode"
    " order kernelMatrix divisor bias targetX targetY kernelUnitLength preserveAlpha surfaceScale"
    " diffuseConstant specularConstant specularExponent limitingConeAngle pointsAtX pointsAtY"
    " pointsAtZ azimuth elevation z scale xChannelSelector yChannelSelector radius baseFrequency"
    " numOctaves seed stitchTiles tableValues slope intercept amplitude exponent"
)
ATTRIBUTES = frozenset(f"{_PRESENTATION} {_GEOMETRY} {_FILTERS}".split())
"""Attributes (without a namespace) of the drawing elements: presentation (paint, stroke, text
style), geometry and the parameters of gradients, patterns, markers and filters; `role` and
`aria-*` name the picture for screen readers, `data-*` is inert. Not here: the `on...` event
attributes (script), and anything unknown, which is refused rather than guessed at."""

XLINK_ATTRIBUTES = frozenset(("href", "title", "type", "role", "arcrole", "show", "actuate"))
XML_ATTRIBUTES = frozenset(("space", "lang"))
"""Not `xml:base`, which would make every `#id` point into another file."""

AT_RULES = frozenset(("media", "supports", "keyframes"))
"""CSS at-rules that only group or describe rules; `@import`, `@font-face` and the rest, which can
load a file or define a font, are refused."""

URL_FUNCTIONS = frozenset(("url", "src"))
IMAGE_FUNCTIONS = frozenset(("image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade"))
"""CSS functions whose quoted strings are addresses."""
REFUSED_FUNCTIONS = frozenset(("attr", "element", "-moz-element", "paint", "expression"))
"""CSS functions that make an address, a picture or a script out of something else."""

MARKER_PROPERTIES = frozenset(("marker", "marker-start", "marker-mid", "marker-end"))
"""A marker is drawn at every vertex of the shape that names it."""

DRAWN_WHERE_USED = frozenset((
    "defs", "symbol", "marker", "pattern", "clipPath", "mask", "filter", "linearGradient", "radialGradient",
))
"""Elements whose content is drawn only where something refers to them, never where they stand."""
