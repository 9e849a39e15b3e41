"""briefing: a daily diplomatic brief from news articles, every line traceable to its source."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from briefing.errors import BriefingError, ExtractionFailed, IngestError
from briefing.schemas import (
    Actor,
    Article,
    ArticleExtraction,
    Brief,
    Claim,
    Evidence,
    Failure,
    Meeting,
    Position,
)

try:
    __version__ = version("briefing")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Actor", "Article", "ArticleExtraction", "Brief", "BriefingError", "Claim", "Evidence",
    "ExtractionFailed", "Failure", "IngestError", "Meeting", "Position", "__version__",
]
