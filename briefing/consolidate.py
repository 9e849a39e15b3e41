"""Consolidation: from one extraction per article to one brief, each event told once.

Outlets report the same meeting, quote the same sentence and take the same position; without
this stage the brief would list each of them once per article, and ``Shoygu`` and ``Shoigu``
would be two people. Here actors are resolved (``briefing.actors``), relative dates are pinned
to the article's publication date, equal items are merged with all their evidence, each merged
item counts its independent sources, and where sources disagree about one event the brief says
so in a ``Divergence`` instead of silently picking one.

Choices the issue left open, made here:

- Meeting identity: same status, same *parties* (the resolved people, plus any state or
  organisation no listed person belongs to: ``[Xi, Shoigu, Russia]`` is ``{Xi, Shoigu}``), no
  phone-versus-in-person clash, and dates and places that agree or are unknown on one side.
  Two known, different places still make one meeting when the date is known and equal on both
  sides (the same people cannot meet in two cities on one day: a ``location`` divergence); two
  dates a day apart are one meeting when the place is known and equal (a ``date`` divergence).
  A meeting listing more people than another is merged with it only when date and place are
  known and equal on both sides and neither could belong to another (a ``participants``
  divergence).
- "On Friday" in a held meeting is the last Friday on or before publication; in a planned one,
  the first Friday on or after it. "Yesterday", "today" and "tomorrow" resolve too; anything
  vaguer ("last week", "in March") keeps only its ``date_text``.
- ``visit`` and ``host`` are one format seen from the two sides; other differing formats are a
  divergence.
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
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from rapidfuzz import fuzz

from briefing.actors import ActorIndex, ActorRegistry, Mention, fold_name, resolve_actors
from briefing.grounding import fold
from briefing.schemas import (
    Actor,
    Article,
    ArticleExtraction,
    Brief,
    Claim,
    Divergence,
    Evidence,
    Failure,
    Meeting,
    MeetingStatus,
    Position,
    RunInfo,
)

_T = TypeVar("_T")

# Two reports of one meeting may disagree by a day (time zones, late wires), not more.
DATE_SLACK_DAYS = 1
# The same quote from two outlets: folded texts at least this close, or one inside the other.
SAME_QUOTE_RATIO = 90.0
# Closer than this but not the same: one utterance quoted differently (a "text" divergence).
VARIANT_QUOTE_RATIO = 80.0
# A quote fragment shorter than this says too little to be found inside another.
MIN_FRAGMENT_CHARS = 24
# Topics of one position: word stems overlapping at least this much (Jaccard).
TOPIC_OVERLAP = 0.5

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(
    r"\b(?:(last|next|this|coming|previous|past|following)\s+)?(" + "|".join(_WEEKDAYS) + r")s?\b"
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH = "(" + "|".join(m[:3] + r"[a-z]*\.?" for m in _MONTHS) + ")"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH = re.compile(r"\b" + _ORDINAL + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?\b")
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+" + _ORDINAL + r"\b(?:,?\s+(\d{4}))?")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RELATIVE = {"yesterday": -1, "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
             "this evening": 0, "tomorrow": 1}
_VAGUE = re.compile(r"\b(week|weekend|month|year|days|ago|since|early|late|coming)\b")


# ----------------------------------------------------------------------------- dates


def weekday_in(text: str | None) -> int | None:
    """The one weekday a date phrase names (0 = Monday), qualified or not; None if none or
    several."""
    days = {m.group(2) for m in _WEEKDAY.finditer((text or "").casefold())}
    return _WEEKDAYS.index(days.pop()) if len(days) == 1 else None


def resolve_date(
    date_text: str | None, published: dt.date | None, status: MeetingStatus = "held"
) -> dt.date | None:
    """The date a phrase such as "on Friday" means for an article published on ``published``;
    None when the phrase is vague or there is nothing to anchor it to, so nothing is invented."""
    text = " ".join((date_text or "").casefold().split())
    if not text:
        return None
    absolute = _absolute(text, published, status)
    if absolute is not None or published is None:
        return absolute
    for phrase, shift in _RELATIVE.items():
        if re.search(rf"\b{phrase}\b", text):
            return published + dt.timedelta(days=shift)
    return _weekday_date(text, published, status)


def _weekday_date(text: str, published: dt.date, status: MeetingStatus) -> dt.date | None:
    """A bare weekday ("on Friday", "Wednesday evening"): held meetings look back from the
    publication date, planned ones forward. "Last Friday", "next Friday" and anything with a
    week in it are ambiguous and left alone."""
    found = list(_WEEKDAY.finditer(text))
    if len(found) != 1 or found[0].group(1) or _VAGUE.search(text):
        return None
    day = _WEEKDAYS.index(found[0].group(2))
    if status == "planned":
        return published + dt.timedelta(days=(day - published.weekday()) % 7)
    return published - dt.timedelta(days=(published.weekday() - day) % 7)


def _absolute(text: str, published: dt.date | None, status: MeetingStatus) -> dt.date | None:
    """A calendar date in the phrase; a missing year is taken from the publication date (and
    never guessed without one)."""
    if m := _ISO.search(text):
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    day_month = _DAY_MONTH.search(text)
    month_day = _MONTH_DAY.search(text)
    if day_month:
        day, month, year = day_month.group(1), day_month.group(2), day_month.group(3)
    elif month_day:
        month, day, year = month_day.group(1), month_day.group(2), month_day.group(3)
    else:
        return None
    number = next(i for i, name in enumerate(_MONTHS, 1) if month.startswith(name[:3]))
    if year:
        return _safe_date(int(year), number, int(day))
    if published is None:
        return None
    return _nearest_year(published, number, int(day), status)


def _nearest_year(
    published: dt.date, month: int, day: int, status: MeetingStatus
) -> dt.date | None:
    """The year that puts a held meeting's date on or before publication, a planned one's on
    or after."""
    found = _safe_date(published.year, month, day)
    if found is None:
        return None
    if status == "held" and found > published:
        return _safe_date(published.year - 1, month, day)
    if status == "planned" and found < published:
        return _safe_date(published.year + 1, month, day)
    return found


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ----------------------------------------------------------------------------- context


class _Context:
    """What every merge step needs to know about the articles: order, outlet, publication."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = {a.id: a for a in articles}
        self.rank = {a.id: i for i, a in enumerate(articles)}

    def position(self, article_id: str) -> int:
        return self.rank.get(article_id, len(self.rank))

    def published(self, article_id: str) -> dt.date | None:
        article = self.articles.get(article_id)
        return article.published if article else None

    def corroboration(self, evidence: Iterable[Evidence]) -> int:
        """Distinct outlets; an article without an outlet (or unknown here) is its own source."""
        return len({self._outlet(e.article_id) for e in evidence}) or 1

    def _outlet(self, article_id: str) -> str:
        article = self.articles.get(article_id)
        if article is None or not article.outlet or not fold_name(article.outlet):
            return "article:" + article_id
        return "outlet:" + fold_name(article.outlet)


