"""Direct quotes and their speakers.

Where to look for the speaker, strongest first:

1. right after the closing mark: ``"…," Xi said`` / ``"…," said Xi`` / ``"…," he added`` /
   ``"…," Mike Waltz, the adviser, said`` / ``"…," X was quoted as saying`` /
   ``"…," the statement read`` (the document speaks for whoever issued it);
2. before the opening mark, in the same sentence: ``Wang said: "…"``, ``X told Y that "…"``,
   ``X said Y sent a message saying, "…"`` (the verb that introduces the quote), and for a
   partial quote deeper in the clause the sentence's reporting frame: ``Sheinbaum said Carney
   thanked the firefighters "…"`` is Sheinbaum's wording; ``X: "…"`` (a headline);
3. ``according to X`` after, then before, the quote;
4. a line holding only a name right after the quote (a signature);
5. a quote with no attribution of its own continues the sentence before it: that sentence's
   quote, its speaker, or its subject ("The spokesman gave another version.\\n"…"");
6. the paragraphs of a quote over several paragraphs share one speaker.

"He", "she", "it" and role nouns ("the official added", "said the president") resolve to the
most salient fitting actor before the quote: the subject or speaker of the sentences before
it, nearest first, never a name inside a quote.

One or two quoted words are scare quotes or names ("multipolar" world), never claims.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from briefing.rules.actors import PRONOUNS, Mention
from briefing.rules.discourse import (
    PREPOSITIONS,
    PRONOUN_GENDER,
    Doc,
    actors_of,
    phrase_at,
    resolve_person,
    sentence_subject,
    subject_of,
    subject_shaped,
)
from briefing.rules.lexicon import _read
from briefing.rules.quotemarks import QUOTE_MARKS, QuoteSpan, paragraphs, word_count

MIN_QUOTE_WORDS = 3
_CONTINUATION_SENTENCES = 3
_SALIENCE_SENTENCES = 4
_APPOSITIVE_ITEMS = 12  # "X, the White House national security adviser, said"
_STRONG = ("tail", "head", "according", "signature")


@dataclass(frozen=True)
class QuoteHit:
    quote: QuoteSpan
    speaker: int
    how: str  # tail | head | according | signature | continuation


@cache
def _words(key: str) -> frozenset[str]:
    """A word list of the ``[quotes]`` table of lexicon.toml."""
    return frozenset(_read("lexicon.toml")["quotes"][key])


def quote_hits(doc: Doc) -> list[QuoteHit]:
    """Every quote of three words or more whose speaker can be told, in text order.

    Read once per doc (``doc.found``); every later call gets a new list of the same hits.
    """
    return doc.once(_quote_hits)


def _quote_hits(doc: Doc) -> list[QuoteHit]:
    hits: list[QuoteHit] = []
    for quote in doc.quotes:
        if word_count(doc.text[quote.inner_start : quote.inner_end]) < MIN_QUOTE_WORDS:
            continue
        found = _attribute(doc, quote, hits)
        if found is not None:
            hits.append(QuoteHit(quote, *found))
    return _share_runs(doc, hits)


def _share_runs(doc: Doc, hits: list[QuoteHit]) -> list[QuoteHit]:
    """A quote over several paragraphs: every paragraph gets the speaker of its strongest
    attribution (a "…," X said at its end, or a X said: "…" at its start)."""
    by_start = {h.quote.start: h for h in hits}
    chain: list[QuoteSpan] = []
    out = {h.quote.start: h for h in hits}
    for quote in [*doc.quotes, None]:
        if quote is not None:
            chain.append(quote)
            if quote.runs_on:
                continue
        if len(chain) > 1:
            strong = [by_start[q.start] for q in chain if q.start in by_start
                      and by_start[q.start].how in _STRONG]
            for q in chain if strong else []:
                old = by_start.get(q.start)
                weak = old is None or old.how not in _STRONG
                if weak and word_count(doc.text[q.inner_start : q.inner_end]) >= MIN_QUOTE_WORDS:
                    out[q.start] = QuoteHit(q, strong[0].speaker, "continuation")
        chain = []
    return [out[k] for k in sorted(out)]


def _attribute(doc: Doc, quote: QuoteSpan, hits: list[QuoteHit]) -> tuple[int, str] | None:
    after, before = _item_after(doc, quote.end), doc.item_at(quote.start)
    for how, find in (
        ("tail", lambda: _tail(doc, after, quote, hits)),
        ("head", lambda: _head(doc, before, quote, hits)),
        ("according", lambda: _according(doc, after, quote, forward=True)),
        ("according", lambda: _according(doc, before, quote, forward=False)),
        ("tail", lambda: _late_tail(doc, after, quote, hits)),
        ("signature", lambda: _signature(doc, quote)),
        ("continuation", lambda: _continuation(doc, quote, hits)),
    ):
        speaker = find()
        if speaker is not None:
            return speaker, how
    return None


def _item_after(doc: Doc, pos: int) -> int:
    k = doc.item_at(pos)
    while k < len(doc.items) and doc.items[k].text in ",–—-":
        k += 1
    return k


def _same_line(doc: Doc, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return "\n" not in doc.text[lo:hi]


def _first(actors: list[int]) -> int | None:
    return actors[0] if actors else None


def _is_speech(doc: Doc, k: int) -> bool:
    return (
        k < len(doc.items)
        and doc.items[k].kind == "word"
        and doc.items[k].low != "according"
        and bool(phrase_at(doc, k, doc.lex.speech))
    )


def _verb_after_mention(doc: Doc, m: Mention) -> bool:
    """Whether a speech verb follows the mention: "X said", "X, the adviser, said",
    "X also said", "X was quoted as saying"."""
    items, v = doc.items, m.last
    if v < len(items) and items[v].text == ",":
        if _is_speech(doc, v + 1):
            return True  # the mention took in its appositive title: "X, the adviser, said"
        k = v + 1
        while k < min(v + _APPOSITIVE_ITEMS, len(items)) and items[k].text not in ",.\n":
            k += 1
        if k < len(items) and items[k].text == "," and _is_speech(doc, k + 1):
            return True
    while v < len(items) and items[v].low in ("also", "then", "later", "further", "again"):
        v += 1
    if _is_speech(doc, v):
        return True
    if v < len(items) and items[v].low in ("was", "is", "were", "has", "had"):
        for k in range(v + 1, min(v + 4, len(items) - 1)):
            if items[k].low == "as" and _is_speech(doc, k + 1):
                return True
    return False


def _tail(doc: Doc, k: int, quote: QuoteSpan, hits: list[QuoteHit]) -> int | None:
    """ "…," Xi said / "…," said Xi / "…," the top Chinese diplomat stated / "…," the
    statement read."""
    if k >= len(doc.items) or not _same_line(doc, quote.end, doc.items[k].start):
        return None
    m = doc.mention_starting(k)
    if m is not None:
        if not _verb_after_mention(doc, m):
            return None
        cited = _cited_as_saying(doc, m.last)
        if cited is not None:
            return _speaker_of(doc, cited, quote, hits)
        body = _body_of(doc, m.last) if m.kind == "nominal" else None
        return body if body is not None else _speaker_of(doc, m, quote, hits)
    verb = _document_at(doc, k)
    if verb >= 0:
        return _issuer(doc, quote, hits, noun=doc.items[verb - 1].low)
    if _is_speech(doc, k):
        m = _mention_after_verb(doc, k)
        body = _body_of(doc, m.last if m is not None else _role_end(doc, k + 1))
        return body if body is not None else _speaker_of(doc, m, quote, hits)
    return None


def _cited_as_saying(doc: Doc, v: int) -> Mention | None:
    """The one quoted in ``X quoted Y as saying``: the quote is Y's words, X only relays
    them. ``v`` is the item after X."""
    items = doc.items
    if v >= len(items) or items[v].low not in ("quoted", "cited"):
        return None
    m = doc.mention_starting(v + 1)
    if m is None or m.last + 1 >= len(items) or items[m.last].low != "as":
        return None
    return m if _is_speech(doc, m.last + 1) else None


def _late_tail(doc: Doc, k: int, quote: QuoteSpan, hits: list[QuoteHit]) -> int | None:
    """The attribution closes the sentence a little after the quote: ``"…" to meet, Razali
    said``; ``"An early truce" is not what Ostmark wants, Holm said`` is Holm's sentence."""
    if k >= len(doc.items):
        return None
    sent = doc.sents[doc.sent_of[k]]
    for j in range(k, min(sent.last, k + _APPOSITIVE_ITEMS)):
        item = doc.items[j]
        if doc.quoted[j] or item.text in QUOTE_MARKS:
            return None
        if item.text == "," and j > k:
            found = _tail(doc, j + 1, quote, hits)
            if found is not None:
                return found
    return None


