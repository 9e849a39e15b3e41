"""One place decides each fact that both extraction paths need (DESIGN.md, principle 5).

The offline ``rules`` extractor uses these to extract; the LLM validators (``briefing.drafts``)
use the same functions to check a model's answer, so the two paths cannot disagree by
accident and a fix to a cue list or an attribution rule lands in both.

- :func:`meeting_status` — is the meeting a sentence reports ``held``, ``planned`` or
  ``cancelled`` (refused, called off, postponed)? Cue phrases live in
  ``briefing/rules/data/lexicon.toml`` (``[meetings] planned`` and ``negated``).
- :func:`quote_attributions` — who the article attributes each quoted passage to, as the
  rules' attribution engine (``briefing.rules.quotes``) reads it.

Both take offsets in characters into the article text (``str`` indices, end exclusive).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Status = Literal["held", "planned", "cancelled"]


@dataclass(frozen=True)
class QuoteAttribution:
    """One quoted passage and its speaker as the article gives it.

    ``start``/``end`` bound the words inside the quotation marks; ``speaker`` is the speaker's
    name as the rules actor table has it (full name where the article gives one), ``aliases``
    the other forms the article uses; ``how`` says how the speaker was found (``tail``,
    ``head``, ``according``, ``signature``, ``continuation``).
    """

    start: int
    end: int
    speaker: str
    aliases: tuple[str, ...]
    kind: str  # person | state | organisation
    how: str


@lru_cache(maxsize=64)
def quote_attributions(text: str) -> tuple[QuoteAttribution, ...]:
    """Every quoted passage of ``text`` whose speaker the rules engine can tell, in text order.

    Passages whose speaker cannot be told are absent (an unverifiable attribution, not a
    contradiction). Deterministic; cost is one rules read of the article (~7 ms for a
    seed-sized article), cached per text.
    """
    from briefing.rules.discourse import read
    from briefing.rules.quotes import quote_hits

    doc = read(text)
    out = []
    for hit in quote_hits(doc):
        actor = doc.table.actors[hit.speaker]
        out.append(
            QuoteAttribution(
                hit.quote.inner_start,
                hit.quote.inner_end,
                actor.name,
                tuple(sorted(a for a in actor.aliases if a != actor.name)),
                actor.kind,
                hit.how,
            )
        )
    return tuple(out)


def meeting_status(text: str, start: int, end: int) -> Status:
    """``held``, ``planned`` or ``cancelled`` for the meeting reported in ``text[start:end]``.

    ``start``/``end`` are character offsets of the reporting passage (usually its sentence).
    Cancellation cues ("refused to meet", "called off", "postponed", "was supposed to") win
    over future cues ("will", "is due to", "invited … to visit", "agreed to meet"); with
    neither, the meeting is ``held``. Phrases in ``status_neutral`` ("at the invitation of":
    a visit under way) are removed first. Cue phrases: ``[meetings] negated``, ``planned``
    and ``status_neutral`` in ``briefing/rules/data/lexicon.toml``.
    """
    from briefing.rules.lexicon import lexicon

    lex = lexicon()
    window = " " + " ".join(text[start:end].casefold().replace("’", "'").split()) + " "
    for phrase in lex.status_neutral:
        window = window.replace(f" {phrase} ", " ")
    if any(f" {cue} " in window for cue in lex.negated):
        return "cancelled"
    if any(f" {cue} " in window for cue in lex.planned):
        return "planned"
    return "held"


@dataclass(frozen=True)
class NamedActor:
    """An actor the article names: ``name`` (its fullest form there), the other ``aliases``
    it uses, and ``kind`` (person | state | organisation)."""

    name: str
    aliases: tuple[str, ...]
    kind: str


@lru_cache(maxsize=64)
def named_actors(text: str) -> tuple[NamedActor, ...]:
    """Every person, state and organisation the rules engine finds named in ``text``, first
    mention first. Titles and descriptions ("the minister") are not names and are absent."""
    return tuple(
        NamedActor(a.name, tuple(sorted(x for x in a.aliases if x != a.name)), a.kind)
        for a in _read(text).table.actors
    )


@lru_cache(maxsize=64)
def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each quoted passage of ``text``: from its first word to its closing
    mark (so punctuation before the mark is inside), curly or straight; a quote left open
    closes at its paragraph's end. As ``briefing.rules.quotemarks`` reads them."""
    from briefing.rules.quotemarks import find_quotes

    return tuple((q.inner_start, q.end - int(q.closed)) for q in find_quotes(text))


@lru_cache(maxsize=64)
def _read(text: str):  # noqa: ANN202 - the rules engine's Doc, kept out of this module's API
    from briefing.rules.discourse import read

    return read(text)


@lru_cache(maxsize=64)
def _meeting_reads(text: str) -> tuple[tuple[int, int, Status], ...]:
    from briefing.rules.meetings import meeting_hits

    return tuple(
        (s.start, s.end, hit.status)  # type: ignore[misc]
        for hit in meeting_hits(_read(text))
        for s in hit.sentences
    )


def meeting_statuses(text: str, start: int, end: int) -> tuple[Status, ...]:
    """The status of each meeting the rules engine reads in the sentences that overlap
    ``text[start:end]``, decided around the meeting's own trigger word (so "X met Y on Friday
    and said they will meet again" holds one ``held`` and one ``planned`` meeting, where
    :func:`meeting_status` over the whole sentence says ``planned``). Empty when the engine
    reads no meeting there."""
    return tuple(status for lo, hi, status in _meeting_reads(text) if lo < end and start < hi)
