"""Meetings: who met whom, where, when, held or planned.

Triggers, each with its own way to find the parties:

- verbs: ``X met (with) Y``, ``X hosted Y``, ``X held talks with Y``, ``X and Y discussed``;
- nouns: ``talks between X and Y``, ``X's meeting with Y``, ``in his talks with Y``,
  ``phone calls with Y``, ``Russia and the US engaged in talks``;
- visits: ``X visited / is to visit / arrived in PLACE``, ``X's visit to PLACE``;
- address: ``X told Y`` when Y is a person, not an audience;
- ``at the invitation of Y`` adds the host.

Mentions of the same meeting in one article are merged, a state standing in for one of its
own people ("talks with the Chinese side" and "met Xi" are one meeting).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from briefing.facts import meeting_status
from briefing.rules.actors import Mention
from briefing.rules.discourse import (
    Doc,
    actors_of,
    phrase_at,
    sentence_subject,
    subject_of,
    subject_shaped,
)
from briefing.rules.lexicon import word_list
from briefing.rules.text import Sentence

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE_RE = re.compile(
    rf"\b(?:(?:on|last|this|next|early|late)\s+)?{_DAY}(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|\b(?:in|since|early|late|mid-|by|until)\s*(?:early\s+|late\s+)?{_MONTH}"
    rf"(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?(?:\s+this\s+year)?"
    rf"|\bon\s+\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|\b{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?"
    r"|\b(?:over|at)\s+the\s+weekend\b|\b(?:last|this|next)\s+(?:week|month|year|night)\b"
    r"|\bin\s+the\s+coming\s+(?:days|weeks|months)\b|\b(?:since\s+)?(?:earlier|early|later)\s+"
    r"this\s+(?:week|month|year)\b|\b(?:yesterday|today|tomorrow)\b"
)
PLACE_RE = re.compile(
    r"\bin[ ]+((?:[A-Z][\w’'\-]+)(?:[ ]+[A-Z][\w’'\-.]*){0,2}(?:,[ ]+[A-Z][\w’'\-]+)?)"
)
_BETWEEN_STOP = frozenset({"on", "in", "at", "over", "about", "regarding", "which", "that"})
_VISIT_MODIFIERS = word_list("visit_modifiers")
_HOST_VERBS = frozenset(
    {"hosted", "hosts", "host", "hosting", "received", "receives", "receive", "welcomed"}
)
_GROUP_VERBS = frozenset(
    {
        "discussed",
        "talked",
        "met",
        "meet",
        "meets",
        "held talks",
        "hold talks",
        "holds talks",
        "had talks",
        "spoke",
        "conferred",
    }
)


@dataclass
class MeetingHit:
    """One mention of a meeting in one sentence, before merging."""

    parties: list[int]
    sent: Sentence
    trigger: int
    status: str = "held"
    format: str | None = None
    location: str | None = None
    date_text: str | None = None
    sentences: list[Sentence] = field(default_factory=list)


def meeting_hits(doc: Doc) -> list[MeetingHit]:
    """All meetings of the article, merged, in order of first mention."""
    hits: list[MeetingHit] = []
    lex = doc.lex
    firsts = _trigger_words(lex.visits, lex.meeting_verbs, lex.meeting_nouns, lex.address)
    for idx, item in enumerate(doc.items):
        if item.low not in firsts or item.kind not in ("word", "title"):
            continue
        if doc.quoted[idx] or idx in doc.by_item:
            continue
        hit = _trigger(doc, idx)
        if hit is not None:
            hits.append(hit)
    return merge(doc, hits)


@cache
def _trigger_words(*vocabularies: frozenset[str]) -> frozenset[str]:
    """First words of every trigger phrase: one set lookup rejects most items."""
    return frozenset(p.split()[0] for vocabulary in vocabularies for p in vocabulary)


def _trigger(doc: Doc, idx: int) -> MeetingHit | None:
    lex = doc.lex
    for finder, vocabulary in (
        (_visit, lex.visits),
        (_verb, lex.meeting_verbs),
        (_noun, lex.meeting_nouns),
        (_address, lex.address),
    ):
        size = phrase_at(doc, idx, vocabulary)
        if size:
            parties = finder(doc, idx, size)
            if parties is not None and len(parties) >= 2:
                return _describe(doc, idx, size, parties)
    return None


# --- parties -------------------------------------------------------------------------------


def _objects(doc: Doc, k: int, *, limit: int | None = None) -> list[int]:
    """Actors named from item ``k`` on: "Y", "Y and Z", "the President of Russia, Vladimir
    Putin, and his Turkish counterpart, ..."; a possessor gives way to its head noun."""
    items, found = doc.items, []
    end = len(items) if limit is None else limit
    while k < end:
        m = doc.mention_starting(k)
        if m is None and items[k].low in ("the", "with", "by", "phone", "telephone"):
            k += 1
            continue
        if m is None:
            break
        if m.last < len(items) and items[m.last].kind == "poss":
            k = _skip_possessed(doc, m.last + 1)
            continue
        found.extend(actors_of(doc, m, at=k))
        k = m.last
        if k + 1 < end and items[k].text == "," and items[k + 1].low == "and":
            k += 1
        if k < end and items[k].low == "and":
            k += 1
            continue
        break
    return found