def _role_end(doc: Doc, k: int) -> int:
    """End of a role phrase no mention covers: "the representative" in "said the
    representative of the foreign office"."""
    j = k
    while j < min(k + 4, len(doc.items)) and doc.items[j].kind in ("word", "title"):
        if doc.items[j].low in PREPOSITIONS:
            break
        j += 1
    return j if j > k + 1 or (j > k and doc.items[k].kind == "title") else -1


def _body_of(doc: Doc, k: int) -> int | None:
    """A body the speaker speaks for: "a spokesperson for the Foreign Ministry", "the
    representative of the foreign office" — the body, as no person is named."""
    items = doc.items
    if k < 0 or k + 1 >= len(items) or items[k].low not in ("of", "for", "at", "from"):
        return None
    j = k + 1 + (items[k + 1].low == "the")
    if j >= len(items):
        return None
    m = doc.mention_starting(j)
    if m is not None:
        return m.actor if m.kind == "org" else None
    size = phrase_at(doc, j, _words("issuers"))
    if items[j].kind == "body" or size:
        end = items[j].end if items[j].kind == "body" else items[j + size - 1].end
        name = doc.text[items[j].start : end]
        return doc.table.org(name if name[:1].isupper() else name.title())
    return None


def _mention_after_verb(doc: Doc, k: int) -> Mention | None:
    """The subject of an inverted "said X": "said ministry spokesperson Zhao Lijian"."""
    for j in range(k + 1, min(k + 6, len(doc.items))):
        m = doc.mention_starting(j)
        if m is not None:
            person = doc.mention_starting(m.last)
            if m.kind != "person" and person is not None and person.kind == "person":
                return person  # "said Federal Chancellor Karl Brandt": not "Federal"
            return m
        item = doc.items[j]
        if item.kind == "punct" or item.low in PREPOSITIONS:
            return None
    return None


