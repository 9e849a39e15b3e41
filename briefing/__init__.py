"""briefing: a daily diplomatic brief from news articles, every line traceable to its source."""

from __future__ import annotations

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

__version__ = "0.1.0"  # the package's version (pyproject.toml reads it from here)

__all__ = [
    "Actor", "Article", "ArticleExtraction", "Brief", "BriefingError", "Claim", "Evidence",
    "ExtractionFailed", "Failure", "IngestError", "Meeting", "Position", "__version__",
]
