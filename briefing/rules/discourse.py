"""One article read for the rules backend: items, sentences, mentions, quotes, and the little
syntax the patterns need — who is the subject of a verb, who "he" or "it" is, which clause a
word sits in.

Subjects are found without a parser: the nearest mention before a verb counts when only
adverbs, times and parentheticals lie between ("Shoygu, for his part, said"); otherwise the
sentence's first mention outside a prepositional phrase stands in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from briefing.rules.actors import PRONOUNS, ActorTable, Mention
from briefing.rules.lexicon import Lexicon, lexicon, word_list
from briefing.rules.mentions import find_mentions
from briefing.rules.quotemarks import QuoteSpan, find_quotes
from briefing.rules.text import Item, Sentence, posted_title, sentences, tokenize

_GAP_WORDS = word_list("gap_words")
PREPOSITIONS = word_list("prepositions")
_MAX_GAP = 8
# No-break, narrow no-break, thin, figure, punctuation and hair spaces: a web page's
# "Piet&nbsp;Halvorsen" is the name "Piet Halvorsen". Each is read as one plain space, so every
# offset stays put and a passage cut from the read text still grounds in the article
# (briefing.grounding.fold folds white space the same way).
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u202f\u2009\u2007\u2008\u200a", " "))
_PHRASE_KINDS = frozenset({"word", "title", "punct"})


@dataclass
class Doc:
    text: str
    lex: Lexicon
    items: list[Item]
    sents: list[Sentence]
    quotes: list[QuoteSpan]
    table: ActorTable
    mentions: list[Mention]
    quoted: list[bool]
    sent_of: list[int]
    by_item: dict[int, Mention] = field(default_factory=dict)
    speech: list[tuple[int, int]] = field(default_factory=list)  # (verb item, actor)
    item_starts: list[int] = field(default_factory=list)
    sent_starts: list[int] = field(default_factory=list)
    gender: dict[int, str] = field(default_factory=dict)  # person actor -> "m" | "f"
    # What a reading pass over the whole doc found (``quote_hits``, ``find_reports``), by the
    # pass's name: the rules extractor, the meeting patterns and the LLM validators' facts
    # all ask for the same quotes and reports, and the answer does not change once read.
    found: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False)

    def once(self, read: Callable[[Doc], Iterable[Any]]) -> list[Any]:
        """What the reading pass ``read`` finds in this doc, read on the first call only
        (kept in ``found`` under its name); every call gets a new list of the same items."""
        if read.__name__ not in self.found:
            self.found[read.__name__] = tuple(read(self))
        return list(self.found[read.__name__])

    def item_at(self, pos: int) -> int:
        """Index of the first item that starts at or after character ``pos``."""
        return bisect_left(self.item_starts, pos)

    def sentence_at(self, pos: int) -> Sentence:
        """The sentence holding character ``pos``."""
        return self.sents[max(bisect_right(self.sent_starts, pos) - 1, 0)]

    def mention_starting(self, idx: int) -> Mention | None:
        m = self.by_item.get(idx)
        return m if m is not None and m.first == idx else None

    def mention_ending(self, idx: int) -> Mention | None:
        """The mention whose last item is ``idx - 1``."""
        m = self.by_item.get(idx - 1)
        return m if m is not None and m.last == idx else None


def read(text: str) -> Doc:
    """Everything the patterns need about one article, computed once. No-break and thin
    spaces are read as plain spaces (``_SPACES``; same length, so offsets hold)."""
    text = text.translate(_SPACES)
    lex = lexicon()
    items = tokenize(text, lex)
    sents = sentences(text, items)
    table = ActorTable(lex)
    mentions = find_mentions(text, items, sents, lex, table)
    quotes = find_quotes(text)
    doc = Doc(
        text,
        lex,
        items,
        sents,
        quotes,
        table,
        mentions,
        _mask(items, quotes),
        _sent_index(items, sents),
    )
    doc.item_starts = [it.start for it in items]
    doc.sent_starts = [s.start for s in sents]
    for m in mentions:
        for k in range(m.first, m.last):
            doc.by_item[k] = m
    _title_genders(doc)
    _collect_speech(doc)
    _pronoun_genders(doc)
    return doc


# Titles and honorifics that tell a person's gender. First names are not used: guessing
# gender from them is unreliable on international names.
_FEMININE = frozenset({
    "queen", "princess", "sheikha", "mrs", "ms", "miss", "madam", "madame", "mme", "lady",
    "dame", "duchess", "empress", "baroness", "countess", "sultana", "spokeswoman",
    "chairwoman", "congresswoman", "her", "begum",
})
_MASCULINE = frozenset({
    "king", "prince", "sheikh", "mr", "sir", "lord", "duke", "emperor", "baron", "count",
    "sultan", "emir", "monsieur", "spokesman", "chairman", "congressman", "his",
})
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


def _word_gender(item: Item) -> str:
    found = {
        "f" if w in _FEMININE else "m"
        for w in item.low.replace(".", " ").split()
        if w in _FEMININE or w in _MASCULINE
    }
    return found.pop() if len(found) == 1 else ("?" if found else "")


def _title_genders(doc: Doc) -> None:
    """A person's gender from the titles and honorifics of their mentions: "Queen Amalia",
    "Ms. Ambrosen", "Sheikh Tamim", "Her Majesty"; both kinds of evidence leave it unknown."""
    seen: dict[int, set[str]] = {}
    for m in doc.mentions:
        if m.actor is None or doc.table.actors[m.actor].kind != "person" or doc.quoted[m.head]:
            continue
        lo = m.first
        while lo > 0 and m.first - lo < 3 and doc.items[lo - 1].kind == "title":
            lo -= 1
        for item in doc.items[lo : m.last]:
            if item.kind in ("title", "name", "word") and (g := _word_gender(item)) in "mf" and g:
                if item.low.split()[0] in ("his", "her") and item.kind != "title":
                    continue  # "his" as a word is not a title
                seen.setdefault(m.actor, set()).add(g)
    doc.gender.update({a: next(iter(g)) for a, g in seen.items() if len(g) == 1})


def _pronoun_genders(doc: Doc) -> None:
    """ "Halvik said he …", "Ambrosen said that she …": the pronoun right after one's own
    speech verb is one's own, so it tells the gender of a person no title marked."""
    speakers: dict[int, set[int]] = {}
    for verb, actor in doc.speech:
        speakers.setdefault(verb, set()).add(actor)
    for m in doc.mentions:
        low = doc.items[m.head].low
        if m.kind != "pronoun" or low not in ("he", "she") or doc.quoted[m.head]:
            continue
        verb = m.first - 1
        while verb > m.first - 5 and verb > 0 and verb not in speakers and (
            doc.items[verb].low == "that" or doc.items[verb].low in _GAP_WORDS
            or doc.items[verb].kind == "date"
        ):
            verb -= 1  # "X said Wednesday that she …"
        who = speakers.get(verb, set())
        if len(who) != 1 or (subj := subject_of(doc, verb)) is None or subj.kind == "pronoun":
            continue
        actor = next(iter(who))
        if doc.table.actors[actor].kind == "person":
            doc.gender.setdefault(actor, PRONOUN_GENDER[low])


