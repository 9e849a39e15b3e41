"""Reported speech: who said what, as a clause of the article.

Shapes, each giving a ``Report`` (the speakers, and the item range of the reported clause):

- ``X said (that) …``, ``X told Y (that) …``, ``X stated during the meeting with Y that …``,
  ``X expressed hope that …`` (the words before "that" kept when they are not a phrase of
  place or time);
- ``…, X said`` / ``…, said X`` at the end of a sentence, and ``…, the statement said``
  (the last speaker or outlet named);
- ``According to X, …`` and ``…, according to X`` — unless the clause has a speaker of its
  own ("According to TASS, Xi said …": the outlet is only the channel).

A news outlet as speaker makes the report ``outlet``-marked: its claims are "reported", and
it holds no positions. The speaker is the subject of the verb read past parentheticals: in
"Xi, in his meeting with Putin in Astana, Kazakhstan, emphasized that …" it is Xi, not
Kazakhstan; "The President of Kazakhstan, X, in his talks with the President of Russia, Y,
pointed out …" is X's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from briefing.rules.actors import Mention
from briefing.rules.discourse import (
    PREPOSITIONS,
    Doc,
    actors_of,
    phrase_at,
    subject_of,
    subject_shaped,
)
from briefing.rules.lexicon import Vocabulary, _read, vocabulary
from briefing.rules.quotemarks import QUOTE_MARKS
from briefing.rules.text import Sentence

MIN_CLAUSE_WORDS = 3
_THAT_WINDOW = 14  # items between a verb and its "that" ("told reporters after the talks that")
_LAST_REPORTER_SENTENCES = 3
# Words that cannot open a reported clause after a bare "said": "said following talks",
# "said in a statement", "told reporters as he sat ...".
_NOT_CLAUSE = PREPOSITIONS | frozenset(
    {"following", "after", "before", "since", "ahead", "as", "and", "but", "so", "because",
     "if", "when", "while", "to", "that", "not", "him", "them", "also", "later", "earlier",
     "last", "next", "on", "goodbye", "yes", "no", "nothing", "something"}
)  # fmt: skip
_OBJECT_PRONOUNS = frozenset({"him", "them", "his"})


@dataclass(frozen=True)
class Report:
    """One reported statement: ``items[start:end]`` is what ``speakers`` said."""

    verb: int  # first item of the reporting verb ("according" for "according to")
    size: int  # items in the verb phrase
    speakers: tuple[int, ...]
    start: int
    end: int
    sent: int  # index into ``doc.sents``
    how: str  # that | bare | inverted | according
    outlet: bool = False  # the speaker is a news outlet
    between: tuple[int, int] | None = None  # items between the verb and its "that"
    keep: bool = False  # whether those items are part of what was said ("expressed hope")

    def covers(self, idx: int) -> bool:
        return self.start <= idx < self.end


def find_reports(doc: Doc) -> list[Report]:
    """Every reported statement of the article, in text order.

    Read once per doc (``doc.found``); every later call gets a new list of the same reports.
    """
    return doc.once(_find_reports)


def _find_reports(doc: Doc) -> list[Report]:
    vocab = vocabulary()
    found: list[Report] = []
    firsts = _first_words(vocab.report_verbs)
    for idx, item in enumerate(doc.items):
        if item.low not in firsts or item.kind != "word" or doc.quoted[idx]:
            continue
        if item.low == "according":
            report = _according(doc, idx, vocab)
        elif item.low in vocab.noun_forms and _noun_use(doc, idx, vocab):
            continue  # "denied reports that …": a noun, no report of the subject's
        else:
            size = phrase_at(doc, idx, vocab.report_verbs)
            report = _report(doc, idx, size, vocab, found) if size else None
        if report is not None and report.speakers:
            found.append(report)
    return [_trim(doc, r, found) for r in found]


def _noun_use(doc: Doc, idx: int, vocab: Vocabulary) -> bool:
    """Whether a report verb that is also a noun ("reports", "claims") is the noun here: the
    word before it is a determiner, a preposition or a denial verb (``noun_openers``), or a
    lower-case past participle or adjective in -ed ("denied", "unconfirmed")."""
    if idx == 0 or doc.sent_of[idx - 1] != doc.sent_of[idx]:
        return False
    prev = doc.items[idx - 1]
    if prev.kind != "word" or not prev.text.islower():
        return False
    return prev.low in vocab.noun_openers or prev.low.endswith("ed")


@cache
def _first_words(verbs: frozenset[str]) -> frozenset[str]:
    """First words of the report verbs, and "according": one set lookup rejects most items."""
    return frozenset({"according"} | {v.split()[0] for v in verbs})


def _trim(doc: Doc, report: Report, reports: list[Report]) -> Report:
    """End a clause before a coordinated report of its own ("… would take place soon and the
    Russian president also promised that …")."""
    for other in reports:
        if report.start < other.verb < report.end and other.how != "according":
            for k in range(other.verb - 1, report.start + 1, -1):
                if doc.items[k].low == "and" or doc.items[k].text == ",":
                    return replace(report, end=k)
    return report


def _report(doc: Doc, idx: int, size: int, vocab: Vocabulary, found: list[Report]) -> Report | None:
    """ "X said (that) …", else "…, X said"."""
    sent_no = doc.sent_of[idx]
    sent = doc.sents[sent_no]
    clause = _forward(doc, idx, size, sent, vocab)
    if clause is None:
        back = _inverted_clause(doc, idx, size, sent)
        if back is None:
            return None
        clause = _Clause(back[0], back[1], "inverted")
    if _words(doc, clause.start, clause.end) < MIN_CLAUSE_WORDS:
        return None
    speakers, outlet = _speaker(doc, idx, sent_no, vocab, found)
    return Report(
        idx, size, speakers, clause.start, clause.end, sent_no, clause.how, outlet,
        clause.between, clause.keep,
    )  # fmt: skip


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    how: str
    between: tuple[int, int] | None = None
    keep: bool = False


def _forward(doc: Doc, idx: int, size: int, sent: Sentence, vocab: Vocabulary) -> _Clause | None:
    """The clause after the verb: right after it (bare verbs), or after its "that"."""
    verb = " ".join(it.low for it in doc.items[idx : idx + size])
    k = idx + size
    if verb in doc.lex.address and k < sent.last and doc.items[k].low != "that":
        k = _past_addressee(doc, k, sent)
        k = _past_name_and_time(doc, k, sent)
    if k >= sent.last:
        return None
    if doc.items[k].low == "that" and not doc.quoted[k]:
        return _Clause(k + 1, clause_end(doc, k + 1, sent), "that")
    if verb in vocab.bare_verbs:
        start = _past_time(doc, k, sent)
        if start < sent.last and _opens_clause(doc, start):
            return _Clause(start, clause_end(doc, start, sent), "bare")
    that = _that_ahead(doc, k, sent, vocab)
    if that is None:
        return None
    # "expressed hope that": the words before "that" are part of what was said; "stated
    # during the meeting with Y that": a phrase of place or time, which is not.
    keep = any(doc.items[j].low in vocab.content_nouns for j in range(k, min(k + 3, that)))
    return _Clause(that + 1, clause_end(doc, that + 1, sent), "that", (k, that), keep)


def _past_name_and_time(doc: Doc, k: int, sent: Sentence) -> int:
    """Past what is left of an addressee no gazetteer knows and a time, up to "that":
    "told Radio Free Asia on Thursday that …"."""
    for j in range(k, min(k + 6, sent.last)):
        item = doc.items[j]
        if item.low == "that" and not doc.quoted[j]:
            return j
        named = item.kind in ("name", "place", "org") or item.text[:1].isupper()
        if not (named or item.low in _WEEKDAYS or item.low in _TIME_WORDS or item.low == "on"):
            return k
    return k


def _past_addressee(doc: Doc, k: int, sent: Sentence) -> int:
    """Past the person addressed ("told Wang", "told the visiting Chinese official") or the
    audience ("told reporters")."""
    m = doc.mention_starting(k)
    if m is not None:
        return m.last
    for phrase in doc.lex.audience:
        words = phrase.split()
        if [it.low for it in doc.items[k : k + len(words)]] == words:
            return k + len(words)
    return k


def _past_time(doc: Doc, k: int, sent: Sentence) -> int:
    """Past a time phrase right after the verb: "said on Thursday the EU would …", "said
    last week …", "said yesterday …"."""
    items = doc.items
    low = items[k].low
    possessed = k + 1 < sent.last and items[k + 1].kind == "poss"  # "today's meeting"
    if (low in _TIME_WORDS or low in _WEEKDAYS) and not possessed:
        return _past_that(doc, k + 1, sent)
    if k + 1 < sent.last and (
        (low == "on" and items[k + 1].low in _WEEKDAYS)
        or (low in ("last", "this", "next") and items[k + 1].low in _TIME | _WEEKDAYS)
    ):
        return _past_that(doc, k + 2, sent)
    return k


def _past_that(doc: Doc, k: int, sent: Sentence) -> int:
    """Past the "that" of "said Tuesday that …"."""
    return k + 1 if k < sent.last and doc.items[k].low == "that" else k


_WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_TIME_WORDS = frozenset({"yesterday", "today", "tonight", "earlier", "later", "recently"})


def _opens_clause(doc: Doc, k: int) -> bool:
    """Whether item ``k`` may be the first word of a clause after a bare "said"."""
    item = doc.items[k]
    if item.kind == "punct":
        return item.text in QUOTE_MARKS and k + 1 < len(doc.items) and doc.quoted[k + 1]
    if item.kind in ("place", "name", "org", "title"):
        return True
    if item.low == "this" and k + 1 < len(doc.items):
        return doc.items[k + 1].low not in _TIME  # "said this week that …" vs "said this was …"
    return item.low not in _NOT_CLAUSE and not item.low.endswith("ly")


_TIME = frozenset(
    {"week", "month", "year", "weekend", "morning", "afternoon", "evening", "time", "spring",
     "summer", "autumn", "fall", "winter"}
)  # fmt: skip


def _that_ahead(doc: Doc, k: int, sent: Sentence, vocab: Vocabulary) -> int | None:
    """The "that" opening the clause a few words after the verb, not past a comma, a colon,
    a long quote or another verb of speech."""
    quoted_run = 0
    for j in range(k, min(k + _THAT_WINDOW, sent.last)):
        item = doc.items[j]
        quoted_run = quoted_run + 1 if doc.quoted[j] else 0
        if quoted_run > 3:
            return None
        if doc.quoted[j]:
            continue
        if item.low == "that":
            return j
        if item.text in ",:;" or item.low == "and" or phrase_at(doc, j, vocab.report_verbs):
            return None
    return None


def clause_end(doc: Doc, start: int, sent: Sentence) -> int:
    """One past the last item of a clause that runs to the end of its sentence, before a
    trailing ", according to …" and the closing punctuation."""
    end = sent.last
    for j in range(start, sent.last):
        item = doc.items[j]
        if item.text == ";" and not doc.quoted[j]:
            end = j
            break
        if item.low == "according" and j > start and _comma_ends(doc, j, start):
            end = j - 1
            break
    while end > start and doc.items[end - 1].kind == "punct" and doc.items[end - 1].text in ".!?,":
        end -= 1
    return end


def _comma_ends(doc: Doc, j: int, start: int) -> bool:
    """A comma (maybe inside a closing quote mark: ``…,” according to``) right before j."""
    k = j - 1
    while k > start and doc.items[k].text in QUOTE_MARKS:
        k -= 1
    return doc.items[k].text == ","


def _inverted_clause(doc: Doc, idx: int, size: int, sent: Sentence) -> tuple[int, int] | None:
    """ "<clause>, X said." / "<clause>, said X." — the clause is what precedes the comma."""
    after = idx + size
    if doc.items[idx].low in doc.lex.address:
        after = _past_addressee(doc, after, sent)
    if after < sent.last and _opens_clause(doc, after) and doc.items[after].kind != "punct":
        return None
    if after < sent.last and doc.items[after].text in ",:":
        return None
    comma = _subject_comma(doc, idx, size, sent)
    if comma is None:
        return None
    start = _skip_dateline(doc, _skip_opener(doc, sent.first, comma), comma)
    if start >= comma:
        return None
    if doc.items[start].low.endswith("ing") or doc.items[start].low in PREPOSITIONS:
        return None
    return start, comma


def _subject_comma(doc: Doc, idx: int, size: int, sent: Sentence) -> int | None:
    """The comma before "X said" (or before "said X"), if the subject stands right there."""
    if idx > sent.first and doc.items[idx - 1].text == ",":
        return idx - 1 if doc.mention_starting(idx + size) is not None else None
    k = idx - 1
    while k > sent.first and doc.items[k].text != "," and idx - k <= 8:
        if doc.items[k].kind == "punct" or doc.quoted[k]:
            return None
        k -= 1
    return k if k > sent.first and doc.items[k].text == "," else None


# An agency dateline opening the story: "PORTSEL, Valdoria (NW) - ", "LUNET (VPA) — ".
_DATELINE = re.compile(
    r"[A-Z][A-Z'’. -]*[A-Z](?:, [A-Z][\w'’. -]*?)?(?: \([\w .]{1,12}\))? ?[-–—]+ "
)


def _skip_dateline(doc: Doc, start: int, end: int) -> int:
    """Past an agency dateline: the outlet's place line is no part of what was said."""
    m = _DATELINE.match(doc.text, doc.items[start].start)
    if m is None:
        return start
    return min(doc.item_at(m.end()), end)


def _skip_opener(doc: Doc, start: int, end: int) -> int:
    """Past a sentence adverb set off by a comma ("Meanwhile, …", "Currently, …")."""
    if start + 1 < end and doc.items[start + 1].text == ",":
        word = doc.items[start]
        if word.kind == "word" and (word.low.endswith("ly") or word.low in _OPENERS):
            return start + 2
    return start


_OPENERS = frozenset(
    {"meanwhile", "however", "separately", "earlier", "later", "moreover", "furthermore",
     "also", "still", "now", "today", "yesterday", "besides", "instead", "thus", "indeed"}
)  # fmt: skip


def _words(doc: Doc, start: int, end: int) -> int:
    return sum(1 for it in doc.items[start:end] if it.kind != "punct")


# --- speakers --------------------------------------------------------------------------------


def _speaker(
    doc: Doc, verb: int, sent_no: int, vocab: Vocabulary, found: list[Report]
) -> tuple[tuple[int, ...], bool]:
    """Who reports: the verb's subject, an outlet right before it, or — for "the statement
    said" — the last speaker or outlet named."""
    sent = doc.sents[sent_no]
    outlet = _outlet_before(doc, verb, sent, vocab)
    if outlet is not None:
        return (outlet,), True
    if _document_before(doc, verb, sent, vocab):
        return _last_reporter(doc, sent_no, found)
    unnamed = _unnamed_subject(doc, verb, sent)
    if unnamed is not None:
        return unnamed, False
    m = speaker_mention(doc, verb)
    if m is None or _indefinite(doc, m):
        return (), False
    return tuple(actors_of(doc, m, at=verb)), False


# Unnamed people as a subject ("…, officials said"): no one the brief can name speaks.
_UNNAMED = frozenset(
    {"officials", "official", "sources", "source", "diplomats", "diplomat", "analysts",
     "observers", "experts", "aides", "people", "witnesses", "residents", "reports"}
)  # fmt: skip


@cache
def _issuers() -> frozenset[str]:
    return frozenset(_read("lexicon.toml")["quotes"]["issuers"])


def _unnamed_subject(doc: Doc, verb: int, sent: Sentence) -> tuple[int, ...] | None:
    """A subject no mention covers right before the verb: "…, the ministry said",
    "…, the Kaspian foreign ministry said", "…, officials said". A body with its state
    named is the speaker; a bare "the ministry" is the latest organisation named with
    that noun, else the state the sentence opens with; unnamed people or bodies give no
    speaker (``()``) — never a person named earlier in the sentence, nor the owner of a
    possessive ("Brun's spokesman": unnamed). None when the subject is a mention (or not this
    shape)."""
    items = doc.items
    k = verb - 1
    while k > sent.first and verb - k <= 5 and items[k - 1].text not in ",;:\n" and (
        items[k - 1].kind in ("word", "place", "poss", "title", "body", "name")
    ):
        k -= 1
    words = [j for j in range(k, verb) if items[j].kind != "punct"]
    if len(words) >= 2 and items[verb - 2].kind == "poss" and items[verb - 1].text.islower():
        return ()  # "…, Brun's spokesman said": someone of Brun's, not Brun nor anyone named
    if not words or any(
        (m := doc.by_item.get(j)) is not None and m.kind != "state" for j in words
    ):
        return None
    head = items[verb - 1].low
    if head in _UNNAMED:
        return ()
    issuer = items[verb - 1].kind == "body" or any(
        phrase_at(doc, j, _issuers()) == verb - j for j in words
    )
    if not issuer or items[words[0]].low not in ("the", "a", "an", "its", "their"):
        return None
    head = head.split()[-1]
    if any(items[j].kind in ("place", "name") for j in words):  # "the Kaspian ministry"
        name = doc.text[items[words[1]].start : items[verb - 1].end]
        return (doc.table.org(name[:1].upper() + name[1:]),)
    for m in reversed(doc.mentions):
        if m.first < verb and m.kind == "org" and m.actor is not None and (
            head in doc.table.actors[m.actor].name.casefold().split()
        ):
            return (m.actor,)
    first = first_subject(doc, sent.first, k)
    if first is not None and first.kind == "state" and first.actor is not None:
        return (first.actor,)  # "China opposes …, the Foreign Ministry said": China's
    return ()


def _last_reporter(doc: Doc, sent_no: int, found: list[Report]) -> tuple[tuple[int, ...], bool]:
    """Who issued "the statement": the latest body, state or outlet that spoke in the few
    sentences before (a person's words are not a statement's)."""
    best: tuple[int, tuple[int, ...], bool] | None = None
    events = [(r.verb, r.speakers, r.outlet) for r in found]
    events += [(verb, (actor,), False) for verb, actor in doc.speech]
    for verb, speakers, outlet in events:
        distance = sent_no - doc.sent_of[verb]
        if not 0 < distance <= _LAST_REPORTER_SENTENCES:
            continue
        if any(doc.table.actors[a].kind == "person" for a in speakers):
            continue
        if best is None or verb > best[0]:
            best = (verb, speakers, outlet)
    return (best[1], best[2]) if best else ((), False)


def _indefinite(doc: Doc, m: Mention) -> bool:
    """ "An aide to Putin said": an unnamed speaker, not the last aide the article named."""
    return m.kind == "nominal" and doc.items[m.first].low in ("a", "an")


def speaker_mention(doc: Doc, verb: int) -> Mention | None:
    """The subject of a verb, skipping parentheticals; failing an adjacent one, the first
    subject-shaped mention of its sentence before it."""
    m = subject_of(doc, verb)
    if m is not None and (parenthetical(doc, m) or doc.quoted[m.head]):
        m = None
    if m is not None:
        return m
    sent = doc.sents[doc.sent_of[verb]]
    return first_subject(doc, sent.first, verb)


def first_subject(doc: Doc, lo: int, hi: int) -> Mention | None:
    """The first mention in items[lo:hi] that can be a subject, outside parentheticals."""
    for m in doc.mentions:
        if m.first < lo:
            continue
        if m.first >= hi:
            break
        if doc.quoted[m.head] != doc.quoted[lo] or not subject_shaped(doc, m):
            continue
        before = doc.items[m.first - 1] if m.first > 0 else None
        if before is not None and before.kind == "word" and before.low.endswith("ing"):
            continue
        if not parenthetical(doc, m, appositive=False):
            return m
    return None


def parenthetical(doc: Doc, m: Mention, *, appositive: bool = True) -> bool:
    """Whether a mention sits in a phrase set off by commas that cannot hold the subject:
    one opening with a preposition or participle ("…, in his talks with Y, …"), a place
    standing alone after another ("in Astana, Kazakhstan,"), or — for the nearest mention
    before a verb — a name standing alone after such a phrase, as its appositive ("in his
    talks with the President of Russia, Vladimir Putin, pointed out")."""
    sent = doc.sents[doc.sent_of[m.head]]
    comma = _comma_before(doc, m.first - 1, sent.first)
    if comma is None:
        return False
    if comma + 1 < m.first:
        return _opens_aside(doc, comma + 1)
    if comma > sent.first and doc.items[comma - 1].kind == "place":
        return True
    previous = _comma_before(doc, comma - 1, sent.first)
    return appositive and previous is not None and _opens_aside(doc, previous + 1)


def _comma_before(doc: Doc, k: int, floor: int) -> int | None:
    while k >= floor:
        if doc.items[k].text == ",":
            return k
        k -= 1
    return None


def _opens_aside(doc: Doc, k: int) -> bool:
    item = doc.items[k]
    return item.kind == "word" and (item.low in PREPOSITIONS or item.low.endswith("ing"))


def _outlet_before(doc: Doc, verb: int, sent: Sentence, vocab: Vocabulary) -> int | None:
    """A news outlet in the subject right before the verb ("the Russian news agency TASS
    reported", "a report in the Wall Street Journal said")."""
    k = verb - 1
    while k >= sent.first and verb - k <= 8 and doc.items[k].text != ",":
        if is_outlet(doc, k, vocab):
            return doc.table.org(doc.items[k].text)
        k -= 1
    return None


def is_outlet(doc: Doc, k: int, vocab: Vocabulary) -> bool:
    """A news outlet: one of the listed names, or a name ending in a news word."""
    item = doc.items[k]
    if item.text in vocab.outlets:
        return True
    return item.kind == "name" and item.text.split()[-1] in vocab.outlet_heads


def _document_before(doc: Doc, verb: int, sent: Sentence, vocab: Vocabulary) -> bool:
    """ "the statement said", "the report said"."""
    k = verb - 1
    while k >= sent.first and verb - k <= 3:
        if doc.items[k].low in vocab.documents:
            return True
        k -= 1
    return False


# --- according to --------------------------------------------------------------------------


def _according(doc: Doc, idx: int, vocab: Vocabulary) -> Report | None:
    """ "According to X, …" (X opening the sentence) and "…, according to X"."""
    if idx + 2 >= len(doc.items) or doc.items[idx + 1].low != "to":
        return None
    sent_no = doc.sent_of[idx]
    sent = doc.sents[sent_no]
    source = _source(doc, idx + 2, sent, vocab)
    if source is None:
        return None
    speakers, outlet, source_end = source
    if idx == sent.first or (idx == sent.first + 2 and doc.items[idx - 1].text == ","):
        comma = next((j for j in range(source_end, sent.last) if doc.items[j].text == ","), None)
        if comma is None:
            return None
        start, end = comma + 1, clause_end(doc, comma + 1, sent)
    elif idx > sent.first and doc.items[idx - 1].text == ",":
        start, end = _skip_opener(doc, sent.first, idx - 1), idx - 1
    else:
        return None
    if _words(doc, start, end) < MIN_CLAUSE_WORDS:
        return None
    if outlet and _has_own_speaker(doc, start, end, vocab):
        return None
    return Report(idx, 2, speakers, start, end, sent_no, "according", outlet)


def _source(
    doc: Doc, k: int, sent: Sentence, vocab: Vocabulary
) -> tuple[tuple[int, ...], bool, int] | None:
    """Who "according to" names: an outlet (also "the report of Tasnim News Agency"), or a
    person, body or state."""
    for j in range(k, min(k + 6, sent.last)):
        if doc.items[j].text == ",":
            break
        if is_outlet(doc, j, vocab):
            return (doc.table.org(doc.items[j].text),), True, j + 1
    m = doc.mention_starting(k)
    if m is None or _indefinite(doc, m):
        return None
    return tuple(actors_of(doc, m, at=k)), False, m.last


def _has_own_speaker(doc: Doc, start: int, end: int, vocab: Vocabulary) -> bool:
    """Whether a clause reports someone's words itself ("…, Xi said", "Wang told …"), or
    quotes them: the "according to" source is then only the channel."""
    for j in range(start, end):
        if doc.quoted[j]:
            return True
        if doc.items[j].kind == "word" and phrase_at(doc, j, vocab.report_verbs):
            return True
    return False
