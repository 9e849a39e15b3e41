"""Topics of positions: the words after a stance cue, put the way an analyst files them.

"close cooperation at all levels with Russia" (said by a Chinese official) is "China-Russia
relations"; "a peaceful resolution of the Ukrainian crisis" is "Ukraine peace process";
"building a multipolar world" is "multipolar world". Where no word of the vocabulary in
``data/topics.toml`` is clear, the topic is the phrase itself cut to a short noun phrase:
whole words, no quote marks, no trailing "of the", at most eight words.

Everything here reads items and offsets; the labels are built from the country names of
``countries.toml`` (``short`` where given, so "US", not "United States").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from briefing.rules.discourse import Doc
from briefing.rules.lexicon import Vocabulary, vocabulary
from briefing.rules.quotemarks import QUOTE_MARKS

MAX_TOPIC_WORDS = 8
_CONTEXT_SENTENCES = 3  # how far back "hostilities" or "negotiations" look for their conflict
_RELATION_BEFORE = 12  # items before a relation noun where its states may be named
_RELATION_AFTER = 9
_SKIP = frozenset(
    {"about", "over", "regarding", "on", "that", "of", "for", "with", "the", "a", "an", "any"}
)
_LOCATIVE = frozenset({"in", "at"})
_AFTER_CONFLICT = frozenset({"in", "on", "over", "against", "with", "of"})
_DEFINITE = frozenset({"the", "this", "that"})
_QUOTES = re.compile("[" + QUOTE_MARKS + "]")


@dataclass(frozen=True)
class Conflict:
    item: int  # the conflict noun
    state: str  # "Ukraine", "Ukraine-Russia"
    label: str  # "Ukraine war"


@dataclass
class Context:
    """What topics need from the whole article, computed once per article."""

    conflicts: list[Conflict] = field(default_factory=list)
    states: list[tuple[int, str]] = field(default_factory=list)  # (item, ISO code) in order
    orgs: list[tuple[int, str]] = field(default_factory=list)  # (item, canonical name)

    def last_org(self, before: int) -> str | None:
        found = [name for k, name in self.orgs if k < before]
        return found[-1] if found else None


def topic_context(doc: Doc) -> Context:
    """Conflicts, states and organisations named in the article, in text order."""
    vocab = vocabulary()
    ctx = Context()
    for k, item in enumerate(doc.items):
        if item.kind == "place":
            ctx.states.append((k, item.ref))
        elif item.kind == "org" and item.text in doc.lex.orgs:
            ctx.orgs.append((k, doc.lex.orgs[item.text].name))
        elif item.kind == "name" and k in doc.by_item:
            actor = doc.by_item[k].actor
            country = doc.table.actors[actor].country if actor is not None else None
            if country:
                ctx.states.append((k, country))
        elif item.low in vocab.conflict_nouns:
            conflict = _named_conflict(doc, k, vocab)
            if conflict is not None:
                ctx.conflicts.append(conflict)
    return ctx


def state_name(doc: Doc, code: str) -> str:
    """A state's name for labels: the short form where the gazetteer gives one."""
    return vocabulary().short_names.get(code) or doc.lex.country_names.get(code, code)


def _named_conflict(doc: Doc, k: int, vocab: Vocabulary) -> Conflict | None:
    """ "the Ukraine conflict", "the Ukrainian crisis", "the Ukraine-Russia war", "the war in
    Ukraine", "the Gaza war" (a theatre that is not a state keeps its own name)."""
    items = doc.items
    head = vocab.conflict_nouns[items[k].low]
    names: list[str] = []
    if k > 0 and _theatre(doc, k - 1):
        names.append(_theatre_name(doc, k - 1))
        if k > 2 and items[k - 2].text == "-" and _theatre(doc, k - 3):
            names.insert(0, _theatre_name(doc, k - 3))
    elif k + 2 < len(items) and items[k + 1].low in _AFTER_CONFLICT:
        j = k + 2 + (items[k + 2].low == "the")
        if j < len(items) and _theatre(doc, j):
            names.append(_theatre_name(doc, j))
    if not names:
        return None
    state = "-".join(names)
    return Conflict(k, state, f"{state} {head}")


