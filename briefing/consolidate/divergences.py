"""Divergences: where the merged sources of one item disagree, each side with its articles.

A detail only one side gives is not a disagreement; a bare weekday that agrees with a known date
is that date; a place inside a more precise one (Istanbul / the US consulate in Istanbul) is the
same place; ``visit`` and ``host`` are one format seen from the two sides.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from briefing.consolidate.blocking import Seen
from briefing.consolidate.meetings import Meetings, as_meeting, contains
from briefing.consolidate.statements import as_claim, quote_relation
from briefing.schemas import Claim, Divergence, Position


def values(
    members: Sequence[Seen], key: Callable[[Seen], Hashable | None],
    label: Callable[[Seen], str],
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


def _format_family(fmt: str | None) -> str | None:
    return "visit" if fmt == "host" else fmt


def meeting_divergences(work: Meetings, item_id: str, members: list[Seen]) -> list[Divergence]:
    found = {
        "date": (_date_values(work, members), "sources give different dates"),
        "location": (_place_values(work, members), "sources give different places"),
        "format": (
            values(members, lambda m: _format_family(as_meeting(m).format),
                   lambda m: str(as_meeting(m).format)),
            "sources describe the meeting differently",
        ),
        "participants": (
            values(members, lambda m: work.fact(m).parties,
                   lambda m: ", ".join(p.name for p in as_meeting(m).participants)),
            "sources list different participants",
        ),
    }
    return [
        Divergence(item_id=item_id, item_kind="meeting", field=name, values=vals, note=note)
        for name, (vals, note) in found.items() if vals
    ]


_STATUS_NOTES = {
    frozenset({"held", "cancelled"}): "sources disagree on whether the meeting took place",
    frozenset({"held", "planned"}): (
        "one source reports the meeting held, another still planned"
    ),
}


def status_divergence(item_id: str, groups: list[list[Seen]]) -> Divergence:
    """Meetings kept apart because their sources give different statuses (see
    ``Meetings.status_disputes``): one ``status`` divergence on the first of them, citing
    each status's articles. ``groups`` hold at least two statuses."""
    vals: dict[str, list[str]] = {}
    for members in groups:
        for m in members:
            ids = vals.setdefault(as_meeting(m).status, [])
            if m.article_id not in ids:
                ids.append(m.article_id)
    note = _STATUS_NOTES.get(frozenset(vals), "sources give different statuses")
    return Divergence(item_id=item_id, item_kind="meeting", field="status", values=vals, note=note)


def _date_values(work: Meetings, members: list[Seen]) -> dict[str, list[str]]:
    """Dates by value; a bare weekday that agrees with exactly one known date is that
    date, so "on Friday" does not diverge from 2025-03-14 (a Friday)."""
    dates = {d for m in members if (d := as_meeting(m).date) is not None}

    def key(m: Seen) -> Hashable | None:
        meeting, weekday = as_meeting(m), work.fact(m).weekday
        if meeting.date:
            return meeting.date
        matching = [d for d in dates if d.weekday() == weekday]
        return matching[0] if len(matching) == 1 else weekday

    def label(m: Seen) -> str:
        meeting = as_meeting(m)
        return meeting.date.isoformat() if meeting.date else str(meeting.date_text)

    return values(members, key, label)


def _place_values(work: Meetings, members: list[Seen]) -> dict[str, list[str]]:
    """Places by normalised key; a place inside a more precise one given by another source
    is not a disagreement."""
    places = {work.fact(m).place for m in members} - {None}

    def key(m: Seen) -> Hashable | None:
        place = work.fact(m).place
        if place is None:
            return None
        wider = [p for p in places if p != place and p is not None and contains(p, place)]
        return wider[0] if len(wider) == 1 else place

    return values(members, key, lambda m: str(as_meeting(m).location))


def _claim_values(members: list[Seen]) -> dict[str, list[str]]:
    """Quoted words by value, each member keyed by the first distinct wording it quotes the
    same (compared with one member per wording, not with every member)."""
    wordings: list[Seen] = []
    index: dict[int, int] = {}
    for m in members:
        same = (k for k, w in enumerate(wordings)
                if quote_relation(as_claim(w), as_claim(m)) == "same")
        k = next(same, None)
        if k is None:
            wordings.append(m)
            k = len(wordings) - 1
        index[id(m)] = k
    return values(members, lambda m: index[id(m)], lambda m: as_claim(m).text)


def claim_divergences(merged: list[tuple[Position | Claim, list[Seen]]]) -> list[Divergence]:
    out: list[Divergence] = []
    for record, members in merged:
        vals = _claim_values(members)
        if vals:
            out.append(Divergence(item_id=record.id, item_kind="claim", field="text",
                                  values=vals, note="sources quote the words differently"))
    return out