def _document_at(doc: Doc, k: int) -> int:
    """Index of the verb after "the statement" / "the joint readout" / "the ministry" at
    ``k`` ("the statement read"), or -1."""
    items = doc.items
    if k >= len(items) or items[k].low not in ("the", "a", "its", "their", "his", "her"):
        return -1
    for j in range(k + 1, min(k + 4, len(items))):
        words = phrase_at(doc, j, _words("documents")) or phrase_at(doc, j, _words("issuers"))
        if words:
            v = j + words
            speaks = v < len(items) and (
                _is_speech(doc, v) or items[v].low in _words("document_verbs")
            )
            return v if speaks else -1
        if items[j].kind not in ("word", "place") or not items[j].text[:1].isalpha():
            return -1
    return -1


def _issuer(
    doc: Doc, quote: QuoteSpan, hits: list[QuoteHit], noun: str = ""
) -> int | None:
    """Who issued the document a quote is read from: the latest sentence before the quote
    that names a document or a body: the body it names ("Kazakhstan's presidential press
    service released a statement"), else its speaker or subject that is no person. A body
    by its common noun ("the ministry said") is, failing that, the latest organisation
    before the quote whose name holds that noun."""
    nouns = _words("documents") | _words("issuers")
    upto = doc.item_at(quote.start)
    for sent_no in _sentences_back(doc, upto):
        sent = doc.sents[sent_no]
        if not any(
            phrase_at(doc, k, nouns) for k in range(sent.first, sent.last) if not doc.quoted[k]
        ):
            continue
        named = _named_issuer(doc, sent.first, min(sent.last, upto))
        if named is not None:
            return named
        for actor in _sentence_actors(doc, sent_no, upto, hits, 1):
            if doc.table.actors[actor].kind != "person":
                return actor
    if noun in _words("issuers"):
        for m in reversed(doc.mentions):
            if m.first >= upto or m.kind != "org" or m.actor is None:
                continue
            if noun in doc.table.actors[m.actor].name.casefold().split():
                return m.actor
    return None


def _named_issuer(doc: Doc, lo: int, hi: int) -> int | None:
    """A body no gazetteer knows, named by an issuer word with its owner before it:
    "Kazakhstan's presidential press service", "the Canadian government"."""
    for k in range(lo, hi):
        size = phrase_at(doc, k, _words("issuers"))
        if not size or doc.quoted[k] or doc.by_item.get(k) is not None:
            continue
        first = k
        while first > lo and (
            doc.items[first - 1].kind in ("place", "poss")
            or (doc.items[first - 1].kind == "word" and doc.items[first - 1].low.isalpha()
                and doc.items[first - 1].low not in ("the", "a", "an", "its", "their")
                and doc.items[first - 1].low not in PREPOSITIONS
                and not phrase_at(doc, first - 1, doc.lex.speech))
        ) and k - first < 4:
            first -= 1
        if not any(doc.items[j].kind == "place" for j in range(first, k)):
            continue
        start, end = doc.items[first].start, doc.items[k + size - 1].end
        return doc.table.org(doc.text[start:end])
    return None