def _skip_possessed(doc: Doc, k: int) -> int:
    """Past lower-case words to the next mention: "Biden's national security adviser Jake"."""
    stop = min(k + 6, len(doc.items))
    while k < stop and doc.mention_starting(k) is None and doc.items[k].kind in ("word", "title"):
        k += 1
    return k


def _possessor(doc: Doc, idx: int) -> Mention | None:
    """The owner of a noun: "Shoygu's second visit", "his meeting", "their talks"."""
    k = idx - 1
    while k >= 0 and doc.items[k].low in _VISIT_MODIFIERS:
        k -= 1
    if k >= 0 and doc.items[k].kind == "poss":
        return doc.mention_ending(k)
    if k >= 0 and doc.items[k].low in ("his", "her", "its", "their"):
        return doc.by_item.get(k)
    return None


def _possessor_actors(doc: Doc, m: Mention, idx: int) -> list[int]:
    """A possessive pronoun names the nearest person before it in the sentence, or, when the
    phrase opens the sentence ("In his meeting with Y, X said"), the sentence's subject."""
    if m.kind != "pronoun":
        return actors_of(doc, m, at=idx)
    sent = doc.sents[doc.sent_of[idx]]
    for other in reversed(doc.mentions):
        if sent.first <= other.first < m.first and other.kind in ("person", "nominal"):
            return actors_of(doc, other, at=idx)
    if doc.items[m.head].low == "their":
        subj = sentence_subject(doc, sent)
        return actors_of(doc, subj, at=idx) if subj is not None else []
    later = [o for o in doc.mentions if m.last <= o.first < sent.last and o.kind == "person"]
    subj = sentence_subject(doc, sent)
    if subj is not None and subj.kind == "person":
        return actors_of(doc, subj, at=idx)
    return actors_of(doc, later[0], at=idx) if later else []


def _agent(doc: Doc, idx: int) -> list[int]:
    """Who does the meeting: the subject of the trigger, or the nearest person (else state or
    organisation) before it in the sentence, with its coordinated partners."""
    subj = subject_of(doc, idx)
    if subj is None:
        subj = _nearest_subject(doc, idx)
    if subj is None:
        return []
    return _with_partners(doc, subj, idx)


def _nearest_subject(doc: Doc, idx: int) -> Mention | None:
    sent = doc.sents[doc.sent_of[idx]]
    before = [
        m
        for m in doc.mentions
        if sent.first <= m.first
        and m.last <= idx
        and not doc.quoted[m.head]
        and subject_shaped(doc, m)
    ]
    people = [m for m in before if m.kind in ("person", "nominal")]
    pick = people or [m for m in before if m.kind in ("state", "org")]
    return pick[-1] if pick else None


def _with_partners(doc: Doc, m: Mention, idx: int) -> list[int]:
    """The subject and any mentions coordinated with it ("Russia and the US")."""
    actors = actors_of(doc, m, at=idx)
    k = m.first
    while k >= 2:
        k -= 1 + (doc.items[k - 1].low == "the")
        if doc.items[k].low != "and":
            break
        prev = doc.mention_ending(k)
        if prev is None:
            break
        actors = actors_of(doc, prev, at=idx) + actors
        k = prev.first
    if m.last + 1 < len(doc.items) and doc.items[m.last].low == "and" and m.last < idx:
        actors += _objects(doc, m.last + 1, limit=idx)
    return actors