@dataclass(frozen=True)
class _Seen:
    """One extracted item, actors resolved, with where it first appeared."""

    record: Meeting | Position | Claim
    article_id: str
    order: tuple[int, int, int]


def _union_evidence(items: Iterable[_Seen]) -> list[Evidence]:
    seen: dict[tuple[str, int, int], Evidence] = {}
    for item in items:
        for ev in item.record.evidence:
            seen.setdefault((ev.article_id, ev.start, ev.end), ev)
    return list(seen.values())


def _group(items: Iterable[_Seen], fits: Callable[[_Seen, _Seen], bool]) -> list[list[_Seen]]:
    """Each item joins the first group every member of which it fits; otherwise starts one."""
    groups: list[list[_Seen]] = []
    for item in items:
        home = next((g for g in groups if all(fits(item, m) for m in g)), None)
        if home is None:
            groups.append([item])
        else:
            home.append(item)
    return groups


def _values(
    members: Sequence[_Seen], key: Callable[[_Seen], Hashable | None],
    label: Callable[[_Seen], str],
) -> dict[str, list[str]]:
    """Each distinct value (by ``key``, shown as the first member's ``label``) → article ids;
    empty unless the members give at least two."""
    labels: dict[Hashable, str] = {}
    out: dict[str, list[str]] = {}
    for m in members:
        k = key(m)
        if k is None:
            continue
        ids = out.setdefault(labels.setdefault(k, label(m)), [])
        if m.article_id not in ids:
            ids.append(m.article_id)
    return out if len(labels) > 1 and len(out) > 1 else {}