def _theatre(doc: Doc, k: int) -> bool:
    """A state, or a capitalised name that is no person ("Gaza", "Tigray")."""
    item = doc.items[k]
    if item.kind == "place":
        return True
    m = doc.by_item.get(k)
    return item.kind == "name" and (m is None or m.kind not in ("person", "nominal"))


def _theatre_name(doc: Doc, k: int) -> str:
    item = doc.items[k]
    return state_name(doc, item.ref) if item.kind == "place" else item.text


# --- the vocabulary ------------------------------------------------------------------------


def vocabulary_label(
    doc: Doc,
    ctx: Context,
    lo: int,
    hi: int,
    holder: str | None,
    scope: int | None = None,
) -> str | None:
    """The vocabulary label of items[lo:hi], from the first cue in it that resolves: a
    relationship, an organisation, a conflict or its peace process, an issue. ``scope`` is
    where the clause starts, if before ``lo``: the states of a relationship may be named
    there ("Beijing and Moscow should maintain close cooperation")."""
    if lo >= hi:
        return None
    vocab = vocabulary()
    issue = _issue(doc, lo, hi, vocab)
    for j in range(lo, hi):
        item = doc.items[j]
        if issue is not None and item.start >= issue[0]:
            return issue[1]
        label = _label_at(doc, ctx, j, (lo, hi, lo if scope is None else scope), holder, vocab)
        if label is not None:
            return label
    return issue[1] if issue is not None else None


def _label_at(
    doc: Doc,
    ctx: Context,
    j: int,
    span: tuple[int, int, int],
    holder: str | None,
    vocab: Vocabulary,
) -> str | None:
    item = doc.items[j]
    low = item.low
    lo, hi, scope = span
    if item.kind == "org" and item.text in doc.lex.orgs:
        return doc.lex.orgs[item.text].name
    if item.kind not in ("word", "name"):
        return None
    if low in vocab.relation_nouns:
        seed = tuple(_states_in(ctx, scope, lo))
        pair = relation_pair(doc, ctx, j, lo, hi, holder, seed, pair_from=scope)
        return relations_label(doc, pair) if pair else None
    if low in vocab.org_anaphors and j > lo and doc.items[j - 1].low in _DEFINITE:
        return ctx.last_org(j)
    if low in vocab.conflict_context or low in vocab.peace or low in vocab.conflict_nouns:
        conflict = _conflict_for(doc, ctx, j, lo, hi)
        if conflict is None:
            return None
        if _has_peace(doc, lo, hi, vocab):
            return f"{conflict.state} peace process{_without(doc, lo, hi)}"
        return conflict.label
    return None


def _issue(doc: Doc, lo: int, hi: int, vocab: Vocabulary) -> tuple[int, str] | None:
    m = vocab.issue_re.search(doc.text, doc.items[lo].start, doc.items[hi - 1].end)
    if m is None:
        return None
    return m.start(), vocab.issues[" ".join(m.group().split()).casefold()]


def _has_peace(doc: Doc, lo: int, hi: int, vocab: Vocabulary) -> bool:
    return any(doc.items[j].low in vocab.peace for j in range(lo, hi))


def _without(doc: Doc, lo: int, hi: int) -> str:
    """ " without Russia" for "attempts to resolve the crisis without Russia's
    participation": the qualifier is the analyst's point, so the label keeps it."""
    for j in range(lo, hi):
        if doc.items[j].low != "without":
            continue
        for k in range(j + 1, min(j + 7, hi)):
            if doc.items[k].kind == "place":
                return f" without {state_name(doc, doc.items[k].ref)}"
    return ""


