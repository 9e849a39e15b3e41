"""Align a passage to its article: exact, then normalised, then fuzzy above a threshold.

Whatever the match kind, the evidence returned is a slice of the article's own text, so
``evidence.text == article.text[evidence.start:evidence.end]`` holds by construction, and every
span starts and ends on a word boundary (a match found mid-word is widened to whole words).

Normalised matching folds what differs between a model's copy and the source without changing
the words: quote and dash styles, whitespace runs, case, soft hyphens and zero-width characters,
compatibility forms and diacritics (Unicode NFKD with combining marks dropped). A passage that
leaves words out with "…" or "..." matches when its parts occur in order within one sentence of
the source; it is cited as the source's whole span from the first part to the last.

A model may instead cite a sentence by its number: :func:`sentence_spans` is the one splitter
that numbers the sentences shown in the prompt and maps a cited number back to its span.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from briefing.errors import GroundingError
from briefing.rules.text import sentence_bounds as _split_sentences
from briefing.schemas import Article, Evidence, MatchKind

FUZZY_THRESHOLD = 90.0
# Below this length a fuzzy match means little: short strings align with almost anything.
FUZZY_MIN_CHARS = 24
# Each part of a passage cut with "…" must be at least this long to be looked for on its own.
GAP_PART_MIN_CHARS = 8

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
# The characters _FOLD maps, each to one character (so offsets stay put).
_FOLD_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")


def _fold_mark(found: re.Match[str]) -> str:
    return _FOLD[ord(found.group())]  # type: ignore[return-value]


# Invisible characters that never change the words: soft hyphen, zero-width space/joiners,
# word joiner, byte-order mark.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_EDGE = "\"' .,;:!?-\u2026"
# "…", "...", "[…]", "(...)": words left out of a passage.
_GAP = re.compile(r"\s*[\[(]?\s*(?:\u2026|\.\s?\.\s?\.)\s*[\])]?\s*")
# A sentence ends at . ! ? (maybe followed by a closing quote) before a space and a capital or
# an opening quote; or at a paragraph break.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z\d])|\n\s*\n")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    match: MatchKind
    score: float


@lru_cache(maxsize=8192)  # a text repeats few distinct characters: fold each once
def _fold_char(ch: str) -> str:
    if ch in _INVISIBLE:
        return ""
    if ch == "\u2026":
        return "..."
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=1024)
def fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Fold quotes, dashes, whitespace runs, case, invisible characters, compatibility forms
    and diacritics; return the folded text and, for each of its characters, the index of the
    source character it came from.

    Cached: validating one answer aligns every passage, quote and name against the same
    article text, which is folded once (the result is shared, hence immutable)."""
    text = _FOLD_CHARS.sub(_fold_mark, text)  # text.translate(_FOLD), at a tenth of the cost
    out: list[str] = []
    index: list[int] = []
    prev_space = True
    for piece in _PIECES.finditer(text):
        start, end = piece.span()
        first = text[start]
        if first.isspace():  # a run of white space is one space, none before the first word
            if not prev_space:
                out.append(" ")
                index.append(start)
                prev_space = True
        elif first <= "~":  # printable ASCII words one space apart: lower case, nothing else
            out.append(text[start:end].lower())
            index.extend(range(start, end))
            prev_space = False
        elif folded := _fold_char(first):  # one other character ("" when invisible)
            out.append(folded)
            index.extend([start] * len(folded))
            prev_space = False
    return "".join(out), tuple(index)


# Printable ASCII words one space apart (a paragraph of plain copy: it folds as one piece),
# other white space, or one other character: only the rare other characters and line breaks
# are folded one by one. (``\s`` is ``str.isspace``; the space is not in ``[!-~]``.)
_PIECES = re.compile(r"[!-~]+(?: [!-~]+)*|\s+|.", re.DOTALL)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in _INVISIBLE or unicodedata.combining(ch) > 0


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``text[start:end]`` so it neither starts nor ends inside a word."""
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
        end += 1
    return _trim(text, start, end)


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts and ends on word boundaries."""
    return (start, end) == snap_to_words(text, start, end)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or sentences) of ``text`` that hold ``text[start:end]``."""
    lo, hi = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= max(end - 1, start):
            hi = m.start() + 1 if text[m.start()] in ".!?" else m.start()
            break
    return _trim(text, lo, hi)


@lru_cache(maxsize=256)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The sentences of ``text`` as ``(start, end)`` character offsets, in order, trimmed.

    Sentence *n* of the prompt is ``spans[n - 1]``. The split is the rules extractor's
    (``briefing.rules.text.sentence_bounds``: end punctuation and paragraph breaks, not after
    abbreviations or initials, not at a soft line break), deterministic, so the prompt and the
    validator always agree on the numbers."""
    return tuple(_trim(text, start, end) for start, end in _split_sentences(text))


