"""Find quoted passages: every mark style, unbalanced or not, one paragraph at most.

News text mixes “curly” and "straight" marks, sometimes in one quote (“…"), writes «guillemets»,
''doubled apostrophes'' or ‘single marks’, forgets a closing mark, or opens a second quote
inside the first by mistake. The scanner reads each mark from its neighbours (an opening mark
follows a space or a bracket, a closing mark precedes one), closes a quote left open at the end
of its paragraph, and keeps only outermost quotes: a nested or stray opening mark stays part of
the quote around it.

Single marks double as apostrophes ("Xi’s", "the leaders’ summit"), so a single-marked quote
is looked for only outside double-marked ones and only between a mark that opens a word and one
that closes it; an ``s’`` before a lower-case word is a possessive, not a closing mark.

A paragraph ends at a line break, except in hard-wrapped copy, where a line that breaks in the
middle of a sentence ("… will meet\\nbefore the summit") runs on into the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.rules.text import soft_break as _soft_break

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
SINGLE_OPENERS = "‘‹"
SINGLE_CLOSERS = "’›"
SINGLE_STRAIGHT = "'"
QUOTE_MARKS = OPENERS + CLOSERS + STRAIGHT + SINGLE_OPENERS + SINGLE_CLOSERS + SINGLE_STRAIGHT
# One mark of the double class: a curly, straight or angle mark, or a doubled apostrophe or
# backtick (''…'' and ``…'' in older wire copy).
_DOUBLE = re.compile(r"''|``|[“”„«»\"]")
_SINGLE = re.compile(r"[‘’‹›']")
_OPEN_BEFORE = "([{—–-/\n"
_CLOSE_AFTER = ".,;:!?)]}…—–-"


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted passage: ``start``/``end`` bound the marks, ``inner_*`` the words inside.

    ``closed`` is false for a quote left open at the end of its paragraph; ``next_open`` is
    true when the next paragraph opens with a quote mark, so the quote runs on there
    (the convention for a quote over several paragraphs).
    """

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool
    runs_on: bool = False


# The marks that close a quote opened by each curly or angle mark: German „…“ and »…«,
# French «…», Swedish ”…”, English “…”.
_CLOSES = {"„": "“”\"", "«": "»", "»": "«", "“": "”\"", "”": "”\""}


def _role(text: str, i: int, width: int, is_open: bool, opener: str = "") -> str:
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if opener and ch in _CLOSES.get(opener, "") and ch not in STRAIGHT:
        return "close"  # „…“: the German closing mark is the English opening one
    if ch in OPENERS or text[i : i + 2] == "``":
        return "open"
    if ch in CLOSERS:
        opens_word = (before.isspace() or before in _OPEN_BEFORE) and after.isalnum()
        return "open" if opens_word and not is_open else "close"  # ”…” and »…«
    if before.isspace() or before in _OPEN_BEFORE:
        return "open"
    if after.isspace() or after in _CLOSE_AFTER:
        return "close"
    return "close" if is_open else "open"


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:" + QUOTE_MARKS):
        end -= 1
    return start, end


def _span(text: str, open_at: int, close_at: int, close_width: int) -> QuoteSpan | None:
    width = 2 if text[open_at : open_at + 2] in ("''", "``") else 1
    inner_start, inner_end = _inner(text, open_at + width, close_at)
    if inner_end <= inner_start:
        return None
    return QuoteSpan(open_at, close_at + close_width, inner_start, inner_end, close_width > 0)


def _double_quotes(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    """Outermost double-marked quotes of one paragraph: a quote inside a quote (or a stray
    opening mark, “…, “Let's continue …”) belongs to the quote around it."""
    spans: list[QuoteSpan | None] = []
    stack: list[int] = []
    for m in _DOUBLE.finditer(text, lo, hi):
        i, width = m.start(), m.end() - m.start()
        opener = text[stack[-1]] if stack else ""
        if _role(text, i, width, bool(stack), opener) == "open":
            stack.append(i)
        elif stack:
            outer = stack[0]
            stack.pop()
            if not stack:
                spans.append(_span(text, outer, i, width))
    if stack:
        spans.append(_span(text, stack[0], hi, 0))
    return [s for s in spans if s is not None]


def _single_role(text: str, i: int) -> str | None:
    """``open``, ``close`` or None (an apostrophe) for the single mark at ``i``."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if text[i] in SINGLE_OPENERS or (before.isspace() or before in _OPEN_BEFORE + "“\""):
        return "open" if after.isalnum() or after in "“\"" else None
    if before.isspace():
        return None
    if after.isalnum():
        return None  # Xi’s, don’t
    if before in "sS" and after == " " and text[i + 2 : i + 3].islower():
        return None  # the leaders’ summit
    if after.isspace() or after in _CLOSE_AFTER + "”\"":
        return "close"
    return None


def _single_quotes(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    """Single-marked quotes of a stretch with no double-marked quote; closed ones only, as an
    unpaired single mark is far more often an apostrophe than an unclosed quote."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for m in _SINGLE.finditer(text, lo, hi):
        role = _single_role(text, m.start())
        if role == "open" and open_at is None:
            open_at = m.start()
        elif role == "close" and open_at is not None:
            span = _span(text, open_at, m.start(), 1)
            if span is not None:
                spans.append(span)
            open_at = None
    return spans


def _paragraph_quotes(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    doubles = _double_quotes(text, lo, hi)
    found = list(doubles)
    edge = lo
    for span in [*doubles, None]:
        gap_end = hi if span is None else span.start
        if gap_end > edge:
            found.extend(_single_quotes(text, edge, gap_end))
        if span is not None:
            edge = span.end
    return sorted(found, key=lambda s: s.start)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph: lines, with hard-wrapped lines joined."""
    out: list[tuple[int, int]] = []
    lo = 0
    pos = 0
    while True:
        hi = text.find("\n", pos)
        if hi < 0:
            out.append((lo, len(text)))
            return out
        if _soft_break(text, hi):
            pos = hi + 1
            continue
        out.append((lo, hi))
        lo = pos = hi + 1


def find_quotes(text: str) -> list[QuoteSpan]:
    """All quoted passages of the text, in order; a quote never crosses a paragraph break,
    but one left open before a paragraph that opens with a mark is marked ``runs_on``.

    Cached per text (the rules engine's read and ``briefing.facts.quoted_spans`` both ask);
    every call gets a new list."""
    return list(_find_quotes(text))


@lru_cache(maxsize=64)
def _find_quotes(text: str) -> tuple[QuoteSpan, ...]:
    quotes: list[QuoteSpan] = []
    left_open = -1  # index of a quote left open at the end of the last non-empty paragraph
    for lo, hi in paragraphs(text):
        first = _first_char(text, lo, hi)
        if first == hi:
            continue
        found = _paragraph_quotes(text, lo, hi)
        if left_open >= 0 and found and found[0].start == first:
            q = quotes[left_open]
            quotes[left_open] = QuoteSpan(q.start, q.end, q.inner_start, q.inner_end, False, True)
        quotes.extend(found)
        left_open = len(quotes) - 1 if found and not found[-1].closed else -1
    return tuple(quotes)


def _first_char(text: str, lo: int, hi: int) -> int:
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo


def word_count(text: str) -> int:
    return len(text.split())
