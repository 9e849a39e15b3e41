"""Actors and their mentions: people with their titles, states, organisations, pronouns and
role nouns ("the top Chinese diplomat"), each a noun phrase over the item list.

A capitalised name is taken for a person only on evidence: a title before it ("Foreign
Minister Wang Yi"), an appositive title ("Sergey Shoigu, the Secretary of ..."), a speech or
meeting verb after it, or a shared word with a person already found ("Wang" → "Wang Yi").
That keeps agencies, forums and bylines out of meetings and quotes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from briefing.rules.lexicon import Lexicon
from briefing.rules.text import Item

PRONOUNS = {
    "he": "person",
    "him": "person",
    "his": "person",
    "she": "person",
    "her": "person",
    "it": "thing",
    "its": "thing",
    "they": "group",
    "their": "group",
    "them": "group",
}
DETERMINERS = frozenset({"the", "a", "an", "his", "her", "its", "their", "this", "that"})
# Words that may follow a role noun used as a noun phrase head ("the Russian leader said").
ROLE_FOLLOW = frozenset(
    {
        "of",
        "and",
        "who",
        "that",
        "also",
        "is",
        "was",
        "has",
        "had",
        "will",
        "would",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "as",
        "then",
        "later",
        "again",
        "did",
        "does",
        "could",
        "can",
    }
)
_MAX_CHAIN = 8
_PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "to", "into", "near"})
HONORIFIC = "honorific"  # role class of "Mr", "Hon.", "Dato'": person evidence, no office


@dataclass
class Actor:
    """An actor of one article, with what its mentions told about it."""

    name: str
    kind: str  # person | state | organisation
    country: str | None = None
    title: str | None = None
    role: str = ""
    organ: str = ""
    tokens: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    key: str = ""


@dataclass
class Mention:
    """A noun phrase that refers to an actor (or to one still to be resolved)."""

    first: int  # item range [first, last)
    last: int
    head: int
    kind: str  # person | state | org | pronoun | nominal
    actor: int | None = None
    country: str | None = None
    role: str = ""
    organ: str = ""
    members: tuple[int, ...] = ()  # actors of a plural role noun ("the presidents of X and Y")
    countries: tuple[str, ...] = ()  # the states such a plural names, until resolved


@lru_cache(maxsize=8192)
def fold_name(name: str) -> str:
    """Case, accents and ``y``/``i`` folded, so Shoygu, Shoigu and Erdoğan/Erdogan compare."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.casefold().replace("y", "i").replace("’", "'")


@lru_cache(maxsize=8192)
def name_tokens(name: str) -> frozenset[str]:
    """The folded words of a name; cached, as the same names recur in every article."""
    return frozenset(fold_name(t) for t in name.replace("-", " ").split() if len(t) > 1)


