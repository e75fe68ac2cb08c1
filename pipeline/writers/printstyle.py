"""The settings the one print stylesheet (templates/css/print.css) is rendered with.

Apart from WeasyPrint's writers (pdf.py) so that the web page, whose print stylesheet uses the
leaflet's settings, can be built without importing WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import NamedTuple

MM = 72 / 25.4
"""Points in a millimetre."""

PAPER_SIZES = {"a4": "A4", "letter": "Letter"}
"""The papers a leaflet is printed on (`paper:` in site.yaml, `--paper`), each with its CSS name."""


class Margins(NamedTuple):
    """Page margins in millimetres. `inner` is on the side of the fold; the footer sits in `bottom`."""

    top: float
    inner: float
    outer: float
    bottom: float


@dataclass(frozen=True)
class PrintStyle:
    """What templates/css/print.css is rendered with. Headings, the running footer and the page
    numbers are sized relative to `body_pt`, so every variant keeps the leaflet's proportions."""

    body_pt: float = 14
    """Body text size in points."""
    line_height: float = 1.5
    paragraph_em: float = 0.8
    """Space after a paragraph or list, in ems of its text."""
    hyphens: str = "manual"
    """CSS `hyphens`: 'manual' breaks words only at a soft hyphen an author typed, 'none' never."""
    margins: Margins = Margins(top=20, inner=26, outer=26, bottom=26)

    def with_bottom_margin(self, millimetres: float) -> PrintStyle:
        """The same style with a deeper bottom margin: room for a running footer of more lines."""
        return replace(self, margins=self.margins._replace(bottom=round(millimetres, 1)))

    def for_language(self, lang: str) -> PrintStyle:
        """The style for a handout in `lang`: words broken at line ends by its own rules where its
        readers expect it (HYPHENATED_LANGUAGES); never in large print ('none' stays)."""
        if self.hyphens == "manual" and lang.lower().split("-")[0] in HYPHENATED_LANGUAGES:
            return replace(self, hyphens="auto")
        return self

    def with_top_margin(self, millimetres: float) -> PrintStyle:
        """The same style with a deeper top margin: room for a draft band of more lines."""
        return replace(self, margins=self.margins._replace(top=round(millimetres, 1)))


HYPHENATED_LANGUAGES = frozenset({"de", "nl", "da", "sv", "nb", "nn", "is", "hu", "et", "pl", "cs", "sk", "ru", "uk", "bg", "el"})
"""Languages of long compound or inflected words, which a line of 60 characters (or the booklet's 47)
cannot set without gaping spaces or overflowing words unless they are broken, as their printed
texts do; broken by the rules of their own language, from Pyphen's dictionaries (a pinned
dependency of WeasyPrint: nothing is downloaded). English and the other languages keep clear-print
guidance: no word is broken but where an author typed a soft hyphen."""

LEAFLET = PrintStyle()
"""The standard leaflet's settings; a browser printing the web page gets them too."""


HIDDEN_IN_PRINT = frozenset({"skip-link", "site-nav", "footnote-backref"})
"""Classes of the elements paper has no use for: links to skip or to follow back, site navigation.
The print stylesheet hides them, and the check that every word is printed (layout.py) expects
nothing of them: one list for both."""
