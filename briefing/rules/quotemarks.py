"""Find quoted passages: curly or straight marks, unbalanced or not, one paragraph at most.

News text mixes “curly” and "straight" marks, sometimes in one quote (“…"), forgets a closing
mark, or opens a second quote inside the first by mistake. The scanner reads each mark from
its neighbours (an opening mark follows a space or a bracket, a closing mark precedes one),
closes a quote left open at the end of its paragraph, and keeps only outermost quotes: a
nested or stray opening mark stays part of the quote around it.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
QUOTE_MARKS = OPENERS + CLOSERS + STRAIGHT


@dataclass(frozen=True)
class QuoteSpan:
    """A quoted passage: ``start``/``end`` bound the marks, ``inner_*`` the words inside."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool


def _role(text: str, i: int, is_open: bool) -> str:
    ch = text[i]
    if ch in OPENERS:
        return "open"
    if ch in CLOSERS:
        return "close"
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-/\n":
        return "open"
    if after.isspace() or after in ".,;:!?)]}…—–-":
        return "close"
    return "close" if is_open else "open"


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:" + QUOTE_MARKS):
        end -= 1
    return start, end


def _span(text: str, open_at: int, close_at: int, closed: bool) -> QuoteSpan | None:
    inner_start, inner_end = _inner(text, open_at + 1, close_at)
    if inner_end <= inner_start:
        return None
    return QuoteSpan(open_at, close_at + int(closed), inner_start, inner_end, closed)


def _paragraph_quotes(text: str, lo: int, hi: int) -> list[QuoteSpan]:
    """Outermost quotes of one paragraph: a quote inside a quote (or a stray opening mark,
    003's “…, “Let's continue …”) belongs to the quote around it."""
    spans: list[QuoteSpan | None] = []
    stack: list[int] = []
    for i in range(lo, hi):
        if text[i] not in OPENERS + CLOSERS + STRAIGHT:
            continue
        if _role(text, i, bool(stack)) == "open":
            stack.append(i)
        elif stack:
            outer = stack[0]
            stack.pop()
            if not stack:
                spans.append(_span(text, outer, i, closed=True))
    if stack:
        spans.append(_span(text, stack[0], hi, closed=False))
    return [s for s in spans if s is not None]


def find_quotes(text: str) -> list[QuoteSpan]:
    """All quoted passages of the text, in order; a quote never crosses a line break."""
    quotes: list[QuoteSpan] = []
    lo = 0
    while lo < len(text):
        hi = text.find("\n", lo)
        hi = len(text) if hi < 0 else hi
        quotes.extend(_paragraph_quotes(text, lo, hi))
        lo = hi + 1
    return quotes


def word_count(text: str) -> int:
    return len(text.split())