def _verb(doc: Doc, idx: int, size: int) -> list[int] | None:
    """ "X met (with) Y", "X held talks with Y", "X hosted Y"; "X and Y discussed"."""
    phrase = " ".join(it.low for it in doc.items[idx : idx + size])
    agent = _agent(doc, idx)
    k = idx + size
    after = doc.items[k].low if k < len(doc.items) else ""  # the verb may end the text
    if phrase in ("spoke", "talked", "conferred", "sat down") and after not in ("with", "to", "by"):
        return agent if len(agent) >= 2 else None
    objects = _objects(doc, k)
    if not objects:
        objects = _invitation(doc, idx)
    if not objects:
        return agent if len(agent) >= 2 and phrase in _GROUP_VERBS else None
    if phrase in _HOST_VERBS and not any(doc.table.actors[a].kind == "person" for a in objects):
        return None
    return agent + objects


def _invitation(doc: Doc, idx: int) -> list[int]:
    """ "… at the invitation of Y" later in the sentence: Y is a party."""
    sent = doc.sents[doc.sent_of[idx]]
    for k in range(idx, sent.last - 2):
        if doc.items[k].low == "invitation" and doc.items[k + 1].low == "of":
            return _objects(doc, k + 2)
    return []


def _noun(doc: Doc, idx: int, size: int) -> list[int] | None:
    """ "talks between X and Y", "X's meeting with Y", "during a meeting with Y"."""
    k = idx + size
    if k < len(doc.items) and doc.items[k].low == "between":
        return _objects(doc, k + 1)
    owner = _possessor(doc, idx)
    agent = _possessor_actors(doc, owner, idx) if owner is not None else []
    with_at = _find_with(doc, k)
    if with_at is not None:
        between = [m for m in doc.mentions if k <= m.first < with_at]
        if not agent and between:
            agent = actors_of(doc, between[0], at=between[0].first)
        if not agent:
            agent = _agent(doc, idx)
        return agent + _objects(doc, with_at + 1)
    if owner is None:
        agent = _agent(doc, idx)
    return agent if len(agent) >= 2 else None


def _find_with(doc: Doc, k: int) -> int | None:
    """The "with" that introduces the other party, within a few words of the noun."""
    sent = doc.sents[doc.sent_of[min(k, len(doc.items) - 1)]]
    for j in range(k, min(k + 8, sent.last)):
        item = doc.items[j]
        if item.low == "with":
            return j
        if item.kind == "punct" or item.low in ("between", "and", "to"):
            return None
    return None


def _visit(doc: Doc, idx: int, size: int) -> list[int] | None:
    """ "X visited PLACE", "X's visit to PLACE", "X arrived in PLACE"."""
    k = idx + size
    while k < len(doc.items) and doc.items[k].low in ("to", "the"):
        k += 1
    m = doc.mention_starting(k)
    if m is None or m.kind not in ("state", "org", "person", "nominal"):
        return None
    owner = _possessor(doc, idx)
    agent = _possessor_actors(doc, owner, idx) if owner is not None else _agent(doc, idx)
    return agent + actors_of(doc, m, at=k) + _inviter(doc, idx)


def _inviter(doc: Doc, idx: int) -> list[int]:
    """ "X invited Y to pay a visit to PLACE": X hosts."""
    sent = doc.sents[doc.sent_of[idx]]
    for k in range(idx - 1, max(sent.first, idx - 10) - 1, -1):
        if doc.items[k].low in ("invited", "invites", "invite"):
            return actors_of(doc, subject_of(doc, k), at=k)
    return []


def _address(doc: Doc, idx: int, size: int) -> list[int] | None:
    """ "X told Y …" with Y a person: they spoke to each other."""
    m = doc.mention_starting(idx + size)
    if m is None or m.kind not in ("person", "nominal"):
        return None
    if m.last < len(doc.items) and doc.items[m.last].kind == "poss":
        return None
    subj = subject_of(doc, idx)
    return actors_of(doc, subj, at=idx) + actors_of(doc, m, at=idx)


# --- details -------------------------------------------------------------------------------


def _describe(doc: Doc, idx: int, size: int, parties: list[int]) -> MeetingHit | None:
    parties = _distinct(doc, parties)
    if len(parties) < 2:
        return None
    sent = doc.sents[doc.sent_of[idx]]
    hit = MeetingHit(parties, sent, idx, sentences=[sent])
    hit.status = meeting_status(doc.text, *_status_window(doc, idx, size, sent))
    hit.format = _format(doc, idx, size, sent, len(parties))
    hit.date_text = _nearest(DATE_RE, doc.text, sent, doc.items[idx].start)
    hit.location = _location(doc, idx, size, sent)
    return hit


def _distinct(doc: Doc, parties: list[int]) -> list[int]:
    """Each actor once; a state dropped where one of its own people is already a party."""
    unique = list(dict.fromkeys(parties))
    actors = doc.table.actors
    people = {actors[p].country for p in unique if actors[p].kind == "person"}
    return [p for p in unique if not (actors[p].kind == "state" and actors[p].country in people)]


