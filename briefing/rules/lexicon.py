"""The rules backend's word lists, loaded once from ``data/*.toml`` and compiled to regexes.

The lists are data, not code, so that a newsroom can add a title or an organisation without
touching the patterns; their bytes are hashed into ``DATA_VERSION`` so that caches keyed on
the backend's prompt version notice any edit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

try:  # tomllib's own code, compiled: ~4x faster (pyproject.toml)
    import tomli as toml
except ImportError:  # a checkout installed before tomli was a dependency: same results
    import tomllib as toml  # type: ignore[no-redef]

# Bump when the extraction code changes in a way that changes its output.
RULES_VERSION = "rules-v1.1"
DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILES = ("countries.toml", "organisations.toml", "lexicon.toml", "topics.toml")


@dataclass(frozen=True)
class Place:
    """A surface form of a state: its ISO code and how it names it (name, adj or seat)."""

    code: str
    how: str


@dataclass(frozen=True)
class Org:
    ident: str
    name: str


@dataclass(frozen=True)
class Lexicon:
    places: dict[str, Place]
    country_names: dict[str, str]
    country_adj: dict[str, str]
    orgs: dict[str, Org]
    titles: dict[str, str]
    role_fits: dict[str, tuple[str, ...]]
    fillers: frozenset[str]
    sides: frozenset[str]
    speech: frozenset[str]
    address: frozenset[str]
    audience: tuple[str, ...]
    meeting_verbs: frozenset[str]
    meeting_nouns: frozenset[str]
    visits: frozenset[str]
    phone: frozenset[str]
    sidelines: tuple[str, ...]
    planned: tuple[str, ...]
    negated: tuple[str, ...]
    status_neutral: tuple[str, ...]
    hearsay: tuple[str, ...]
    negation_re: re.Pattern[str]
    absence: tuple[str, ...]
    absence_re: re.Pattern[str]
    denials: tuple[str, ...]
    background: tuple[str, ...]
    unmet: tuple[str, ...]
    stances: dict[str, str]
    not_names: frozenset[str]
    vocabulary: frozenset[str]
    org_heads: frozenset[str]
    particles: frozenset[str]
    place_re: re.Pattern[str]
    org_re: re.Pattern[str]
    body_re: re.Pattern[str]
    title_re: re.Pattern[str]

    def fits(self, role: str, actor_role: str) -> bool:
        """Whether a role noun (``leader``) may refer to someone holding ``actor_role``."""
        allowed = self.role_fits.get(role, (role,))
        return "*" in allowed or actor_role in allowed


def alternation(phrases: Iterable[str], *, ignore_case: bool = False, plural: bool = False) -> str:
    """A regex for any of ``phrases``, longest first, whitespace-tolerant, whole words only.

    Longest first makes "Russian Federation" win over "Russian"; the look-arounds instead of
    ``\\b`` let phrases that end in a dot ("U.S.") match at a word's end; the look-ahead on
    the first letters lets the engine skip most positions without trying hundreds of names.
    The phrases are merged into a trie (``Russia(?:n(?:\\s+Federation)?)?``), so at a word the
    engine follows one branch a character instead of trying every phrase with that first
    letter; greedy optional branches try the longer phrase first, and back off to a shorter
    one when the longer fails, which is what one alternative per phrase, longest first, does.
    """
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = _trie_pattern(_trie(ordered, ignore_case)) or "(?!)"
    firsts = {p[0] for p in ordered}
    if ignore_case:
        firsts |= {c.swapcase() for c in firsts}
    guard = "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]" if firsts else "(?!)"
    suffix = "(?:s|es)?" if plural else ""
    flags = "(?i)" if ignore_case else ""
    return rf"{flags}(?<![\w.])(?={guard})(?:{body}){suffix}(?![\w])"


_END = ""  # a trie node's key for "a phrase ends here"; every other key is one character
_GAP = " "  # the key for the whitespace between two words (no word holds a space)


def _trie(phrases: Iterable[str], ignore_case: bool) -> dict[str, Any]:
    """The phrases' characters as nested dicts, words joined by ``_GAP``; lower case keys
    when case is ignored (but a character whose lower case is longer stays as it is)."""
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for n, word in enumerate(phrase.split()):
            if n:
                node = node.setdefault(_GAP, {})
            for c in word:
                low = c.lower()
                node = node.setdefault(low if ignore_case and len(low) == 1 else c, {})
        if node is not root:
            node[_END] = {}
    return root


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [
        _key_pattern(key) + _trie_pattern(child)
        for key, child in sorted(node.items())
        if key != _END
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body


@cache
def _key_pattern(key: str) -> str:
    """A trie key as regex: ``\\s+`` for the gap between words, else the escaped character
    (memoised: the lexicon's tries hold ~6,000 keys over ~70 distinct characters)."""
    return r"\s+" if key == _GAP else re.escape(key)


def _places(countries: dict[str, Any]) -> dict[str, Place]:
    places: dict[str, Place] = {}
    for code, entry in countries.items():
        for how in ("names", "adj", "seats"):
            for surface in entry.get(how, []):
                places.setdefault(surface, Place(code, how.rstrip("s")))
    return places


def _orgs(table: dict[str, Any]) -> dict[str, Org]:
    orgs: dict[str, Org] = {}
    for ident, entry in table.items():
        org = Org(ident, entry["name"])
        for surface in [entry["name"], *entry.get("aliases", [])]:
            orgs[surface] = org
    return orgs


@cache
def _read(name: str) -> dict[str, Any]:
    """One data file, parsed once per process (a dozen word lists read ``lexicon.toml``; parsing
    it takes about 1 ms with tomli, 5 with tomllib). Shared, so callers copy what they keep and
    never change it."""
    return toml.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _either(table: dict[str, Any], *keys: str) -> str:
    """A regex alternation of the phrases of ``table[key]`` for each key (absent: none)."""
    phrases = [p for key in keys for p in table.get(key, ())]
    return "|".join(map(re.escape, phrases)) or "(?!)"


@cache
def lexicon() -> Lexicon:
    """The compiled lexicon; built once per process (about 20 ms)."""
    countries, organisations, lex = (_read(n) for n in DATA_FILES[:3])
    places = _places(countries)
    orgs = _orgs(organisations)
    titles = {k.lower(): v for k, v in lex["titles"].items()}
    meetings, speech, names = lex["meetings"], lex["speech"], lex["names"]
    phrases = [
        *speech["verbs"],
        *meetings["verbs"],
        *meetings["nouns"],
        *meetings["visits"],
        *lex["stances"],
    ]
    return Lexicon(
        places=places,
        country_names={code: entry["names"][0] for code, entry in countries.items()},
        country_adj={code: e["adj"][0] for code, e in countries.items() if e.get("adj")},
        orgs=orgs,
        titles=titles,
        role_fits={k: tuple(v) for k, v in lex["role_fits"].items()},
        fillers=frozenset(lex["title_fillers"]["words"]),
        sides=frozenset(lex["sides"]["words"]),
        speech=frozenset(speech["verbs"]),
        address=frozenset(speech["address"]),
        audience=tuple(speech["audience"]),
        meeting_verbs=frozenset(meetings["verbs"]),
        meeting_nouns=frozenset(meetings["nouns"]),
        visits=frozenset(meetings["visits"]),
        phone=frozenset(meetings["phone"]),
        sidelines=tuple(meetings["sidelines"]),
        planned=tuple(meetings["planned"]),
        negated=tuple(meetings["negated"]),
        status_neutral=tuple(meetings.get("status_neutral", ())),
        hearsay=tuple(meetings.get("hearsay", ())),
        absence=tuple(meetings.get("absence", ())),
        absence_re=re.compile(
            # "were never held" tells of a meeting that did not take place, not an absence
            rf"(?<!\bwas)(?<!\bwere) (?:{_either(meetings, 'absence_negators')})"
            rf"(?: \w+)? (?:{_either(meetings, 'negatable')}) "
            rf"| (?:{_either(meetings, 'absence_event_negators')})(?: \w+)?"
            rf" (?:{_either(meetings, 'events')}) "
        ),
        negation_re=re.compile(
            rf" (?:{_either(meetings, 'negators')})"
            rf"(?: \w+)? (?:{_either(meetings, 'negatable', 'events')}) "
        ),
        denials=tuple(meetings.get("denials", ())),
        background=tuple(meetings.get("background", ())),
        unmet=tuple(meetings.get("unmet", ())),
        stances={k.lower(): v for k, v in lex["stances"].items()},
        not_names=frozenset(names["not_names"]),
        # pattern words never start a name, nor do refusal words ("Secretary Postpones Visit")
        vocabulary=frozenset(p for p in [*phrases, *meetings["negated"]] if " " not in p),
        org_heads=frozenset(names["org_heads"]),
        particles=frozenset(names["particles"]),
        place_re=re.compile(alternation(places)),
        org_re=re.compile(alternation(orgs)),
        body_re=re.compile(alternation(lex["bodies"]["phrases"], ignore_case=True)),
        title_re=re.compile(alternation(titles, ignore_case=True, plural=True)),
    )


@dataclass(frozen=True)
class Vocabulary:
    """The word lists of positions and reported speech (``topics.toml`` and the ``stances``
    and ``reports`` tables of ``lexicon.toml``), kept apart from ``Lexicon`` because only the
    position and claim patterns read them."""

    relation_nouns: frozenset[str]
    pair_words: frozenset[str]
    strengthen: frozenset[str]
    conflict_nouns: dict[str, str]
    conflict_context: frozenset[str]
    peace: frozenset[str]
    issues: dict[str, str]
    issue_re: re.Pattern[str]
    positive: re.Pattern[str]
    negative: re.Pattern[str]
    copulas: frozenset[str]
    org_anaphors: frozenset[str]
    lead: frozenset[str]
    trailing: frozenset[str]
    stop: frozenset[str]
    stance_past: dict[str, str]
    weak_cues: frozenset[str]
    owned_cues: frozenset[str]
    report_verbs: frozenset[str]
    bare_verbs: frozenset[str]
    outlets: frozenset[str]
    outlet_heads: frozenset[str]
    documents: frozenset[str]
    content_nouns: frozenset[str]
    noun_forms: frozenset[str]
    noun_openers: frozenset[str]
    short_names: dict[str, str]


def _stems(stems: list[str]) -> re.Pattern[str]:
    """Words starting with any of ``stems`` ("stabiliz" finds "stabilizing")."""
    parts = sorted((r"\s+".join(map(re.escape, s.split())) for s in stems), key=len, reverse=True)
    return re.compile(r"(?i)(?<![\w-])(?:" + "|".join(parts) + ")")


@cache
def vocabulary() -> Vocabulary:
    """The compiled position and report vocabulary; built once per process."""
    lex, topics, countries = _read("lexicon.toml"), _read("topics.toml"), _read("countries.toml")
    relations, conflicts = topics["relations"], topics["conflicts"]
    evaluation, phrases, reports = topics["evaluation"], topics["phrases"], lex["reports"]
    issues = {k.casefold(): v for k, v in topics["issues"].items()}
    return Vocabulary(
        relation_nouns=frozenset(relations["nouns"]),
        pair_words=frozenset(relations["pair_words"]),
        strengthen=frozenset(relations["strengthen"]),
        conflict_nouns=dict(conflicts["nouns"]),
        conflict_context=frozenset(conflicts["context"]),
        peace=frozenset(conflicts["peace"]),
        issues=issues,
        issue_re=re.compile(alternation(topics["issues"], ignore_case=True)),
        positive=_stems(evaluation["positive"]),
        negative=_stems(evaluation["negative"]),
        copulas=frozenset(evaluation["copulas"]),
        org_anaphors=frozenset(evaluation["org_anaphors"]),
        lead=frozenset(phrases["lead"]),
        trailing=frozenset(phrases["trailing"]),
        stop=frozenset(phrases["stop"]),
        stance_past=dict(lex["stance_past"]),
        weak_cues=frozenset(lex["weak_cues"]["words"]),
        owned_cues=frozenset(lex["owned_cues"]["words"]),
        report_verbs=frozenset(reports["verbs"]),
        bare_verbs=frozenset(reports["bare"]),
        outlets=frozenset(reports["outlets"]),
        outlet_heads=frozenset(reports["outlet_heads"]),
        documents=frozenset(reports["documents"]),
        content_nouns=frozenset(reports["content_nouns"]),
        noun_forms=frozenset(reports.get("noun_forms", ())),
        noun_openers=frozenset(reports.get("noun_openers", ())),
        short_names={code: e["short"] for code, e in countries.items() if "short" in e},
    )


@cache
def meeting_words(*keys: str) -> tuple[str, ...]:
    """The phrases of the ``[meetings]`` lists ``keys`` of lexicon.toml, in order (a missing
    list is empty)."""
    table = _read("lexicon.toml")["meetings"]
    return tuple(p for key in keys for p in table.get(key, ()))


def either(phrases: Iterable[str]) -> str:
    """A regex alternation of ``phrases`` (no flags, no anchors), one alternative each,
    longest first, words apart by any white space; ``(?!)`` for none. For the patterns that
    put a phrase list between other parts; :func:`alternation` is the whole-word trie."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered) or "(?!)"


@cache
def word_list(key: str) -> frozenset[str]:
    """One closed word class from the ``[syntax]`` table of lexicon.toml."""
    return frozenset(_read("lexicon.toml")["syntax"][key])


@cache
def data_version() -> str:
    """A short hash of the pattern data and the code version: the backend's prompt_version."""
    digest = hashlib.sha256(RULES_VERSION.encode())
    for name in DATA_FILES:
        digest.update((DATA_DIR / name).read_bytes())
    return f"{RULES_VERSION}+{digest.hexdigest()[:12]}"