def _conflict_for(doc: Doc, ctx: Context, j: int, lo: int, hi: int) -> Conflict | None:
    """The conflict a word points at: one named in the phrase, else in its sentence, else in
    the few sentences before (any distance for "the crisis", which names one already)."""
    named = [c for c in ctx.conflicts if lo <= c.item < hi]
    if named:
        return named[0]
    if (
        j > 0
        and doc.items[j].low in vocabulary().conflict_nouns
        and doc.items[j - 1].text[:1].isupper()
    ):
        return None  # "the Tigray conflict" names its own, even if unknown
    sent_no = doc.sent_of[j]
    same = [c for c in ctx.conflicts if doc.sent_of[c.item] == sent_no]
    if same:
        return same[0]
    definite = (
        j > 0
        and doc.items[j].low in vocabulary().conflict_nouns
        and doc.items[j - 1].low in _DEFINITE
    )
    for c in reversed(ctx.conflicts):
        if c.item < j and (definite or sent_no - doc.sent_of[c.item] <= _CONTEXT_SENTENCES):
            return c
    return None


# --- relations -----------------------------------------------------------------------------


def relations_label(doc: Doc, pair: tuple[str, str]) -> str:
    """ "China-Russia relations": names in alphabetical order, so every side files the same
    relationship under one label."""
    a, b = sorted(state_name(doc, code) for code in pair)
    return f"{a}-{b} relations"


def relation_pair(
    doc: Doc,
    ctx: Context,
    j: int,
    lo: int,
    hi: int,
    holder: str | None,
    seed: tuple[str, ...] = (),
    *,
    whole: bool = False,
    pair_from: int | None = None,
) -> tuple[str, str] | None:
    """The two states of the relationship noun at ``j``: those named around it (anywhere in
    items[lo:hi] if ``whole``), the holder's own state, and for "the two countries" or "our"
    the other state (or both, if the holder's is unknown) named in the sentences before."""
    named = _states_in(ctx, lo, hi) if whole else _states_around(doc, ctx, j, lo, hi)
    codes = list(dict.fromkeys(c for c in [*seed, *named] if c))
    if holder and holder not in codes and len(codes) < 2:
        codes.insert(0, holder)
    while len(codes) < 2 and _has_pair_word(doc, lo if pair_from is None else pair_from, hi):
        other = _state_in_context(doc, ctx, j, exclude=codes)
        if other is None:
            break
        codes.append(other)
    if len(codes) < 2:
        return None
    if holder in codes:
        return holder, next(c for c in codes if c != holder)
    return codes[0], codes[1]


def _states_around(doc: Doc, ctx: Context, j: int, lo: int, hi: int) -> list[str]:
    """States named next to a relationship noun, within its clause: "Russian-Turkish
    relations", "ties between Russia and China", "Russia's main partners"."""
    first = max(lo, j - _RELATION_BEFORE)
    for k in range(j - 1, first - 1, -1):
        if _breaks(doc, k):
            first = k + 1
            break
    last = min(hi, j + _RELATION_AFTER)
    for k in range(j + 1, last):
        if _breaks(doc, k) or doc.items[k].low in vocabulary().stop:
            last = k
            break
    start = bisect_left(ctx.states, (first, ""))
    codes = []
    for k, code in ctx.states[start:]:
        if k >= last:
            break
        if k > 0 and doc.items[k - 1].low in _LOCATIVE:
            continue  # "cooperation in Kazakhstan": a place, not a party
        codes.append(code)
    return codes


def _states_in(ctx: Context, lo: int, hi: int) -> list[str]:
    start = bisect_left(ctx.states, (lo, ""))
    return [code for k, code in ctx.states[start:] if k < hi]


def _breaks(doc: Doc, k: int) -> bool:
    item = doc.items[k]
    return item.kind == "punct" and item.text not in "-’'" + QUOTE_MARKS


def _has_pair_word(doc: Doc, lo: int, hi: int) -> bool:
    pairs = vocabulary().pair_words
    for k in range(lo, hi):
        low = doc.items[k].low
        if low in pairs or (k + 1 < hi and f"{low} {doc.items[k + 1].low}" in pairs):
            return True
    return False


def _state_in_context(doc: Doc, ctx: Context, j: int, exclude: list[str]) -> str | None:
    """The other side of "the two countries" or "we": the state of the latest other person
    named before ``j`` in its sentence or the few before it (the counterpart, rather than a
    state merely mentioned: "North Korea's missile launches"); failing one, the latest
    other state named there."""
    sent_no = doc.sent_of[j]
    fallback = None
    for k, code in reversed(ctx.states[: bisect_left(ctx.states, (j, ""))]):
        if sent_no - doc.sent_of[k] > _CONTEXT_SENTENCES:
            break
        if code in exclude:
            continue
        if doc.items[k].kind == "name":
            return code
        fallback = fallback or code
    return fallback


