"""The words of a shaped line, stored beside its glyphs, so that a PDF reader gives them back.

A PDF draws glyphs, and a reader that copies, searches or reads aloud its text maps each glyph back
to characters through the font's ToUnicode table: one glyph, one string, for the whole file. That
holds for Atkinson Hyperlegible's Latin letters, but not once HarfBuzz has shaped a script: a
Devanagari vowel sign drawn before the consonant it follows, a conjunct drawn as one glyph, a
Vietnamese letter drawn as a base and a mark, an Arabic word drawn right to left, the same glyph
standing for different text in two words. WeasyPrint (70) keeps the first text it saw for each
glyph, so `काल्पनिक पर्चा` came back as `काल्प निक प ार्चा`.

PDF's answer is an /ActualText span (PDF 32000-1, 14.9.4), which Chrome and LibreOffice write too:
the line's own text, in reading order, in a marked-content span around its glyphs. WeasyPrint has
no hook for it, so `install` wraps the one function that draws a line of text
(`weasyprint.draw.text.draw_first_line`), leaving its drawing untouched. Only lines with a
character Atkinson Hyperlegible does not draw get the span: an English leaflet's bytes stay as they
were. tests/test_scripts.py reads the words back from the PDFs of every script.
"""

from __future__ import annotations

from functools import cache

import weasyprint.draw.text

from .. import fonts

_draw_first_line = weasyprint.draw.text.draw_first_line


@cache
def _plain() -> frozenset[int]:
    """What a line may hold and still be drawn without a span: the characters Atkinson Hyperlegible
    draws, line breaks and tabs. (One set test a line: a test per character was 1% of a build.)"""
    return fonts.ATKINSON.codepoints | {ord("\n"), ord("\t")}


def _draw_line_with_its_words(stream, textbox, *args, **kwargs):
    text = textbox.text
    if text.strip() and not _plain().issuperset(map(ord, text)):
        stream.begin_marked_content("Span", f"<</ActualText <FEFF{text.encode('utf-16-be').hex().upper()}>>>")
        try:
            return _draw_first_line(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()
    return _draw_first_line(stream, textbox, *args, **kwargs)


def install() -> None:
    """Draw every line of text from now on with its words beside it (idempotent)."""
    weasyprint.draw.text.draw_first_line = _draw_line_with_its_words
