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
        if len(text.split()) < MIN_TEXT_WORDS:
            continue
        sent = doc.sents[report.sent]
        for speaker in report.speakers:
            key = (report.sent, speaker)
            if key in quoted or key in seen:
                continue
            seen.add(key)
            kind = "reported" if report.outlet else "paraphrase"
            hits.append(ClaimHit(speaker, kind, text, (sent.start, sent.end)))
    return hits


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
