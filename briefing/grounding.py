"""Align a passage to its article: exact, then normalised, then fuzzy above a threshold.

Whatever the match kind, the evidence returned is a slice of the article's own text, so
``evidence.text == article.text[evidence.start:evidence.end]`` holds by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from briefing.errors import GroundingError
from briefing.schemas import Article, Evidence, MatchKind

FUZZY_THRESHOLD = 90.0
# Below this length a fuzzy match means little: short strings align with almost anything.
FUZZY_MIN_CHARS = 24

_FOLD = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_EDGE = "\"' .,;:!?-\u2026"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    match: MatchKind
    score: float


def fold(text: str) -> tuple[str, list[int]]:
    """Fold quotes, dashes, whitespace runs and case; return the folded text and, for each of
    its characters, the index of the source character it came from."""
    out: list[str] = []
    index: list[int] = []
    prev_space = True
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            index.append(i)
            prev_space = True
            continue
        folded = "..." if ch == "\u2026" else ch.casefold()
        out.extend(folded)
        index.extend([i] * len(folded))
        prev_space = False
    return "".join(out), index


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def align(
    passage: str, text: str, *, threshold: float = FUZZY_THRESHOLD, fuzzy: bool = True
) -> Span | None:
    """Find ``passage`` in ``text``; None when no match clears the bar."""
    passage = passage.strip()
    if not passage:
        return None
    at = text.find(passage)
    if at >= 0:
        return Span(at, at + len(passage), "exact", 100.0)
    needle, _ = fold(passage)
    needle = needle.strip(_EDGE)
    if not needle:
        return None
    hay, index = fold(text)
    at = hay.find(needle)
    if at >= 0:
        start, end = _trim(text, index[at], index[at + len(needle) - 1] + 1)
        return Span(start, end, "normalised", 100.0)
    if not fuzzy or len(needle) < FUZZY_MIN_CHARS:
        return None
    found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=threshold)
    if found is None or found.dest_end <= found.dest_start:
        return None
    start, end = _trim(text, index[found.dest_start], index[found.dest_end - 1] + 1)
    return Span(start, end, "fuzzy", round(found.score, 1))


def ground(
    passage: str, article: Article, *, fuzzy: bool = True, within: Evidence | None = None
) -> Evidence:
    """Evidence for ``passage`` in ``article``, or a GroundingError with a short message that
    can go back to the model as it is. With ``within`` (say, the sentence a quote came from),
    a match inside that span wins over an earlier one elsewhere in the article."""
    if within is not None:
        span = align(passage, article.text[within.start : within.end], fuzzy=fuzzy)
        if span is not None:
            return evidence_at(
                article, within.start + span.start, within.start + span.end, span.match, span.score
            )
    span = align(passage, article.text, fuzzy=fuzzy)
    if span is None:
        shown = passage.strip()
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        how = "verbatim" if not fuzzy else "verbatim or nearly so"
        raise GroundingError(f"passage not found {how} in the article: {shown!r}")
    return evidence_at(article, span.start, span.end, span.match, span.score)


def evidence_at(
    article: Article, start: int, end: int, match: MatchKind = "exact", score: float = 100.0
) -> Evidence:
    """Evidence for a known span: the only way evidence text is made."""
    return Evidence(
        article_id=article.id,
        start=start,
        end=end,
        text=article.text[start:end],
        match=match,
        score=score,
    )


_TOKEN = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def mentions(name: str, text: str) -> bool:
    """Whether the article names ``name``: the whole name folded, or one of its words of three
    letters or more as a word prefix (``Russia`` for ``Russian``, ``Shoigu`` for a surname)."""
    folded_text, _ = fold(text)
    folded_name, _ = fold(name)
    if folded_name.strip() and folded_name.strip() in folded_text:
        return True
    return any(
        re.search(r"\b" + re.escape(tok), folded_text) for tok in _TOKEN.findall(folded_name)
    )