def _sentences_back(doc: Doc, upto: int) -> list[int]:
    if not doc.items:
        return []
    here = doc.sent_of[min(upto, len(doc.items) - 1)]
    return list(range(here, max(here - _SALIENCE_SENTENCES, -1), -1))


def _sentence_actors(
    doc: Doc, sent_no: int, upto: int, hits: list[QuoteHit], depth: int
) -> list[int]:
    """The actors a sentence puts forward, most salient first: speakers of its quotes and of
    its speech verbs ("…, Wang said"), its subject, a body that is its subject; only what
    lies before item ``upto``. Pronouns resolve the same way, ``depth`` sentences deep."""
    sent = doc.sents[sent_no]
    limit = min(sent.last, upto)
    pos = doc.items[limit].start if limit < len(doc.items) else len(doc.text)
    out: list[int] = []
    for h in reversed(hits):
        if h.quote.start < pos and doc.sent_of[doc.item_at(h.quote.start)] == sent_no:
            out.append(h.speaker)
    for verb in sorted({v for v, _ in doc.speech if sent.first <= v < limit}):
        subj = subject_of(doc, verb)
        if subj is None and doc.items[verb].low.endswith("ing"):
            subj = sentence_subject(doc, sent, before=verb)
        out.extend(_resolve(doc, subj, hits, depth))
    subj = sentence_subject(doc, sent, before=limit)
    out.extend(_resolve(doc, subj, hits, depth))
    body = _body_subject(doc, sent.first, limit)
    if body is None:
        body = _issuer_subject(doc, sent.first, limit)
    if body is not None:
        out.append(body)
    return out


def _issuer_subject(doc: Doc, lo: int, hi: int) -> int | None:
    """A body by its common noun opening the sentence: "The presidential press office
    said …" gives the organisation "presidential press office"."""
    if lo >= hi or doc.items[lo].low != "the" or doc.quoted[lo]:
        return None
    for k in range(lo + 1, min(lo + 4, hi)):
        size = phrase_at(doc, k, _words("issuers"))
        if size:
            end = k + size
            if end < hi and (_is_speech(doc, end) or doc.items[end].low in _ISSUING_VERBS):
                return doc.table.org(doc.text[doc.items[lo + 1].start : doc.items[end - 1].end])
            return None
        if doc.items[k].kind != "word" or doc.by_item.get(k) is not None:
            return None
    return None


_ISSUING_VERBS = frozenset({"issued", "released", "published", "posted", "put", "sent"})


def _resolve(doc: Doc, m: Mention | None, hits: list[QuoteHit], depth: int) -> list[int]:
    if m is None:
        return []
    if m.kind == "pronoun" and depth > 0:
        want = PRONOUNS[doc.items[m.head].low]
        if want == "group":
            return []
        found = _salient(doc, m.first, hits, _kind_fits(doc, want), depth - 1)
        if found is not None:
            return [found]
    return actors_of(doc, m, at=m.first)


def _kind_fits(doc: Doc, want: str) -> Callable[[int], bool]:
    person = want == "person"
    return lambda a: (doc.table.actors[a].kind == "person") == person


def _body_subject(doc: Doc, lo: int, hi: int) -> int | None:
    """A body named without its state as the subject ("The Foreign Ministry issued …")."""
    for k in range(lo, hi):
        item = doc.items[k]
        if doc.quoted[k] or doc.by_item.get(k) is not None:
            continue
        if item.kind == "body" and not (k > 0 and doc.items[k - 1].low in PREPOSITIONS):
            name = item.text if item.text[:1].isupper() else item.text.title()
            return doc.table.org(name)
    return None


def _salient(
    doc: Doc, upto: int, hits: list[QuoteHit], fits: Callable[[int], bool], depth: int
) -> int | None:
    """The most salient actor that fits, in the sentences before item ``upto``."""
    for sent_no in _sentences_back(doc, upto):
        for actor in _sentence_actors(doc, sent_no, upto, hits, depth):
            if fits(actor):
                return actor
    return None