def _occurrences(hay: str, needle: str) -> Iterator[int]:
    at = hay.find(needle)
    while at >= 0:
        yield at
        at = hay.find(needle, at + 1)


def _found_spans(text: str, passage: str) -> Iterator[tuple[int, int, MatchKind]]:
    """Every exact, then every normalised, occurrence of ``passage`` on word boundaries."""
    seen: set[tuple[int, int]] = set()
    for at in _occurrences(text, passage):
        span = _trim(text, at, at + len(passage))
        if on_word_boundaries(text, *span):
            seen.add(span)
            yield (*span, "exact")
    needle, _ = fold(passage)
    needle = needle.strip(_EDGE)
    if not needle:
        return
    hay, index = fold(text)
    for at in _occurrences(hay, needle):
        span = _trim(text, index[at], index[at + len(needle) - 1] + 1)
        if span not in seen and on_word_boundaries(text, *span):
            seen.add(span)
            yield (*span, "normalised")


def _parts(passage: str) -> list[str]:
    return [p for p in _GAP.split(passage.strip()) if p.strip(_EDGE + " ")]


def _gapped(passage: str, text: str) -> Iterator[Span]:
    """Spans where the parts of a passage cut with "…" occur in order within one sentence."""
    parts = _parts(passage)
    if len(parts) < 2 or any(len(p.strip()) < GAP_PART_MIN_CHARS for p in parts):
        return
    for start, first_end, _ in _found_spans(text, parts[0]):
        _, hi = sentence_bounds(text, start, first_end)
        pos, ok = first_end, True
        for part in parts[1:]:
            window = text[pos:hi]
            hit = next(iter(_found_spans(window, part)), None)
            if hit is None:
                ok = False
                break
            pos = pos + hit[1]
        if ok:
            yield Span(start, pos, "normalised", 100.0)


def align_all(passage: str, text: str) -> list[Span]:
    """Every exact or normalised occurrence of ``passage`` in ``text`` (a passage cut with "…"
    by its parts), in text order; never fuzzy."""
    passage = passage.strip()
    if not passage:
        return []
    spans = [Span(s, e, m, 100.0) for s, e, m in _found_spans(text, passage)]
    if not spans:
        spans = list(_gapped(passage, text))
    return sorted(spans, key=lambda s: s.start)


def _fuzzy(passage: str, text: str, threshold: float) -> Span | None:
    needle, _ = fold(passage)
    needle = needle.strip(_EDGE)
    if len(needle) < FUZZY_MIN_CHARS:
        return None
    hay, index = fold(text)
    found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=threshold)
    if found is None or found.dest_end <= found.dest_start:
        return None
    start, end = index[found.dest_start], index[found.dest_end - 1] + 1
    start, end = snap_to_words(text, start, end)
    if end <= start:
        return None
    return Span(start, end, "fuzzy", round(found.score, 1))


def align(
    passage: str, text: str, *, threshold: float = FUZZY_THRESHOLD, fuzzy: bool = True
) -> Span | None:
    """Find ``passage`` in ``text``; None when no match clears the bar. Exact and normalised
    matches come first (the first occurrence), then, with ``fuzzy``, the best fuzzy match
    widened to whole words."""
    spans = align_all(passage, text)
    if spans:
        return spans[0]
    if not fuzzy:
        return None
    return _fuzzy(passage, text, threshold)


def closest(passage: str, text: str, limit: int = 200) -> str | None:
    """The article's words nearest to ``passage`` (whole words, at most ``limit`` characters),
    to show a model what the article actually says; None when nothing is close."""
    needle, _ = fold(passage)
    needle = needle.strip(_EDGE)
    if len(needle) < 4:
        return None
    hay, index = fold(text)
    found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=60.0)
    if found is None or found.dest_end <= found.dest_start:
        return None
    start, end = snap_to_words(text, index[found.dest_start], index[found.dest_end - 1] + 1)
    shown = " ".join(text[start:end].split())
    return shown if len(shown) <= limit else shown[: limit - 1].rsplit(" ", 1)[0] + "…"


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
        how = "verbatim" if not fuzzy else "verbatim or nearly so"
        raise GroundingError(f"not found {how} in the article: {passage.strip()!r}")
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
    letters or more as a word prefix (``Russia`` for ``Russian``, ``Shoigu`` for a surname).
    Loose on purpose; ``briefing.checks.name_problem`` is the strict check of a model's names."""
    folded_text, _ = fold(text)
    folded_name, _ = fold(name)
    if folded_name.strip() and folded_name.strip() in folded_text:
        return True
    return any(
        re.search(r"\b" + re.escape(tok), folded_text) for tok in _TOKEN.findall(folded_name)
    )