def _status_window(doc: Doc, idx: int, size: int, sent: Sentence) -> tuple[int, int]:
    """The words around a trigger whose cues decide its status (``briefing.facts``)."""
    lo = max(sent.start, doc.items[max(idx - 8, sent.first)].start)
    hi = doc.items[min(idx + size + 6, sent.last - 1)].end
    return lo, hi


def _format(doc: Doc, idx: int, size: int, sent: Sentence, n: int) -> str | None:
    words = {it.low for it in doc.items[idx : idx + size]}
    sentence = doc.text[sent.start : sent.end]
    if words & doc.lex.phone:
        return "phone"
    if any(cue in sentence for cue in doc.lex.sidelines):
        return "sidelines"
    if words & {"hosted", "hosts", "host", "hosting", "received", "receives", "receive"}:
        return "host"
    if n > 2:
        return "multilateral"
    if words & doc.lex.visits or "visiting" in sentence:
        return "visit"
    return None


def _nearest(pattern: re.Pattern[str], text: str, sent: Sentence, at: int) -> str | None:
    found = [m for m in pattern.finditer(text, sent.start, sent.end)]
    if not found:
        return None
    best = min(found, key=lambda m: abs(m.start() - at) + (0 if m.start() >= at else 40))
    return best.group().strip()


def _location(doc: Doc, idx: int, size: int, sent: Sentence) -> str | None:
    if phrase_at(doc, idx, doc.lex.visits):
        k = idx + size + (doc.items[idx + size].low == "to" if idx + size < sent.last else 0)
        if k < sent.last and doc.items[k].kind == "place" and doc.items[k].how == "seat":
            return doc.items[k].text
    found = _nearest(PLACE_RE, doc.text, sent, doc.items[idx].start)
    if found is None:
        return None
    place = found[3:].strip()
    return None if DATE_RE.fullmatch(found) or place.split()[0] in doc.lex.not_names else place


# --- merging -------------------------------------------------------------------------------


def _same_party(doc: Doc, a: int, b: int) -> bool:
    """The same actor, or a state and one of its own people."""
    if a == b:
        return True
    x, y = doc.table.actors[a], doc.table.actors[b]
    if x.kind == y.kind:
        return False
    kinds = {x.kind, y.kind}
    return kinds == {"state", "person"} and x.country is not None and x.country == y.country


def _compatible(doc: Doc, one: MeetingHit, other: MeetingHit) -> bool:
    """Same status, no clash of dates, one shared party, and every party of the smaller
    mention found in the larger (a state matching one of its own people)."""
    if one.status != other.status or not set(one.parties) & set(other.parties):
        return False
    if _dates_clash(one.date_text, other.date_text):
        return False
    small, large = sorted((one.parties, other.parties), key=len)
    return all(any(_same_party(doc, p, q) for q in large) for p in small)


def _dates_clash(one: str | None, other: str | None) -> bool:
    """Different months, or different weekdays: two meetings. Relative words ("last night")
    never clash, since they may name the same day."""
    if not one or not other:
        return False
    for pattern in (_MONTH, _DAY):
        a, b = re.findall(pattern, one), re.findall(pattern, other)
        if (a or b) and a != b and ((a and b) or pattern == _MONTH):
            return True
    return False


def merge(doc: Doc, hits: list[MeetingHit]) -> list[MeetingHit]:
    """One record per meeting: later mentions add evidence and fill missing details."""
    merged: list[MeetingHit] = []
    for hit in hits:
        into = next((m for m in merged if _compatible(doc, m, hit)), None)
        if into is None:
            merged.append(hit)
            continue
        into.parties = _union(doc, into.parties, hit.parties)
        if all(s.start != hit.sent.start for s in into.sentences):
            into.sentences.append(hit.sent)
        into.location = into.location or hit.location
        into.date_text = into.date_text or hit.date_text
        into.format = into.format or hit.format
    return merged


def _union(doc: Doc, a: list[int], b: list[int]) -> list[int]:
    """Both lists' parties, a person replacing the state that stood in for them."""
    out = list(a)
    for p in b:
        same = [q for q in out if _same_party(doc, p, q)]
        if not same:
            out.append(p)
        elif doc.table.actors[p].kind == "person" and doc.table.actors[same[0]].kind == "state":
            out[out.index(same[0])] = p
    return list(dict.fromkeys(out))
