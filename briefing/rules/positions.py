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
sentence. A weak cue ("sought to …") gives way to another cue in its clause, a cue inside a
call ("should maintain its commitment to …") is part of the call, and a noun cue a possessive
owns ("India's support for …") is no one's position here.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from briefing.rules.actors import Mention
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
_HOPE = "hope"
_AUX = frozenset(
    {"is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can",
     "could", "may", "might", "must", "should", "do", "does", "did", "remain", "remains",
     "continue", "continues"}
)  # fmt: skip
_NEGATION = frozenset({"not", "never", "no", "n't", "hardly"})
_RELATIVES = frozenset({"which"})
_GAP = frozenset({"also", "has", "have", "had", "repeatedly", "recently", "previously", "once"})
MAX_SUMMARY_WORDS = 45
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
    return _unique(hits)


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
    """The voice holding item ``idx``: the innermost reported clause, so that a quote inside
    one ("told Wang that Moscow is “committed to …”") is summarised with its frame; a quote
    standing alone otherwise."""
    best = None
    for voice in voices:
        if not voice.start <= idx < voice.end:
            continue
        key = (voice.report is None, voice.end - voice.start)
        if best is None or key < (best.report is None, best.end - best.start):
            best = voice
    return best


# --- 1. cues -------------------------------------------------------------------------------


def _cues(
    doc: Doc, ctx: Context, voices: list[Voice], calls: list[tuple[int, int]]
) -> list[PositionHit]:
    hits: list[PositionHit] = []
    covered = 0  # a cue inside a longer one ("play a constructive role") is not another
    firsts = _first_words(doc)
    for idx, item in enumerate(doc.items):
        if item.low not in firsts or idx < covered or item.kind not in ("word", "title"):
            continue
        if idx in doc.by_item:
            continue
        size = _cue_size(doc, idx)
        if not size or any(lo <= idx < hi for lo, hi in calls):
            continue
        covered = idx + size
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
    if words[0] in vocabulary().weak_cues and _other_cue(doc, idx, size, voice):
        return []
    if _HOPE in words and _about_meeting(doc, lo, hi):
        return []
    if " ".join(words) in vocabulary().owned_cues and _owned(doc, idx):
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
            summary = _cue_summary(doc, actor, idx, hi)
        hits.append(PositionHit(actor, stance, topic, summary, (sent.start, sent.end), idx, _CUE))
    return hits


def _other_cue(doc: Doc, idx: int, size: int, voice: Voice | None) -> bool:
    """Whether another cue shares the clause of a weak one: from the voice's (or sentence's)
    start to the next comma or semicolon."""
    sent = doc.sents[doc.sent_of[idx]]
    lo = voice.start if voice is not None else sent.first
    hi = voice.end if voice is not None else sent.last
    hi = next((k for k in range(idx, hi) if doc.items[k].text in ",;"), hi)
    return any(_cue_size(doc, k) for k in range(lo, hi) if not idx <= k < idx + size)


def _owned(doc: Doc, idx: int) -> bool:
    """ "India's support for …": the owner's stance, mentioned in passing inside someone
    else's clause; not a position of its own ("their commitment to" is the subject's)."""
    return idx > 0 and doc.items[idx - 1].kind == "poss"


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
    # in someone's words, the clause's subject may name the states of a relationship
    scope = voice.start if voice is not None else None
    label = vocabulary_label(doc, ctx, lo, hi, country, scope)
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
    actors = _coordinated(doc, m, idx) if m is not None else []
    people = [a for a in actors if doc.table.actors[a].kind == "person"]
    if people:
        return people, False
    if voice is not None:
        return list(voice.speakers), True
    return actors, False


def _coordinated(doc: Doc, m: Mention, idx: int) -> list[int]:
    """A subject and those joined to it by "and" ("Ishiba and Rubio reaffirmed …")."""
    actors = actors_of(doc, m, at=idx)
    while m.last + 1 < idx and doc.items[m.last].low == "and":
        nxt = doc.mention_starting(m.last + 1)
        if nxt is None:
            break
        actors += [a for a in actors_of(doc, nxt, at=idx) if a not in actors]
        m = nxt
    return actors


