from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Sequence

from .. import fonts, templates
from ..config import SiteConfig
from ..model import Handout
from ..output import write_atomically


class Writer:
    name: ClassVar[str]
    """What `--format` calls this writer."""
    folder: ClassVar[str]
    """Sub-folder of the build directory that holds its outputs."""
    suffix: ClassVar[str] = ""

    def __init__(self, config: SiteConfig, builddir: Path) -> None:
        self.config = config
        self.outdir = builddir / self.folder

    def output_path(self, handout: Handout) -> Path:
        return self.outdir / f"{handout.slug}{self.suffix}"

    def write(self, handouts: Sequence[Handout]) -> list[Path]:
        return [write_atomically(self.output_path(handout), self.render(handout)) for handout in handouts]

    def render(self, handout: Handout) -> bytes | str:
        raise NotImplementedError

    def context(self, handout: Handout) -> dict[str, object]:
        """What every handout template sees."""
        return {
            "handout": handout,
            "site": self.config,
            "lang": handout.meta.lang,
            "web_address": self.config.web_address(handout.slug),
        }

    def stylesheet(self, name: str, font_url, **settings: object) -> str:
        """A stylesheet with the bundled fonts, on the site's paper unless `settings` give another page size."""
        settings.setdefault("paper", self.config.paper_name)
        return templates.render(
            f"css/{name}",
            faces=fonts.FACES,
            family=fonts.FAMILY,
            font_url=font_url,
            **settings,
        )