# --- phrases -------------------------------------------------------------------------------


def phrase(doc: Doc, lo: int, hi: int, *, verb_first: bool = False) -> str | None:
    """items[lo:hi] as a short noun phrase: from its first content word (past quote marks,
    prepositions and, with ``verb_first`` — the words after "should" —, the verb) to the end
    of its clause, at most eight words, ending on a content word. None when that leaves
    nothing, or only a person."""
    vocab = vocabulary()
    k = lo
    while k < hi and _skippable(doc, k, vocab):
        k += 1
    if verb_first and k == lo + _adverbs(doc, lo, hi) and k < hi and doc.items[k].text.islower():
        k += 1  # "should reduce its dependence on …": the verb goes, its object stays
        while k < hi and _skippable(doc, k, vocab):
            k += 1
    words = _phrase_words(doc, k, hi, vocab)
    while words and doc.items[words[-1]].low in vocab.trailing:
        words.pop()
    if not words or _is_person(doc, words[0]):
        return None
    text = doc.text[doc.items[words[0]].start : doc.items[words[-1]].end]
    return " ".join(_QUOTES.sub("", text).split()) or None


_ADVERBS = frozenset(
    {"not", "also", "further", "fully", "jointly", "actively", "firmly", "always", "still",
     "urgently", "immediately", "quickly", "never"}
)  # fmt: skip


def _adverbs(doc: Doc, lo: int, hi: int) -> int:
    """How many adverbs open items[lo:hi] ("should not", "must urgently")."""
    n = 0
    while lo + n < hi and (
        doc.items[lo + n].low in _ADVERBS or doc.items[lo + n].text in QUOTE_MARKS
    ):
        n += 1
    return n


def _skippable(doc: Doc, k: int, vocab: Vocabulary) -> bool:
    item = doc.items[k]
    return item.text in QUOTE_MARKS or item.low in _SKIP or item.low in vocab.lead


def _phrase_words(doc: Doc, k: int, hi: int, vocab: Vocabulary) -> list[int]:
    words: list[int] = []
    while k < hi and len(words) < MAX_TOPIC_WORDS:
        item = doc.items[k]
        if item.kind == "punct" and item.text not in "-’'" + QUOTE_MARKS:
            return words
        if item.low in vocab.stop and words:
            return words
        if (
            item.low == "and"
            and len(words) > 1
            and k + 1 < hi
            and doc.items[k + 1].low in vocab.lead
        ):
            return words  # "close coordination and continue to …": a second verb phrase
        if item.kind != "punct":
            words.append(k)
        k += 1
    if k < hi and len(words) >= MAX_TOPIC_WORDS:
        return _cut_at_preposition(doc, words)
    return words


def _cut_at_preposition(doc: Doc, words: list[int]) -> list[int]:
    """A phrase cut at the word limit ends before its last prepositional phrase, so that it
    ends on a whole phrase ("cooperation at all levels", not "… with Russia to promote")."""
    for n in range(len(words) - 1, 1, -1):
        if doc.items[words[n]].low in _PREPOSITIONS_CUT:
            return words[:n]
    return words


_PREPOSITIONS_CUT = frozenset(
    {"of", "to", "in", "at", "for", "with", "on", "by", "from", "over", "about", "between"}
)


def _is_person(doc: Doc, k: int) -> bool:
    m = doc.by_item.get(k)
    return m is not None and m.kind in ("person", "nominal", "pronoun")


def clean_text(doc: Doc, lo: int, hi: int) -> str:
    """The source words of items[lo:hi] without quote marks, on one line."""
    if lo >= hi:
        return ""
    text = doc.text[doc.items[lo].start : doc.items[hi - 1].end]
    return " ".join(_QUOTES.sub("", text).split()).strip(" ,;:")