def _mask(items: list[Item], quotes: list[QuoteSpan]) -> list[bool]:
    """Whether each item starts inside the last quote that opens at or before it (quotes and
    items in text order): the items of each quote's span are marked, not each item looked up.
    """
    mask = [False] * len(items)
    starts = [it.start for it in items]
    for k, quote in enumerate(quotes):
        end = quote.end if k + 1 == len(quotes) else min(quote.end, quotes[k + 1].start)
        for n in range(bisect_right(starts, quote.start), bisect_left(starts, end)):
            mask[n] = True
    return mask


def _sent_index(items: list[Item], sents: list[Sentence]) -> list[int]:
    index = [0] * len(items)
    for n, sent in enumerate(sents):
        index[sent.first : sent.last] = [n] * (sent.last - sent.first)
    return index


def _gap_ok(doc: Doc, lo: int, hi: int) -> bool:
    """Whether only adverbs, times, auxiliaries and parentheticals lie in items[lo:hi]."""
    if hi - lo > _MAX_GAP:
        return False
    for item in doc.items[lo:hi]:
        if item.kind == "punct" and item.text in ",":
            continue
        if item.kind == "word" and item.low in _GAP_WORDS:
            continue
        if item.kind == "word" and item.low.isdigit():
            continue
        return False
    return True


def subject_of(doc: Doc, verb: int) -> Mention | None:
    """The mention that is the subject of the verb at item ``verb``, if one is adjacent."""
    sent = doc.sents[doc.sent_of[verb]]
    k = verb
    while k > sent.first and verb - k <= _MAX_GAP + 1:
        m = doc.mention_ending(k)
        if m is not None and not doc.quoted[m.head] and subject_shaped(doc, m):
            return m if _gap_ok(doc, m.last, verb) else None
        k -= 1
    return _inverted_subject(doc, verb)


