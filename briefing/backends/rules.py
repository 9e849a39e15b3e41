"""The default backend: deterministic English patterns, no model, no network.

It fills the same records as the LLM backends, grounded the same way (every evidence span is
a slice of the article), so the rest of the pipeline cannot tell the difference — except in
quality, which ``briefing eval`` measures against the gold set.
"""

from __future__ import annotations

import hashlib
import time

from briefing.backends import Backend
from briefing.errors import ExtractionFailed
from briefing.rules.lexicon import data_version
from briefing.rules.records import extract_records
from briefing.schemas import Article, ArticleExtraction, Attempt


class RulesBackend(Backend):
    """Pattern-based extraction in the manner of the political event coders (PETRARCH,
    CAMEO/PLOVER dictionaries): gazetteers of states, organisations and titles, and patterns
    for quotes, meetings and stances."""

    name = "rules"

    @property
    def model(self) -> str:
        return "rules-v1"

    @property
    def prompt_version(self) -> str:
        """Changes whenever the pattern data or the code version does, so caches re-key."""
        return data_version()

    def extract(self, article: Article) -> ArticleExtraction:
        started = time.perf_counter()
        try:
            meetings, positions, claims = extract_records(article)
        except (ValueError, IndexError, KeyError) as exc:
            # A bug on odd input must cost one article, not the run; the ledger keeps why.
            self._record(article, started, [repr(exc)])
            raise ExtractionFailed(
                f"rules extractor failed: {exc}", attempts=1, errors=[repr(exc)]
            ) from exc
        self._record(article, started, [])
        return ArticleExtraction(
            article_id=article.id,
            meetings=meetings,
            positions=positions,
            claims=claims,
            backend=self.name,
            model=self.model,
            prompt_version=self.prompt_version,
        )

    def _record(self, article: Article, started: float, errors: list[str]) -> None:
        """One ledger row per pass, like a model attempt, so runs read the same whatever the
        backend."""
        if self.ledger is None:
            return
        key = hashlib.sha256(f"{article.id}\0{self.prompt_version}".encode()).hexdigest()[:16]
        self.ledger.add(
            Attempt(
                run_id=self.run_id,
                article_id=article.id,
                attempt=1,
                request_hash=key,
                backend=self.name,
                model=self.model,
                prompt_version=self.prompt_version,
                errors=errors,
                latency_ms=round((time.perf_counter() - started) * 1000, 2),
                outcome="invalid" if errors else "ok",
            )
        )
