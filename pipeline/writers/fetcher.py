"""WeasyPrint's side of the resource sandbox (pipeline/read/resources.py): the one door it loads through.

A module of its own because it imports WeasyPrint, which only the PDF writers may load.
"""

from __future__ import annotations

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..model import Image


class SandboxFetcher(URLFetcher):
    """Everything WeasyPrint may load: the handout's pictures (already read) and the bundled fonts.

    Nothing else, ever: no network, no other file, no data: URL. The pictures are served from
    memory under a base address that no real request could reach. Every refused URL is recorded
    in `refused` and raised (fail_on_errors), so the PDF writer reports it instead of leaving a gap.
    """

    BASE = "https://handout.invalid/"

    def __init__(self, pictures: list[Image], fonts: tuple[tuple[str, bytes], ...] = ()) -> None:
        super().__init__(fail_on_errors=True)
        self.served = {self.BASE + picture.src: (picture.data, picture.media_type) for picture in pictures}
        self.served |= {url: (data, "font/ttf") for url, data in fonts}
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url not in self.served:
            self.refused.append(url)
            raise LookupError(url)
        data, media_type = self.served[url]
        return URLFetcherResponse(url, data, {"Content-Type": media_type})