# ----------------------------------------------------------------------------- meetings


@dataclass(frozen=True)
class _MeetingFacts:
    """What identity and divergence compare, computed once per extracted meeting."""

    parties: frozenset[str]
    place: tuple[str, ...] | None
    weekday: int | None


def _parties(participants: Sequence[Actor]) -> frozenset[str]:
    """Resolved people, plus states and organisations none of them belongs to."""
    countries = {p.country for p in participants if p.kind == "person" and p.country}
    return frozenset(
        p.id for p in participants
        if p.kind == "person" or not (p.country and p.country in countries)
    )


def _facts(meeting: Meeting, registry: ActorRegistry) -> _MeetingFacts:
    place = registry.place_key(meeting.location)
    weekday = meeting.date.weekday() if meeting.date else weekday_in(meeting.date_text)
    return _MeetingFacts(_parties(meeting.participants), tuple(place.split()) if place else None,
                         weekday)


DateRelation = Literal["same", "near", "far", "unknown"]
PlaceRelation = Literal["same", "conflict", "unknown"]


def _date_relation(a: Meeting, fa: _MeetingFacts, b: Meeting, fb: _MeetingFacts) -> DateRelation:
    if a.date and b.date:
        gap = abs((a.date - b.date).days)
    elif fa.weekday is not None and fb.weekday is not None:
        gap = min((fa.weekday - fb.weekday) % 7, (fb.weekday - fa.weekday) % 7)
    else:
        return "unknown"
    return "same" if gap == 0 else "near" if gap <= DATE_SLACK_DAYS else "far"


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Word-sequence containment: ``istanbul`` is in ``us general consulate in istanbul``."""
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def _place_relation(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> PlaceRelation:
    if a is None or b is None:
        return "unknown"
    return "same" if _contains(a, b) or _contains(b, a) else "conflict"


def _format_family(fmt: str | None) -> str | None:
    return "visit" if fmt == "host" else fmt


def _in_person_clash(a: Meeting, b: Meeting) -> bool:
    """A phone call and a meeting in person are two events, whatever else they share."""
    return a.format is not None and b.format is not None and (a.format == "phone") != (
        b.format == "phone"
    )


class _Meetings:
    """Groups one brief's extracted meetings into events and reports where sources differ."""

    def __init__(self, registry: ActorRegistry, ctx: _Context) -> None:
        self.registry = registry
        self.ctx = ctx
        self.facts: dict[int, _MeetingFacts] = {}

    def fact(self, item: _Seen) -> _MeetingFacts:
        return self.facts[id(item)]

    def add_facts(self, items: Sequence[_Seen]) -> None:
        for item in items:
            self.facts[id(item)] = _facts(_meeting(item), self.registry)

    def anchored(self, a: _Seen, b: _Seen) -> tuple[DateRelation, PlaceRelation]:
        ma, mb, fa, fb = _meeting(a), _meeting(b), self.fact(a), self.fact(b)
        return _date_relation(ma, fa, mb, fb), _place_relation(fa.place, fb.place)

    def fits(self, a: _Seen, b: _Seen) -> bool:
        """Same event: see the module docstring for the rule."""
        ma, mb = _meeting(a), _meeting(b)
        if ma.status != mb.status or self.fact(a).parties != self.fact(b).parties:
            return False
        if _in_person_clash(ma, mb):
            return False
        date, place = self.anchored(a, b)
        if date in ("same", "unknown") and place in ("same", "unknown"):
            return True
        return (date == "same" and place == "conflict") or (date == "near" and place == "same")

    def contains(self, big: list[_Seen], small: list[_Seen]) -> bool:
        """``big`` reports the people of ``small`` and more, on the same known day and place."""
        fb, fs = self.fact(big[0]), self.fact(small[0])
        if not fs.parties < fb.parties or _meeting(big[0]).status != _meeting(small[0]).status:
            return False
        return all(
            self.anchored(b, s) == ("same", "same")
            and not _in_person_clash(_meeting(b), _meeting(s))
            for b in big for s in small
        )

    def absorb_supersets(self, groups: list[list[_Seen]]) -> list[list[_Seen]]:
        """Merge a group into the one group that lists more people at the same day and place,
        when neither has another candidate (so ``[Xi, Wang, Shoigu]`` is not forced onto one
        of two separate Xi–Shoigu and Wang–Shoigu meetings)."""
        links = [(i, j) for i, big in enumerate(groups) for j, small in enumerate(groups)
                 if i != j and self.contains(big, small)]
        bigs = [i for i, _ in links]
        smalls = [j for _, j in links]
        into = {j: i for i, j in links if bigs.count(i) == 1 and smalls.count(j) == 1}
        into = {j: i for j, i in into.items() if i not in into}
        merged = [list(g) for g in groups]
        for j, i in into.items():
            merged[i].extend(groups[j])
        return [sorted(g, key=lambda s: s.order) for k, g in enumerate(merged) if k not in into]

    def merge(self, members: list[_Seen]) -> Meeting:
        meetings = [_meeting(m) for m in members]
        participants: dict[str, Actor] = {}
        for meeting in meetings:
            for p in meeting.participants:
                participants.setdefault(p.id, p)
        evidence = _union_evidence(members)
        return Meeting(
            participants=list(participants.values()),
            location=_first(m.location for m in meetings),
            date=_first(m.date for m in meetings),
            date_text=_first(m.date_text for m in meetings),
            format=_first(m.format for m in meetings),
            status=meetings[0].status,
            topics=_union_folded(t for m in meetings for t in m.topics),
            evidence=evidence,
            corroboration=self.ctx.corroboration(evidence),
        )

    def divergences(self, item_id: str, members: list[_Seen]) -> list[Divergence]:
        found = {
            "date": (self._date_values(members), "sources give different dates"),
            "location": (self._place_values(members), "sources give different places"),
            "format": (
                _values(members, lambda m: _format_family(_meeting(m).format),
                        lambda m: str(_meeting(m).format)),
                "sources describe the meeting differently",
            ),
            "participants": (
                _values(members, lambda m: self.fact(m).parties,
                        lambda m: ", ".join(p.name for p in _meeting(m).participants)),
                "sources list different participants",
            ),
        }
        return [
            Divergence(item_id=item_id, item_kind="meeting", field=name, values=values, note=note)
            for name, (values, note) in found.items() if values
        ]

    def _date_values(self, members: list[_Seen]) -> dict[str, list[str]]:
        """Dates by value; a bare weekday that agrees with exactly one known date is that
        date, so "on Friday" does not diverge from 2025-03-14 (a Friday)."""
        dates = {d for m in members if (d := _meeting(m).date) is not None}

        def key(m: _Seen) -> Hashable | None:
            meeting, weekday = _meeting(m), self.fact(m).weekday
            if meeting.date:
                return meeting.date
            matching = [d for d in dates if d.weekday() == weekday]
            return matching[0] if len(matching) == 1 else weekday

        def label(m: _Seen) -> str:
            meeting = _meeting(m)
            return meeting.date.isoformat() if meeting.date else str(meeting.date_text)

        return _values(members, key, label)

    def _place_values(self, members: list[_Seen]) -> dict[str, list[str]]:
        """Places by normalised key; a place inside a more precise one given by another source
        (Istanbul / the US consulate in Istanbul) is not a disagreement."""
        places = {self.fact(m).place for m in members} - {None}

        def key(m: _Seen) -> Hashable | None:
            place = self.fact(m).place
            if place is None:
                return None
            wider = [p for p in places if p != place and p is not None and _contains(p, place)]
            return wider[0] if len(wider) == 1 else place

        return _values(members, key, lambda m: str(_meeting(m).location))


