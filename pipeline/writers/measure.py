"""Text measured once per layout, not once per page.

To size a box to its content, WeasyPrint (70) measures the box's min- and max-content widths
(weasyprint/layout/preferred.py): it breaks the text at every opportunity, one Pango layout per
piece. It measures the same text in the same style again and again: the running footer on every
page (at every character, since a long title may wrap anywhere), a table's cells at each pass of
the table algorithm. That was a sixth of the CPU time of a whole build.

`install` wraps the function those measurements call (`split_first_line`, as preferred.py calls
it) so that each piece of text, in a style, with the same arguments, is measured once per layout.
Only what preferred.py reads is kept, the resume index and the width; the line breaking that lays
text out (weasyprint/layout/inline.py) is not touched. The cache lives on the layout context, so
no two layouts share it; it keys on the style object itself, which it holds so that its identity
is never reused while the cache lives. WeasyPrint computes a style's values once and does not
change them during layout (where it changes a style, it changes a copy), so the same text in the
same style always measures the same: the PDFs are the same bytes as without the cache
(tests/test_measure.py).
"""

from __future__ import annotations

from weasyprint.layout import preferred

_split_first_line = preferred.split_first_line
_CACHE = "_pipeline_measured"
"""The attribute of WeasyPrint's layout context that holds its measurements."""


def _measured_first_line(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
    cache = context.__dict__.setdefault(_CACHE, {})
    key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
    found = cache.get(key)
    if found is None:
        _layout, _length, resume_index, width, _height, _baseline = _split_first_line(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        found = cache[key] = (resume_index, width, style)
    # preferred.py reads only these two; the rest stays unset, so a use of it fails loudly.
    return None, None, found[0], found[1], None, None


def install() -> None:
    """Measure text once per layout from now on (idempotent)."""
    preferred.split_first_line = _measured_first_line
