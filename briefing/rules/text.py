"""Sentences and lexical items with their offsets into the article text.

Everything downstream works on ``Item`` lists rather than on strings, so every record the
rules backend builds can point back to exact character offsets of the source.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from briefing.rules.lexicon import Lexicon, lexicon, word_list

_ABBREV = word_list("abbreviations")
_NAME_PREFIXES = word_list("name_prefixes")
_NAME_WORDS = word_list("name_words")
_OFFICE_WORDS = word_list("office_words")
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*\s+|\n+")
_TOKEN = re.compile(r"(?P<poss>[’']s(?![^\W_]))|(?P<word>[^\W_]+(?:[-'’][^\W_]+)*)|(?P<punct>\S)")
_POSSESSIVE = ("’s", "'s")
QUOTE_CHARS = '"“”„«»'


@dataclass(slots=True)
class Item:
    """One lexical unit: a gazetteer phrase, a capitalised name run, a word or a mark."""

    start: int
    end: int
    kind: str  # place | org | body | title | name | word | poss | punct
    text: str
    ref: str = ""  # place: ISO code; org: id; title: role class
    how: str = ""  # place: name | adj | seat; name: person | org | portfolio (mentions.py)
    low: str = field(init=False, repr=False)  # case-folded text, read by every pattern

    def __post_init__(self) -> None:
        self.low = self.text.casefold()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    first: int  # index of its first item
    last: int  # index one past its last item


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Split on end punctuation and line breaks, not after abbreviations or initials, nor at
    a line break in the middle of a hard-wrapped sentence."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        gap = m.group()
        if (  # "D.C." mid-sentence; a line break after it ends the paragraph, unless wrapped
            gap.strip()
            and _is_abbreviation(text, m.start())
            and ("\n" not in gap or _wrapped_after_abbreviation(text, m))
        ):
            continue
        if gap == "\n" and soft_break(text, m.start()):
            continue
        if text[start : m.start()].strip():
            end = m.end() - (len(gap) - len(gap.rstrip()))
            bounds.append((start, end))
        start = m.end()
    if text[start:].strip():
        bounds.append((start, len(text.rstrip())))
    return bounds


def soft_break(text: str, i: int) -> bool:
    """Whether the line break at ``text[i]`` falls inside a sentence of hard-wrapped copy.

    A word, comma or closing quote before it and a lower-case word after it ("… will
    meet\nbefore the summit", '"…," she\nsaid'). Before a capital: a comma, a word no
    sentence ends with (``[syntax] unfinished`` and ``prepositions``: "talks
    between\nForeign Minister X"), a date cut in two ("12\nMarch"), a phrase of the lexicon
    cut in two (:func:`_one_phrase`), or a wrapped body line (:func:`_wrapped_line`; not a
    headline, byline or subhead). Spaces around the break are read past; a blank line is
    always a break.
    """
    lo = i
    while lo > 0 and text[lo - 1] in " \t":
        lo -= 1
    hi = i + 1
    while hi < len(text) and text[hi] in " \t":
        hi += 1
    if lo == 0 or hi >= len(text) or text[hi] == "\n":
        return False
    before, after = text[lo - 1], text[hi]
    if after in _OPENING and hi + 1 < len(text):
        after = text[hi + 1]  # 'she said\n"we will …"': the quoted word decides
    if before in _CLOSING:
        if text[lo - 2 : lo - 1] in (",", *_CLOSING):  # '"We go,"\nshe said', "''cordial''"
            return after.islower()
        before = text[lo - 2 : lo - 1] or "."
    if not (before.isalnum() or before == ","):
        return False
    if after.islower() or before == ",":
        return True  # no paragraph ends with a comma: "met the envoy,\nHanne Vos"
    word = _LAST_WORD.search(text, max(0, lo - 40), lo)
    last = word.group().casefold() if word else ""
    if last in _UNFINISHED:
        return True
    nxt = _FIRST_WORD.match(text, hi)
    first = nxt.group() if nxt else ""
    if (last.isdigit() and first in _MONTHS) or (last.capitalize() in _MONTHS and first.isdigit()):
        return True
    start = text.rfind("\n", 0, lo) + 1
    if start == 0 or lo - start > _WRAP_MAX:
        return False  # the text's first line (a headline), a paragraph of unwrapped copy
    return _one_phrase(text, lo, hi) or _wrapped_line(text, start, lo, len(first))


def _one_phrase(text: str, lo: int, hi: int) -> bool:
    """A place, organisation, state body or title of the lexicon cut by the line break
    ("the European\nUnion", "Foreign\nMinister"): its patterns read any white space."""
    lex = lexicon()
    for pattern in (lex.title_re, lex.org_re, lex.place_re, lex.body_re):
        for m in pattern.finditer(text, max(0, lo - 40), min(len(text), hi + 40)):
            if m.start() < lo and m.end() > hi:
                return True
    return False


_OPENING = "\"“„«‘'"
_CLOSING = "\"”»’'"
_LAST_WORD = re.compile(r"[^\W_]+$")
_FIRST_WORD = re.compile(r"[\"“„«‘']?([^\W_][\w'’.-]*)")
_UNFINISHED = word_list("unfinished") | word_list("prepositions")
# Marks of running prose inside a line: a sentence end, a comma, a semicolon, a quote mark,
# the end of a dateline ("KESSIN (KD) - ").
_BODY_MARK = re.compile(r"[.!?][\"”’']?\s+[A-Z\"“]|[,;]\s|[\"“”]|\)\s+[-–—]\s")
# The months as dates are written in English copy (``briefing.consolidate.dates`` and the
# date checks read the same list).
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
_MONTHS = frozenset(m.capitalize() for m in MONTHS)
# Hard-wrapped copy breaks its lines near one width, 60 to 80 columns in news feeds: a line
# that would have passed this length with the next word on it was wrapped.
_WRAP_MIN = 50
# Longer lines are paragraphs of copy that is not hard-wrapped (web pages: one a line).
_WRAP_MAX = 85
# A line before a wrapped line is a body line when it is this long; a headline above a
# source's name, a byline, a dateline of their own are shorter.
_BODY_LINE = 40


def _wrapped_line(text: str, start: int, lo: int, next_word: int) -> bool:
    """Whether the line ``text[start:lo]`` is a wrapped body line.

    Long enough that the next word (``next_word`` characters) would have passed
    ``_WRAP_MIN`` columns, but not ``_WRAP_MAX`` (a longer line is a paragraph of unwrapped
    copy); not the text's first line (a headline); after a line no longer than
    ``_WRAP_MAX`` that ends a sentence or is at least ``_BODY_LINE`` long (not a byline, a
    source's name); before a line that ends a sentence or is at least ``_BODY_LINE`` long
    and not the same line again (a list of links: a headline twice, a date under it); and
    running prose, which a headline or subhead of the same length is
    not: a sentence end, a comma, a quote mark or a dateline inside it (``_BODY_MARK``), or
    it goes on a wrapped line that ends no sentence and was itself prose or cut
    mid-sentence.
    """
    if not _WRAP_MIN <= lo - start + 1 + next_word <= _WRAP_MAX:
        return False  # a short line, a whole paragraph
    prev_start = text.rfind("\n", 0, start - 1) + 1
    prev = text[prev_start : start - 1].rstrip()
    opens = prev.endswith((".", "!", "?", ":", *_CLOSING))  # the line opens a paragraph
    if len(prev) > _WRAP_MAX or (not opens and len(prev) < _BODY_LINE):
        return False  # after unwrapped copy, a byline, a source's name: no wrapped paragraph
    stop = text.find("\n", lo + 1)
    after = text[lo + 1 : len(text) if stop < 0 else stop].strip()
    if after == text[start:lo].strip() or (
        len(after) < _BODY_LINE and not after.endswith((".", "!", "?", *_CLOSING))
    ):
        return False  # a list of links: the same headline twice, a date line under one
    if _BODY_MARK.search(text, start, lo):
        return True
    if opens:
        return False  # a subhead looks the same
    word = _LAST_WORD.search(prev)
    return (
        text[start].islower()
        or prev.endswith(",")
        or (word is not None and word.group().casefold() in _UNFINISHED)
        or _BODY_MARK.search(prev) is not None
    )


def _wrapped_after_abbreviation(text: str, m: re.Match[str]) -> bool:
    """A single line break after an abbreviation, inside the sentence: after one a name
    always follows ("Mr.\nOdum", ``[syntax] name_abbreviations``), after an initial of a
    name ("Tove K.\nBrekk"), or before a lower-case word ("U.S.\nofficials")."""
    gap = m.group()
    if gap.count("\n") != 1 or not gap[-1:].isspace():
        return False
    nxt = text[m.end() : m.end() + 1]
    token = _token_before(text, m.start())
    if token in _NAME_ABBREV or nxt.islower():
        return True
    if len(token) != 1 or not nxt.isupper():
        return False
    name = _FIRST_WORD.match(text, m.end())
    return (  # "Tove K.\nBrekk", not "Plan B.\nThe talks"
        re.search(r"\b[A-Z][a-z]+ [A-Z]$", text[max(0, m.start() - 40) : m.start()]) is not None
        and name is not None
        and name.group(1) not in lexicon().not_names
    )


_NAME_ABBREV = word_list("name_abbreviations")


def _is_abbreviation(text: str, dot: int) -> bool:
    token = _token_before(text, dot)
    return token in _ABBREV or (len(token) == 1 and text[dot - 1].isupper())


def _token_before(text: str, dot: int) -> str:
    """The word (dots kept: "d.c") that ends at ``text[dot]``, case-folded; "" when none."""
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    return word.group(1).casefold() if word else ""


def _gazetteer_spans(text: str, lex: Lexicon) -> list[Item]:
    """Places, organisations, state bodies and titles; longest match wins on overlap."""
    found: list[Item] = []
    for m in lex.org_re.finditer(text):
        found.append(Item(m.start(), m.end(), "org", m.group(), lex.orgs[m.group()].ident))
    for m in lex.place_re.finditer(text):
        place = lex.places[m.group()]
        found.append(Item(m.start(), m.end(), "place", m.group(), place.code, place.how))
    for m in lex.body_re.finditer(text):
        found.append(Item(m.start(), m.end(), "body", m.group()))
    office_end = -2  # where the last civil title ended
    for m in lex.title_re.finditer(text):
        if len(m.group().rstrip(".")) <= 3 and not m.group()[0].isupper():
            continue  # "pm", "ms", "dr" in lower case are not the abbreviated titles
        key = _title_key(m.group(), lex)
        role = lex.titles.get(key, "")
        if role == "military" and key in _BARE_RANKS and office_end == m.start() - 1:
            continue  # "Defence Minister Gen Nakatani": after an office, a given name
        if role != "military":
            office_end = m.end()
        found.append(Item(m.start(), m.end(), "title", m.group(), role))
    found.sort(key=lambda it: (it.start, -(it.end - it.start)))
    kept: list[Item] = []
    for item in found:
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


# Abbreviated ranks written without a full stop that are also given names ("Gen", "Col").
_BARE_RANKS = frozenset({"gen", "col", "lt", "maj", "adm", "capt", "brig", "cmdr"})


def _title_key(surface: str, lex: Lexicon) -> str:
    key = " ".join(surface.casefold().split())
    if key in lex.titles:
        return key
    return key[:-2] if key.endswith("es") and key[:-2] in lex.titles else key.rstrip("s")


def _words(text: str, start: int, end: int) -> list[Item]:
    items: list[Item] = []
    append = items.append
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        kind = m.lastgroup
        lo, hi = m.span()
        if kind == "word" and word.endswith(_POSSESSIVE) and len(word) > 2:
            append(Item(lo, hi - 2, "word", word[:-2]))
            append(Item(hi - 2, hi, "poss", word[-2:]))
        else:
            append(Item(lo, hi, kind or "punct", word))
    return items


def tokenize(text: str, lex: Lexicon) -> list[Item]:
    """All items of the text in order: gazetteer phrases, then words and marks in the gaps,
    then capitalised word runs merged into names."""
    items: list[Item] = []
    at = 0
    for span in _gazetteer_spans(text, lex):
        items.extend(_words(text, at, span.start))
        items.append(span)
        at = span.end
    items.extend(_words(text, at, len(text)))
    return _merge_names(text, items, lex)


def _capitalised(item: Item, lex: Lexicon) -> bool:
    """A word that may be part of a name: capitalised, not an all-caps acronym, and not a
    sentence-initial function word or one of the pattern words ("Talks between ...")."""
    word = item.text
    if item.kind != "word":
        return False
    if not word[:1].isupper():
        head, _, rest = word.partition("-")
        return head in _NAME_PREFIXES and rest[:1].isupper()  # "al-Sudani", "el-Sisi"
    if len(word) == 1:
        return True
    return not word.isupper() and word not in lex.not_names and word.lower() not in lex.vocabulary


def _capitals(items: list[Item], lex: Lexicon) -> list[bool]:
    """:func:`_capitalised` of each item, worked out once for each distinct word."""
    seen: dict[str, bool] = {}
    out: list[bool] = []
    for item in items:
        if item.kind != "word":
            out.append(False)
            continue
        cap = seen.get(item.text)
        if cap is None:
            cap = seen[item.text] = _capitalised(item, lex)
        out.append(cap)
    return out


def _merge_names(text: str, items: list[Item], lex: Lexicon) -> list[Item]:
    out: list[Item] = []
    caps = _capitals(items, lex)
    i = 0
    while i < len(items):
        if not caps[i] or len(items[i].text) == 1:
            out.append(items[i])
            i += 1
            continue
        j = i + 1
        while j < len(items) and text[items[j - 1].end : items[j].start] == " ":
            if caps[j] or items[j].text in _NAME_WORDS:
                j += 1
            elif items[j].text in lex.particles and j + 1 < len(items) and caps[j + 1]:
                j += 2
            else:
                break
        words = [it.text for it in items[i:j]]
        cut = _office_cut(words)
        if cut:  # "Political Affairs Jeffery Feltman": a portfolio, then the person
            out.append(_name(text, items[i], items[i + cut - 1], "org"))
            i += cut
        how = "org" if any(w in lex.org_heads for w in words[cut:]) else "person"
        out.append(_name(text, items[i], items[j - 1], how))
        i = j
    return out


def _office_cut(words: list[str]) -> int:
    """How many leading words of a capitalised run name a portfolio ("Political Affairs",
    "Culture and Youth"), when at least two name words follow; 0 if none."""
    last = max((n for n, w in enumerate(words) if w in _OFFICE_WORDS), default=-1)
    return last + 1 if last >= 0 and len(words) - last - 1 >= 2 else 0


def _name(text: str, first: Item, last: Item, how: str) -> Item:
    return Item(first.start, last.end, "name", text[first.start : last.end], how=how)


def posted_title(
    items: list[Item], k: int, posts: tuple[str, ...] = ("to", "for", "at")
) -> Item | None:
    """The title item of "TITLE to/for/at (the) X" when X starts at item ``k``: X is where a
    role is posted ("the ambassador to the UN", "the envoy for the Arctic", "the representative
    at the WTO"), not an actor. ``posts`` are the linking words looked for; None when the
    items before ``k`` read otherwise."""
    k -= 1
    if k >= 0 and items[k].low == "the":
        k -= 1
    if k >= 1 and items[k].low in posts and items[k - 1].kind == "title":
        return items[k - 1]
    return None


def sentences(text: str, items: list[Item]) -> list[Sentence]:
    """Sentences with the range of items each holds."""
    result: list[Sentence] = []
    starts = [it.start for it in items]  # items are in text order
    k = 0
    for start, end in sentence_bounds(text):
        first = bisect_left(starts, start, k)
        k = bisect_left(starts, end, first)
        result.append(Sentence(start, end, first, k))
    return result