def _meeting(item: _Seen) -> Meeting:
    assert isinstance(item.record, Meeting)
    return item.record


def _first(values: Iterable[_T | None]) -> _T | None:
    return next((v for v in values if v is not None), None)


def _union_folded(texts: Iterable[str]) -> list[str]:
    out: dict[str, str] = {}
    for text in texts:
        out.setdefault(fold_name(text), text)
    return list(out.values())


def _meeting_order(meeting: Meeting, first: tuple[int, int, int]) -> tuple[object, ...]:
    """Held first, more sources first, held newest / planned soonest first, undated last."""
    day = meeting.date.toordinal() if meeting.date else 0
    when = -day if meeting.status == "held" else day
    return (meeting.status != "held", -meeting.corroboration, meeting.date is None, when, first)


# ----------------------------------------------------------------------------- positions, claims


_STOP = frozenset({"the", "of", "and", "in", "on", "a", "an", "to", "for", "with", "its", "s"})


def _topic_stems(topic: str) -> frozenset[str]:
    """Topic words cut to five letters, so Ukraine/Ukrainian and relation/relations agree."""
    return frozenset(w[:5] for w in fold_name(topic).split() if w not in _STOP)


def _similar_topics(a: str, b: str) -> bool:
    sa, sb = _topic_stems(a), _topic_stems(b)
    if not sa or not sb:
        return fold_name(a) == fold_name(b)
    return sa <= sb or sb <= sa or len(sa & sb) / len(sa | sb) >= TOPIC_OVERLAP


