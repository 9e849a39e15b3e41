"""Titles per source: a person's title is what each article calls them, not one merged label.

Outlets differ (``top diplomat`` / ``Foreign Minister``) and titles change over time, so a
merged record never takes one source's title for all: each actor keeps, per title, the articles
giving it, and a record shows them per source when its sources differ.
"""

from __future__ import annotations

from collections.abc import Iterable

from briefing.actors import ActorIndex, fold_name
from briefing.schemas import Actor


class Titles:
    """Every (actor, article) → title the articles themselves give, collected while resolving."""

    def __init__(self, index: ActorIndex) -> None:
        self.index = index
        self._seen: dict[str, dict[str, tuple[str, list[str]]]] = {}

    def resolve(self, article_id: str, actor: Actor) -> Actor:
        """``ActorIndex.resolve``, noting the title this article gives."""
        resolved = self.index.resolve(article_id, actor)
        title = self.index.own_title(article_id, actor)
        if title:
            by_title = self._seen.setdefault(resolved.id, {})
            _, ids = by_title.setdefault(fold_name(title), (title, []))
            if article_id not in ids:
                ids.append(article_id)
        return resolved

    def sources(self, actor_id: str, article_ids: Iterable[str] | None = None
                ) -> dict[str, list[str]]:
        """Title → article ids among ``article_ids`` (all when None); empty unless they give
        two titles or more."""
        wanted = None if article_ids is None else set(article_ids)
        out: dict[str, list[str]] = {}
        for title, ids in self._seen.get(actor_id, {}).values():
            kept = [i for i in ids if wanted is None or i in wanted]
            if kept:
                out[title] = kept
        return out if len(out) > 1 else {}

    def apply(self, actor: Actor, article_ids: Iterable[str] | None = None) -> Actor:
        found = self.sources(actor.id, article_ids)
        return actor.model_copy(update={"title_sources": found}) if found else actor
