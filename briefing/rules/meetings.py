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
from dataclasses import dataclass, field, replace
from functools import cache

from briefing.facts import (
    by_phone,
    held_after_denial,
    meeting_absent,
    meeting_in_background,
    meeting_status,
    visit_unmet,
)
from briefing.rules.actors import Mention
from briefing.rules.discourse import (
    PREPOSITIONS,
    Doc,
    actors_of,
    phrase_at,
    sentence_subject,
    subject_of,
    subject_shaped,
)
from briefing.rules.lexicon import either, meeting_words, word_list
from briefing.rules.text import QUOTE_CHARS, Sentence

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
_NOT_PLACE = rf"(?!{_DAY}\b|{_MONTH}\b|On\b|In\b|At\b|The\b|His\b|Her\b|Their\b|Its\b)"
# Abbreviated place words keep their full stop: "St. Marten", "Mt. Hood", "Aurum D.C.".
_PLACE_ABBR = r"(?:St|Ste|Sta|Mt|Ft|Pt)\.(?=[ ]+[A-Z])|(?:[A-Z]\.){2,}"
PLACE_RE = re.compile(
    rf"\b(?:[Ii]n|at)[ ]+(?:the[ ]+)?({_NOT_PLACE}(?:{_PLACE_ABBR}|[A-Z][\w’'\-]+)"
    rf"(?:[ ]+{_NOT_PLACE}(?:{_PLACE_ABBR}|[A-Z][\w’'\-]*)){{0,2}}"
    rf"(?:,[ ]+{_NOT_PLACE}[A-Z][\w\-]+(?![’'\w]))?)"
)
_SEPARATE = frozenset({"separate", "separately", "respectively", "individually"})
# Verbs that are a meeting only when their object is a person ("called Putin", not "called
# for calm"); "received a message" is no meeting either.
_PERSON_OBJECT_VERBS = frozenset(
    {
        "called",
        "calls",
        "phoned",
        "rang",
        "telephoned",
        "engaged with",
        "discuss",
        "discusses",
        "discussing",
    }
)
# Nouns that name a process more often than a meeting ("months of negotiations"): a meeting
# only after a light verb ("held negotiations") or with "between".
_PROCESS_NOUNS = frozenset({"negotiations", "discussions", "dialogue", "contacts", "consultations"})
_LIGHT_VERBS = frozenset(
    {
        "held",
        "hold",
        "holds",
        "holding",
        "had",
        "have",
        "has",
        "renewed",
        "resumed",
        "opened",
        "began",
        "begin",
        "started",
        "launched",
        "conducted",
        "continued",
        "concluded",
        "in",
        "during",
        "after",
        "following",
        "their",
        "his",
        "her",
        "its",
    }
)
# Words that may stand between a meeting verb and its "with"/"by": times, manner adverbs,
# a place ("will meet in Cairo on Sunday with ...", "spoke last evening with ...").
_VERB_GAP = frozenset(
    {
        "on",
        "in",
        "at",
        "last",
        "this",
        "next",
        "late",
        "early",
        "today",
        "yesterday",
        "tonight",
        "earlier",
        "later",
        "again",
        "also",
        "briefly",
        "separately",
        "privately",
        "jointly",
        "warmly",
        "cordially",
        "evening",
        "morning",
        "afternoon",
        "night",
        "week",
        "the",
        "by",
        "phone",
        "telephone",
        "video",
        "link",
        "virtually",
        "online",
        "personally",
    }
)
_DATE_WORDS = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    }
)
# Roles that receive a visitor on behalf of their state (not spokespeople or envoys).
_HOST_ROLES = frozenset(
    {"head-of-state", "head-of-government", "foreign-minister", "minister", "leader"}
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
    weak: bool = False  # "X told Y" beside another meeting: adds no evidence or details


def meeting_hits(doc: Doc) -> list[MeetingHit]:
    """All meetings of the article, merged, in order of first mention."""
    hits: list[MeetingHit] = []
    speakers: dict[int, int] = {}  # quote start -> speaker, read only if a quote needs it
    lex = doc.lex
    firsts = _trigger_words(lex.visits, lex.meeting_verbs, lex.meeting_nouns, lex.address)
    skip = _non_event_spans(doc.text)
    for idx, item in enumerate(doc.items):
        if item.low not in firsts or item.kind not in ("word", "title"):
            continue
        if idx in doc.by_item:
            continue
        if skip and any(lo <= item.start < hi for lo, hi in skip):
            continue
        if doc.quoted[idx]:
            hits.extend(_quoted_trigger(doc, idx, speakers))
            continue
        hits.extend(_trigger(doc, idx))
    _own_details(doc, hits)
    _unmet_visits(doc, hits)
    _plans_called_off(doc, hits)
    _covered_visits(doc, hits)
    return merge(doc, hits)


def _covered_visits(doc: Doc, hits: list[MeetingHit]) -> None:
    """A trip to a state whose own sentence names the people met there ("will travel to
    Dili, where she will meet President X and Prime Minister Y") is that meeting, told more
    precisely: the trip takes the meeting's parties (and so merges into it, giving it its
    format), adding no record of a meeting with the state. A cancelled one stays: the trip
    may have taken place when the meeting did not ("travelled to X and had yet to meet Y")."""
    for hit in hits:
        other = _covering(doc, hit, hits)
        if other is not None:
            hit.parties = list(other.parties)


def _covering(doc: Doc, hit: MeetingHit, hits: list[MeetingHit]) -> MeetingHit | None:
    actors = doc.table.actors
    states = {p for p in hit.parties if actors[p].kind == "state"}
    if hit.status == "cancelled" or not states:
        return None
    if not phrase_at(doc, hit.trigger, doc.lex.visits):
        return None
    visitors = set(hit.parties) - states
    return next(
        (
            other
            for other in hits
            if other is not hit
            and other.sent is hit.sent
            and other.status == hit.status
            and not phrase_at(doc, other.trigger, doc.lex.visits)
            and visitors <= set(other.parties)
            and any(actors[p].kind == "person" for p in set(other.parties) - visitors)
        ),
        None,
    )


# How many sentences after a planned meeting's own are read for words saying it fell through.
_PLAN_REACH = 2
# Nouns a later sentence may open on to speak of a planned trip ("The trip was called off").
_TRIP_NOUNS = frozenset({"visit", "visits", "trip", "trips", "tour"})


def _plans_called_off(doc: Doc, hits: list[MeetingHit]) -> None:
    """A planned meeting is ``cancelled`` when one of the next ``_PLAN_REACH`` sentences
    opens on it ("The meeting did not take place.", "But the planned talks never happened.",
    "His trip was called off.") with a cancellation cue of ``facts.meeting_status``. Reading
    stops at a sentence that reports another meeting or names an actor who is none of the
    meeting's parties (its words are about them); a sentence telling of the past as
    background is skipped. A held meeting is left alone: a later "the talks were postponed"
    may be their next round."""
    for hit in hits:
        if hit.status != "planned":
            continue
        if _own_plan_called_off(doc, hit):
            hit.status = "cancelled"
            continue
        n = doc.sents.index(hit.sent)
        reach = doc.sents[n + 1 : n + 1 + _PLAN_REACH]
        near = [h for h in hits if h is not hit and h.sent in reach]
        for sent in reach:
            if (
                any(h.sent is sent for h in near)
                or _about_others(doc, sent, hit, near)
                or _other_country(doc, sent, hit)
            ):
                break
            if meeting_in_background(doc.text, sent.start, sent.end) is not None:
                continue
            if _opens_on_meeting(doc, sent, _TRIP_NOUNS) and (
                meeting_status(doc.text, sent.start, sent.end) == "cancelled"
            ):
                hit.status = "cancelled"
                break


# How many sentences after a visit's own are read for words saying its meetings failed.
_UNMET_REACH = 3


def _unmet_visits(doc: Doc, hits: list[MeetingHit]) -> None:
    """A held visit to a state whose host the article does not name ("X travelled to Malé
    to meet the government") is ``cancelled`` when the article goes on to say its meetings
    did not take place: the trip happened, the meeting did not. Read in the visit's own
    sentence after its trigger (the ``[meetings] unmet`` cues of
    ``briefing.facts.visit_unmet``, or any cancellation cue of ``facts.meeting_status``
    after a contrast: "…, but the junta did not receive him") and in the next
    ``_UNMET_REACH`` sentences (``unmet`` cues, "we couldn't meet anybody", or a sentence
    opening on its meetings with a cancellation cue: "Her talks were called off"), skipping
    a later sentence that names an actor who is none of the visit's parties ("a Chilean
    delegation's meetings were cancelled") or reports a meeting of other parties. A held
    meeting of the visit's parties in reach ("… and met President Z") keeps the visit held."""
    for hit in hits:
        if hit.status != "held" or not _travel_only(doc, hit):
            continue
        n = doc.sents.index(hit.sent)
        reach = doc.sents[n : n + 1 + _UNMET_REACH]
        near = [h for h in hits if h is not hit and h.sent in reach]
        if any(h.status == "held" and _shares_party(doc, h, hit) for h in near):
            continue
        if _own_sentence_unmet(doc, hit) or _later_sentences_unmet(doc, hit, reach[1:], near):
            hit.status = "cancelled"


def _later_sentences_unmet(
    doc: Doc, hit: MeetingHit, later: list[Sentence], near: list[MeetingHit]
) -> bool:
    """A later sentence in reach says the visit's meetings failed. A sentence about other
    actors is skipped, and one that tells of their meeting or its cancellation ("a separate
    visit by a Peruvian envoy was called off") ends the reading: what follows ("His meetings
    were postponed") goes on about them. A sentence telling of the past as background ("Last
    year his talks were cancelled", ``facts.meeting_in_background``) is about another trip."""
    for sent in later:
        if _about_others(doc, sent, hit, near):
            if any(h.sent is sent for h in near) or (
                meeting_status(doc.text, sent.start, sent.end) == "cancelled"
            ):
                return False
            continue
        if meeting_in_background(doc.text, sent.start, sent.end) is not None:
            continue
        if _later_unmet(doc, sent):
            return True
    return False


# A later sentence that opens on these and a meeting noun speaks of the visit's own meetings.
_BACK_REFERENCE = frozenset({"the", "his", "her", "their", "its", "our", "my", "these", "those"})


def _later_unmet(doc: Doc, sent: Sentence) -> bool:
    """``unmet`` cues, or a sentence opening on the visit's own meetings ("Her talks with
    officials were called off", "The meetings did not take place") with a cancellation cue."""
    if visit_unmet(doc.text, sent.start, sent.end) is not None:
        return True
    if not _opens_on_meeting(doc, sent):
        return False
    return meeting_status(doc.text, sent.start, sent.end) == "cancelled"


_OPENERS = frozenset({"but", "however", "yet", ","})


def _opens_on_meeting(doc: Doc, sent: Sentence, more: frozenset[str] = frozenset()) -> bool:
    """The sentence opens on a meeting told before: ``_BACK_REFERENCE`` and a meeting noun (or
    one of ``more``) within the next two words ("The meetings", "Her talks", "The planned
    talks"), after a contrast word ("But the meeting …", "However, the talks …")."""
    first = sent.first
    while first < sent.last and doc.items[first].low in _OPENERS:
        first += 1
    if first >= sent.last or doc.items[first].low not in _BACK_REFERENCE:
        return False
    nouns = doc.lex.meeting_nouns | more
    return any(doc.items[k].low in nouns for k in range(first + 1, min(first + 3, sent.last)))


_CONTRAST = frozenset({"but", "however", "yet", "although", "though"})


def _own_sentence_unmet(doc: Doc, hit: MeetingHit) -> bool:
    """The visit's sentence, after its trigger, says its meetings failed."""
    sent, after = hit.sent, hit.trigger + 1
    if visit_unmet(doc.text, doc.items[hit.trigger].end, sent.end) is not None:
        return True
    for k in range(after, sent.last):
        if doc.items[k].low in _CONTRAST:
            return meeting_status(doc.text, doc.items[k].start, sent.end) == "cancelled"
    return False


def _about_others(doc: Doc, sent: Sentence, hit: MeetingHit, near: list[MeetingHit]) -> bool:
    """A later sentence that reports a meeting of other parties, or names an actor who is
    none of the visit's parties: its words are about them."""
    if any(h.sent is sent and not _shares_party(doc, h, hit) for h in near):
        return True
    for m in doc.mentions:
        if not sent.first <= m.first < sent.last or m.actor is None:
            continue
        if m.kind in ("person", "state", "org") and not any(
            _same_party(doc, m.actor, p) for p in hit.parties
        ):
            return True
    return False


def _own_plan_called_off(doc: Doc, hit: MeetingHit) -> bool:
    """The plan's own sentence goes on, after a contrast, about the meeting's end: "…
    were due to meet on Friday, but the meeting did not take place", "…, but it was called
    off" (a meeting or trip noun, or "it", within three words of the contrast)."""
    sent = hit.sent
    nouns = doc.lex.meeting_nouns | _TRIP_NOUNS | {"it"}
    for k in range(hit.trigger + 1, sent.last):
        if doc.items[k].low not in _CONTRAST:
            continue
        near = range(k + 1, min(k + 4, sent.last))
        if not any(doc.items[j].low in nouns for j in near):
            return False
        return meeting_status(doc.text, doc.items[k].start, sent.end) == "cancelled"
    return False


def _other_country(doc: Doc, sent: Sentence, hit: MeetingHit) -> bool:
    """The sentence names a state, or people of a state ("Peruvian ministers"), that none of
    the meeting's parties belongs to."""
    own = {doc.table.actors[p].country for p in hit.parties}
    for m in doc.mentions:
        if sent.first <= m.first < sent.last and {m.country, *m.countries} - own - {None}:
            return True
    return False


def _travel_only(doc: Doc, hit: MeetingHit) -> bool:
    """A visit whose counterpart is a state, none of its people named (``_distinct`` drops a
    state once one of its people is a party): a meeting only by inference from the trip."""
    if not phrase_at(doc, hit.trigger, doc.lex.visits):
        return False
    return any(doc.table.actors[p].kind == "state" for p in hit.parties)


def _shares_party(doc: Doc, one: MeetingHit, other: MeetingHit) -> bool:
    return any(_same_party(doc, p, q) for p in one.parties for q in other.parties)


_BULLETS = ("-", "•", "*", "–", "—", "·", "►", "▪")
_LINE_END = (".", "!", "?", '"', "”", "’", "'", ")", "»")


@cache
def _non_event_cues() -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    from briefing.rules.lexicon import _read

    table = _read("lexicon.toml")["meetings"]
    return (
        tuple(table["caption_starts"]),
        tuple(table["caption_credits"]),
        frozenset(table["list_headings"]),
    )


def _non_event_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of lines that report no event: photo captions ("Photo: …", a line
    ending in "(Herald/Archive)"), and the headline-style lines (a bullet or no closing full
    stop) under a "Related articles"/"Read more" heading. A bullet line with no such heading
    is kept: articles list facts that way ("* X invited Y to visit Z"). Cue lists:
    ``[meetings] caption_starts``, ``caption_credits``, ``list_headings`` in lexicon.toml."""
    starts, credits, headings = _non_event_cues()
    spans: list[tuple[int, int]] = []
    in_list = False
    pos = 0
    for line in text.splitlines(keepends=True):
        lo, hi = pos, pos + len(line)
        pos = hi
        body = line.strip()
        low = body.casefold()
        if not body:
            continue
        bullet = body.startswith(_BULLETS)
        headline = not body.endswith(_LINE_END)
        if low.rstrip(":").strip() in headings:
            in_list = True
            spans.append((lo, hi))
            continue
        if in_list and (bullet or headline):
            spans.append((lo, hi))
            continue
        in_list = False
        credit = re.search(r"\(([^()]{1,80})\)\W*$", body)
        if low.startswith(starts) or (
            credit and any(c in credit.group(1).casefold().split("/")[-1] for c in credits)
        ):
            spans.append((lo, hi))
    return spans


def _quoted_trigger(doc: Doc, idx: int, speakers: dict[int, int]) -> list[MeetingHit]:
    """A meeting verb inside a quote: "Today I spoke with President X", "The minister met
    Y": the agent is a named actor before it in the quote, or the quote's speaker for "I"
    and "we". Quoted meeting nouns are left alone ("the meeting was useful")."""
    size = phrase_at(doc, idx, doc.lex.meeting_verbs)
    if not size:
        return []
    quote = next((q for q in doc.quotes if q.inner_start <= doc.items[idx].start < q.end), None)
    if quote is None:
        return []
    agent: list[int] = []
    for k in range(idx - 1, max(idx - 4, 0) - 1, -1):
        if doc.items[k].start < quote.inner_start:
            break
        m = doc.mention_ending(k + 1)
        if m is not None and m.kind in ("person", "nominal", "state", "org"):
            agent = _actors(doc, m, at=k)
            break
        if doc.items[k].low in ("i", "we"):
            if not speakers:
                speakers.update(_quote_speakers(doc))
            agent = [speakers[quote.start]] if quote.start in speakers else []
            break
    if not agent:
        return []
    k = _past_gap(doc, idx + size)
    objects = _objects(doc, k)
    if not any(doc.table.actors[p].kind == "person" for p in objects):
        return []
    hit = _describe(doc, idx, size, agent + objects)
    return [] if hit is None else [hit]


def _quote_speakers(doc: Doc) -> dict[int, int]:
    """Speaker actor of each attributed quote, by the quote's start offset (read once)."""
    from briefing.rules.quotes import quote_hits  # the quotes module reads discourse too

    found = {hit.quote.start: hit.speaker for hit in quote_hits(doc)}
    return found or {-1: -1}


@cache
def _trigger_words(*vocabularies: frozenset[str]) -> frozenset[str]:
    """First words of every trigger phrase: one set lookup rejects most items."""
    return frozenset(p.split()[0] for vocabulary in vocabularies for p in vocabulary)


def _trigger(doc: Doc, idx: int) -> list[MeetingHit]:
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
                hits = [
                    h
                    for group in _separate(doc, idx, size, parties)
                    if (h := _describe(doc, idx, size, group)) is not None
                ]
                for h in hits:
                    h.weak = finder is _address
                return hits
    return []


def _separate(doc: Doc, idx: int, size: int, parties: list[int]) -> list[list[int]]:
    """ "X held separate meetings with A and B", "X met A and B separately": one meeting per
    counterpart, not one of three; otherwise the parties as found."""
    sent = doc.sents[doc.sent_of[idx]]
    lo, hi = max(sent.first, idx - 2), min(sent.last, idx + size + 12)
    if not any(doc.items[k].low in _SEPARATE for k in range(lo, hi)) or len(parties) < 3:
        return [parties]
    agent = set(_agent(doc, idx))
    if not agent or not agent < set(parties):
        return [parties]
    lead = [p for p in parties if p in agent]
    return [[*lead, p] for p in parties if p not in agent]


# --- parties -------------------------------------------------------------------------------


def _actors(doc: Doc, m: Mention | None, *, at: int | None = None) -> list[int]:
    """The actors of a mention; a role noun that names no known person stands for its state
    ("met his counterpart from Guinea" -> Guinea), and one of several states for each of
    them ("the Danish and Chilean envoys met" -> Denmark, Chile): the meeting is kept, no
    name invented."""
    found = actors_of(doc, m, at=at)
    if found or m is None or m.kind != "nominal":
        return found
    if m.countries:
        return [doc.table.state(c) for c in m.countries]
    if m.country:
        return [doc.table.state(m.country)]
    return _org_of(doc, m)


def _org_of(doc: Doc, m: Mention) -> list[int]:
    """The organisation a role noun of no state names ("the EU envoy", "the envoy of the
    European Union"): like a state for its envoy, the organisation stands for its official.
    Not a former one, nor a mere "official" ("a former UN official" speaks for no one)."""
    if m.role in ("official", "counterpart") or any(
        doc.items[k].low in ("former", "ex") for k in range(m.first, m.last)
    ):
        return []
    for k in range(m.first, m.last):
        item = doc.items[k]
        if item.kind == "org":
            org = doc.lex.orgs.get(item.text)
            return [doc.table.org(org.name if org else item.text, key=org.ident if org else None)]
    return []


def _objects(doc: Doc, k: int, *, limit: int | None = None) -> list[int]:
    """Actors named from item ``k`` on: "Y", "Y and Z", "the President of Russia, Vladimir
    Putin, and his Turkish counterpart, ..."; a possessor gives way to its head noun."""
    items, found = doc.items, []
    end = len(items) if limit is None else limit
    while k < end:
        m = doc.mention_starting(k) or _mention_after_filler(doc, k)
        if m is None and items[k].low in ("the", "with", "by", "from", "phone", "telephone"):
            k += 1
            continue
        if m is None:
            break
        if m.last < len(items) and items[m.last].kind == "poss":
            k = _skip_possessed(doc, m.last + 1)
            continue
        if m.kind == "nominal" and m.last + 1 < end and items[m.last].text == ",":
            named = doc.mention_starting(m.last + 1)
            if named is not None and named.kind == "person":
                m = named  # "the Fiji military commander, Commodore Frank Bainimarama"
        found.extend(_actors(doc, m, at=k))
        k = m.last
        if k + 1 < end and items[k].text == "," and items[k + 1].low == "and":
            k += 1
        if k < end and items[k].low == "and":
            k += 1
            if k + 1 < end and items[k].kind == "word" and doc.mention_starting(k + 1):
                k += 1 if items[k].low not in PREPOSITIONS else 0  # "and rebel leader X"
            continue
        break
    return found


def _mention_after_filler(doc: Doc, k: int) -> Mention | None:
    """A mention whose title phrase took in the word before ``k`` ("of Kazakh President X")."""
    m = doc.by_item.get(k)
    if m is None or m.first != k - 1 or doc.items[m.first].low not in ("of", "the"):
        return None
    return m


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
        return _actors(doc, m, at=idx)
    sent = doc.sents[doc.sent_of[idx]]
    for other in reversed(doc.mentions):
        if sent.first <= other.first < m.first and other.kind in ("person", "nominal"):
            return _actors(doc, other, at=idx)
    if doc.items[m.head].low == "their":
        subj = sentence_subject(doc, sent)
        return _actors(doc, subj, at=idx) if subj is not None else []
    later = [o for o in doc.mentions if m.last <= o.first < sent.last and o.kind == "person"]
    subj = sentence_subject(doc, sent)
    if subj is not None and subj.kind == "person":
        return _actors(doc, subj, at=idx)
    return _actors(doc, later[0], at=idx) if later else []


def _agent(doc: Doc, idx: int) -> list[int]:
    """Who does the meeting: the subject of the trigger, or the nearest person (else state or
    organisation) before it in the sentence, with its coordinated partners."""
    subj = subject_of(doc, idx)
    if subj is None:
        subj = _second_predicate_subject(doc, idx)
    if subj is None:
        subj = _nearest_subject(doc, idx)
    if subj is None:
        return []
    if subj.kind == "pronoun" and doc.items[subj.head].low in ("he", "she"):
        person = _person_before(doc, subj.first)
        if person is not None:
            return _actors(doc, person, at=idx)
    return _with_partners(doc, subj, idx)


def _second_predicate_subject(doc: Doc, idx: int) -> Mention | None:
    """The sentence's subject for a trigger right after "and"/"but" (", and then", "but
    later"): in "Doral refused to meet Halvorsen but met Varr" the one who met Varr is Doral,
    not Halvorsen, the nearest name before "met" (the object of the first verb)."""
    k = idx - 1
    while k > 0 and doc.items[k].low in ("then", "later", "also", "instead"):
        k -= 1
    if k < 1 or doc.items[k].low not in ("and", "but"):
        return None
    sent = doc.sents[doc.sent_of[idx]]
    subj = sentence_subject(doc, sent, before=k)
    if subj is None or subj.kind not in ("person", "nominal", "state", "org"):
        return None
    return subj


def _person_before(doc: Doc, k: int) -> Mention | None:
    """The nearest named person earlier in the sentence: "Radi said Ahmed will arrive in
    Cairo, during which he will meet Sisi" — "he" is Ahmed, not the speaker."""
    sent = doc.sents[doc.sent_of[k]]
    for m in reversed(doc.mentions):
        if m.first >= k or m.first < sent.first:
            continue
        if m.kind == "person" and not doc.quoted[m.head]:
            return m
    return None


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
    actors = _actors(doc, m, at=idx)
    k = m.first
    while k >= 2:
        k -= 1 + (doc.items[k - 1].low == "the")
        if doc.items[k].low != "and":
            break
        prev = doc.mention_ending(k)
        if prev is None:
            break
        actors = _actors(doc, prev, at=idx) + actors
        k = prev.first
    if m.last + 1 < len(doc.items) and doc.items[m.last].low == "and" and m.last < idx:
        actors += _objects(doc, m.last + 1, limit=idx)
    return actors


def _verb(doc: Doc, idx: int, size: int) -> list[int] | None:
    """ "X met (with) Y", "X held talks with Y", "X hosted Y"; "X and Y discussed"."""
    phrase = " ".join(it.low for it in doc.items[idx : idx + size])
    agent = _agent(doc, idx)
    k = _past_gap(doc, idx + size)
    after = doc.items[k].low if k < len(doc.items) else ""  # the verb may end the text
    if phrase in ("spoke", "talked", "conferred", "sat down") and after not in ("with", "to", "by"):
        return agent if len(agent) >= 2 else None
    discuss = phrase.startswith("discuss")
    if discuss and after != "with":  # "discussed fishing quotas with X", not "... of X with"
        with_at = _find_with(doc, k)
        between = doc.items[k:with_at] if with_at is not None else []
        if with_at is not None and with_at - k <= 4 and not {"of", "to"} & {i.low for i in between}:
            k, after = with_at, "with"
    if after == "between":  # "mediated between X and Y"
        k += 1
    objects = [] if discuss and after != "with" else _objects(doc, k)
    if not objects:
        objects = _invitation(doc, idx)
    if not objects:
        return agent if len(agent) >= 2 and (phrase in _GROUP_VERBS or discuss) else None
    people = any(doc.table.actors[a].kind == "person" for a in objects)
    if not people and (phrase in _HOST_VERBS or phrase in _PERSON_OBJECT_VERBS):
        return None
    return agent + objects


def _past_gap(doc: Doc, k: int) -> int:
    """Past times, adverbs and a place between a verb and its "with"/"to"/"by" ("will meet
    in Cairo on Sunday with ...", "was received warmly by ..."); ``k`` itself if none."""
    j, end = k, min(k + 7, len(doc.items))
    while j < end and doc.items[j].low not in ("with", "to", "by", "from"):
        item = doc.items[j]
        ok = (
            item.low in _VERB_GAP
            or item.low.isdigit()
            or item.kind == "place"
            or DATE_RE.fullmatch(item.text) is not None
            or (item.kind == "word" and item.low.endswith("ly") and len(item.low) > 4)
            or (item.kind == "word" and item.low in _DATE_WORDS)
        )
        if not ok:
            return k
        j += 1
    return j if j < end and j > k else k


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
    phrase = " ".join(it.low for it in doc.items[idx : idx + size])
    process = phrase in _PROCESS_NOUNS and (idx == 0 or doc.items[idx - 1].low not in _LIGHT_VERBS)
    if process:  # "months of negotiations with the US": a process, unless with a person
        with_at = _find_with(doc, k)
        objects = [] if with_at is None else _objects(doc, with_at + 1)
        if not any(doc.table.actors[p].kind == "person" for p in objects):
            return None
    return _noun_parties(doc, idx, k)


def _noun_parties(doc: Doc, idx: int, k: int) -> list[int] | None:
    owner = _possessor(doc, idx)
    agent = _possessor_actors(doc, owner, idx) if owner is not None else []
    with_at = _find_with(doc, k)
    if with_at is not None:
        between = [m for m in doc.mentions if k <= m.first < with_at]
        if not agent and between:
            agent = _actors(doc, between[0], at=between[0].first)
        if not agent:
            agent = _agent(doc, idx)
        if not agent:
            agent = _main_subject(doc, with_at)
        return agent + _objects(doc, with_at + 1)
    if owner is None:
        agent = _agent(doc, idx)
    return agent if len(agent) >= 2 else None


def _main_subject(doc: Doc, k: int) -> list[int]:
    """The subject after a leading phrase: "In a meeting with X on Monday, Y said ..."."""
    sent = doc.sents[doc.sent_of[k]]
    for j in range(k, min(k + 25, sent.last - 1)):
        if doc.items[j].text == ",":
            m = doc.mention_starting(j + 1)
            if m is not None and m.kind != "pronoun" and subject_shaped(doc, m):
                return _actors(doc, m, at=j + 1)
            if m is not None:
                return []
    return []


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
    if owner is not None and owner.kind == "pronoun" and doc.items[owner.head].low == "their":
        return None  # "their last visit to X": whose, the article does not say here
    agent = _possessor_actors(doc, owner, idx) if owner is not None else _agent(doc, idx)
    hosts = _inviter(doc, idx) + _invitation(doc, idx)
    if m.kind == "state" and not hosts:
        hosts = _host_of(doc, idx, m.country, agent)
    return agent + _actors(doc, m, at=k) + hosts


def _host_of(doc: Doc, idx: int, country: str | None, agent: list[int]) -> list[int]:
    """A visit to a state whose own person the sentence names ("Sheinbaum said Carney had
    accepted an invitation to visit Mexico"): that person is the host."""
    sent = doc.sents[doc.sent_of[idx]]
    for m in doc.mentions:
        if not sent.first <= m.first < sent.last or m.kind != "person" or m.actor is None:
            continue
        actor = doc.table.actors[m.actor]
        if m.actor in agent or country is None or actor.country != country:
            continue
        if actor.role in _HOST_ROLES:
            return [m.actor]
    return []


def _inviter(doc: Doc, idx: int) -> list[int]:
    """ "X invited Y to pay a visit to PLACE": X hosts."""
    sent = doc.sents[doc.sent_of[idx]]
    for k in range(idx - 1, max(sent.first, idx - 10) - 1, -1):
        if doc.items[k].low in ("invited", "invites", "invite"):
            return _actors(doc, subject_of(doc, k), at=k)
    return []


def _address(doc: Doc, idx: int, size: int) -> list[int] | None:
    """ "X told Y …" with Y a person: they spoke to each other."""
    m = doc.mention_starting(idx + size)
    if m is None or m.kind not in ("person", "nominal"):
        return None
    if m.last < len(doc.items) and doc.items[m.last].kind == "poss":
        return None
    if m.last < len(doc.items) and doc.items[m.last].text[:1] in (":", *QUOTE_CHARS, "‘"):
        return None  # "X told Y: '…'": words addressed to Y, no meeting stated
    subj = subject_of(doc, idx)
    if subj is None or subj.kind in ("state", "org"):
        return None  # "Tehran told Gulf states": a statement, not a meeting
    return _actors(doc, subj, at=idx) + _actors(doc, m, at=idx)


# --- details -------------------------------------------------------------------------------


def _describe(doc: Doc, idx: int, size: int, parties: list[int]) -> MeetingHit | None:
    parties = _distinct(doc, parties)
    if len(parties) < 2:
        return None
    sent = doc.sents[doc.sent_of[idx]]
    hit = MeetingHit(parties, sent, idx, sentences=[sent])
    window = _status_window(doc, idx, size, sent)
    held, other = _after_denial(doc, window, sent, parties)
    if other is not None:  # "denied X had cancelled the visit to Y, and he met Z": not X-Y's
        window = (window[0], min(window[1], other))
    if held:
        hit.status = "held"  # "denied that X had cancelled the visit, and the two met"
    elif meeting_absent(doc.text, *window):
        return None  # "has not visited Seoul since", "no plans to meet": nothing arranged
    else:
        hit.status = meeting_status(doc.text, *window)
    if hit.status == "held" and meeting_in_background(doc.text, *window) is not None:
        # "last met in 2019", "who met X last year": context, not the day's news. Left out
        # rather than kept with its own date: it would read as news in the brief and could
        # merge, across outlets, with the dated meeting of the day.
        return None
    hit.format = _format(doc, idx, size, sent, len(parties))
    hit.date_text = _date_of(doc.text, sent, doc.items[idx].start)
    hit.location = _location(doc, idx, size, sent)
    return hit


def _after_denial(
    doc: Doc, window: tuple[int, int], sent: Sentence, parties: list[int]
) -> tuple[bool, int | None]:
    """Where the trigger's clause sits in a denied cancellation and the rest of the sentence
    tells a meeting as held (``briefing.facts.held_after_denial``): ``(True, None)`` when
    those words name no one but the parties ("…, and the two met in Ostrava", "…; it went
    ahead": this meeting was held; the status window stops at the trigger's clause, this
    reads on), ``(False, offset)`` when they name someone else ("…, and he met Y in Lunet":
    another meeting, whose words must not decide this one's status), else ``(False, None)``."""
    after = held_after_denial(doc.text, *window, sent.end)
    if after is None or meeting_in_background(doc.text, after, sent.end) is not None:
        return False, None  # "…, and the two last met in 2019": no news of this meeting
    for m in doc.mentions:
        if not sent.first <= m.first < sent.last or doc.items[m.first].start < after:
            continue
        if m.kind in ("person", "state", "org") and not set(actors_of(doc, m)) <= set(parties):
            return False, after
    return True, None


def _own_details(doc: Doc, hits: list[MeetingHit]) -> None:
    """Where one sentence reports several meetings, each takes its date words and place only
    from its own part of the sentence (up to half-way to the next trigger), so "met Y in
    Paris; he had met Z over the weekend" does not give the first meeting the weekend."""
    by_sent: dict[int, list[MeetingHit]] = {}
    for hit in hits:
        by_sent.setdefault(hit.sent.start, []).append(hit)
    for group in by_sent.values():
        triggers = sorted({doc.items[h.trigger].start for h in group})
        if len(triggers) < 2:
            for hit in group:
                hit.weak = False  # "X told Y" alone in its sentence is good evidence
            continue
        for hit in group:
            at = doc.items[hit.trigger].start
            n = triggers.index(at)
            lo = hit.sent.start if n == 0 else (triggers[n - 1] + at) // 2
            hi = hit.sent.end if n == len(triggers) - 1 else (triggers[n + 1] + at) // 2
            part = replace(hit.sent, start=lo, end=hi)
            hit.date_text = _date_of(doc.text, part, at)
            size = phrase_at(doc, hit.trigger, doc.lex.visits) or 1
            hit.location = _location(doc, hit.trigger, size, part)


def _distinct(doc: Doc, parties: list[int]) -> list[int]:
    """Each actor once; a state dropped where one of its own people is already a party."""
    unique = list(dict.fromkeys(parties))
    actors = doc.table.actors
    people = {actors[p].country for p in unique if actors[p].kind == "person"}
    return [p for p in unique if not (actors[p].kind == "state" and actors[p].country in people)]


def _status_window(doc: Doc, idx: int, size: int, sent: Sentence) -> tuple[int, int]:
    """The words around a trigger whose cues decide its status (``briefing.facts``)."""
    first = max(idx - 12, sent.first)
    for k in range(idx - 1, first - 1, -1):
        item = doc.items[k]
        if item.text == ";" or item.low in ("which", "whereas", "but", "noting", "saying"):
            first = k + 1  # "... to visit Riyadh, noting that talks with X had been positive"
            break
    lo = max(sent.start, doc.items[first].start)
    relative = any(doc.items[k].low in ("who", "whom") for k in range(first, idx))
    # a noun's predicate comes after its parties: "A meeting between X and Y in Lunet on
    # Friday was cancelled"
    noun = not phrase_at(doc, idx, doc.lex.meeting_verbs) and bool(
        phrase_at(doc, idx, doc.lex.meeting_nouns)
    )
    last = min(idx + size + (16 if noun else 6), sent.last - 1)
    for k in range(idx + size, last):
        item, nxt = doc.items[k], doc.items[k + 1]
        if item.text in (";", ":") or item.low in ("but", "which", "while", "whereas"):
            last = k
            break
        if relative and item.text == ",":
            last = k  # "X, who met Y last year, will travel to Z": the clause ends here
            break
        if item.low == "and" and nxt.kind == "word" and k + 1 not in doc.by_item:
            last = k  # "spoke with X and hopes to meet soon": the next clause's cues
            break
    hi = doc.items[last].end
    return lo, hi


def _format(doc: Doc, idx: int, size: int, sent: Sentence, n: int) -> str | None:
    words = {it.low for it in doc.items[idx : idx + size]}
    sentence = doc.text[sent.start : sent.end]
    if "courtesy" in words:
        return "visit"  # "paid a courtesy call on X": an in-person call, never a phone call
    if words & doc.lex.phone:
        return "phone"
    if any(cue in sentence for cue in doc.lex.sidelines):
        return "sidelines"
    if words & {"hosted", "hosts", "host", "hosting", "received", "receives", "receive"}:
        return "host"
    if n > 2:
        return "multilateral"
    phrase = " ".join(it.low for it in doc.items[idx : idx + size])
    if words & doc.lex.visits or phrase in doc.lex.visits or "visiting" in sentence:
        return "visit"  # "visited", and the phrases: "travelled to", "arrived in"
    return None


def _date_of(text: str, sent: Sentence, at: int) -> str | None:
    """The meeting's date words: those nearest its trigger at ``at`` (:func:`_closest`), but
    not those of the telling: a day right after or before a verb of speech or denial ("said
    on Sunday he had met Y", "on Sunday dismissed claims that the summit …") dates the words,
    not the meeting (report verbs of ``[reports]`` and ``[meetings] denial_verbs``)."""
    told = _telling_verbs()
    dates = [m for m in DATE_RE.finditer(text, sent.start, sent.end)
             if text[m.end() : m.end() + 2] in ("'s", "’s")  # "says today's meeting …"
             or not (told[0].search(text, max(sent.start, m.start() - 40), m.start())
                     or told[1].match(text, m.end(), sent.end))]
    best = _closest(dates, at)
    return None if best is None else best.group().strip()


@cache
def _telling_verbs() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A verb of speech or denial right before a date (ending there), and right after one."""
    from briefing.rules.lexicon import _read

    verbs = {*_read("lexicon.toml")["reports"]["verbs"], *meeting_words("denial_verbs")}
    verbs -= {"reports", "claims", "notes", "states"}  # nouns as often: "reports on Sunday"
    verbs_re = either(verbs)
    return re.compile(rf"\b(?:{verbs_re})\s+$"), re.compile(rf"\s+(?:{verbs_re})\b")


def _nearest_match(
    pattern: re.Pattern[str], text: str, sent: Sentence, at: int
) -> re.Match[str] | None:
    """The match in the sentence nearest to ``at``, preferring one after it."""
    return _closest(list(pattern.finditer(text, sent.start, sent.end)), at)


def _closest(found: list[re.Match[str]], at: int) -> re.Match[str] | None:
    """The match of ``found`` nearest to the offset ``at``, one after it preferred by 40
    characters; None when there is none."""
    if not found:
        return None
    return min(found, key=lambda m: abs(m.start() - at) + (0 if m.start() >= at else 40))


def _location(doc: Doc, idx: int, size: int, sent: Sentence) -> str | None:
    if phrase_at(doc, idx, doc.lex.visits):
        k = idx + size + (doc.items[idx + size].low == "to" if idx + size < sent.last else 0)
        if k < sent.last and doc.items[k].kind == "place" and doc.items[k].how == "seat":
            return doc.items[k].text
    at = doc.items[idx].start
    matches = list(PLACE_RE.finditer(doc.text, sent.start, sent.end))
    cities = [m for m in matches if _is_city(doc, m.group(1))]
    if not matches:
        return None
    match = min(
        cities or matches, key=lambda m: abs(m.start() - at) + (0 if m.start() >= at else 40)
    )
    found, place = match.group(), match.group(1)
    if DATE_RE.fullmatch(found) or place.split()[0] in doc.lex.not_names:
        return None
    place = _trim_place(doc, match.start(1), place)
    return None if _is_country(doc, place) else place  # a place is a city or a venue


def _trim_place(doc: Doc, start: int, place: str) -> str | None:
    """The place words only: "Kyiv" of "in Kyiv Gael Smith said"; no person or body."""
    k = doc.item_at(start)
    if k >= len(doc.items):
        return place
    item, m = doc.items[k], doc.by_item.get(k)
    if m is not None and m.first == k and (m.kind in ("person", "nominal") or item.kind == "org"):
        return None  # "in President X's remarks", "in the European Union"; venues pass
    if item.kind == "place" and len(place) > len(item.text):
        nxt = doc.by_item.get(k + 1)
        if nxt is not None and nxt.kind in ("person", "nominal"):
            return item.text
    head, comma, _ = place.partition(", ")
    if comma:
        m = doc.by_item.get(doc.item_at(start + len(head) + 2))
        if m is not None and m.kind in ("person", "nominal", "pronoun"):
            return head  # "in Cairo, Radi added"
    return place


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
    if not set(one.parties) & set(other.parties):
        return False
    if one.status != other.status and not _undated_mention_of_cancelled(one, other):
        return False
    if _dates_clash(one.date_text, other.date_text) or _call_and_meeting(one, other):
        return False
    small, large = sorted((one.parties, other.parties), key=len)
    return all(any(_same_party(doc, p, q) for q in large) for p in small)


def _call_and_meeting(one: MeetingHit, other: MeetingHit) -> bool:
    """A phone call and a meeting in person: two events (``briefing.facts.by_phone``)."""
    return {by_phone(h.format, h.location) for h in (one, other)} == {True, False}


def _undated_mention_of_cancelled(one: MeetingHit, other: MeetingHit) -> bool:
    """A later undated 'held' mention of the same parties as a cancelled meeting is that
    meeting again ("postponed his trip to Moscow ... during a visit to Moscow he would"):
    a refused meeting must never reach the brief as held on such an echo."""
    return one.status == "cancelled" and other.status == "held" and other.date_text is None


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
        if hit.weak:
            continue
        if into.weak:
            into.weak, into.sentences = False, [hit.sent]
            into.location, into.date_text = hit.location, hit.date_text
            into.format = hit.format
            continue
        if all(s.start != hit.sent.start for s in into.sentences):
            into.sentences.append(hit.sent)
        into.location = _more_specific(doc, into.location, hit.location)
        into.date_text = into.date_text or hit.date_text
        into.format = into.format or hit.format
    for meeting in merged:
        if meeting.format != "phone":
            meeting.location = _place_nearby(doc, meeting) or meeting.location
    return merged


def _is_city(doc: Doc, place: str) -> bool:
    """A seat of the gazetteer opens the place ("Cairo", "Bishkek, Kyrgyzstan")."""
    found = doc.lex.places.get(place.split(",")[0])
    return found is not None and found.how == "seat"


def _is_country(doc: Doc, place: str | None) -> bool:
    found = doc.lex.places.get(place or "")
    return found is not None and found.how != "seat"


def _more_specific(doc: Doc, one: str | None, other: str | None) -> str | None:
    """A city or venue over a country ("Tehran" over "Iran"), else the first found."""
    if one is None or (_is_country(doc, one) and other and not _is_country(doc, other)):
        return other or one
    return one


_DATELINE_RE = re.compile(
    r"^[ \t]*([A-Z][A-Z’'.-]+(?:[ ][A-Z][A-Z’'.-]+){0,2})\b(?=[ ]*(?:[,(:—–-]|\.[ ]))", re.M
)
_LEAD_CHARS = 800
_VENUE_WORDS = ("took place", "was held", "were held", "talks", "meeting", "met", "hosted")


def _place_nearby(doc: Doc, meeting: MeetingHit) -> str | None:
    """Where the meeting's own sentences name no city: the next or previous sentence when it
    speaks of the meeting ("The talks took place in Lisbon."), else, for the article's lead
    meeting, the dateline ("LISBON (Agency) —"). ``None`` keeps what was found."""
    if meeting.location and not _is_country(doc, meeting.location):
        return None
    if meeting.status == "held" or meeting.location is None:
        for sent in meeting.sentences:
            n = doc.sents.index(sent)
            for near in doc.sents[n + 1 : n + 3] + doc.sents[max(n - 1, 0) : n]:
                words = " " + doc.text[near.start : near.end].casefold()
                if not any(f" {w} " in words or f" {w}." in words for w in _VENUE_WORDS):
                    continue
                match = _nearest_match(PLACE_RE, doc.text, near, near.start)
                place = match and _trim_place(doc, match.start(1), match.group(1))
                if place and not _is_country(doc, place):
                    return place
    if meeting.status == "held" and meeting.location is None:
        lead = _place_in_lead(doc, meeting)
        if lead is not None:
            return lead
    first = min(s.start for s in meeting.sentences)  # a lead meeting: in the first lines
    if meeting.status == "planned" or first > _LEAD_CHARS or meeting.location is not None:
        return None
    return _dateline(doc)


def _place_in_lead(doc: Doc, meeting: MeetingHit) -> str | None:
    """The place of "a meeting in Wellington" in the article's first two sentences, when that
    sentence names one of the meeting's parties and no other meeting is in the article."""
    names = {
        w
        for p in meeting.parties
        if doc.table.actors[p].kind == "person"
        for w in doc.table.actors[p].name.split()[-1:]
    }
    for sent in doc.sents[:2]:
        words = doc.text[sent.start : sent.end]
        if not any(n in words for n in names):
            continue
        if not any(f" {w} " in f" {words.casefold()} " for w in ("meeting", "talks", "met")):
            continue
        match = _nearest_match(PLACE_RE, doc.text, sent, sent.start)
        place = match and _trim_place(doc, match.start(1), match.group(1))
        if place and not _is_country(doc, place):
            return place
    return None


def _dateline(doc: Doc) -> str | None:
    """The city of an agency dateline in the first lines ("CANBERRA -", "Astana. July 4.")."""
    head = doc.text[:800]
    for match in _DATELINE_RE.finditer(head):
        city = " ".join(w.capitalize() for w in match.group(1).split())
        place = doc.lex.places.get(city)
        if place is not None and place.how == "seat":
            return city
    for item in doc.items[:60]:
        if (
            item.kind == "place"
            and item.how == "seat"
            and doc.text[item.end : item.end + 2]
            in (
                ". ",
                " -",
                " (",
                ", ",
            )
        ):
            line_start = doc.text.rfind("\n", 0, item.start) + 1
            if not doc.text[line_start : item.start].strip():
                return item.text
    return None


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