def _position(item: _Seen) -> Position:
    assert isinstance(item.record, Position)
    return item.record


def _claim(item: _Seen) -> Claim:
    assert isinstance(item.record, Claim)
    return item.record


def _same_position(a: _Seen, b: _Seen) -> bool:
    pa, pb = _position(a), _position(b)
    return pa.actor.id == pb.actor.id and pa.stance == pb.stance and _similar_topics(
        pa.topic, pb.topic
    )


def _quote_key(text: str) -> str:
    folded, _ = fold(text)
    return folded.strip("\"' .,;:!?-\u2026")


QuoteRelation = Literal["same", "variant", "different"]


def _quote_relation(a: Claim, b: Claim) -> QuoteRelation:
    """Same words (up to quotes, case and a little noise, or one quoting part of the other), a
    variant of one utterance (direct quotes only), or different."""
    if a.speaker.id != b.speaker.id or a.kind != b.kind:
        return "different"
    ka, kb = _quote_key(a.text), _quote_key(b.text)
    short, long = sorted((ka, kb), key=len)
    ratio = fuzz.ratio(ka, kb)
    if ratio >= SAME_QUOTE_RATIO or (len(short) >= MIN_FRAGMENT_CHARS and short in long):
        return "same"
    if a.kind == "direct-quote" and ratio >= VARIANT_QUOTE_RATIO:
        return "variant"
    return "different"


def _claim_values(members: list[_Seen]) -> dict[str, list[str]]:
    """Quoted words by value, each member keyed by the first earlier member it quotes the same."""
    keys: list[int] = []
    for i, m in enumerate(members):
        same = (j for j in range(i) if _quote_relation(_claim(members[j]), _claim(m)) == "same")
        keys.append(next(same, i))
    index = {id(m): k for m, k in zip(members, keys, strict=True)}
    return _values(members, lambda m: index[id(m)], lambda m: _claim(m).text)