def _relative_owner(doc: Doc, idx: int) -> list[int] | None:
    """For "…, which called for …": the owner named in the phrase "which" follows ("Beijing's
    position paper on …, which"); [] when there is none; None when no "which" precedes."""
    k = idx - 1
    while k >= 0 and doc.items[k].low in _GAP:
        k -= 1
    if k < 0 or doc.items[k].low not in _RELATIVES:
        return None
    floor = doc.sents[doc.sent_of[idx]].first
    j = k - 1 - (k > 0 and doc.items[k - 1].text == ",")
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
        topic = vocabulary_label(doc, ctx, lo, hi, country, voice.start) or phrase(
            doc, lo, hi, verb_first=True
        )
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
    if idx > 0 and doc.items[idx - 1].low in ("the", "a", "an", "no"):
        return 0  # "mentioned the need to develop tourism": a noun, not a call
    nxt = doc.items[idx + 1].low if idx + 1 < len(doc.items) else ""
    return 2 if f"{low} {nxt}" in _MODALS else 0


def _clause_end(doc: Doc, k: int, limit: int) -> int:
    """Where the phrase starting at ``k`` ends: a comma, colon or semicolon, or a word that
    opens another clause ("while", "urging", "which")."""
    stop = vocabulary().stop
    for j in range(k, limit):
        item = doc.items[j]
        if item.text == "," and _list_comma(doc, j, limit):
            continue
        if item.kind == "punct" and item.text in ",;:()!?.":
            return j
        if item.low in stop and item.low != "that" and j > k:
            return j
    return limit


def _list_comma(doc: Doc, j: int, limit: int) -> bool:
    """A comma between words of one list ("a permanent, fair, and sustainable peace plan"):
    lower-case words on both sides and an "and" or "or" a few words on; a comma right
    before "and" only after another such comma ("… affairs, and act together" ends a clause)."""
    if j == 0 or j + 1 >= limit:
        return False
    before, after = doc.items[j - 1], doc.items[j + 1]
    if not (before.kind == after.kind == "word" and after.low not in vocabulary().stop):
        return False
    if not (before.text.islower() and after.text.islower()):
        return False
    if after.low in _AND_OR:
        return any(doc.items[k].text == "," for k in range(max(j - 3, 0), j))
    for k in range(j + 1, min(j + 6, limit)):
        if doc.items[k].low in _AND_OR:
            return True
        if doc.items[k].kind == "punct" and doc.items[k].text != ",":
            return False
    return False


_AND_OR = frozenset({"and", "or"})


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
    pair = relation_pair(doc, ctx, head, start, np_end, country, whole=True)
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
    for m in doc.mentions[bisect_left(doc.mentions, start, key=lambda m: m.first) :]:
        if m.first >= end:
            break
        if m.kind != "state" or m.last >= end:
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
    if lo >= hi or _negated(doc, lo, hi):
        return None
    vocab = vocabulary()
    start, end = doc.items[lo].start, doc.items[hi - 1].end
    if vocab.negative.search(doc.text, start, end):
        return "concerned"
    return "supports" if vocab.positive.search(doc.text, start, end) else None


def _negated(doc: Doc, lo: int, hi: int) -> bool:
    return any(doc.items[k].low in _NEGATION for k in range(lo, hi))


# --- summaries and de-duplication ----------------------------------------------------------


def _country(doc: Doc, actor: int) -> str | None:
    return doc.table.actors[actor].country


def _voice_summary(doc: Doc, actor: int, voice: Voice, end: int) -> str:
    """ "Wang Yi said Beijing and Moscow should maintain close coordination …"."""
    clause = _lower_first(doc, voice.start, clean_text(doc, voice.start, max(end, voice.start)))
    return _sentence(f"{doc.table.actors[actor].name} {voice.frame} {clause}")


