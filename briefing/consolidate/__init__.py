"""Consolidation: from one extraction per article to one brief, each event told once.

Outlets report the same meeting, quote the same sentence and take the same position; without
this stage the brief would list each of them once per article, and ``Shoygu`` and ``Shoigu``
would be two people. Here actors are resolved (``briefing.actors``), relative dates are pinned
to the article's publication date (``dates``), equal items are merged with all their evidence
(``meetings``, ``statements``), each merged item counts its independent sources
(``briefing.syndication``: copies of one text and articles of one outlet are one source), and
where sources disagree about one event the brief says so in a ``Divergence`` (``divergences``)
instead of silently picking one. ``blocking`` keeps the cost linear: records are compared only
within blocks of the same parties, speaker or actor, through keys computed once.

Choices the issue left open, made here:

- Meeting identity: see ``briefing.consolidate.meetings``; positions and claims:
  ``briefing.consolidate.statements``.
- A merged item takes its fields from its first source (input order) and fills gaps from later
  ones; topics and evidence are the union.
- Order: held meetings before planned ones; then more independent sources first; then held
  ones newest first and planned ones soonest first, undated last; then first appearance.
  Positions and claims: more sources first, then first appearance. Ids are ``m1``, ``p1``,
  ``c1``… in that order.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence

from briefing.actors import ActorRegistry, Mention, resolve_actors
from briefing.consolidate.blocking import Context, Seen
from briefing.consolidate.dates import resolve_date, weekday_in
from briefing.consolidate.divergences import (
    claim_divergences,
    meeting_divergences,
    status_divergence,
)
from briefing.consolidate.meetings import Meetings, meeting_order
from briefing.consolidate.statements import (
    group_claims,
    group_positions,
    merge_simple,
    position_history,
)
from briefing.consolidate.titles import Titles
from briefing.schemas import (
    Article,
    ArticleExtraction,
    Brief,
    Claim,
    Divergence,
    Failure,
    Meeting,
    Position,
    RunInfo,
)
from briefing.syndication import SourceCounter

__all__ = ["consolidate", "resolve_date", "weekday_in"]


# ----------------------------------------------------------------------------- the stage


def _ordered(
    extractions: Sequence[ArticleExtraction], ctx: Context
) -> list[tuple[int, ArticleExtraction]]:
    ranked = sorted(enumerate(extractions), key=lambda p: (ctx.position(p[1].article_id), p[0]))
    return [(ctx.position(x.article_id), x) for _, x in ranked]


def _mentions(extractions: Iterable[tuple[int, ArticleExtraction]]) -> list[Mention]:
    out: list[Mention] = []
    for _, x in extractions:
        out += [Mention.of(x.article_id, p) for m in x.meetings for p in m.participants]
        out += [Mention.of(x.article_id, p.actor) for p in x.positions]
        out += [Mention.of(x.article_id, c.speaker) for c in x.claims]
    return out


def _resolved_meetings(
    extractions: list[tuple[int, ArticleExtraction]], index: Titles, ctx: Context,
    notices: list[str],
) -> list[Seen]:
    out: list[Seen] = []
    for rank, x in extractions:
        published = ctx.published(x.article_id)
        for n, m in enumerate(x.meetings):
            people = {p.id: p for p in (index.resolve(x.article_id, a) for a in m.participants)}
            if len(people) < 2:
                notices.append(f"article {x.article_id}: a meeting names one party twice "
                               f"({', '.join(a.name for a in m.participants)}); left out")
                continue
            date = m.date or resolve_date(m.date_text, published, m.status)
            record = m.model_copy(update={"participants": list(people.values()), "date": date})
            out.append(Seen(record, x.article_id, (rank, 0, n)))
    return out


def _resolved_others(
    extractions: list[tuple[int, ArticleExtraction]], index: Titles
) -> tuple[list[Seen], list[Seen]]:
    positions: list[Seen] = []
    claims: list[Seen] = []
    for rank, x in extractions:
        for n, p in enumerate(x.positions):
            position = p.model_copy(update={"actor": index.resolve(x.article_id, p.actor)})
            positions.append(Seen(position, x.article_id, (rank, 1, n)))
        for n, c in enumerate(x.claims):
            claim = c.model_copy(update={"speaker": index.resolve(x.article_id, c.speaker)})
            claims.append(Seen(claim, x.article_id, (rank, 2, n)))
    return positions, claims


def _consolidate_meetings(
    items: list[Seen], registry: ActorRegistry, ctx: Context, titles: Titles
) -> tuple[list[Meeting], list[Divergence]]:
    work = Meetings(registry, ctx)
    groups = work.group(items)
    merged = [_titled(work.merge(g), titles) for g in groups]
    order = sorted(range(len(groups)), key=lambda k: meeting_order(merged[k], groups[k][0].order))
    ids = {k: f"m{n}" for n, k in enumerate(order, 1)}
    maybe = work.possibly_same(groups)
    meetings: list[Meeting] = []
    divergences: list[Divergence] = []
    disputes = work.status_disputes(groups)
    for dispute in disputes:
        for i in dispute:
            maybe[i] = list(dict.fromkeys([*maybe.get(i, []), *(j for j in dispute if j != i)]))
    rank = {k: n for n, k in enumerate(order)}
    first_of = {min(d, key=rank.__getitem__): d for d in disputes}
    for k in order:
        links = sorted((ids[j] for j in maybe.get(k, [])), key=lambda i: int(i[1:]))
        meetings.append(merged[k].model_copy(update={"id": ids[k], "possibly_same_as": links}))
        divergences += meeting_divergences(work, ids[k], groups[k])
        if k in first_of:
            divergences.append(status_divergence(ids[k], [groups[n] for n in first_of[k]]))
    return meetings, divergences


def _consolidate_simple(
    groups: list[list[Seen]], prefix: str, ctx: Context,
    related: dict[int, list[int]] | None = None,
) -> list[tuple[Position | Claim, list[Seen]]]:
    """Merged records in brief order with their ids; ``related`` (group index → group indexes)
    becomes each position's ``history``."""
    merged = [merge_simple(g, ctx) for g in groups]
    order = sorted(range(len(groups)), key=lambda k: (-merged[k].corroboration, groups[k][0].order))
    ids = {k: f"{prefix}{n}" for n, k in enumerate(order, 1)}
    out: list[tuple[Position | Claim, list[Seen]]] = []
    for k in order:
        update: dict[str, object] = {"id": ids[k]}
        if related is not None:
            update["history"] = sorted((ids[j] for j in related.get(k, [])),
                                       key=lambda i: int(i[len(prefix):]))
        out.append((merged[k].model_copy(update=update), groups[k]))
    return out