def _speaker_of(
    doc: Doc, m: Mention | None, quote: QuoteSpan, hits: list[QuoteHit]
) -> int | None:
    """The actor a speaker mention stands for; "he" and "the official" by salience, from
    before the quote and the mention, so never a name inside the quote."""
    if m is None:
        return None
    upto = min(doc.item_at(quote.start), m.first)
    if m.kind == "pronoun":
        want = PRONOUNS[doc.items[m.head].low]
        if want == "group":
            return None
        if want == "person":  # "she" never a man, and no guess between two alike
            said = tuple(  # a quote's sentence may be another than its tail's: mark both
                (k, h.speaker) for h in hits if h.quote.start < quote.start
                for k in (doc.item_at(h.quote.start), min(doc.item_at(h.quote.end),
                                                          len(doc.items) - 1))
            )
            gender = PRONOUN_GENDER.get(doc.items[m.head].low, "")
            return resolve_person(doc, upto, gender, said)
        # no fallback to the nearest name: that may be a place in passing or a name inside
        # the quote ("…Varnia will sign…," it said)
        return _salient(doc, upto, hits, _kind_fits(doc, want), 2)
    if m.kind == "nominal" and not m.members:
        found = _salient(doc, upto, hits, lambda a: _role_fits(doc, m, a), 2)
        if found is not None:
            return found
    return _first(actors_of(doc, m, at=m.first))


def _role_fits(doc: Doc, m: Mention, actor_id: int) -> bool:
    actor = doc.table.actors[actor_id]
    if actor.kind != "person":
        return False
    if not m.role:
        return True
    if not actor.role:
        return "*" in doc.lex.role_fits.get(m.role, ())  # "the official": anyone
    if not doc.lex.fits(m.role, actor.role):
        return False
    return not (m.country and actor.country and m.country != actor.country)


def _head(doc: Doc, end: int, quote: QuoteSpan, hits: list[QuoteHit]) -> int | None:
    """The speech verb that introduces the quote, else the sentence's reporting frame."""
    sent = doc.sentence_at(quote.start)
    if end == 0 or end <= sent.first:
        return None
    verbs = [
        v for v in range(sent.first, end)
        if not doc.quoted[v] and doc.items[v].kind == "word" and _is_speech(doc, v)
    ]
    if not verbs:
        return _headline(doc, end, sent.first, quote, hits)
    relative = _relative_speaker(doc, verbs[-1], end)
    if relative is not None:
        return _speaker_of(doc, relative, quote, hits)
    verb = verbs[-1] if _introduces(doc, verbs[-1], end) else verbs[0]
    if any(_document_at(doc, j) == verb for j in range(max(sent.first, verb - 4), verb)):
        return _issuer(doc, quote, hits)  # the statement said the leaders "agreed to …"
    quoted_as = _quoted_as(doc, verb)
    if quoted_as is not None:
        return quoted_as
    participle = doc.items[verb].low.endswith("ing")
    subj = None if participle and doc.items[verb - 1].text == "," else subject_of(doc, verb)
    if subj is None and participle:
        subj = _clause_subject(doc, verbs, verb)
    if subj is None:
        subj = sentence_subject(doc, sent, before=verb)
    found = _speaker_of(doc, subj, quote, hits)
    if found is None:
        found = _body_subject(doc, sent.first, verb)
    return found


def _relative_speaker(doc: Doc, verb: int, end: int) -> Mention | None:
    """ ``X said he disagreed with Y, who said last week that "…"``: the quote lies in the
    relative clause, so it is Y's. No comma may close the clause before the quote."""
    items = doc.items
    k = verb - 1
    while k > 0 and items[k].low in ("also", "had", "has", "then", "later", "once"):
        k -= 1
    if k < 2 or items[k].low != "who" or items[k - 1].text != ",":
        return None
    if any(items[j].text in ",;:" for j in range(verb + 1, end - 1)) or doc.quoted[k]:
        return None
    m = doc.mention_ending(k - 1)
    return m if m is not None and m.kind == "person" else None


def _quoted_as(doc: Doc, verb: int) -> int | None:
    """ "the statement quoted Okafor as saying": the name before "as saying" is a person
    (the structure says so, though no title does)."""
    items = doc.items
    if verb < 2 or items[verb - 1].low != "as":
        return None
    name = items[verb - 2]
    if not any(items[j].low in ("quoted", "quoting", "cited", "citing")
               for j in range(max(0, verb - 4), verb - 2)):
        return None
    m = doc.by_item.get(verb - 2)
    if m is not None:
        return _first(actors_of(doc, m, at=verb - 2))
    return doc.table.person(name.text, None) if name.kind == "name" else None


