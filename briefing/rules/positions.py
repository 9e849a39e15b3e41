"""Positions: an actor's stance on a topic.

Three kinds of evidence, strongest first:

1. a stance cue (``lexicon.toml`` ``[stances]``): "X urged an end to hostilities", "X expressed
   deep concern about …", "Moscow backed China in …", "… for which Russia deeply appreciates";
2. a call in someone's words: "X said (that) the two sides should …", a quote with "must";
3. a judgement in someone's words about a relationship or an organisation: "relations between
   the two countries are reaching new milestones", "Kazakhstan is and will remain one of
   Russia's main partners", "this organization … is one of the most successful".

Who holds it: the cue's subject when that is a person; else the speaker whose words carry it
(``reports`` and quotes — "Patrushev told Wang that Moscow backed China" is Patrushev's);
else the state or organisation that is the subject. "…, which called for …" belongs to the
owner of what "which" stands for ("Beijing's position paper"), or to no one.

The topic goes through ``topics``; the summary is the source clause with its speaker, as a
sentence. A weak cue ("sought to …") gives way to a cue inside its phrase, and a cue inside a
call ("should maintain its commitment to …") is part of the call.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.rules.discourse import Doc, actors_of, phrase_at, subject_of
from briefing.rules.lexicon import vocabulary
from briefing.rules.quotemarks import QUOTE_MARKS
from briefing.rules.quotes import QuoteHit
from briefing.rules.reports import Report, first_subject, parenthetical
from briefing.rules.topics import (
    Context,
    clean_text,
    phrase,
    relation_pair,
    relations_label,
    topic_context,
    vocabulary_label,
)

_MODALS = ("should", "must", "need to", "needs to", "have to", "has to", "ought to")
_WEAK = frozenset({"sought", "seeks", "seeking"})
_HOPE = "hope"
_AUX = frozenset(
    {"is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can",
     "could", "may", "might", "must", "should", "do", "does", "did", "remain", "remains",
     "continue", "continues"}
)  # fmt: skip
_NEGATION = frozenset({"not", "never", "no", "n't", "hardly"})
_RELATIVES = frozenset({"which"})
_GAP = frozenset({"also", "has", "have", "had", "repeatedly", "recently", "previously", "once"})
MAX_SUMMARY_WORDS = 35
_CUE, _CALL, _JUDGEMENT = 0, 1, 2


@dataclass(frozen=True)
class PositionHit:
    actor: int
    stance: str
    topic: str
    summary: str
    sentence: tuple[int, int]
    at: int  # item of the cue, modal or judged noun
    rank: int  # 0 cue, 1 call, 2 judgement


@dataclass(frozen=True)
class Voice:
    """Words of a speaker: a reported clause or a quote, as items[start:end]."""

    speakers: tuple[int, ...]
    start: int
    end: int
    frame: str  # how the summary introduces them: "told Wang that", "said"
    report: Report | None = None


def position_hits(doc: Doc, quotes: list[QuoteHit], reports: list[Report]) -> list[PositionHit]:
    """Stances of the article, one per actor, stance and topic, in text order."""
    ctx = topic_context(doc)
    voices = _voices(doc, quotes, reports)
    calls, spans = _calls(doc, ctx, voices)
    hits = [*_cues(doc, ctx, voices, spans), *calls]
    for voice in voices:
        hits.extend(_judgements(doc, ctx, voice))
    return _unique(doc, hits)


def _voices(doc: Doc, quotes: list[QuoteHit], reports: list[Report]) -> list[Voice]:
    voices = [Voice(r.speakers, r.start, r.end, _frame(doc, r), r) for r in reports if not r.outlet]
    for q in quotes:
        start, end = doc.item_at(q.quote.inner_start), doc.item_at(q.quote.inner_end)
        voices.append(Voice((q.speaker,), start, end, "said"))
    return voices


def _frame(doc: Doc, report: Report) -> str:
    """The words that introduce a reported clause in a summary: "told Wang that"."""
    if report.how in ("inverted", "according"):
        return "said"
    return clean_text(doc, report.verb, report.start) or "said"


def _voice_at(voices: list[Voice], idx: int) -> Voice | None:
    """The innermost voice holding item ``idx``."""
    best = None
    for voice in voices:
        if voice.start <= idx < voice.end and (
            best is None or voice.end - voice.start < best.end - best.start
        ):
            best = voice
    return best


# --- 1. cues -------------------------------------------------------------------------------


def _cues(
    doc: Doc, ctx: Context, voices: list[Voice], calls: list[tuple[int, int]]
) -> list[PositionHit]:
    hits: list[PositionHit] = []
    for idx, item in enumerate(doc.items):
        if item.kind not in ("word", "title") or idx in doc.by_item:
            continue
        size = _cue_size(doc, idx)
        if not size or any(lo <= idx < hi for lo, hi in calls):
            continue
        voice = _voice_at(voices, idx)
        if doc.quoted[idx] and voice is None:
            continue
        hits.extend(_cue(doc, ctx, idx, size, voice))
    return hits


def _cue_size(doc: Doc, idx: int) -> int:
    """Items in the longest stance cue at ``idx``, read through quote marks (``expressed
    "deep concern"``); 0 if none starts here."""
    if doc.items[idx].low not in _first_words(doc):
        return 0
    words: list[str] = []
    k, best = idx, 0
    while k < len(doc.items) and len(words) < 5:
        if doc.items[k].text in QUOTE_MARKS:
            k += 1
            continue
        words.append(doc.items[k].low)
        k += 1
        if " ".join(words) in doc.lex.stances:
            best = k - idx
    return best


_FIRST_WORDS: dict[int, frozenset[str]] = {}


def _first_words(doc: Doc) -> frozenset[str]:
    key = id(doc.lex.stances)
    if key not in _FIRST_WORDS:
        _FIRST_WORDS[key] = frozenset(c.split()[0] for c in doc.lex.stances)
    return _FIRST_WORDS[key]


def _cue_words(doc: Doc, idx: int, size: int) -> list[str]:
    return [it.low for it in doc.items[idx : idx + size] if it.text not in QUOTE_MARKS]


def _cue(doc: Doc, ctx: Context, idx: int, size: int, voice: Voice | None) -> list[PositionHit]:
    words = _cue_words(doc, idx, size)
    stance = doc.lex.stances[" ".join(words)]
    sent = doc.sents[doc.sent_of[idx]]
    limit = voice.end if voice is not None else sent.last
    lo, hi = idx + size, _clause_end(doc, idx + size, limit)
    if words[0] in _WEAK and _has_cue(doc, lo, hi):
        return []
    if _HOPE in words and _about_meeting(doc, lo, hi):
        return []
    holders, by_voice = _holders(doc, idx, voice)
    if not holders:
        return []
    topic = _cue_topic(doc, ctx, idx, lo, hi, voice, _country(doc, holders[0]))
    if topic is None:
        return []
    hits = []
    for actor in holders:
        if by_voice and voice is not None:
            summary = _voice_summary(doc, actor, voice, hi)
        else:
            summary = _cue_summary(doc, actor, idx, size, hi)
        hits.append(PositionHit(actor, stance, topic, summary, (sent.start, sent.end), idx, _CUE))
    return hits


def _has_cue(doc: Doc, lo: int, hi: int) -> bool:
    return any(_cue_size(doc, k) for k in range(lo, hi))


def _about_meeting(doc: Doc, lo: int, hi: int) -> bool:
    """A hope that someone will visit or attend is a planned meeting, not a stance."""
    lex = doc.lex
    return any(
        phrase_at(doc, k, lex.visits) or phrase_at(doc, k, lex.meeting_nouns) for k in range(lo, hi)
    )


def _cue_topic(
    doc: Doc,
    ctx: Context,
    idx: int,
    lo: int,
    hi: int,
    voice: Voice | None,
    country: str | None,
) -> str | None:
    """The topic after the cue; failing the vocabulary, the phrase around what was said
    ("emphasized about the nuclear power plant that …"), the clause before a cue that ends
    it ("…, for which Russia deeply appreciates"), then the words after the cue."""
    label = vocabulary_label(doc, ctx, lo, hi, country)
    report = voice.report if voice is not None else None
    if label is None and report is not None and report.between is not None:
        label = vocabulary_label(doc, ctx, *report.between, country)
    if label is None and _content_words(doc, lo, hi) < 2:
        start = voice.start if voice is not None else doc.sents[doc.sent_of[idx]].first
        label = vocabulary_label(doc, ctx, start, idx, country)
    return label or phrase(doc, lo, hi)


def _content_words(doc: Doc, lo: int, hi: int) -> int:
    return sum(1 for it in doc.items[lo:hi] if it.kind != "punct")


def _holders(doc: Doc, idx: int, voice: Voice | None) -> tuple[list[int], bool]:
    """Who holds a cue's stance, and whether it is the voice's speaker (see module doc)."""
    owner = _relative_owner(doc, idx)
    if owner is not None:
        return owner, False
    lo = voice.start if voice is not None else doc.sents[doc.sent_of[idx]].first
    m = subject_of(doc, idx)
    if m is not None and (m.first < lo or parenthetical(doc, m)):
        m = None
    if m is None:
        m = first_subject(doc, lo, idx)
    actors = actors_of(doc, m, at=idx) if m is not None else []
    people = [a for a in actors if doc.table.actors[a].kind == "person"]
    if people:
        return people, False
    if voice is not None:
        return list(voice.speakers), True
    return actors, False


def _relative_owner(doc: Doc, idx: int) -> list[int] | None:
    """For "…, which called for …": the owner named in the phrase "which" follows ("Beijing's
    position paper on …, which"); [] when there is none; None when no "which" precedes."""
    k = idx - 1
    while k >= 0 and doc.items[k].low in _GAP:
        k -= 1
    if k < 0 or doc.items[k].low not in _RELATIVES:
        return None
    floor = doc.sents[doc.sent_of[idx]].first
    j = k - 1 - (doc.items[k - 1].text == ",")
    while j >= floor and doc.items[j].text != ",":
        if doc.items[j].kind == "poss":
            m = doc.mention_ending(j)
            if m is not None:
                return actors_of(doc, m, at=j)
        j -= 1
    return []


# --- 2. calls ------------------------------------------------------------------------------


def _calls(
    doc: Doc, ctx: Context, voices: list[Voice]
) -> tuple[list[PositionHit], list[tuple[int, int]]]:
    """ "… should/must Z" in someone's words: a call for Z by the speaker."""
    hits: list[PositionHit] = []
    spans: list[tuple[int, int]] = []
    for idx, item in enumerate(doc.items):
        if item.low not in ("should", "must", "need", "needs", "have", "has", "ought"):
            continue
        size = _modal_size(doc, idx)
        voice = _voice_at(voices, idx) if size else None
        if voice is None:
            continue
        lo, hi = idx + size, _clause_end(doc, idx + size, voice.end)
        spans.append((idx, hi))
        country = _country(doc, voice.speakers[0])
        topic = vocabulary_label(doc, ctx, lo, hi, country) or phrase(doc, lo, hi)
        if topic is None:
            continue
        sent = doc.sents[doc.sent_of[idx]]
        for actor in voice.speakers:
            summary = _voice_summary(doc, actor, voice, hi)
            hits.append(
                PositionHit(actor, "calls-for", topic, summary, (sent.start, sent.end), idx, _CALL)
            )
    return hits, spans


def _modal_size(doc: Doc, idx: int) -> int:
    low = doc.items[idx].low
    if low in ("should", "must"):
        return 1
    nxt = doc.items[idx + 1].low if idx + 1 < len(doc.items) else ""
    return 2 if f"{low} {nxt}" in _MODALS else 0


def _clause_end(doc: Doc, k: int, limit: int) -> int:
    """Where the phrase starting at ``k`` ends: a comma, colon or semicolon, or a word that
    opens another clause ("while", "urging", "which")."""
    stop = vocabulary().stop
    for j in range(k, limit):
        item = doc.items[j]
        if item.kind == "punct" and item.text in ",;:()!?.":
            return j
        if item.low in stop and item.low != "that" and j > k:
            return j
    return limit


# --- 3. judgements -------------------------------------------------------------------------


def _judgements(doc: Doc, ctx: Context, voice: Voice) -> list[PositionHit]:
    """A speaker's verdict on a relationship or an organisation (see module doc)."""
    start = _clause_start(doc, voice.start, voice.end)
    country = _country(doc, voice.speakers[0])
    found = [
        _relation_subject(doc, ctx, start, voice.end, country),
        _strengthened(doc, ctx, start, voice.end, country),
        _partners(doc, ctx, voice.start, voice.end, country),
        _organisation(doc, ctx, start, voice.end),
    ]
    sent = doc.sents[doc.sent_of[voice.start]]
    hits = []
    for judged in found:
        if judged is None:
            continue
        at, stance, topic = judged
        for actor in voice.speakers:
            summary = _voice_summary(doc, actor, voice, voice.end)
            hits.append(
                PositionHit(actor, stance, topic, summary, (sent.start, sent.end), at, _JUDGEMENT)
            )
    return hits


def _clause_start(doc: Doc, k: int, end: int) -> int:
    """Past quote marks, "that" and a leading adverb with its comma ("currently, …")."""
    while k < end and (doc.items[k].text in QUOTE_MARKS or doc.items[k].low == "that"):
        k += 1
    if k + 1 < end and doc.items[k + 1].text == "," and doc.items[k].low.endswith("ly"):
        k += 2
    return k


def _relation_subject(
    doc: Doc, ctx: Context, start: int, end: int, country: str | None
) -> tuple[int, str, str] | None:
    """ "relations between the two countries are …", "Russian-Turkish relations are …"."""
    head = _relation_head(doc, start, end)
    if head is None:
        return None
    np_end = next((k for k in range(head, end) if doc.items[k].low in _AUX), end)
    pair = relation_pair(doc, ctx, head, start, np_end, country)
    stance = _verdict(doc, np_end, _clause_end(doc, np_end, end) if np_end < end else end)
    if pair is None or stance is None:
        return None
    return head, stance, relations_label(doc, pair)


def _relation_head(doc: Doc, start: int, end: int) -> int | None:
    """The relationship noun heading the clause's first noun phrase, if it has one."""
    nouns = vocabulary().relation_nouns
    for k in range(start, min(start + 8, end)):
        item = doc.items[k]
        if item.low in nouns and item.kind in ("word", "name"):
            return k
        if item.kind == "punct" and item.text in "-" + QUOTE_MARKS:
            continue
        if item.kind == "place" and (item.how == "adj" or _hyphened(doc, k)):
            continue
        if item.kind != "word" or item.low in _AUX:
            return None
    return None


def _hyphened(doc: Doc, k: int) -> bool:
    item = doc.items[k]
    return doc.text[item.end : item.end + 1] == "-" or doc.text[item.start - 1 : item.start] == "-"


def _strengthened(
    doc: Doc, ctx: Context, start: int, end: int, country: str | None
) -> tuple[int, str, str] | None:
    """ "to further strengthen our comprehensive strategic partnership"."""
    vocab = vocabulary()
    for k in range(start, end):
        if doc.items[k].low not in vocab.strengthen:
            continue
        for j in range(k + 1, min(k + 6, end)):
            item = doc.items[j]
            if item.low in vocab.relation_nouns:
                pair = relation_pair(doc, ctx, j, k, _clause_end(doc, j, end), country)
                if pair is not None and not _negated(doc, start, k):
                    return j, "supports", relations_label(doc, pair)
                break
            if item.kind not in ("word", "place") or item.low in _AUX:
                break
    return None


def _partners(
    doc: Doc, ctx: Context, start: int, end: int, country: str | None
) -> tuple[int, str, str] | None:
    """ "Kazakhstan is and will remain one of Russia's main trade and economic partners"."""
    vocab = vocabulary()
    for m in doc.mentions:
        if m.first < start or m.kind != "state" or m.last >= end:
            continue
        if not phrase_at(doc, m.last, vocab.copulas):
            continue
        hi = _clause_end(doc, m.last, end)
        for j in range(m.last, hi):
            if doc.items[j].low in vocab.relation_nouns and not _negated(doc, m.last, j):
                pair = relation_pair(doc, ctx, j, m.first, hi, country, seed=(m.country or "",))
                return (j, "supports", relations_label(doc, pair)) if pair else None
    return None


def _organisation(doc: Doc, ctx: Context, start: int, end: int) -> tuple[int, str, str] | None:
    """ "this organization … is one of the most successful", "the SCO, which has become one
    of the pillars of …": a favourable verdict supports the organisation."""
    vocab = vocabulary()
    k = start + (doc.items[start].low in ("the", "this") if start < end else 0)
    if k < end and (doc.items[k].kind == "org" or doc.items[k].low in vocab.org_anaphors):
        name = _org_name(doc, ctx, k)
        if name and _verdict(doc, k + 1, end) == "supports":
            return k, "supports", name
    for j in range(start, end - 2):
        if doc.items[j].kind != "org" or j + 2 >= end:
            continue
        rel = j + 1 + (doc.items[j + 1].text == ",")
        name = _org_name(doc, ctx, j)
        verdict = _verdict(doc, rel + 1, _clause_end(doc, rel + 1, end))
        if doc.items[rel].low == "which" and name and verdict == "supports":
            return j, "supports", name
    return None


def _org_name(doc: Doc, ctx: Context, k: int) -> str | None:
    item = doc.items[k]
    if item.kind == "org":
        org = doc.lex.orgs.get(item.text)
        return org.name if org else None
    return ctx.last_org(k)


def _verdict(doc: Doc, lo: int, hi: int) -> str | None:
    """ "supports" for favourable words, "concerned" for unfavourable ones (they win), None
    for neither or for a negated clause."""
    vocab = vocabulary()
    if _negated(doc, lo, hi):
        return None
    found = None
    for k in range(lo, hi):
        low = doc.items[k].low
        pair = f"{low} {doc.items[k + 1].low}" if k + 1 < hi else low
        if any(low.startswith(s) or pair.startswith(s) for s in vocab.negative):
            return "concerned"
        if found is None and any(low.startswith(s) or pair.startswith(s) for s in vocab.positive):
            found = "supports"
    return found


def _negated(doc: Doc, lo: int, hi: int) -> bool:
    return any(doc.items[k].low in _NEGATION for k in range(lo, hi))


# --- summaries and de-duplication ----------------------------------------------------------


def _country(doc: Doc, actor: int) -> str | None:
    return doc.table.actors[actor].country


def _voice_summary(doc: Doc, actor: int, voice: Voice, end: int) -> str:
    """ "Wang Yi said Beijing and Moscow should maintain close coordination …"."""
    clause = _lower_first(doc, voice.start, clean_text(doc, voice.start, max(end, voice.start)))
    return _sentence(f"{doc.table.actors[actor].name} {voice.frame} {clause}")


def _cue_summary(doc: Doc, actor: int, idx: int, size: int, end: int) -> str:
    """ "Qin Gang expressed deep concern about an escalation in the Ukraine-Russia war."."""
    words = clean_text(doc, idx, idx + size).split()
    words[0] = vocabulary().stance_past.get(words[0].casefold(), words[0])
    rest = clean_text(doc, idx + size, end)
    return _sentence(f"{doc.table.actors[actor].name} {' '.join(words)} {rest}")


def _lower_first(doc: Doc, k: int, text: str) -> str:
    """Lower-case the clause's first word unless it is a name ("The two sides" → "the")."""
    while k < len(doc.items) and doc.items[k].text in QUOTE_MARKS:
        k += 1
    if not text or k >= len(doc.items) or doc.items[k].kind != "word" or k in doc.by_item:
        return text
    return text[0].lower() + text[1:] if doc.items[k].text != "I" else text


def _sentence(text: str) -> str:
    """One line, at most ``MAX_SUMMARY_WORDS`` words (cut at a comma where one is near),
    ending in a full stop."""
    words = text.split()
    if len(words) > MAX_SUMMARY_WORDS:
        cut = " ".join(words[:MAX_SUMMARY_WORDS])
        comma = cut.rfind(",")
        text = cut[:comma] if comma > len(cut) // 2 else cut
    text = " ".join(text.split()).rstrip(" ,;:-")
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _unique(doc: Doc, hits: list[PositionHit]) -> list[PositionHit]:
    """One position per actor, stance and topic; within a sentence a judgement gives way to
    a cue or call on the same topic by the same actor."""
    stronger = {(h.sentence, h.actor, h.topic.casefold()) for h in hits if h.rank < _JUDGEMENT}
    unique: dict[tuple[int, str, str], PositionHit] = {}
    for hit in sorted(hits, key=lambda h: (h.at, h.rank)):
        if hit.rank == _JUDGEMENT and (hit.sentence, hit.actor, hit.topic.casefold()) in stronger:
            continue
        unique.setdefault((hit.actor, hit.stance, hit.topic.casefold()), hit)
    return list(unique.values())