def _titled(meeting: Meeting, titles: Titles) -> Meeting:
    """Participants carry their titles per source when the meeting's sources differ."""
    ids = meeting.sources
    people = [titles.apply(p, ids) for p in meeting.participants]
    return meeting.model_copy(update={"participants": people})


@functools.cache
def _bundled_registry() -> ActorRegistry:
    """Read once per process: a long-running service consolidates many briefs."""
    return ActorRegistry.load()


def consolidate(
    articles: list[Article],
    extractions: list[ArticleExtraction],
    failures: list[Failure],
    run: RunInfo,
    date: dt.date,
    registry: ActorRegistry | None = None,
    groups: list[list[str]] | None = None,
) -> Brief:
    """One brief from the run's extractions: actors resolved, each event once with all of its
    sources, divergences reported. Deterministic for the same inputs in the same order.
    ``groups`` are the articles' syndicated-copy groups when the caller has them already
    (``briefing.syndication.copy_groups`` of ``articles``); else they are computed here."""
    registry = registry if registry is not None else _bundled_registry()
    ctx = Context(articles, SourceCounter(articles, groups) if groups is not None else None)
    ordered = _ordered(extractions, ctx)
    index = resolve_actors(_mentions(ordered), registry)
    titles = Titles(index)
    notices: list[str] = []
    meetings, divergences = _consolidate_meetings(
        _resolved_meetings(ordered, titles, ctx, notices), registry, ctx, titles
    )
    position_items, claim_items = _resolved_others(ordered, titles)
    position_groups = group_positions(position_items)
    positions = _consolidate_simple(position_groups, "p", ctx, position_history(position_groups))
    claims = _consolidate_simple(group_claims(claim_items), "c", ctx)
    published = sorted(a.published for a in articles if a.published)
    return Brief(
        date=date,
        window_start=published[0] if published else None,
        window_end=published[-1] if published else None,
        articles=list(articles),
        extractions=list(extractions),
        meetings=meetings,
        positions=[p for p, _ in positions if isinstance(p, Position)],
        claims=[c for c, _ in claims if isinstance(c, Claim)],
        divergences=divergences + claim_divergences(claims),
        actors=[titles.apply(a) for a in index.actors],
        copies=[g for g in ctx.sources.groups if len(g) > 1],
        failures=list(failures),
        run=run.model_copy(update={"notices": [*run.notices, *notices]}) if notices else run,
    )
