"""Keys and blocking: what every merge step needs, computed once per record, and the grouping
loop that only ever compares a record with the groups of its own block.

Cost stays linear by construction: each record gets a block key once (resolved parties,
speaker, actor and stance…); a record is compared only with the groups in its block, and with
each group through the group's few distinct *signatures* (the facts that decide identity), not
through every member. A thousand copies of one meeting are one group with one signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from briefing.schemas import Article, Claim, Evidence, Meeting, Position
from briefing.syndication import SourceCounter

_K = TypeVar("_K", bound=Hashable)


class Context:
    """What every merge step knows about the brief's articles: order, publication date,
    copies and outlets (for the independent-source count)."""

    def __init__(self, articles: Sequence[Article], sources: SourceCounter | None = None) -> None:
        self.articles = {a.id: a for a in articles}
        self.rank = {a.id: i for i, a in enumerate(articles)}
        self.sources = sources if sources is not None else SourceCounter(articles)
        self._copy_of = {aid: g[0] for g in self.sources.groups for aid in g}

    def position(self, article_id: str) -> int:
        return self.rank.get(article_id, len(self.rank))

    def published(self, article_id: str) -> dt.date | None:
        article = self.articles.get(article_id)
        return article.published if article else None

    def copy_group(self, article_id: str) -> str:
        """The first article of ``article_id``'s copy group: copies share it."""
        return self._copy_of.get(article_id, article_id)

    def corroboration(self, evidence: Iterable[Evidence]) -> int:
        """Independent sources among the cited articles (see ``briefing.syndication``)."""
        return self.sources.count(e.article_id for e in evidence)


@dataclass(frozen=True)
class Seen:
    """One extracted item, actors resolved, with where it first appeared."""

    record: Meeting | Position | Claim
    article_id: str
    order: tuple[int, int, int]


@dataclass
class Group(Generic[_K]):
    """Members of one merged item, and one member per distinct signature."""

    members: list[Seen] = field(default_factory=list)
    signatures: dict[_K, Seen] = field(default_factory=dict)
    texts: set[str] = field(default_factory=set)  # copy groups of the members' articles

    def add(self, item: Seen, signature: _K, text: str) -> None:
        self.members.append(item)
        self.signatures.setdefault(signature, item)
        self.texts.add(text)


def group(
    items: Iterable[Seen],
    block: Callable[[Seen], Hashable],
    signature: Callable[[Seen], _K],
    joins: Callable[[Seen, _K, Group[_K]], bool],
    text: Callable[[Seen], str] = lambda item: item.article_id,
) -> list[list[Seen]]:
    """Each item joins the first group of its block that ``joins`` admits, else starts one;
    groups are returned in order of their first member. ``block``, ``signature`` and ``text``
    (the item's copy group, kept per group in ``Group.texts``) are called once per item."""
    blocks: dict[Hashable, list[Group[_K]]] = {}
    groups: list[Group[_K]] = []
    for item in items:
        sig, copy = signature(item), text(item)
        candidates = blocks.setdefault(block(item), [])
        home = next((g for g in candidates if joins(item, sig, g)), None)
        if home is None:
            home = Group()
            candidates.append(home)
            groups.append(home)
        home.add(item, sig, copy)
    return [g.members for g in groups]


def union_evidence(items: Iterable[Seen]) -> list[Evidence]:
    seen: dict[tuple[str, int, int], Evidence] = {}
    for item in items:
        for ev in item.record.evidence:
            seen.setdefault((ev.article_id, ev.start, ev.end), ev)
    return list(seen.values())
