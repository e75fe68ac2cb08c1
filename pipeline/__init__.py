"""Patient handouts: one Markdown source, published as PDF leaflet, EPUB 3 and web page."""

from .errors import PipelineError
from .model import Handout

__all__ = ["Handout", "PipelineError"]
