"""Direct quotes and their speakers.

Where to look for the speaker, strongest first:

1. right after the closing mark: ``"…," Xi said`` / ``"…," said Xi`` / ``"…," he added``;
2. before the opening mark, in the same sentence: ``Wang said: "…"``, ``X told Y that "…"``,
   ``Qin … expressed concern, urging Western countries to "…"`` (then the sentence subject);
3. ``according to X`` after, then before, the quote;
4. a quote that stands alone continues the latest speaker within three sentences.

One or two quoted words are scare quotes or names ("multipolar" world), never claims.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.rules.discourse import (
    Doc,
    actors_of,
    phrase_at,
    sentence_subject,
    subject_of,
)
from briefing.rules.quotemarks import QuoteSpan, word_count

MIN_QUOTE_WORDS = 3
_CONTINUATION_SENTENCES = 3


@dataclass(frozen=True)
class QuoteHit:
    quote: QuoteSpan
    speaker: int
    how: str  # tail | head | according | continuation


def quote_hits(doc: Doc) -> list[QuoteHit]:
    """Every quote of three words or more whose speaker can be told, in text order."""
    hits: list[QuoteHit] = []
    for quote in doc.quotes:
        if word_count(doc.text[quote.inner_start : quote.inner_end]) < MIN_QUOTE_WORDS:
            continue
        found = _attribute(doc, quote)
        if found is not None:
            hits.append(QuoteHit(quote, *found))
    return hits


def _attribute(doc: Doc, quote: QuoteSpan) -> tuple[int, str] | None:
    after, before = _item_after(doc, quote.end), _item_before(doc, quote.start)
    for how, speaker in (
        ("tail", _tail(doc, after)),
        ("head", _head(doc, before, quote)),
        ("according", _according(doc, after, quote, forward=True)),
        ("according", _according(doc, before, quote, forward=False)),
        ("continuation", _continuation(doc, quote, after)),
    ):
        if speaker is not None:
            return speaker, how
    return None


def _item_after(doc: Doc, pos: int) -> int:
    k = doc.item_at(pos)
    while k < len(doc.items) and doc.items[k].text in ",":
        k += 1
    return k


def _item_before(doc: Doc, pos: int) -> int:
    """Index one past the last item before ``pos``."""
    return doc.item_at(pos)


def _same_line(doc: Doc, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return "\n" not in doc.text[lo:hi]


def _first(doc: Doc, actors: list[int]) -> int | None:
    return actors[0] if actors else None


def _tail(doc: Doc, k: int) -> int | None:
    """ "…," Xi said / "…," said Xi / "…," the top Chinese diplomat stated."""
    if k >= len(doc.items) or not _same_line(doc, doc.items[k - 1].end, doc.items[k].start):
        return None
    m = doc.mention_starting(k)
    if m is not None:
        v = m.last
        while v < len(doc.items) and doc.items[v].low in ("also", "then", "later", "further"):
            v += 1
        if (
            v < len(doc.items)
            and phrase_at(doc, v, doc.lex.speech)
            and doc.items[v].low != "according"
        ):
            return _first(doc, actors_of(doc, m, at=k))
        return None
    if phrase_at(doc, k, doc.lex.speech) and doc.items[k].low != "according":
        return _first(doc, actors_of(doc, doc.mention_starting(k + 1), at=k))
    return None


def _head(doc: Doc, end: int, quote: QuoteSpan) -> int | None:
    """The last speech verb before the quote in its sentence, and that verb's subject."""
    sent = doc.sentence_at(quote.start)
    if end == 0 or end <= sent.first:
        return None
    for v in range(end - 1, sent.first - 1, -1):
        if doc.quoted[v] or doc.items[v].kind != "word" or doc.items[v].low == "according":
            continue
        if not phrase_at(doc, v, doc.lex.speech):
            continue
        subj = subject_of(doc, v) or sentence_subject(doc, sent, before=v)
        return _first(doc, actors_of(doc, subj, at=v))
    return None


def _according(doc: Doc, k: int, quote: QuoteSpan, *, forward: bool) -> int | None:
    """ "according to X", right after the quote or earlier in its sentence."""
    if forward:
        rng = range(k, min(k + 2, len(doc.items)))
    else:
        rng = range(doc.sentence_at(quote.start).first, k)
    for i in rng:
        if doc.items[i].low == "according" and i + 2 < len(doc.items):
            return _first(doc, actors_of(doc, doc.mention_starting(i + 2), at=i))
    return None


def _continuation(doc: Doc, quote: QuoteSpan, after: int) -> int | None:
    """A quote with no attribution of its own continues the latest speaker."""
    if after == 0 or not doc.sents:
        return None
    here = doc.sent_of[min(after, len(doc.items)) - 1]
    for verb, actor in reversed(doc.speech):
        if doc.items[verb].start >= quote.start:
            continue
        if here - doc.sent_of[verb] > _CONTINUATION_SENTENCES:
            return None
        return actor
    return None