@lru_cache(maxsize=16384)
def tokens_match(a: str, b: str) -> bool:
    """Same name word, allowing transliteration variants of longer words (Shoygu/Shougu)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0]:
        return False
    return fuzz.ratio(a, b) >= 80


def _matches_any(word: str, tokens: set[str] | frozenset[str]) -> bool:
    """``any(tokens_match(word, t) for t in tokens)``, the exact test first: a fuzzy match
    needs a word of five letters or more and a token of the same first letter."""
    if word in tokens:
        return True
    if len(word) < 5:
        return False
    first = word[:1]
    for t in tokens:  # noqa: SIM110 - a plain loop, no generator: runs for every word of every name against everyone
        if t[:1] == first and tokens_match(word, t):
            return True
    return False


@dataclass
class TitleInfo:
    title: str = ""
    role: str = ""
    organ: str = ""
    country: str | None = None
    start: int = -1  # first item of the phrase that carried the title
    end: int = -1  # one past its last item
    honorific: bool = False  # "Hon.", "Dato'", "Mr": a person's name follows, office unknown


def scan_chain(items: list[Item], lo: int, hi: int, lex: Lexicon) -> TitleInfo:
    """Read a title phrase (titles, places, bodies, fillers) from items[lo:hi]."""
    info = TitleInfo(start=lo, end=hi)
    for item in items[lo:hi]:
        if item.kind == "title" and item.ref == HONORIFIC:
            info.honorific = True
        elif item.kind == "title":
            info.title = f"{info.title} {item.text}".strip() if info.title else item.text
            info.role = item.ref or info.role
        elif item.kind == "place":
            info.country = info.country or item.ref
        elif item.kind == "body":
            info.organ = info.organ or item.low
    return info


def chain_back(items: list[Item], end: int, floor: int, lex: Lexicon) -> int:
    """Start of the title phrase that ends just before ``end``."""
    i = end
    while i > floor and end - i < _MAX_CHAIN:
        prev = items[i - 1]
        if (
            prev.kind == "place"
            and prev.how == "seat"  # "from US Secretary X" keeps its state
            and i - 2 >= floor
            and items[i - 2].low in _PLACE_PREPOSITIONS
        ):
            break  # "In Nairobi Ugandan President X": Nairobi is where, not whose
        if (  # "Under-Secretary-General for Political Affairs X"
            prev.kind == "name"
            and prev.how == "org"
            and i - 3 >= floor
            and items[i - 2].low in ("for", "of")
            and items[i - 3].kind in ("title", "org")
        ):
            i -= 2
            continue
        if _unknown_demonym(prev) and items[i].kind == "title":
            i -= 1  # "Tarskan Foreign Minister X": a state's adjective the lexicon lacks
            continue
        if prev.kind == "name" and prev.how == "portfolio":  # "the envoy for the Arctic, X"
            back = 2 + (items[i - 2].low == "the")  # to the title before "for (the)"
            if i - back - 1 < floor:
                break
            i -= back
            continue
        if prev.kind in ("title", "place", "body", "org", "poss") or (
            prev.kind == "word" and prev.low in lex.fillers
        ):
            i -= 1
        else:
            break
    while i < end and items[i].kind in ("word", "poss") and items[i].low != "of":
        if items[i].low in ("the", "his", "her", "its", "their"):
            break
        i += 1
    return i


def _unknown_demonym(item: Item) -> bool:
    """A lone capitalised word shaped like a state's adjective ("Tarskan", "Veloni",
    "Ostrish") that the lexicon does not know: right before a title it is part of the title
    phrase, whose state stays unknown (no state is made up from it)."""
    return (
        item.kind == "name"
        and item.how == "person"
        and " " not in item.text
        and item.text.endswith(_DEMONYM_ENDINGS)
    )


# How English adjectives of states end ("Chilean", "Nepalese", "Danish", "Omani").
_DEMONYM_ENDINGS = ("an", "ese", "ish", "i")


def chain_forward(items: list[Item], start: int, ceiling: int, lex: Lexicon) -> int:
    i = start
    while i < ceiling and i - start < _MAX_CHAIN:
        item = items[i]
        if item.kind in ("title", "place", "body", "org", "poss") or (
            item.kind == "word" and item.low in lex.fillers
        ):
            i += 1
        else:
            break
    return i


def title_before(items: list[Item], idx: int, floor: int, lex: Lexicon) -> TitleInfo | None:
    """Title phrase right before a name ("China's President"), or before a comma that sets
    the name off ("The President of Kazakhstan, Kassem-Jomart Tokayev")."""
    end = idx
    if idx - 1 > floor and items[idx - 1].text == ",":
        end = idx - 1
    start = chain_back(items, end, floor, lex)
    info = scan_chain(items, start, end, lex)
    if not info.role and not (info.honorific and end == idx):
        return None
    if end != idx and items[start].low not in DETERMINERS and items[end - 1].kind == "poss":
        return None
    if end == idx and items[idx - 1].kind not in ("title", "place", "org", "name"):
        return None  # an org or portfolio may close a title ("Director of IOM X")
    return info


def title_after(items: list[Item], idx: int, ceiling: int, lex: Lexicon) -> TitleInfo | None:
    """Appositive title after a name: "Sergey Shoigu, the Secretary of the ... Council"."""
    if idx + 2 >= ceiling or items[idx + 1].text != ",":
        return None
    start = idx + 2
    end = chain_forward(items, start, ceiling, lex)
    if end < ceiling and items[end].kind == "name":
        return None  # "Mr Lee, Korean Foreign Minister Park Jin": the title is Park's
    info = scan_chain(items, start, end, lex)
    if not info.role or (items[start].kind == "word" and items[start].low not in DETERMINERS):
        return None
    return info


class ActorTable:
    """The actors of one article, built while mentions are read in order."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.actors: list[Actor] = []
        self._states: dict[str, int] = {}
        self._orgs: dict[str, int] = {}
        self._people: list[int] = []  # indices of the person actors, in table order
        # find_person's answers, valid until a person is added or one's tokens grow
        self._found: dict[str, int | None] = {}

    def state(self, code: str) -> int:
        if code not in self._states:
            name = self.lex.country_names.get(code, code)
            self._states[code] = self._add(Actor(name, "state", code, key=code))
        return self._states[code]

    def org(self, name: str, country: str | None = None, key: str | None = None) -> int:
        key = key or f"{country or ''}:{fold_name(name)}"
        if key not in self._orgs:
            self._orgs[key] = self._add(Actor(name, "organisation", country, key=key))
        return self._orgs[key]

    def person(self, name: str, info: TitleInfo | None, found: int | None = None) -> int:
        """The person this name refers to: an existing one sharing its words (``found``, when
        the caller has just looked it up with :meth:`find_person`), or a new one."""
        if found is None:
            found = self.find_person(name)
        if found is None:
            found = self._add(
                Actor(name, "person", tokens=set(name_tokens(name)), key=fold_name(name))
            )
        actor = self.actors[found]
        if len(name.split()) > len(actor.name.split()):
            actor.aliases.add(actor.name)
            actor.name = name
        elif name != actor.name:
            actor.aliases.add(name)
        words = name_tokens(name)
        if not words <= actor.tokens:
            actor.tokens |= words
            self._found.clear()
        if info is not None:
            self._learn(actor, info)
        return found

    def find_person(self, name: str) -> int | None:
        """The person whose name words cover this name's, or whose words this name covers
        (transliteration variants allowed, :func:`tokens_match`); the one sharing the most
        words, the first added among equals; None if no one. Cached until the people change.
        """
        if name in self._found:
            return self._found[name]
        words = name_tokens(name)
        best, best_score = None, 0
        for i in self._people if words else ():
            tokens = self.actors[i].tokens
            score = 0
            for w in words:
                if _matches_any(w, tokens):
                    score += 1
            covers = score == len(words) or (score and score >= len(tokens))
            if covers and score > best_score:
                best, best_score = i, score
        self._found[name] = best
        return best

    def _learn(self, actor: Actor, info: TitleInfo) -> None:
        if info.role and (not actor.role or actor.role in ("counterpart", "official", "leader")):
            actor.role = info.role or actor.role
            actor.title = info.title or actor.title
        actor.country = actor.country or info.country
        actor.organ = actor.organ or info.organ

    def _add(self, actor: Actor) -> int:
        self.actors.append(actor)
        if actor.kind == "person":
            self._people.append(len(self.actors) - 1)
            self._found.clear()
        return len(self.actors) - 1
