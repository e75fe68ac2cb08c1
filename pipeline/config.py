"""Site-wide settings, read from one file beside the handouts (`source/site.yaml`), and the site's
own words for its pages from another (`source/messages.yaml`, pipeline/read/site_words.py).

Every setting has a default so a new project builds before anyone edits the file. Settings that
are unknown stay empty, and nothing pretends otherwise: an empty organisation is simply not printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .read import limits, schema
from .errors import PipelineError
from .read import characters, resources
from .read.site_words import read_site_words
from .messages import SiteWords
from .model import Image
from .read.text import read_source_text
from .build.workers import Limits
from .writers.printstyle import PAPER_SIZES

CONFIG_NAME = "site.yaml"

_LINE = schema.text_up_to(limits.MAX_LINE_CHARACTERS)

FIELDS = (
    schema.Field("organisation", _LINE, "the name of the clinic or service that publishes the handouts"),
    schema.Field("contact", _LINE, "one line patients can use to reach you, e.g. a phone number"),
    schema.Field("base_url", schema.url, "where the web versions live, e.g. https://example.org/handouts/"),
    schema.Field("paper", schema.one_of(*PAPER_SIZES), "paper size of the PDF leaflet: a4 or letter"),
    schema.Field("lang", schema.language, "language of the pages that list the handouts, e.g. en or en-GB"),
    schema.Field("logo", _LINE, "the organisation's logo: a picture file in the source folder, e.g. logo.png"),
    schema.Field("review_years", schema.whole_number, "years after a review until the next is due (default 2)"),
    schema.Field("reading_grade", schema.positive_number, "the highest reading grade the content checks accept, e.g. 8 or 6"),
    schema.Field(
        "spanish_reading_ease", schema.positive_number,
        "the lowest INFLESZ score (0-100, higher is easier) the checks accept for a Spanish handout, e.g. 55 or 65",
    ),
    schema.Field(
        "limits",
        lambda value: Limits(**schema.mapping(value, {"job_seconds": schema.positive_number, "job_memory_mb": schema.whole_number})),
        "what one output may cost: 'job_seconds: 120' (wall time) and 'job_memory_mb: 2048' (memory), each on its own line below",
    ),
)


@dataclass(frozen=True)
class SiteConfig:
    organisation: str = ""
    """Publisher of every handout; printed in the title block and used as PDF author and EPUB publisher."""
    contact: str = ""
    """Contact line printed at the end of every handout."""
    base_url: str = ""
    """Address of the web versions; `<base_url><slug>.html` is a handout's web page."""
    paper: str = "a4"
    """Default paper for PDFs: `a4` or `letter` (overridden by `--paper` / `make pdf PAPER=…`)."""
    lang: str = "en"
    """Language of pages that belong to no single handout (the index)."""
    review_years: int = 2
    """How long a review holds when a handout gives no `next_review` date."""
    logo: str = ""
    """Path of the logo picture, relative to the source folder; its alt text is the organisation's name."""
    reading_grade: float = 8
    """Target of the `reading-grade` check (SMOG and Flesch–Kincaid); the same as checks.readability.TARGET_GRADE."""
    spanish_reading_ease: float = 55
    """Target of the `reading-ease` check on Spanish handouts (INFLESZ); checks.language.SPANISH_READING_EASE."""
    limits: Limits = Limits()
    """What one job (one output of one handout, or its checks) may cost before it is stopped."""
    messages: SiteWords = SiteWords()
    """The site's own words for its pages, by language, over the catalogues' (messages.yaml)."""

    def with_paper(self, paper: str | None) -> SiteConfig:
        if not paper:
            return self
        try:
            return replace(self, paper=schema.one_of(*PAPER_SIZES)(paper))
        except schema.Invalid as exc:
            raise PipelineError(f"the paper size must be {exc}", hint="Use PAPER=a4 or PAPER=letter.") from None

    @property
    def paper_name(self) -> str:
        """The CSS name of the paper size."""
        return PAPER_SIZES[self.paper]

    logo_image: Image | None = field(default=None, repr=False)
    """The logo, read once; its alt text is the organisation's name."""

    def web_address(self, slug: str) -> str:
        if not self.base_url:
            return ""
        return self.base_url.rstrip("/") + f"/{slug}.html"


def load_config(source_dir: Path) -> SiteConfig:
    path = source_dir / CONFIG_NAME
    words = read_site_words(source_dir)
    if not path.exists():
        return SiteConfig(messages=words)
    text = read_source_text(path, root=source_dir)
    values = schema.read_mapping(text, FIELDS, path, what="site configuration")
    characters.check_source(text, path, values, text)
    if "logo" in values:
        values["logo_image"] = _read_logo(values, source_dir, path, schema.line_of(text, "logo"))
    return SiteConfig(**values, messages=words)


def _read_logo(values: dict, source_dir: Path, path: Path, line: int | None) -> Image:
    """The logo, read through the same sandbox as a handout's pictures (pipeline/read/resources.py).

    `logo:` names a file (`logo: our logo.png` is the file with a space), not an address."""
    logo = str(values["logo"])
    if not values.get("organisation"):
        raise PipelineError(
            "a logo needs the organisation's name", path, line, "Set 'organisation:': it is read out in place of the logo."
        )
    try:
        _file, data, media_type = resources.read_picture(logo, source_dir)
    except resources.Refused as refused:
        raise PipelineError(f"the logo: {refused.message}", path, line, refused.hint) from None
    return Image(resources.address_of(PurePosixPath(logo).as_posix()), values["organisation"], data, media_type)
