"""Paraphrase and reported claims, from reported speech (``reports``).

"Xi emphasized that China and Russia are friendly neighbors and true friends." gives a
paraphrase of Xi: "China and Russia are friendly neighbors and true friends." — the reported
clause, without quote marks, as a sentence; the evidence is the whole sentence. A news outlet
as the speaker ("TASS reported that …", "According to TASS, …") makes it ``reported``.

At most one claim per speaker and sentence, and none where the sentence already quotes that
speaker directly: the quote is the better record, and a direct quote stays verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.rules.discourse import Doc
from briefing.rules.quotes import QuoteHit
from briefing.rules.reports import Report
from briefing.rules.topics import clean_text

MIN_TEXT_WORDS = 3
_AND_THAT = re.compile(r",? and that ")  # "said that X and that Y": one clause of X and Y


@dataclass(frozen=True)
class ClaimHit:
    speaker: int
    kind: str  # paraphrase | reported
    text: str
    sentence: tuple[int, int]


def claim_hits(doc: Doc, reports: list[Report], quotes: list[QuoteHit]) -> list[ClaimHit]:
    """One claim per reported statement whose speaker the sentence does not quote."""
    quoted = {(doc.sent_of[doc.item_at(q.quote.start)], q.speaker) for q in quotes}
    seen: set[tuple[int, int]] = set()
    hits: list[ClaimHit] = []
    for report in reports:
        text = _text(doc, report)
        if len(text.split()) < MIN_TEXT_WORDS or not _has_content(text):
            continue
        sent = doc.sents[report.sent]
        if _headline(doc, sent.start, sent.end):
            continue
        for speaker in report.speakers:
            key = (report.sent, speaker)
            if key in quoted or key in seen:
                continue
            seen.add(key)
            kind = "reported" if report.outlet else "paraphrase"
            hits.append(ClaimHit(speaker, kind, text, (sent.start, sent.end)))
    return hits


_FRAME_WORDS = frozenset(
    {"on", "in", "at", "that", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "today", "yesterday", "earlier", "later"}
)  # fmt: skip


def _has_content(text: str) -> bool:
    """Whether the clause says something: not only names and a time left over from its
    frame ("AFP on Tuesday.")."""
    words = [w.strip(".,;:!?") for w in text.split()]
    return any(w and not w[0].isupper() and w.casefold() not in _FRAME_WORDS for w in words)


def _headline(doc: Doc, start: int, end: int) -> bool:
    """A headline, caption or link text: a whole line of at most 15 words with no closing
    punctuation, or one in title case. It restates the story; the story's own sentence
    carries the claim."""
    lo = doc.text.rfind("\n", 0, start) + 1
    hi = doc.text.find("\n", end)
    line = doc.text[lo : len(doc.text) if hi < 0 else hi].strip()
    words = line.split()
    if not words:
        return False
    capitals = sum(w[:1].isupper() for w in words)
    if len(words) >= 4 and capitals >= 0.7 * len(words):
        return True
    return len(words) <= 15 and not line.endswith((".", "!", "?", "\"", "”", "’", ")"))


def _text(doc: Doc, report: Report) -> str:
    """The reported clause as a sentence; "expressed hope that X" keeps its frame."""
    lo = report.start
    if report.keep and report.between is not None:
        lo = report.verb
    text = _AND_THAT.sub(" and ", clean_text(doc, lo, report.end))
    if report.keep and report.between is not None:
        text = f"{text[:1].upper()}{text[1:]}"
    elif text and doc.items[lo].kind == "word" and doc.items[lo].text.islower():
        text = text[0].upper() + text[1:]
    return text if not text or text.endswith((".", "!", "?")) else f"{text}."
