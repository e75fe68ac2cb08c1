"""What one handout may cost, in one place: a hostile or broken source must fail fast and clearly.

The README ("Bad sources") lists these. Tests lower them with monkeypatch; nothing else changes them.
What one job may cost (time, memory) is a site setting instead, `limits:` in site.yaml
(pipeline/build/workers.py), so that a service can give its largest handouts more.
"""

from __future__ import annotations

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""A handout source (or site.yaml) larger than this is refused before it is parsed. The longest real
handout is about 20 KB: 2 MB is a hundred times that, and still lays out in seconds."""

MAX_TITLE_CHARACTERS = 150
"""A title or subtitle longer than this is refused. The running footer repeats the title on every
page (a 50,000-character title took 94 s and 1 GB to lay out); real titles are under 80."""

MAX_LINE_CHARACTERS = 300
"""The most a one-line field may hold: author, version, reviewer, audience, a suppression's reason,
and site.yaml's organisation, contact and logo."""

MAX_SUMMARY_CHARACTERS = 2_000
"""The opening summary is a paragraph or two; a longer one belongs in the body."""

MAX_ADDRESS_CHARACTERS = 200
"""The longest `base_url`: with a handout's name after it, it is drawn in a QR code on every leaflet,
and a phone camera reads a QR code of up to about 300 characters reliably."""

MAX_KEYWORDS = 50
"""How many `keywords` a handout may give, each a word or phrase of at most MAX_KEYWORD_CHARACTERS.
They go into every output's metadata; 150,000 of them took WeasyPrint 171 s to de-duplicate."""
MAX_KEYWORD_CHARACTERS = 100

MAX_REFERENCES = 200
"""How many `references` a handout may list, each at most MAX_REFERENCE_CHARACTERS long (a full
citation with its web address)."""
MAX_REFERENCE_CHARACTERS = 1_000

MAX_HEADINGS = 1_000
MAX_NOTES = 1_000
"""The most headings and footnotes one handout may have. A long real handout has a few dozen of
each; a thousand take 10-20 s to lay out as PDFs, and 40,000 reached the job's time or memory
limit after minutes. Past these the build says so at once, on the line of the first one too many."""

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

MAX_SUPPRESSIONS = 100
"""A handout may accept check findings (`<!-- ignore RULE: why -->` and `suppress:` entries) at most
this many times. The kratom handout needs none; a handful, each with its reason, is what a reviewer
can read. Each is weighed against every finding, so thousands would also make the checks slow."""