def _introduces(doc: Doc, verb: int, end: int) -> bool:
    """Whether the verb opens the quote itself: only "that", a comma or colon, or the one
    addressed ("told reporters", "told him") lie between."""
    between = doc.items[verb + phrase_at(doc, verb, doc.lex.speech) : end]
    if len(between) > 3:
        return False
    return all(
        it.kind in ("punct", "poss") or it.low in ("that", "him", "her", "them", "us", "reporters",
                                                   "journalists", "the", "press")
        or doc.by_item.get(doc.item_at(it.start)) is not None
        for it in between
    )


def _clause_subject(doc: Doc, verbs: list[int], verb: int) -> Mention | None:
    """The subject of the clause a participle hangs on ("X said Y sent a message saying"):
    the last subject-shaped mention after the previous speech verb."""
    prev = max((v for v in verbs if v < verb), default=doc.sents[doc.sent_of[verb]].first - 1)
    found = None
    for m in doc.mentions:
        if m.first <= prev:
            continue
        if m.first >= verb:
            break
        if not doc.quoted[m.head] and subject_shaped(doc, m) and m.kind != "pronoun":
            found = m
    return found


def _headline(
    doc: Doc, end: int, first: int, quote: QuoteSpan, hits: list[QuoteHit]
) -> int | None:
    """ "Vucic speaks with Orban: "…"" — a colon before the quote and no speech verb: the
    sentence's subject speaks."""
    if doc.items[end - 1].text != ":":
        return None
    subj = sentence_subject(doc, doc.sentence_at(quote.start), before=end - 1)
    return _speaker_of(doc, subj, quote, hits)


def _according(doc: Doc, k: int, quote: QuoteSpan, *, forward: bool) -> int | None:
    """ "according to X", right after the quote or earlier in its sentence."""
    if forward:
        rng = range(k, min(k + 2, len(doc.items)))
    else:
        rng = range(doc.sentence_at(quote.start).first, k)
    for i in rng:
        if doc.items[i].low == "according" and i + 2 < len(doc.items):
            return _first(actors_of(doc, doc.mention_starting(i + 2), at=i))
    return None


def _signature(doc: Doc, quote: QuoteSpan) -> int | None:
    """A quote paragraph followed by a line that holds only a name ("Winston Peters.")."""
    rest = doc.text[quote.end : quote.end + 2]
    if not quote.closed or (rest.strip() and not rest.startswith("\n")):
        return None
    for lo, hi in paragraphs(doc.text):
        if lo < quote.end or not doc.text[lo:hi].strip():
            continue
        first, last = doc.item_at(lo), doc.item_at(hi)
        words = [k for k in range(first, last) if doc.items[k].kind != "punct"]
        m = doc.mention_starting(words[0]) if words else None
        if m is None or m.kind != "person" or m.last <= words[-1]:
            return None
        return m.actor
    return None


def _stands_alone(doc: Doc, quote: QuoteSpan, start: int) -> bool:
    """Whether the quote is a sentence of its own: only punctuation before it in its
    sentence and after it on its line. A quoted phrase inside someone's sentence (a
    theme, a title, a slogan) continues nobody."""
    if start >= len(doc.items):
        return False
    sent = doc.sents[doc.sent_of[start]]
    if any(doc.items[k].kind != "punct" for k in range(sent.first, start)):
        return False
    after = doc.item_at(quote.end)
    return (
        after >= len(doc.items)
        or doc.items[after].kind == "punct"
        or "\n" in doc.text[quote.end : doc.items[after].start]
    )


def _continuation(doc: Doc, quote: QuoteSpan, hits: list[QuoteHit]) -> int | None:
    """A quote with no attribution of its own continues the sentence before it: that
    sentence's quote or speaker, or its subject; failing those, the latest speaker within
    three sentences."""
    if not doc.sents or not doc.items:
        return None
    start = doc.item_at(quote.start)
    if not _stands_alone(doc, quote, start):
        return None
    here = doc.sent_of[min(start, len(doc.items) - 1)]
    # a quote inside a sentence that began before it continues that sentence
    prev = here if start > doc.sents[here].first else here - 1
    if prev >= 0:
        for actor in _sentence_actors(doc, prev, start, hits, 2):
            return actor
    after = doc.item_at(quote.end)
    for verb, actor in reversed(doc.speech):
        if doc.items[verb].start >= quote.start:
            continue
        last = doc.sent_of[min(after, len(doc.items)) - 1]
        if last - doc.sent_of[verb] > _CONTINUATION_SENTENCES:
            return None
        return actor
    return None