def _inverted_subject(doc: Doc, verb: int) -> Mention | None:
    """ "…,” said Wang." — a speech verb right after a quote or comma, then its subject."""
    before = doc.items[verb - 1] if verb > 0 else None
    if before is None or before.kind != "punct" or before.text not in ',”"':
        return None
    return doc.mention_starting(verb + 1)


def subject_shaped(doc: Doc, m: Mention) -> bool:
    """Not a possessor ("Shoygu's trip"), not a possessive pronoun, not after a preposition."""
    if m.last < len(doc.items) and doc.items[m.last].kind == "poss":
        return False
    if m.kind == "pronoun" and doc.items[m.head].low in ("his", "her", "its", "their"):
        return False
    if posted_title(doc.items, m.first) is not None:  # "the envoy to the UN": a post
        return False
    return not (m.first > 0 and doc.items[m.first - 1].low in PREPOSITIONS)


def sentence_subject(doc: Doc, sent: Sentence, before: int | None = None) -> Mention | None:
    """The first mention of the sentence outside quotes and prepositional phrases."""
    end = sent.last if before is None else before
    for m in doc.mentions:
        if m.first < sent.first:
            continue
        if m.first >= end:
            break
        if not doc.quoted[m.head] and subject_shaped(doc, m) and not _after_comma_object(doc, m):
            return m
    return None


def _after_comma_object(doc: Doc, m: Mention) -> bool:
    """A mention inside a leading participial phrase ("Addressing Putin, Xi said")."""
    k = m.first - 1
    # the participle may open the sentence, capitalised and so read as a name: "Welcoming"
    return k >= 0 and doc.items[k].kind in ("word", "name") and doc.items[k].low.endswith("ing")


def actors_of(doc: Doc, m: Mention | None, *, at: int | None = None) -> list[int]:
    """The actor ids a mention stands for; pronouns resolved at their place in the text."""
    if m is None:
        return []
    if m.kind == "pronoun":
        low = doc.items[m.head].low
        where = m.first if at is None else at
        found = resolve_pronoun(doc, where, PRONOUNS[low], PRONOUN_GENDER.get(low, ""))
        return [] if found is None else [found]
    if m.members:
        return list(m.members)
    return [] if m.actor is None else [m.actor]


def resolve_pronoun(doc: Doc, at: int, want: str, gender: str = "") -> int | None:
    """The most salient fitting actor before item ``at``: the latest speaker within three
    sentences, else the subject of the previous sentence, else the nearest mention."""
    if want == "group":
        return None
    if want == "person":
        return resolve_person(doc, at, gender)
    here = doc.sent_of[at] if at < len(doc.sent_of) else len(doc.sents) - 1
    for verb, actor in reversed(doc.speech):
        if verb < at and here - doc.sent_of[verb] <= 3 and _fits(doc, actor, want):
            return actor
        if here - doc.sent_of[verb] > 3:
            break
    if here > 0:
        subj = sentence_subject(doc, doc.sents[here - 1])
        if subj is not None and subj.actor is not None and _fits(doc, subj.actor, want):
            return subj.actor
    for m in reversed(doc.mentions):
        if m.last <= at and m.actor is not None and _fits(doc, m.actor, want):
            return m.actor
    return None


