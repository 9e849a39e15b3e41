"""Merge policy for positions and claims: one record per *occasion*, never across events.

- A claim is merged with another when the same speaker says the same words (up to quotes, case
  and a little noise, or one quoting part of the other); a direct quote worded a little
  differently is one utterance quoted differently (a ``text`` divergence).
- A position is merged with another only when it is the same actor, stance and (similar) topic
  *and* the same statement: its evidence passages are the same words, or quote the same words.
  The same stance taken on different occasions (a speech in May, talks in Moscow) is not
  corroboration of either: the records stay apart and each lists the others as its
  ``history``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from briefing.actors import fold_name
from briefing.consolidate.blocking import Context, Group, Seen, group, union_evidence
from briefing.grounding import fold
from briefing.schemas import Claim, Position

# The same quote from two outlets: folded texts at least this close, or one inside the other.
SAME_QUOTE_RATIO = 90.0
# Closer than this but not the same: one utterance quoted differently (a "text" divergence).
VARIANT_QUOTE_RATIO = 80.0
# A quote fragment shorter than this says too little to be found inside another.
MIN_FRAGMENT_CHARS = 24
# Topics of one position: word stems overlapping at least this much (Jaccard).
TOPIC_OVERLAP = 0.5
# History links per position at most, and groups of one actor and stance looked at for them.
MAX_HISTORY = 10
HISTORY_SCAN = 200

_STOP = frozenset({"the", "of", "and", "in", "on", "a", "an", "to", "for", "with", "its", "s"})
_QUOTED = re.compile(r"\"([^\"]+)\"")


@functools.lru_cache(maxsize=65536)
def quote_key(text: str) -> str:
    """Folded words of a quote or passage (quote styles, dashes, spacing and case), computed
    once per distinct text."""
    folded, _ = fold(text)
    return folded.strip("\"' .,;:!?-\u2026")


def same_words(ka: str, kb: str) -> bool:
    """Folded texts at least ``SAME_QUOTE_RATIO`` alike, or the shorter (long enough to mean
    something) inside the longer."""
    short, long = sorted((ka, kb), key=len)
    if len(short) >= MIN_FRAGMENT_CHARS and short in long:
        return True
    return fuzz.ratio(ka, kb, score_cutoff=SAME_QUOTE_RATIO) > 0


@functools.lru_cache(maxsize=65536)
def topic_stems(topic: str) -> frozenset[str]:
    """Topic words cut to five letters, so Ukraine/Ukrainian and relation/relations agree."""
    return frozenset(w[:5] for w in fold_name(topic).split() if w not in _STOP)


def similar_topics(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    return a <= b or b <= a or len(a & b) / len(a | b) >= TOPIC_OVERLAP


def as_position(item: Seen) -> Position:
    assert isinstance(item.record, Position)
    return item.record


def as_claim(item: Seen) -> Claim:
    assert isinstance(item.record, Claim)
    return item.record


# ----------------------------------------------------------------------------- positions


@dataclass(frozen=True)
class Statement:
    """What decides a position's identity, computed once: its topic and its words."""

    topic: frozenset[str]
    words: str
    quoted: frozenset[str]


def _statement(item: Seen) -> Statement:
    position = as_position(item)
    passage = " ".join(e.text for e in position.evidence)
    key = quote_key(passage)
    quoted = frozenset(q.strip() for q in _QUOTED.findall(fold(passage)[0])
                       if len(q.strip()) >= MIN_FRAGMENT_CHARS)
    topic = topic_stems(position.topic) or frozenset({fold_name(position.topic)})
    return Statement(topic, key, quoted)


def _same_statement(a: Statement, b: Statement) -> bool:
    return bool(a.quoted & b.quoted) or same_words(a.words, b.words)


def _position_joins(_item: Seen, s: Statement, home: Group[Statement]) -> bool:
    sigs = home.signatures
    return all(similar_topics(s.topic, o.topic) for o in sigs) and any(
        _same_statement(s, o) for o in sigs
    )


def _position_block(item: Seen) -> tuple[str, str]:
    position = as_position(item)
    return (position.actor.id or fold_name(position.actor.name), position.stance)


def group_positions(items: Sequence[Seen]) -> list[list[Seen]]:
    return group(items, _position_block, _statement, _position_joins)


def position_history(groups: list[list[Seen]]) -> dict[int, list[int]]:
    """For each position group, the other groups of the same actor, stance and similar topic
    (other occasions): ``{index: [indexes]}``."""
    blocks: dict[tuple[str, str], list[int]] = {}
    for n, g in enumerate(groups):
        blocks.setdefault(_position_block(g[0]), []).append(n)
    out: dict[int, list[int]] = {}
    for block in blocks.values():
        topics = {n: topic_stems(as_position(groups[n][0]).topic) for n in block[:HISTORY_SCAN]}
        for i, ti in topics.items():
            related = [j for j, tj in topics.items() if j != i and similar_topics(ti, tj)]
            if related:
                out[i] = related[:MAX_HISTORY]
    return out


# ----------------------------------------------------------------------------- claims


QuoteRelation = Literal["same", "variant", "different"]


def quote_relation(a: Claim, b: Claim) -> QuoteRelation:
    """Same words (up to quotes, case and a little noise, or one quoting part of the other), a
    variant of one utterance (direct quotes only), or different."""
    if a.speaker.id != b.speaker.id or a.kind != b.kind:
        return "different"
    return _key_relation(quote_key(a.text), quote_key(b.text), a.kind == "direct-quote")


def _key_relation(ka: str, kb: str, direct: bool) -> QuoteRelation:
    if same_words(ka, kb):
        return "same"
    if direct and fuzz.ratio(ka, kb, score_cutoff=VARIANT_QUOTE_RATIO) > 0:
        return "variant"
    return "different"


def _claim_block(item: Seen) -> tuple[str, str]:
    claim = as_claim(item)
    return (claim.speaker.id or fold_name(claim.speaker.name), claim.kind)


def _claim_joins(item: Seen, key: str, home: Group[str]) -> bool:
    direct = as_claim(item).kind == "direct-quote"
    return all(_key_relation(key, other, direct) != "different" for other in home.signatures)


def group_claims(items: Sequence[Seen]) -> list[list[Seen]]:
    return group(items, _claim_block, lambda i: quote_key(as_claim(i).text), _claim_joins)


# ----------------------------------------------------------------------------- merging


def merge_simple(members: list[Seen], ctx: Context) -> Position | Claim:
    evidence = union_evidence(members)
    record = members[0].record
    assert isinstance(record, Position | Claim), "meetings are merged by Meetings.merge"
    return record.model_copy(
        update={"evidence": evidence, "corroboration": ctx.corroboration(evidence)}
    )
