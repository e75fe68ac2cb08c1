from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Sequence

from .. import fonts, templates
from ..config import SiteConfig
from ..model import Handout, Image
from ..output import write_atomically
from ..qrcode import qr_code
from .printstyle import HIDDEN_IN_PRINT


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
        """Every handout's outputs, and the files they share: the whole format in one call."""
        return self.write_shared() + [path for handout in handouts for path in self.write_handout(handout)]

    def write_handout(self, handout: Handout) -> list[Path]:
        """One handout's outputs: one job of a build (pipeline/engine.py runs them in parallel)."""
        return [write_atomically(self.output_path(handout), self.render(handout))]

    def write_shared(self) -> list[Path]:
        """Files every output of this format refers to (stylesheets, fonts), independent of any handout."""
        return []

    def render(self, handout: Handout) -> bytes | str:
        raise NotImplementedError

    def context(self, handout: Handout) -> dict[str, object]:
        """What every handout template sees."""
        web_address = self.config.web_address(handout.slug)
        return {
            "handout": handout,
            "site": self.config,
            "lang": handout.meta.lang,
            "web_address": web_address,
            "qr_code": self.qr_code(handout),
        }

    def qr_code(self, handout: Handout) -> Image | None:
        web_address = self.config.web_address(handout.slug)
        return qr_code(web_address, handout.slug) if web_address else None

    def pictures(self, handout: Handout) -> list[Image]:
        """Every picture file a handout's pages show, once each: its own, the logo, its QR code.

        A picture shown twice (or the logo also shown in the text) is one file: twice in an
        e-book it would be a duplicate zip entry, which e-readers may reject."""
        extra = (self.config.logo_image, self.qr_code(handout))
        files: dict[str, Image] = {}
        for picture in [*handout.images, *filter(None, extra)]:
            files.setdefault(picture.file_name, picture)
        return list(files.values())

    def stylesheet(self, name: str, font_url, **settings: object) -> str:
        """A stylesheet with the bundled fonts, on the site's paper unless `settings` give another page
        size; `draft=True` marks every printed page (the web page shows its own banner)."""
        settings.setdefault("paper", self.config.paper_name)
        settings.setdefault("draft", False)
        settings.setdefault("hidden", HIDDEN_IN_PRINT)
        return templates.render(
            f"css/{name}",
            faces=fonts.FACES,
            family=fonts.FAMILY,
            font_url=font_url,
            **settings,
        )
