"""What one handout may cost, in one place: a hostile or broken source must fail fast and clearly.

The README ("Bad sources") lists these. Tests lower them with monkeypatch; nothing else changes them.
What one job may cost (time, memory) is a site setting instead, `limits:` in site.yaml
(pipeline/workers.py), so that a service can give its largest handouts more.
"""

from __future__ import annotations

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""A handout source (or site.yaml) larger than this is refused before it is parsed. The longest real
handout is about 20 KB: 2 MB is a hundred times that, and still lays out in seconds."""

MAX_YAML_DEPTH = 20
"""Lists and mappings nested deeper than this in front matter are refused (the deepest field needs 3)."""

MAX_WORD_CHARACTERS = 200
"""The longest run of characters with no place to break a line (a space, a hyphen, a slash) that a
handout may print. The longest real words are under 70 letters, and a web address is broken at its
slashes; a longer run is no word a patient can read, and laying it out costs time that grows with
the square of its length (100,000 letters: over two minutes for one PDF)."""

MAX_PICTURE_BYTES = 10 * 1024 * 1024
"""A picture file larger than this is refused before it is read. A phone photo saved as JPEG is 2-5 MB
and a full-page diagram far less; 10 MB still leaves room for a large PNG, and keeps an e-book with a
few pictures something a patient can download on a phone."""

MAX_PICTURE_PIXELS = 25_000_000
"""A picture with more pixels than this (width x height, times the frames of an animation) is refused
from its header, before it is decoded. A whole A4 page at print resolution (300 dpi) is 8.7 million
pixels, a 24-megapixel camera photo fits; decoded, 25 million pixels take 100 MB, which a PDF job can
afford. A "decompression bomb" (40000 x 40000 pixels of one colour in a few kilobytes of PNG) is
1,600 million."""

MAX_SVG_ELEMENTS = 50_000
"""An SVG picture that takes more elements to draw than this, once every `<use>` (a copy of another
part) and every `url(#...)` of a pattern, clip, mask or marker is expanded (named by an attribute or by
a `<style>` rule), is refused when it is read.
A detailed illustration has a few thousand; WeasyPrint draws about 10,000 a second (5,000 through
`<use>`), so this is at most about 10 s per PDF. A `<use>` bomb (ten copies of ten copies of ...)
draws billions from a kilobyte, and WeasyPrint, which swallows every exception while drawing an SVG,
could not be stopped by the time limit from inside."""

MAX_SVG_DEPTH = 100
"""SVG elements nested deeper than this (counting what `<use>` brings in) are refused. Drawing programs
nest a few groups deep; WeasyPrint draws by recursion, and past Python's recursion limit it would drop
the picture without a word."""