def resolve_person(
    doc: Doc, at: int, gender: str = "", speakers: tuple[tuple[int, int], ...] = (),
    depth: int = 2,
) -> int | None:
    """The person "he"/"she" at item ``at`` stands for, or None when the text does not tell.

    The nearest sentence (this one before ``at``, then up to three back) that names a person
    of a fitting gender decides: its one fitting person; else its one person whose title or
    earlier pronoun marks the asked gender; else its one speaker (of ``speakers``, the
    (item, actor) pairs of quotes already attributed, else of its speech verbs); else its
    subject when it alone leads. Two people alike and none speaking: no guess — a wrong
    speaker is worse than none."""
    if not doc.items:
        return None
    here = doc.sent_of[min(at, len(doc.items) - 1)]
    for sent_no in range(here, max(here - 4, -1), -1):
        sent = doc.sents[sent_no]
        limit = min(sent.last, at)
        # the speakers already given this sentence's quotes outrank its raw speech verbs
        said = [a for v, a in speakers if sent.first <= v < limit] or [
            a for v, a in doc.speech if sent.first <= v < limit
        ]
        named: list[int] = []
        chained = None  # a "she" earlier in this sentence carries the one she stood for
        for m in doc.mentions:
            if not sent.first <= m.first < limit or doc.quoted[m.head]:
                continue
            if m.actor is not None:
                named.append(m.actor)
            elif m.kind == "pronoun" and depth > 0 and m.first < at:
                low = doc.items[m.head].low
                if PRONOUN_GENDER.get(low) == gender and low in ("he", "she"):
                    found = resolve_person(doc, m.first, gender, speakers, depth - 1)
                    if found is not None:
                        named.append(found)
                        chained = chained if chained is not None else found
        people = dict.fromkeys(
            a for a in [*said, *named]
            if doc.table.actors[a].kind == "person"
            and (not gender or doc.gender.get(a, gender) == gender)
        )
        fitting = list(people)
        if not fitting:
            continue
        if len(fitting) == 1:
            return fitting[0]
        marked = [a for a in fitting if gender and doc.gender.get(a) == gender]
        if len(marked) == 1:
            return marked[0]
        talking = {a for a in said if a in people}
        if len(talking) == 1:
            return talking.pop()
        subj = sentence_subject(doc, sent, before=limit)
        if chained is not None and subj is not None and subj.kind == "pronoun":
            return chained  # "She will also meet X and Y. "…," she said": the same she
        return _lone_subject(doc, sent, limit, people, same=sent_no == here)
    return None


_MEETING_WORDS = frozenset({"with", "and", "talks", "counterpart", "met", "meets", "meet"})


def _lone_subject(
    doc: Doc, sent: Sentence, limit: int, people: dict[int, None], *, same: bool
) -> int | None:
    """The sentence's subject when it alone leads: "Rasouli thanked Kaya." — but not two
    alike in an earlier sentence, "Brekke met Malkan", "Malkan and Weissler discussed …",
    "held talks with …", where either may be the one who speaks next. In the pronoun's own
    sentence ("X held talks with Y, which he described as …") the subject binds it."""
    subj = sentence_subject(doc, sent, before=limit)
    if subj is None or subj.actor not in people or subj.members:
        return None
    if same:
        return subj.actor
    verb = subj.last
    while verb < limit and doc.items[verb].low in _GAP_WORDS:
        verb += 1
    if verb >= limit or doc.items[verb].low in _MEETING_WORDS:
        return None
    if phrase_at(doc, verb, doc.lex.meeting_verbs) or any(
        doc.items[k].low in ("with", "counterpart") for k in range(verb, min(verb + 4, limit))
    ):
        return None
    return subj.actor


def _fits(doc: Doc, actor: int, want: str) -> bool:
    kind = doc.table.actors[actor].kind
    return (kind == "person") == (want == "person")


@cache
def phrase_index(vocabulary: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases by their first word, longest first: one dict lookup rejects most items."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in vocabulary:
        words = tuple(phrase.split())
        index.setdefault(words[0], []).append(words)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


def phrase_at(doc: Doc, idx: int, vocabulary: frozenset[str]) -> int:
    """How many items, from ``idx``, form a phrase of ``vocabulary`` (0 if none); the longest
    phrase wins, so "held talks" beats "held"."""
    items = doc.items
    first = items[idx]
    if first.kind not in _PHRASE_KINDS:
        return 0
    for words in phrase_index(vocabulary).get(first.low, ()):
        size = len(words)
        if size == 1:
            return 1
        if idx + size > len(items):
            continue
        for k in range(1, size):
            item = items[idx + k]
            if item.low != words[k] or item.kind not in _PHRASE_KINDS:
                break
        else:
            return size
    return 0


def _collect_speech(doc: Doc) -> None:
    """Every "X said"-like verb outside quotes with its resolved speaker, in text order;
    a pronoun speaker resolves against the events found before it."""
    firsts = phrase_index(doc.lex.speech)  # most words start no speech verb: skip them here
    for idx, item in enumerate(doc.items):
        if item.kind != "word" or item.low not in firsts or doc.quoted[idx]:
            continue
        if not phrase_at(doc, idx, doc.lex.speech):
            continue
        subj = subject_of(doc, idx)
        if subj is None and item.low.endswith("ing"):
            subj = sentence_subject(doc, doc.sents[doc.sent_of[idx]], before=idx)
        for actor in actors_of(doc, subj, at=idx):
            doc.speech.append((idx, actor))
