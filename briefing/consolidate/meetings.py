"""Merge policy for meetings: which extracted meetings are one event.

Identity: same status, same *parties* (the resolved people, plus any state or organisation no
listed person belongs to: ``[Xi, Shoigu, Russia]`` is ``{Xi, Shoigu}``), no clash of a call with
a meeting in person (``briefing.facts.by_phone``: a record with a place and no format is in
person), and dates and places that agree or are unknown on one side. Two known, different places
still make one meeting when the date is known and equal on both sides (the same people cannot
meet in two cities on one day: a ``location`` divergence); two dates a day apart are one meeting
when the place is known and equal (a ``date`` divergence).

And the reports must be *tied*: at least one detail known on both sides and equal (the day, or
the place), or both reports equally vague (neither gives a day nor a place), or one text (the
same article or copies of it). A report with no place and no date never absorbs a specific one
from an independent text ("Russia and the US held two rounds of talks" is not evidence for the
Istanbul meeting on Thursday): both are kept, and the vaguer is marked "possibly the same as"
the other.

A meeting listing more people than another is merged with it only when date and place are known
and equal on both sides and neither could belong to another (a ``participants`` divergence).

Reports of one meeting that differ on its *status* (one outlet says held, another cancelled or
still planned) are not merged, since either record would then state what its other sources
deny: both are kept, each with its own sources, linked as "possibly the same", and a ``status``
divergence cites each side (``status_disputes``). They are one meeting when the same parties
are given on the same known day, places not in conflict, by different texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from briefing.actors import ActorRegistry, fold_name
from briefing.consolidate.blocking import Context, Group, Seen, group, union_evidence
from briefing.consolidate.dates import weekday_in
from briefing.facts import by_phone
from briefing.schemas import Actor, Meeting

_T = TypeVar("_T")

# Two reports of one meeting may disagree by a day (time zones, late wires), not more.
DATE_SLACK_DAYS = 1
# "Possibly the same as" links per meeting at most; beyond, the brief would only be noise.
MAX_POSSIBLE = 5
# Groups of one block looked at for those links: bounds the cost when one pair of parties has
# hundreds of separate meetings in a brief.
POSSIBLE_SCAN = 50


@dataclass(frozen=True)
class MeetingFacts:
    """What identity and divergence compare, computed once per extracted meeting."""

    status: str
    parties: frozenset[str]
    place: tuple[str, ...] | None
    date: object  # dt.date | None; kept loose so the dataclass stays hashable and small
    weekday: int | None
    phone: bool | None

    @property
    def vague(self) -> bool:
        return self.place is None and self.date is None and self.weekday is None


def parties(participants: Sequence[Actor]) -> frozenset[str]:
    """Resolved people, plus states and organisations none of them belongs to."""
    countries = {p.country for p in participants if p.kind == "person" and p.country}
    return frozenset(
        p.id for p in participants
        if p.kind == "person" or not (p.country and p.country in countries)
    )


def facts(item: Seen, registry: ActorRegistry, ctx: Context) -> MeetingFacts:
    meeting = as_meeting(item)
    place = registry.place_key(meeting.location)
    weekday = meeting.date.weekday() if meeting.date else weekday_in(meeting.date_text)
    phone = by_phone(meeting.format, meeting.location)
    return MeetingFacts(
        meeting.status, parties(meeting.participants), tuple(place.split()) if place else None,
        meeting.date, weekday, phone,
    )


DateRelation = Literal["same", "near", "far", "unknown"]
PlaceRelation = Literal["same", "conflict", "unknown"]


def date_relation(a: MeetingFacts, b: MeetingFacts) -> DateRelation:
    if a.date is not None and b.date is not None:
        gap = abs((a.date - b.date).days)  # type: ignore[operator]
    elif a.weekday is not None and b.weekday is not None:
        gap = min((a.weekday - b.weekday) % 7, (b.weekday - a.weekday) % 7)
    else:
        return "unknown"
    return "same" if gap == 0 else "near" if gap <= DATE_SLACK_DAYS else "far"


def contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Word-sequence containment: ``istanbul`` is in ``us general consulate in istanbul``."""
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def place_relation(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> PlaceRelation:
    if a is None or b is None:
        return "unknown"
    return "same" if contains(a, b) or contains(b, a) else "conflict"


def compatible(a: MeetingFacts, b: MeetingFacts) -> bool:
    """Nothing known on both sides rules out one event."""
    if a.status != b.status or a.parties != b.parties:
        return False
    if a.phone is not None and b.phone is not None and a.phone != b.phone:
        return False
    date, place = date_relation(a, b), place_relation(a.place, b.place)
    if date in ("same", "unknown") and place in ("same", "unknown"):
        return True
    return (date == "same" and place == "conflict") or (date == "near" and place == "same")


def disputed(a: MeetingFacts, b: MeetingFacts) -> bool:
    """One meeting whose status the two reports give differently: same parties, the same
    known day, places and formats not in conflict."""
    if a.status == b.status or a.parties != b.parties:
        return False
    if a.phone is not None and b.phone is not None and a.phone != b.phone:
        return False
    return date_relation(a, b) == "same" and place_relation(a.place, b.place) != "conflict"


def tied(a: MeetingFacts, b: MeetingFacts) -> bool:
    """Something positive says the two reports are one event (see the module docstring); one
    text (the same article or copies) ties them too, checked by the caller."""
    if a.vague and b.vague:
        return True
    return date_relation(a, b) in ("same", "near") or place_relation(a.place, b.place) == "same"


def _joins(text: str, fact: MeetingFacts, home: Group[MeetingFacts]) -> bool:
    """Compared with the group's distinct facts (not its members): a meeting a thousand
    articles report in the same words is one comparison."""
    sigs = home.signatures
    if not all(compatible(fact, s) for s in sigs):
        return False
    return text in home.texts or any(tied(fact, s) for s in sigs)


class Meetings:
    """Groups one brief's extracted meetings into events and reports where sources differ."""

    def __init__(self, registry: ActorRegistry, ctx: Context) -> None:
        self.registry = registry
        self.ctx = ctx
        self.facts: dict[int, MeetingFacts] = {}

    def fact(self, item: Seen) -> MeetingFacts:
        return self.facts[id(item)]

    def group(self, items: Sequence[Seen]) -> list[list[Seen]]:
        for item in items:
            self.facts[id(item)] = facts(item, self.registry, self.ctx)
        groups = group(
            items, lambda i: (self.fact(i).status, self.fact(i).parties), self.fact,
            lambda i, fact, home: _joins(self.ctx.copy_group(i.article_id), fact, home),
            lambda i: self.ctx.copy_group(i.article_id),
        )
        return self.absorb_supersets(groups)

    def contains(self, big: list[Seen], small: list[Seen]) -> bool:
        """``big`` reports the people of ``small`` and more, on the same known day and place."""
        fb, fs = self.fact(big[0]), self.fact(small[0])
        if not fs.parties < fb.parties or fb.status != fs.status:
            return False
        sigs_b = {self.fact(b) for b in big}
        sigs_s = {self.fact(s) for s in small}
        return all(
            date_relation(b, s) == "same" and place_relation(b.place, s.place) == "same"
            and not (b.phone is not None and s.phone is not None and b.phone != s.phone)
            for b in sigs_b for s in sigs_s
        )

    def _anchor(self, members: list[Seen]) -> object | None:
        """Groups that can contain one another share a known day and status: the block key."""
        f = self.fact(members[0])
        day = f.date if f.date is not None else f.weekday
        return None if day is None or f.place is None else (f.status, day)

    def absorb_supersets(self, groups: list[list[Seen]]) -> list[list[Seen]]:
        """Merge a group into the one group that lists more people at the same day and place,
        when neither has another candidate (so ``[Xi, Wang, Shoigu]`` is not forced onto one
        of two separate Xi–Shoigu and Wang–Shoigu meetings). Compared within a day only."""
        by_day: dict[object, list[int]] = {}
        for n, g in enumerate(groups):
            if (anchor := self._anchor(g)) is not None:
                by_day.setdefault(anchor, []).append(n)
        links = [(i, j) for same_day in by_day.values() for i in same_day for j in same_day
                 if i != j and self.contains(groups[i], groups[j])]
        bigs = [i for i, _ in links]
        smalls = [j for _, j in links]
        into = {j: i for i, j in links if bigs.count(i) == 1 and smalls.count(j) == 1}
        into = {j: i for j, i in into.items() if i not in into}
        merged = [list(g) for g in groups]
        for j, i in into.items():
            merged[i].extend(groups[j])
        return [sorted(g, key=lambda s: s.order) for k, g in enumerate(merged) if k not in into]

    def possibly_same(self, groups: list[list[Seen]]) -> dict[int, list[int]]:
        """For each group, the other groups it may report (compatible, but nothing ties them):
        ``{index: [indexes]}``, each list at most ``MAX_POSSIBLE`` long."""
        by_block: dict[object, list[int]] = {}
        for n, g in enumerate(groups):
            f = self.fact(g[0])
            by_block.setdefault((f.status, f.parties), []).append(n)
        out: dict[int, list[int]] = {}
        for block in by_block.values():
            if len(block) < 2:
                continue
            facts = {n: {self.fact(m) for m in groups[n]} for n in block}
            for i in block:
                for j in block[:POSSIBLE_SCAN]:
                    if i != j and len(out.get(i, [])) < MAX_POSSIBLE and all(
                        compatible(x, y) for x in facts[i] for y in facts[j]
                    ):
                        out.setdefault(i, []).append(j)
        return out

    def status_disputes(self, groups: list[list[Seen]]) -> list[list[int]]:
        """Sets of groups (indexes, each set in input order) that report one meeting with
        different statuses: same parties, the same known day, places and formats not in
        conflict, from different texts. Compared within a block of one party set, at most
        ``POSSIBLE_SCAN`` groups deep."""
        by_parties: dict[frozenset[str], list[int]] = {}
        for n, g in enumerate(groups):
            by_parties.setdefault(self.fact(g[0]).parties, []).append(n)
        parent = list(range(len(groups)))

        def root(n: int) -> int:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        for block in by_parties.values():
            if len({self.fact(groups[n][0]).status for n in block}) < 2:
                continue
            facts = {n: {self.fact(m) for m in groups[n]} for n in block}
            texts = {n: {self.ctx.copy_group(m.article_id) for m in groups[n]} for n in block}
            for i in block[:POSSIBLE_SCAN]:
                for j in block[:POSSIBLE_SCAN]:
                    if i < j and not texts[i] & texts[j] and any(
                        disputed(x, y) for x in facts[i] for y in facts[j]
                    ):
                        parent[root(j)] = root(i)
        sets: dict[int, list[int]] = {}
        for n in range(len(groups)):
            sets.setdefault(root(n), []).append(n)
        return [s for s in sets.values() if len(s) > 1]

    def merge(self, members: list[Seen]) -> Meeting:
        meetings = [as_meeting(m) for m in members]
        participants: dict[str, Actor] = {}
        for meeting in meetings:
            for p in meeting.participants:
                participants.setdefault(p.id, p)
        evidence = union_evidence(members)
        return Meeting(
            participants=list(participants.values()),
            location=first(m.location for m in meetings),
            date=first(m.date for m in meetings),
            date_text=first(m.date_text for m in meetings),
            format=first(m.format for m in meetings),
            status=meetings[0].status,
            topics=union_folded(t for m in meetings for t in m.topics),
            evidence=evidence,
            corroboration=self.ctx.corroboration(evidence),
        )


def as_meeting(item: Seen) -> Meeting:
    assert isinstance(item.record, Meeting)
    return item.record


def first(values: Iterable[_T | None]) -> _T | None:
    return next((v for v in values if v is not None), None)


def union_folded(texts: Iterable[str]) -> list[str]:
    out: dict[str, str] = {}
    for text in texts:
        out.setdefault(fold_name(text), text)
    return list(out.values())


def meeting_order(meeting: Meeting, first_seen: tuple[int, int, int]) -> tuple[object, ...]:
    """Held first, more sources first, held newest / planned soonest first, undated last."""
    day = meeting.date.toordinal() if meeting.date else 0
    when = -day if meeting.status == "held" else day
    return (meeting.status != "held", -meeting.corroboration, meeting.date is None, when,
            first_seen)