def _cue_summary(doc: Doc, actor: int, idx: int, end: int) -> str:
    """The holder's name and the source from the verb group before the cue to the end of its
    phrase: "Tokayev pointed out his constructive role in …", "Qin Gang urged Western
    countries to …" (a leading -ing cue put in the past)."""
    name = doc.table.actors[actor].name
    owner = _relative_owner(doc, idx)
    if owner:
        return _relative_summary(doc, name, idx, end)
    words = clean_text(doc, _verb_group(doc, idx), end).split()
    if words:
        words[0] = vocabulary().stance_past.get(words[0].casefold(), words[0])
    return _sentence(f"{name} {' '.join(words)}")


def _verb_group(doc: Doc, idx: int) -> int:
    """First item of the words before a cue back to its subject or a comma (at most eight):
    "on Tuesday expressed", "has sought to position itself as a"."""
    k = idx
    while k > 0 and idx - k < 8:
        prev = doc.items[k - 1]
        m = doc.by_item.get(k - 1)
        if prev.kind == "punct" and prev.text not in "“„«-":
            break
        if prev.low in ("and", "but", "or"):
            break
        if m is not None and not (m.kind == "pronoun" and prev.low in _POSSESSIVE):
            break
        if prev.kind in ("name", "place", "org"):
            break
        k -= 1
    return k


_POSSESSIVE = frozenset({"his", "her", "its", "their"})


def _relative_summary(doc: Doc, name: str, idx: int, end: int) -> str:
    """ "China's position paper on the Ukraine conflict called for peace talks." for
    "Beijing's position paper on the Ukraine conflict, which called for peace talks"."""
    k = idx - 1
    while k > 0 and doc.items[k].low not in _RELATIVES:
        k -= 1
    j = k - 1
    while j > 0 and doc.items[j].kind != "poss":
        j -= 1
    owned = clean_text(doc, j + 1, k)
    return _sentence(f"{name}'s {owned} {clean_text(doc, idx, end)}")


def _lower_first(doc: Doc, k: int, text: str) -> str:
    """Lower-case the clause's first word when it is a function word ("The two sides" →
    "the two sides"), never a name ("Europe")."""
    while k < len(doc.items) and doc.items[k].text in QUOTE_MARKS:
        k += 1
    if not text or k >= len(doc.items) or doc.items[k].low not in _LOWER:
        return text
    return text[0].lower() + text[1:]


_LOWER = frozenset(
    {"the", "a", "an", "this", "that", "these", "those", "it", "its", "there", "their", "our",
     "we", "they", "he", "she", "both", "all", "such", "some", "many", "no", "each", "every",
     "currently", "now", "today", "relations", "ties", "cooperation"}
)  # fmt: skip


def _sentence(text: str) -> str:
    """One line, at most ``MAX_SUMMARY_WORDS`` words (cut at a comma where one is near, with
    an ellipsis where none is), not ending on a function word, ending in a full stop."""
    words = text.split()
    ellipsis = ""
    if len(words) > MAX_SUMMARY_WORDS:
        cut = " ".join(words[:MAX_SUMMARY_WORDS])
        comma = cut.rfind(",")
        text, ellipsis = (cut[:comma], "") if comma > len(cut) // 2 else (cut, "…")
    words = text.rstrip(" ,;:-").split()
    trailing = vocabulary().trailing
    while len(words) > 2 and words[-1].casefold().strip(",;:") in trailing:
        words.pop()
    text = " ".join(words).rstrip(" ,;:-")
    if ellipsis:
        return f"{text}…"
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _unique(hits: list[PositionHit]) -> list[PositionHit]:
    """One position per actor, stance and topic; within a sentence a judgement gives way to
    a cue or call on the same topic by the same actor."""
    stronger = {(h.sentence, h.actor, h.topic.casefold()) for h in hits if h.rank < _JUDGEMENT}
    unique: dict[tuple[int, str, str], PositionHit] = {}
    for hit in sorted(hits, key=lambda h: (h.at, h.rank)):
        if hit.rank == _JUDGEMENT and (hit.sentence, hit.actor, hit.topic.casefold()) in stronger:
            continue
        unique.setdefault((hit.actor, hit.stance, hit.topic.casefold()), hit)
    return list(unique.values())
