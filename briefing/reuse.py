"""Reruns without the model and without re-validating: validated extractions kept in the ledger.

The ledger already answers a repeated request from an earlier run's answer at no token cost
(``Ledger.cached_answer``). That still pays for the openai/instructor client stack and for
validating every answer against its article again. So when an article's extraction succeeds,
the validated :class:`~briefing.schemas.ArticleExtraction` is kept too (table
``extractions``), keyed by everything it depends on:

- the article as the prompt and the validators see it (every field but its file path);
- backend, model, endpoint (credentials removed), mode, prompt version (the prompt files and
  the response schema), temperature, ``max_tokens``, ``max_attempts`` and ``token_budget``;
- the package's own code and data (``code_version``): a changed validator re-validates the
  earlier answers (still free of tokens) instead of trusting what an older check accepted.

A rerun serves a kept extraction as it is, with no tokens spent (``usage`` zero, as any answer
from the ledger) and the earlier run's attempt rows copied into this run's as ``cached`` (raw
answers stay in the original rows only). Only successful extractions are kept, so an article
that failed is asked again. Off with ``--no-cache`` and while recording (``--record``), and for
backends other than ``openai`` (replay answers from its cassette; rules and local are not
worth it or keyed elsewhere).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from briefing import __version__
from briefing.backends import openai_endpoint, openai_model
from briefing.ledger import Ledger
from briefing.prompts import prompt_version
from briefing.schemas import Article, ArticleExtraction, Usage
from briefing.settings import Settings

log = logging.getLogger("briefing")

_PACKAGE = Path(__file__).resolve().parent


@cache
def code_version() -> str:
    """A hash of the installed package's files (code and data), so any change to a check,
    a gazetteer or the schema makes earlier extractions stale."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Reuse:
    """The extraction cache of one run: its backend's identity and the ledger holding it."""

    ledger: Ledger
    backend: str
    model: str
    endpoint: str | None
    mode: str
    prompt_version: str
    settings_key: str

    @classmethod
    def for_run(cls, settings: Settings, ledger: Ledger) -> Reuse | None:
        """The cache for a run with ``settings``; None when it does not apply (not the
        ``openai`` backend, ``--no-cache``, or ``--record``).

        Raises ``ConfigError`` as the backend would (``--base-url`` without ``--model``)."""
        if settings.backend != "openai" or not settings.cache or settings.record is not None:
            return None
        knobs = {
            "temperature": settings.temperature,
            "max_tokens": settings.max_tokens,
            "max_attempts": settings.max_attempts,
            "token_budget": settings.token_budget,
            "code": code_version(),
        }
        return cls(
            ledger=ledger,
            backend=settings.backend,
            model=openai_model(settings),
            endpoint=openai_endpoint(settings.base_url),
            mode=settings.mode,
            prompt_version=prompt_version(),
            settings_key=json.dumps(knobs, sort_keys=True),
        )

    def key(self, article: Article) -> str:
        """The extraction's key: a SHA-256 over the article and this run's identity."""
        material = {
            "article": article.model_dump(mode="json", exclude={"path"}),
            "backend": self.backend,
            "model": self.model,
            "endpoint": self.endpoint,
            "mode": self.mode,
            "prompt_version": self.prompt_version,
            "settings": self.settings_key,
        }
        text = json.dumps(material, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def load(self, articles: Sequence[Article]) -> dict[str, tuple[str, ArticleExtraction]]:
        """Article id → (the run that made it, its kept extraction) for each article that has
        one. An unreadable kept row (an older schema) is skipped: that article is extracted."""
        keys = {self.key(a): a.id for a in articles}
        found: dict[str, tuple[str, ArticleExtraction]] = {}
        for key, (run_id, data) in self.ledger.kept_extractions(list(keys)).items():
            try:
                extraction = ArticleExtraction.model_validate_json(data)
            except ValueError as exc:
                log.info("kept extraction %s unreadable, extracting again: %s", key[:12], exc)
                continue
            if extraction.article_id == keys[key]:
                found[keys[key]] = (run_id, extraction)
        return found

    def keep(self, pairs: Sequence[tuple[Article, ArticleExtraction]], run_id: str) -> None:
        """Keep this run's successful extractions, in one transaction."""
        rows = [
            (self.key(a), a.id, run_id, x.model_dump_json(exclude_computed_fields=True))
            for a, x in pairs
        ]
        self.ledger.keep_extractions(rows)

    def serve(
        self, found: dict[str, tuple[str, ArticleExtraction]], run_id: str
    ) -> dict[str, ArticleExtraction]:
        """The kept extractions as this run's: no tokens spent, their attempt rows copied into
        ``run_id`` as answered from the ledger."""
        self.ledger.copy_attempts(run_id, [(aid, origin) for aid, (origin, _) in found.items()])
        return {
            aid: extraction.model_copy(update={"usage": Usage()})
            for aid, (_, extraction) in found.items()
        }