def _merge_simple(members: list[_Seen], ctx: _Context) -> Position | Claim:
    evidence = _union_evidence(members)
    record = members[0].record
    assert not isinstance(record, Meeting), "meetings are merged by _Meetings.merge"
    return record.model_copy(
        update={"evidence": evidence, "corroboration": ctx.corroboration(evidence)}
    )


# ----------------------------------------------------------------------------- the stage


def _ordered(
    extractions: Sequence[ArticleExtraction], ctx: _Context
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
    extractions: list[tuple[int, ArticleExtraction]], index: ActorIndex, ctx: _Context,
    notices: list[str],
) -> list[_Seen]:
    out: list[_Seen] = []
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
            out.append(_Seen(record, x.article_id, (rank, 0, n)))
    return out


def _resolved_others(
    extractions: list[tuple[int, ArticleExtraction]], index: ActorIndex
) -> tuple[list[_Seen], list[_Seen]]:
    positions: list[_Seen] = []
    claims: list[_Seen] = []
    for rank, x in extractions:
        for n, p in enumerate(x.positions):
            position = p.model_copy(update={"actor": index.resolve(x.article_id, p.actor)})
            positions.append(_Seen(position, x.article_id, (rank, 1, n)))
        for n, c in enumerate(x.claims):
            claim = c.model_copy(update={"speaker": index.resolve(x.article_id, c.speaker)})
            claims.append(_Seen(claim, x.article_id, (rank, 2, n)))
    return positions, claims


def _consolidate_meetings(
    items: list[_Seen], registry: ActorRegistry, ctx: _Context
) -> tuple[list[Meeting], list[Divergence]]:
    work = _Meetings(registry, ctx)
    work.add_facts(items)
    groups = work.absorb_supersets(_group(items, work.fits))
    merged = [(work.merge(g), g) for g in groups]
    merged.sort(key=lambda mg: _meeting_order(mg[0], mg[1][0].order))
    meetings: list[Meeting] = []
    divergences: list[Divergence] = []
    for n, (meeting, group) in enumerate(merged, 1):
        meetings.append(meeting.model_copy(update={"id": f"m{n}"}))
        divergences += work.divergences(f"m{n}", group)
    return meetings, divergences


def _consolidate_simple(
    items: list[_Seen], fits: Callable[[_Seen, _Seen], bool], prefix: str, ctx: _Context
) -> list[tuple[Position | Claim, list[_Seen]]]:
    merged = [(_merge_simple(g, ctx), g) for g in _group(items, fits)]
    merged.sort(key=lambda rg: (-rg[0].corroboration, rg[1][0].order))
    return [(r.model_copy(update={"id": f"{prefix}{n}"}), g) for n, (r, g) in enumerate(merged, 1)]


def _claim_divergences(merged: list[tuple[Position | Claim, list[_Seen]]]) -> list[Divergence]:
    out: list[Divergence] = []
    for record, group in merged:
        values = _claim_values(group)
        if values:
            out.append(Divergence(item_id=record.id, item_kind="claim", field="text",
                                  values=values, note="sources quote the words differently"))
    return out


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
) -> Brief:
    """One brief from the run's extractions: actors resolved, each event once with all of its
    sources, divergences reported. Deterministic for the same inputs in the same order."""
    registry = registry if registry is not None else _bundled_registry()
    ctx = _Context(articles)
    ordered = _ordered(extractions, ctx)
    index = resolve_actors(_mentions(ordered), registry)
    notices: list[str] = []
    meetings, divergences = _consolidate_meetings(
        _resolved_meetings(ordered, index, ctx, notices), registry, ctx
    )
    position_items, claim_items = _resolved_others(ordered, index)
    positions = _consolidate_simple(position_items, _same_position, "p", ctx)
    claims = _consolidate_simple(
        claim_items, lambda a, b: _quote_relation(_claim(a), _claim(b)) != "different", "c", ctx
    )
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
        divergences=divergences + _claim_divergences(claims),
        actors=index.actors,
        failures=list(failures),
        run=run.model_copy(update={"notices": [*run.notices, *notices]}) if notices else run,
    )
