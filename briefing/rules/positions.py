"""Positions: an actor's stance on a topic, from reporting verbs and cue phrases.

``X urged an end to hostilities`` → calls-for "an end to hostilities"; ``X expressed "deep
concern" about an escalation`` → concerned; ``X said (that) Y should Z`` and a quote with
"should"/"must" in it → calls-for Z. The topic is the phrase after the cue, up to the end of
its clause, as the article words it.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.rules.discourse import Doc, actors_of, phrase_at, sentence_subject, subject_of
from briefing.rules.quotemarks import QUOTE_MARKS
from briefing.rules.quotes import QuoteHit

_TOPIC_STOP = frozenset(
    {
        "while",
        "but",
        "which",
        "when",
        "whereas",
        "although",
        "because",
        "warning",
        "urging",
        "saying",
        "adding",
        "calling",
        "according",
    }
)
_TOPIC_SKIP = frozenset({"about", "over", "regarding", "that", "on"})
_MODALS = ("should", "must", "need to", "needs to")
MAX_TOPIC_WORDS = 10
_FIRST_WORDS: dict[int, frozenset[str]] = {}


@dataclass(frozen=True)
class PositionHit:
    actor: int
    stance: str
    cue: str
    topic: tuple[int, int]  # character span of the topic phrase
    sentence: tuple[int, int]


def position_hits(doc: Doc, quotes: list[QuoteHit]) -> list[PositionHit]:
    """Cue-phrase stances and modal calls, one per actor, stance and topic."""
    hits: list[PositionHit] = []
    for idx, item in enumerate(doc.items):
        if item.kind in ("word", "title") and not doc.quoted[idx] and idx not in doc.by_item:
            hits.extend(_cue(doc, idx))
    hits.extend(_quoted_calls(doc, quotes))
    hits.extend(_reported_calls(doc))
    unique: dict[tuple[int, str, str], PositionHit] = {}
    for hit in hits:
        key = (hit.actor, hit.stance, doc.text[hit.topic[0] : hit.topic[1]].casefold())
        unique.setdefault(key, hit)
    return list(unique.values())


def _cue_size(doc: Doc, idx: int) -> tuple[int, str] | None:
    """The longest stance cue at ``idx``, reading through quote marks ("deep concern")."""
    if doc.items[idx].low not in _first_words(doc.lex.stances):
        return None
    words: list[str] = []
    k = idx
    best = None
    while k < len(doc.items) and len(words) < 4:
        if doc.items[k].text in QUOTE_MARKS:
            k += 1
            continue
        words.append(doc.items[k].low)
        k += 1
        stance = doc.lex.stances.get(" ".join(words))
        if stance:
            best = (k - idx, stance)
    return best


def _first_words(cues: dict[str, str]) -> frozenset[str]:
    key = id(cues)
    if key not in _FIRST_WORDS:
        _FIRST_WORDS[key] = frozenset(c.split()[0] for c in cues)
    return _FIRST_WORDS[key]


def _cue(doc: Doc, idx: int) -> list[PositionHit]:
    found = _cue_size(doc, idx)
    if found is None:
        return []
    size, stance = found
    sent = doc.sents[doc.sent_of[idx]]
    subj = subject_of(doc, idx) or sentence_subject(doc, sent, before=idx)
    topic = _topic(doc, idx + size, sent.last)
    if topic is None:
        return []
    cue = " ".join(it.text for it in doc.items[idx : idx + size] if it.text not in QUOTE_MARKS)
    return [
        PositionHit(a, stance, cue, topic, (sent.start, sent.end))
        for a in actors_of(doc, subj, at=idx)
    ]


def _topic(doc: Doc, k: int, end: int) -> tuple[int, int] | None:
    """The phrase after a cue, to the end of its clause, at most ten words."""
    while k < end and (doc.items[k].low in _TOPIC_SKIP or doc.items[k].text in QUOTE_MARKS):
        k += 1
    start, last, words = k, None, 0
    while k < end and words < MAX_TOPIC_WORDS:
        item = doc.items[k]
        if item.kind == "punct" and item.text not in QUOTE_MARKS + "-’'":
            break
        if item.low in _TOPIC_STOP or (item.low == "and" and words >= 3):
            break
        if item.text not in QUOTE_MARKS:
            last, words = k, words + 1
        k += 1
    if last is None or start >= end:
        return None
    return doc.items[start].start, doc.items[last].end


def _quoted_calls(doc: Doc, quotes: list[QuoteHit]) -> list[PositionHit]:
    """A quote or reported clause saying what should or must be done is a call for it."""
    hits: list[PositionHit] = []
    for quote in quotes:
        inner = doc.text[quote.quote.inner_start : quote.quote.inner_end].casefold()
        modal = next((m for m in _MODALS if f" {m} " in f" {inner} "), None)
        if modal is None:
            continue
        sent = doc.sentence_at(quote.quote.start)
        at = doc.item_at(quote.quote.inner_start + inner.index(modal) + len(modal))
        topic = _topic(doc, at, doc.item_at(quote.quote.inner_end))
        if topic is not None:
            hits.append(
                PositionHit(quote.speaker, "calls-for", modal, topic, (sent.start, sent.end))
            )
    return hits


def _reported_calls(doc: Doc) -> list[PositionHit]:
    """ "X said (that) Y should Z" outside quotes."""
    hits: list[PositionHit] = []
    for idx, item in enumerate(doc.items):
        if item.low not in ("should", "must") or doc.quoted[idx]:
            continue
        sent = doc.sents[doc.sent_of[idx]]
        verb = next(
            (v for v in range(idx - 1, sent.first - 1, -1) if phrase_at(doc, v, doc.lex.speech)),
            None,
        )
        if verb is None:
            continue
        subj = subject_of(doc, verb) or sentence_subject(doc, sent, before=verb)
        topic = _topic(doc, idx + 1, sent.last)
        if topic is None:
            continue
        hits.extend(
            PositionHit(a, "calls-for", item.low, topic, (sent.start, sent.end))
            for a in actors_of(doc, subj, at=verb)
        )
    return hits
