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
