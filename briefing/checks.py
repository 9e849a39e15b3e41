"""The checks a model's answer must pass, one function per fact, each returning what is wrong.

Each check returns ``None`` when the item holds, else a :class:`Problem`: the field at fault and
a message written for the model (what is wrong, the whole offending value, what the article
says, what to do). ``briefing.drafts`` runs them inside the draft validators and
``briefing.validation`` turns the problems of one answer into the re-ask.

The facts themselves come from ``briefing.facts`` (DESIGN.md principle 5): whether a meeting
was held, planned or cancelled, and who the article gives a quote to, are decided there for the
rules extractor and these checks alike. Names are compared with the spelling tolerance of actor
resolution (``briefing.actors``: transliteration, diacritics, registry aliases), as whole words.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

from briefing.actors import (
    ActorRegistry,
    fold_name,
    same_person,
    skeleton,
    skeleton_word,
    split_title,
    surname_fits,
    words_compatible,
)
from briefing.consolidate.dates import resolve_date  # one place turns date words into dates
from briefing.facts import (
    NamedActor,
    by_phone,
    denied_cancellations,
    denied_refusal,
    meeting_by_phone,
    meeting_spans,
    meeting_status,
    meeting_statuses,
    named_actors,
    quote_attributions,
    quoted_spans,
    tells_held,
    visit_unmet,
    voices,
)
from briefing.rules.text import MONTHS
from briefing.schemas import ActorKind, Article, Evidence


@lru_cache(maxsize=1)
def _word_lists() -> dict[str, frozenset[str]]:
    """Pronouns, determiners and description words: ``briefing/data/names.toml``."""
    text = resources.files("briefing").joinpath("data/names.toml").read_text("utf-8")
    return {k: frozenset(v) for k, v in tomllib.loads(text).items()}


NAMES_SHOWN = 8


@dataclass(frozen=True)
class Problem:
    """What is wrong with one item: the ``field`` at fault (``""`` for the item as a whole) and
    a ``message`` for the model."""

    field: str
    message: str


class ItemProblem(ValueError):
    """Raised inside a draft validator; pydantic keeps it in the error's ``ctx`` so the item
    check can read ``field`` back and name the path (``claims[2].speaker``)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@lru_cache(maxsize=1)
def registry() -> ActorRegistry:
    return ActorRegistry.load(None)


_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@lru_cache(maxsize=16384)  # the same names and sentences are read for item after item
def _words(text: str) -> tuple[str, ...]:
    """Skeleton words of ``text``; soft hyphens and zero-width characters never split a word."""
    return tuple(skeleton_word(w) for w in fold_name(_INVISIBLE.sub("", text)).split())


@lru_cache(maxsize=64)
def _by_initial(words: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """Where each first letter starts a word of ``words`` (compatible words share it)."""
    at: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        at.setdefault(word[:1], []).append(i)
    return {letter: tuple(where) for letter, where in at.items()}


def _in_sequence(name: Sequence[str], words: Sequence[str], prefix_last: bool = False) -> bool:
    """``name`` as consecutive whole words of ``words`` (each spelled compatibly); with
    ``prefix_last`` its last word may begin a longer word (``Russia`` in ``Russian``).
    Only windows starting at a word with the name's first letter are tried: compatible
    words, and a word a name's last word begins, always share their first letter."""
    if not name:
        return False
    starts = _by_initial(tuple(words)).get(name[0][:1], ())
    return any(_name_at(name, words, i, prefix_last) for i in starts)


def _name_at(name: Sequence[str], words: Sequence[str], i: int, prefix_last: bool) -> bool:
    """Whether ``name`` (not empty) stands as consecutive words of ``words`` from index ``i``,
    each spelled compatibly; with ``prefix_last`` its last word may begin a longer word."""
    n = len(name)
    if i > len(words) - n:
        return False
    window = words[i : i + n - 1]
    if not all(words_compatible(a, b) for a, b in zip(name[:-1], window, strict=True)):
        return False
    last, word = name[-1], words[i + n - 1]
    return words_compatible(last, word) or (
        prefix_last and len(last) >= 4 and word.startswith(last)
    )


# Lower-case words a proper name of a state or organisation may hold between its capitalised
# ones ("Doctors without Borders", "Bank for International Settlements", "al-Shabaab").
_NAME_LINKS = frozenset(
    {"a", "an", "and", "at", "de", "del", "der", "des", "di", "du", "for", "in", "la", "le"}
    | {"of", "on", "the", "to", "von", "without", "al", "el", "bin", "ibn"}
)


def _capitalised(name: str) -> bool:
    """Whether ``name`` is written as a proper name: every word capitalised (or an acronym, a
    number, or a linking word such as "of"), so a phrase of the article ("the talks marked the
    anniversary") is not taken for a state or an organisation. Hyphenated parts count apart."""
    parts = [p for w in name.split() for p in w.strip("\"'‘’“”()[],.;:").split("-") if p]
    if not any(p[:1].isupper() for p in parts):
        return False
    return all(
        p[:1].isupper() or p[:1].isdigit() or p.casefold() in _NAME_LINKS
        or any(c.isupper() for c in p)  # "iPhone"-like brands, "McDonald"
        for p in parts
    )


def _is_description(words: Sequence[str], kind: ActorKind) -> bool:
    reg, lists = registry(), _word_lists()
    generic = [
        any(w in lists[k] for k in ("determiners", "pronouns", "descriptions"))
        or (kind == "person" and reg.is_title_word(w))
        for w in words
    ]
    if all(generic):
        return True
    # "the Estonian side", "Finnish minister": no person's name ends in a description word
    return kind == "person" and (
        words[0] in lists["determiners"] or words[-1] in lists["descriptions"]
    )


def _named(text: str) -> tuple[NamedActor, ...]:
    """The article's actors as ``briefing.facts`` reads them (a capital standing for its state
    counts), read without soft hyphens and zero-width characters, which split names."""
    return named_actors(_INVISIBLE.sub("", text))


def _given_compatible(a: str, b: str) -> bool:
    """Given names up to transliteration, including a dropped initial Y (Yelena/Elena)."""
    return words_compatible(a, b) or a.removeprefix("i") == b.removeprefix("i")


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if same_person(a, b) or same_person(a[::-1], b):
        return True
    if len(a) != 2 or len(b) != 2:
        return False
    return words_compatible(a[-1], b[-1]) and _given_compatible(a[0], b[0])


def _fits(name: tuple[str, ...], actor: NamedActor) -> bool:
    for form in (actor.name, *actor.aliases):
        other = _words(form)
        if other == name or _same_person(name, other):
            return True
    return False


def _person_found(name: tuple[str, ...], text: str, actors: Sequence[NamedActor]) -> bool:
    """A full name the article gives (or its spelling variant); or, for a name of two words or
    more, its surname (last word, or first in Chinese order) as a whole word, when the article
    names no other person of that surname."""
    words = _words(text)
    if _in_sequence(name, words):
        return True
    people = [a for a in actors if a.kind == "person"]
    if any(_fits(name, a) for a in people):
        return True
    if len(name) < 2:
        return False
    for surname in (name[-1], name[0]):
        # a surname alone must be spelled alike (up to transliteration), not merely close
        if len(surname) < 2 or not any(
            w == surname or (min(len(w), len(surname)) >= 6 and words_compatible(w, surname))
            for w in words
        ):
            continue
        others = [a for a in people if any(surname in skeleton(f) for f in (a.name, *a.aliases))]
        if not any(len(skeleton(a.name)) > 1 for a in others):
            return True
    return False


def _registry_found(name: str, text: str) -> bool:
    entry = registry().lookup(name)
    if entry is None:
        return False
    words = _words(text)
    return any(_in_sequence(skeleton(n), words, prefix_last=True) for n in entry.names)


def names_given(text: str, kind: ActorKind) -> list[str]:
    """The names of that kind the article gives (people for a person, else states and
    organisations), first mention first, for a message."""
    want = {"person"} if kind == "person" else {"state", "organisation"}
    return [a.name for a in _named(text) if a.kind in want]


def _listing(text: str, kind: ActorKind) -> str:
    names = names_given(text, kind)
    if not names:
        return "The article names no one of that kind; leave this item out."
    shown = ", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else "")
    return f"Names the article gives: {shown}. Use one of them, or leave this item out."


def name_problem(name: str, kind: ActorKind, article: Article) -> Problem | None:
    """Whether ``name`` is a name the article uses for an actor of that kind, as whole words.

    Rejected: an empty name, a pronoun, a bare title or a description ("the minister", "the
    top diplomat", "an aide"), and a name the article never uses (even when a title in the
    article would fit it). Accepted: the article's own spelling or a transliteration of it
    (Shoigu/Shoygu, Zelensky/Selenskyi), a registry alias of a name the article uses, a full
    name whose surname the article uses for no one else, a state's name in its adjective
    (Russia in "Russian").

    A pure function of the name, the kind and the article's text (the registry is the bundled
    one), so its verdicts are cached: an answer names the same few actors in many items."""
    return _name_problem(" ".join(name.split()), kind, article.text)


@lru_cache(maxsize=4096)
def _name_problem(shown: str, kind: ActorKind, text: str) -> Problem | None:
    if not shown:
        return Problem("name", "an actor needs a name. " + _listing(text, kind))
    bare, _title = split_title(shown, kind, registry())
    words = fold_name(bare).split()
    known = registry().exact(bare) is not None or bare.isupper()  # "US" is no pronoun
    if not words or (
        not known
        and (_is_description(words, kind) or _is_description(fold_name(shown).split(), kind))
    ):
        pronoun = words and words[0] in _word_lists()["pronouns"]
        what = "a pronoun" if pronoun else "a title or description"
        return Problem(
            "name",
            f"{shown!r} is {what}, not a name. " + _listing(text, kind),
        )
    if kind != "person" and not known and not _capitalised(bare):
        return Problem(
            "name",
            f"{shown!r} is a phrase of the article, not the name of a state or organisation."
            " " + _listing(text, kind),
        )
    actors = _named(text)
    found = (
        _person_found(_words(bare), text, actors)
        if kind == "person"
        else _in_sequence(_words(bare), _words(text), prefix_last=True)
        or any(a.kind != "person" and _fits(_words(bare), a) for a in actors)
    )
    if found or _registry_found(bare, text):
        return None
    return Problem(
        "name",
        f"{shown!r} is not a name the article uses. " + _listing(text, kind),
    )


# --- direct quotes ------------------------------------------------------------------------


def inside_quotes(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies inside one pair of the article's quotation marks."""
    from briefing.facts import quoted_spans

    return any(lo <= start and end <= hi for lo, hi in quoted_spans(text))


def _speaker_fits(claimed: str, speaker: str, aliases: Sequence[str]) -> bool:
    bare = _words(split_title(claimed, "person", registry())[0])
    if not bare:
        return False
    for form in (speaker, *aliases):
        other = _words(form)
        if not other:
            continue
        if bare == other or same_person(bare, other) or same_person(bare[::-1], other):
            return True
        one, full = (bare, other) if len(bare) == 1 else (other, bare)
        if len(one) == 1 and len(full) > 1 and any(words_compatible(one[0], w) for w in full):
            return True
    return False


@dataclass(frozen=True)
class Attribution:
    """Who the article gives the quote at ``start``:``end`` to: ``speaker`` (None when the
    article does not say, as far as ``briefing.facts`` can tell) and whether the claimed
    speaker fits."""

    speaker: str | None
    fits: bool


def attribution(article: Article, start: int, end: int, claimed: str) -> Attribution:
    """The article's speaker for the quote at ``start``:``end`` compared with ``claimed``."""
    for a in quote_attributions(article.text):
        if a.start < end and start < a.end:
            return Attribution(a.speaker, _speaker_fits(claimed, a.speaker, a.aliases))
    return Attribution(None, False)


def pick_occurrence(article: Article, spans: Sequence[tuple[int, int]], claimed: str) -> int:
    """Of several places the same quoted words occur, the index of the one the article gives
    to ``claimed``; else the first inside quotation marks; else 0."""
    inside = [i for i, (s, e) in enumerate(spans) if inside_quotes(article.text, s, e)]
    for i in inside:
        if attribution(article, *spans[i], claimed).fits:
            return i
    return inside[0] if inside else 0


# --- meetings: status and dates -----------------------------------------------------------


def status_problem(
    article: Article,
    evidence: Evidence,
    status: str,
    date: dt.date | None = None,
    date_text: str | None = None,
) -> Problem | None:
    """A meeting given as ``held`` whose evidence speaks of the future or of a cancellation,
    or tells of a trip whose meetings the article says did not take place
    (``briefing.facts.visit_unmet``, read by the rules engine); or one given as
    ``planned`` whose evidence tells only a meeting that was held (:func:`_held_only`: "X met
    Y in Lunet on Monday"), unless the answer's ``date``/``date_text`` put it after the
    article's publication date (:func:`_dated_later`: the model may know better than the
    cue words); or one given as ``cancelled`` whose evidence tells only a held meeting
    (:func:`_held_only`) or denies the cancellation
    ("reports that X had cancelled his trip were false":
    ``briefing.facts.denied_cancellations``); or any meeting whose evidence only denies a
    refusal ("denied that X had refused to meet Y": no meeting at all,
    ``briefing.facts.denied_refusal``). ``status`` is the answer's ``held``, ``planned`` or
    ``cancelled``; the :class:`Problem` names field ``status`` and the status the passage
    reads."""
    if denied_refusal(article.text, evidence.start, evidence.end):
        return Problem(
            "status",
            f"the passage denies that the meeting was refused: {evidence.text!r}. It tells of"
            " no meeting, held, planned or cancelled: leave this item out, or give as passage"
            " a sentence that reports the meeting.",
        )
    if status == "cancelled":
        if _held_only(article, evidence):
            return _told_held(status, evidence, "a cancellation", "was called off")
        return _denied_cancellation(article, evidence)
    if status == "planned":
        if not _held_only(article, evidence) or _dated_later(article, date, date_text):
            return None
        return _told_held(status, evidence, "a plan", "is still to come")
    if status != "held":
        return None
    said = meeting_status(article.text, evidence.start, evidence.end)
    if said == "held":
        return _unmet_trip(article, evidence)
    read = set(meeting_statuses(article.text, evidence.start, evidence.end))
    if read == {"held"}:
        return None  # the cue belongs to something else: "met Y and said they will …"
    if said == "cancelled":
        what = "says the meeting was refused, called off or postponed"
    else:
        what = 'speaks of the future ("will", "is due to", "plans to", "invited … to visit")'
    return Problem(
        "status",
        f'status is "held" but the passage {what}: {evidence.text!r}. Set status to "{said}";'
        " or, if the article says elsewhere that the meeting took place, give that sentence as"
        " passage.",
    )


def _held_only(article: Article, evidence: Evidence) -> bool:
    """Whether the passage tells a held meeting and nothing of a plan: the rules engine reads
    it as ``held`` (no future, planned or cancellation cue: ``briefing.facts.meeting_status``),
    every meeting it reads there is ``held`` (``briefing.facts.meeting_statuses``, none read
    means it cannot tell: False), and it holds words that tell a meeting as it happened
    ("met", "held talks", "visited": ``briefing.facts.tells_held``)."""
    text, start, end = article.text, evidence.start, evidence.end
    if meeting_status(text, start, end) != "held":
        return False
    read = set(meeting_statuses(text, start, end))
    return read == {"held"} and tells_held(text, start, end)


def _told_held(status: str, evidence: Evidence, unsaid: str, elsewhere: str) -> Problem:
    """The re-ask for a ``planned`` or ``cancelled`` answer whose passage tells the meeting
    only as held (:func:`_held_only`): ``unsaid`` is what the passage does not tell ("a
    plan"), ``elsewhere`` what another sentence would have to say ("is still to come")."""
    return Problem(
        "status",
        f'status is "{status}" but the passage reports the meeting as held ("met", "held'
        f' talks", "visited"), with nothing of {unsaid}: {evidence.text!r}. Set status to'
        f' "held"; or, if the article says elsewhere that the meeting {elsewhere}, give that'
        " sentence as passage.",
    )


def _dated_later(article: Article, date: dt.date | None, date_text: str | None) -> bool:
    """Whether the answer dates the meeting after the article's publication date, by a date
    the article writes out (:func:`date_stated`) or by ``date_text`` read as a held meeting
    would be (``briefing.consolidate.dates.resolve_date``: "tomorrow", "14 June 2027"). A
    ``date`` neither written nor resolved that way does not count: a model that took the
    meeting for planned would put "on Monday" in the coming week. False without a
    publication date."""
    published = article.published
    if published is None:
        return False
    if date is not None and date > published and date_stated(article.text, date):
        return True
    resolved = resolve_date(date_text, published, "held")
    return resolved is not None and resolved > published


def _denied_cancellation(article: Article, evidence: Evidence) -> Problem | None:
    """A ``cancelled`` meeting whose passage denies the cancellation and reads otherwise once
    the denied words are set aside (a refusal elsewhere in the passage still counts)."""
    text = article.text
    if not denied_cancellations(text, evidence.start, evidence.end):
        return None
    said = meeting_status(text, evidence.start, evidence.end)
    if said == "cancelled":
        return None
    return Problem(
        "status",
        f'status is "cancelled" but the passage denies the cancellation: {evidence.text!r}.'
        f' Set status to "{said}"; or, if the article says elsewhere that the meeting was'
        " called off, give that sentence as passage.",
    )


def format_problem(
    article: Article, evidence: Evidence, meeting_format: str | None, location: str | None
) -> Problem | None:
    """A call cited with a sentence that reports only a meeting in person, or a meeting in
    person (a place, or an in-person format) cited with one that reports only a call: the
    record and its evidence are two events (an answer that swapped two sentence numbers).
    Read by the rules engine (``briefing.facts.meeting_by_phone``); no problem when it reads
    no meeting there or cannot tell."""
    claimed = by_phone(meeting_format, location)
    if claimed is None:
        return None
    read = set(meeting_by_phone(article.text, evidence.start, evidence.end))
    if read != {not claimed}:
        return None
    said, record = (
        ("a phone call", "in person") if claimed is False else ("a meeting in person", "a call")
    )
    return Problem(
        "sentence",
        f"this meeting is {record}, but the passage reports {said}: {evidence.text!r}. Give the"
        " sentence that reports this meeting, or correct its format and location.",
    )


# Characters after a passage in which words saying a trip's meetings failed may stand (the
# rules engine reads its own sentence and three more; a cancellation it reads with none of
# these words near is not this trip's).
_UNMET_CHARS = 1500


def _unmet_trip(article: Article, evidence: Evidence) -> Problem | None:
    """A passage that reads as held but tells of a trip whose meetings the article says did
    not take place: every meeting the rules engine reads there is ``cancelled``."""
    text = article.text
    if set(meeting_statuses(text, evidence.start, evidence.end)) != {"cancelled"}:
        return None  # the usual case, and a lookup in the one rules read of the article
    reach = min(len(text), evidence.end + _UNMET_CHARS)
    if (
        visit_unmet(text, evidence.start, reach) is None
        and meeting_status(text, evidence.start, reach) != "cancelled"
    ):
        return None  # no such words near: the engine's cancellation is of something else
    return Problem(
        "status",
        f'status is "held" but the passage tells of a trip whose meetings the article says'
        f' did not take place: {evidence.text!r}. Set status to "cancelled"; or, if the'
        " article says elsewhere that the meeting took place, give that sentence as passage.",
    )




def date_stated(text: str, date: dt.date) -> bool:
    """Whether the article writes ``date`` out: ISO, "14 March", "March 14", "14.03.2026"."""
    month = MONTHS[date.month - 1]
    folded = " ".join(text.casefold().split())
    patterns = (
        rf"\b{date.isoformat()}\b",
        rf"\b{date.day}(?:st|nd|rd|th)? (?:of )?{month}\b",
        rf"\b{month} {date.day}(?:st|nd|rd|th)?\b",
        rf"\b0?{date.day}\.0?{date.month}\.(?:{date.year})?",
    )
    return any(re.search(p, folded) for p in patterns)


def date_problem(
    article: Article, date: dt.date | None, date_text: str | None, status: str
) -> Problem | None:
    """A ``date`` the article neither states nor lets the product resolve from its publication
    date, or a meeting held after the article was published."""
    if date is None:
        return None
    if article.published is not None and status == "held" and date > article.published:
        return Problem(
            "date",
            f"date {date.isoformat()} is after the article's publication date"
            f" ({article.published.isoformat()}), so the meeting cannot have been held then."
            " Leave date null and keep the article's words in date_text, or fix status.",
        )
    if date_stated(article.text, date):
        return None
    if resolve_date(date_text, article.published, status) is not None:  # type: ignore[arg-type]
        return None  # the product resolves it (``to_record``), whatever the model computed
    return Problem(
        "date",
        f"date {date.isoformat()} is not written in the article and cannot be worked out from"
        " it. Leave date null and keep the article's words in date_text.",
    )



# --- citations: the cited sentences report the item ---------------------------------------

# Third-person pronouns as anaphors: "one" stands for a person, "thing" for a state or an
# organisation, "group" for either (the rules engine leaves "they" unresolved).
_PRONOUN_KINDS = {
    "he": "one", "him": "one", "his": "one", "she": "one", "her": "one", "hers": "one",
    "it": "thing", "its": "thing", "they": "group", "them": "group", "their": "group",
    "theirs": "group",
}  # fmt: skip
# Determiners that make a description an anaphor ("the minister", "both sides"); indefinite
# ones ("a spokesman", "another official") bring in someone new.
_DEFINITE = frozenset({"the", "his", "her", "their", "its", "this", "that", "these", "those"})
_PLURAL_DETERMINERS = frozenset({"both", "two", "three", "these", "those"})
# Description words that only modify a head ("the foreign policy", "the security situation").
_MODIFIERS = frozenset(
    {"top", "senior", "prime", "general", "foreign", "defence", "defense", "security", "deputy"}
)
# How many sentences back a singular anaphor ("she", "the minister") may find its antecedent;
# a plural one ("the two ministers", "both sides") refers to a group named anywhere before.
ANAPHOR_REACH = 2
NUMBERS_SHOWN = 6
_WORD_RE = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class _Cited:
    """One sentence of the article as the citation check reads it: its skeleton ``words``,
    the actors (indices into ``briefing.facts.named_actors``) its mentions stand for, with
    pronouns and role nouns resolved by the rules engine, the countries they carry, which
    anaphors it holds that the engine left unresolved (``one``, ``thing``, ``group``), and
    whether it reports a meeting. The last two are read when first asked for: most items
    name their actors outright, and most sentences are cited by no meeting."""

    words: tuple[str, ...]
    actors: frozenset[int]
    countries: frozenset[str]
    loose: frozenset[str]  # countries of its mentions that stand for no person
    voiceless: bool  # holds quoted words whose speaker the rules engine cannot tell
    text: str = field(repr=False)  # the article
    start: int = field(repr=False)
    end: int = field(repr=False)
    covered: tuple[tuple[int, int], ...] = field(repr=False)  # mentions the engine resolved
    pronouns: frozenset[str] = field(repr=False)  # kinds of its unresolved pronouns

    @cached_property
    def anaphors(self) -> frozenset[str]:
        sentence = self.text[self.start : self.end]
        return frozenset(self.pronouns | _descriptions(sentence, self.start, self.covered))

    @cached_property
    def _words_of_meeting(self) -> tuple[bool, bool]:
        return _meeting_words(self.text[self.start : self.end])

    @cached_property
    def meeting(self) -> bool:
        """Reports a meeting: the rules engine reads one, or a meeting word."""
        read = any(lo < self.end and self.start < hi for lo, hi in meeting_spans(self.text))
        return read or self._words_of_meeting[0]

    @property
    def detail(self) -> bool:
        """Holds a word of a meeting's detail ("shook hands", "touched on")."""
        return self._words_of_meeting[1]


@lru_cache(maxsize=64)
def _sentence_starts(text: str) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
    from briefing.grounding import sentence_spans

    spans = tuple(sentence_spans(text))
    return tuple(s for s, _ in spans), spans


def _sentence_of(text: str, at: int) -> int:
    """The prompt sentence (0-based, ``briefing.grounding.sentence_spans``) that holds the
    character offset ``at``; -1 when none does (before the first, or between two)."""
    starts, spans = _sentence_starts(text)
    n = bisect_right(starts, at) - 1
    return n if n >= 0 and at < spans[n][1] else -1


@lru_cache(maxsize=64)
def _cited_sentences(text: str) -> tuple[_Cited, ...]:
    """Each sentence of the prompt (``briefing.grounding.sentence_spans``) as the citation
    check reads it, from the one rules read of the article that ``briefing.facts`` keeps."""
    from briefing.facts import actor_mentions
    from briefing.grounding import sentence_spans

    spans = sentence_spans(text)
    actors: list[set[int]] = [set() for _ in spans]
    countries: list[set[str]] = [set() for _ in spans]
    pronouns: list[set[str]] = [set() for _ in spans]
    covered: list[list[tuple[int, int]]] = [[] for _ in spans]
    loose: list[set[str]] = [set() for _ in spans]
    named = named_actors(text)
    for m in actor_mentions(text):
        n = _sentence_of(text, m.start)
        if n < 0:
            continue
        countries[n].update(m.countries)
        if all(named[a].kind != "person" for a in m.actors):
            loose[n].update(m.countries)  # "visit Seoul", an unresolved "US envoy"
        if m.actors:
            actors[n].update(m.actors)
            covered[n].append((m.start, m.end))
        elif m.pronoun and not m.quoted:
            pronouns[n].add(_PRONOUN_KINDS.get(m.pronoun, "group"))
    index = {a.name: i for i, a in enumerate(named)}
    said = quote_attributions(text)
    for q in said:  # a quoted sentence speaks for its speaker
        for n, (start, end) in enumerate(spans):
            if start < q.end and q.start < end and q.speaker in index:
                actors[n].add(index[q.speaker])
    voiceless = [
        (lo, hi)
        for lo, hi in quoted_spans(text)
        if not any(q.start < hi and lo < q.end for q in said)
    ]
    out = []
    for n, (start, end) in enumerate(spans):
        out.append(
            _Cited(
                _words(text[start:end]),
                frozenset(actors[n]),
                frozenset(countries[n]),
                frozenset(loose[n]),
                any(lo < end and start < hi for lo, hi in voiceless),
                text,
                start,
                end,
                tuple(covered[n]),
                frozenset(pronouns[n]),
            )
        )
    return tuple(out)


_WordIndex = tuple[tuple[str, ...], tuple[int, ...], dict[str, tuple[int, ...]]]


@lru_cache(maxsize=64)
def _sentence_words(text: str) -> _WordIndex:
    """Every sentence's skeleton words in one sequence, the sentence (0-based) of each word,
    and where each first letter starts a word: one scan finds a name in every sentence."""
    sents = _cited_sentences(text)
    words = tuple(w for sent in sents for w in sent.words)
    where = tuple(n for n, sent in enumerate(sents) for _ in sent.words)
    return words, where, _by_initial(words)


def _found_in(name: tuple[str, ...], text: str, prefix_last: bool) -> set[int]:
    """The sentences (0-based) in which ``name`` stands as consecutive whole words, spelled
    compatibly (as :func:`_in_sequence`; a name across two sentences counts for the first)."""
    words, where, initials = _sentence_words(text)
    found: set[int] = set()
    for i in initials.get(name[0][:1], ()) if name else ():
        if where[i] not in found and _name_at(name, words, i, prefix_last):
            found.add(where[i])
    return found


def _descriptions(sentence: str, offset: int, covered: Sequence[tuple[int, int]]) -> set[str]:
    """Anaphors made of a description the rules engine did not resolve: "the two leaders",
    "both sides" (``group``), "the minister" (``one``, and ``title``: it may also name someone
    the next sentences name): a definite determiner, then within
    three words a description word of ``briefing/data/names.toml`` as its head, or an
    organisation's ("the alliance": ``org_anaphors`` of the rules lexicon). Words inside
    ``covered`` (spans of mentions the engine resolved) are skipped."""
    from briefing.rules.lexicon import vocabulary

    lists = _word_lists()
    words = [(m.group().casefold(), offset + m.start()) for m in _WORD_RE.finditer(sentence)]
    found: set[str] = set()
    for i, (word, _) in enumerate(words):
        if word not in _DEFINITE and word not in _PLURAL_DETERMINERS:
            continue
        for later, at in words[i + 1 : i + 4]:
            if any(lo <= at < hi for lo, hi in covered):
                break  # a mention the engine resolved ("her counterpart Pell Odum")
            if later in lists["descriptions"] and later not in _MODIFIERS:
                plural = word in _PLURAL_DETERMINERS or later.endswith("s") or later == "people"
                found.add("group" if plural else "one")
                if not plural and later not in _citation_words()["not_titles"]:
                    found.add("title")
                break
            if later in vocabulary().org_anaphors:  # "the alliance", "the bloc"
                found.add("thing")
                break
    return found


@lru_cache(maxsize=1)
def _citation_words() -> dict[str, frozenset[str]]:
    """The citation check's word lists: ``briefing/data/citations.toml``."""
    text = resources.files("briefing").joinpath("data/citations.toml").read_text("utf-8")
    return {k: frozenset(v) for k, v in tomllib.loads(text).items()}


def _phrases_re(phrases: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf" (?:{alternatives}) ")


@lru_cache(maxsize=1)
def _meeting_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The rules lexicon's meeting, talks, visit and call words; the words of a meeting's
    details (``briefing/data/citations.toml``)."""
    from briefing.rules.lexicon import lexicon

    lex = lexicon()
    words = frozenset().union(lex.meeting_verbs, lex.meeting_nouns, lex.visits, lex.phone)
    return _phrases_re(words), _phrases_re(_citation_words()["meeting_details"])


def _meeting_words(sentence: str) -> tuple[bool, bool]:
    """Whether ``sentence`` holds a meeting, talks, visit or call word of the rules lexicon
    (``[meetings] verbs``, ``nouns``, ``visits``, ``phone``); whether it holds a word of a
    meeting's detail (``briefing/data/citations.toml``: "shook hands", "touched on")."""
    window = " " + " ".join(re.sub(r"[^\w'’-]+", " ", sentence.casefold()).split()) + " "
    reported, detail = _meeting_res()
    return reported.search(window) is not None, detail.search(window) is not None


def _surnames(name: tuple[str, ...], others: Sequence[NamedActor]) -> tuple[str, ...]:
    """A full name's surnames (last word, or first in Chinese order) that may stand for it
    alone: the article names no other person of that surname."""
    if len(name) < 2:
        return ()
    taken = {w for a in others for f in (a.name, *a.aliases) for w in skeleton(f)}
    return tuple(s for s in dict.fromkeys((name[-1], name[0])) if len(s) >= 2 and s not in taken)


def _surname_found(surname: str, text: str) -> set[int]:
    """The sentences (0-based) holding ``surname`` as a word, spelled alike (up to
    transliteration for a surname of six letters or more)."""
    words, where, initials = _sentence_words(text)
    return {
        where[i]
        for i in initials.get(surname[:1], ())
        if words[i] == surname
        or (min(len(words[i]), len(surname)) >= 6 and words_compatible(words[i], surname))
    }


@lru_cache(maxsize=4096)  # the citation and the speaker checks ask it for the same actor
def _tied(
    name: str, kind: ActorKind, text: str, fitting: frozenset[int]
) -> tuple[frozenset[str], frozenset[int]]:
    """For a state or organisation: the countries it stands for (the rules lexicon's code for
    its name, the registry's, the article's own reading) and the actors the article ties to
    it: of that country, or named with its name ("Tarskan counterpart Pell Odum")."""
    from briefing.facts import actor_mentions, place_code

    actors = named_actors(text)
    entry = registry().lookup(name)
    codes = {place_code(name), entry.country if entry else None}
    codes |= {actors[i].country for i in fitting}
    codes.discard(None)
    own = _words(name)
    tied = {i for i, a in enumerate(actors) if a.country in codes}
    for m in actor_mentions(text):
        if m.actors and _in_sequence(own, _around(text, m.start, m.end), prefix_last=True):
            tied.update(m.actors)
    return frozenset(c for c in codes if c), frozenset(tied)


def _around(text: str, start: int, end: int) -> tuple[str, ...]:
    """The words of a mention with the word right before it and, after a comma, the three
    after it: where a title ties a person to a state the rules lexicon does not know
    ("her Tarskan counterpart Pell Odum", "Odum, Tarska's foreign minister")."""
    before = text[max(0, start - 40) : start].split()[-1:]
    after = text[end : end + 60].split()[:3] if text[end : end + 1] == "," else []
    return _words(" ".join([*before, text[start:end], *after]))


def _name_fits(words: tuple[str, ...], actor: NamedActor, person: bool) -> bool:
    """Whether the name words fit ``actor``: its name or a spelling variant, or for a person
    named by one word, a surname."""
    return _fits(words, actor) or (person and len(words) == 1 and _surname_fits(words[0], actor))


@lru_cache(maxsize=4096)
def _fit(name: str, kind: ActorKind, text: str) -> tuple[str, tuple[str, ...], frozenset[int]]:
    """``name`` without its title, that bare name's skeleton words, and the indices into
    ``named_actors(text)`` of the actors of its kind (people, or states and organisations) it
    fits: the full name or a spelling variant, or for a person named by one word, a surname.
    Nothing fits a name with no words."""
    bare = split_title(name, kind, registry())[0]
    own = _words(bare)
    person = kind == "person"
    fitting = frozenset(
        i
        for i, a in enumerate(named_actors(text))
        if own
        and (a.kind == "person") == person
        and _name_fits(own, a, person)
    )
    return bare, own, fitting


@lru_cache(maxsize=4096)
def _named_in(name: str, kind: ActorKind, text: str) -> frozenset[int]:
    """The sentences (0-based) that mention the actor ``name`` directly: its name, a spelling
    variant or an alias the article uses, a mention the rules engine resolves to it (a
    pronoun, "the minister"), and for a state or organisation a mention of its country or of
    someone the article ties to it. Empty when the check cannot find the actor at all."""
    bare, own, fitting = _fit(name, kind, text)
    if not own:
        return frozenset()
    person = kind == "person"
    actors = named_actors(text)
    entry = registry().lookup(bare)
    forms = {own} | {
        _words(f) for i in fitting for f in (actors[i].name, *actors[i].aliases)
    }
    if entry is not None and (entry.kind == "person") == person:
        forms |= {_words(f) for f in entry.names}  # "EU" for the European Union
    codes: frozenset[str] = frozenset()
    tied = set(fitting)
    if not person:
        codes, more = _tied(bare, kind, text, fitting)
        tied |= more
    # a person's country named by a place or an unresolved title ("visit Seoul", "the US
    # envoy") stands for them, never another person's title ("Tarskan President Marr")
    homes = {c for i in fitting if (c := actors[i].country)} if person else set()
    others = [a for i, a in enumerate(actors) if a.kind == "person" and i not in fitting]
    found = {n for f in forms if f for n in _found_in(f, text, prefix_last=not person)}
    if person:
        found |= {n for s in _surnames(own, others) for n in _surname_found(s, text)}
    return frozenset(found) | {
        n
        for n, sent in enumerate(_cited_sentences(text))
        if sent.actors & tied or sent.countries & codes or sent.loose & homes
    }


@lru_cache(maxsize=4096)
def _actor_ids(name: str, kind: ActorKind, text: str) -> frozenset[int]:
    """The indices into ``named_actors(text)`` that may stand for the actor ``name``: the
    named actors its name fits (as :func:`_named_in` finds them), and for a state or
    organisation also those the article ties to it (its officials)."""
    bare, own, fitting = _fit(name, kind, text)
    if own and kind != "person":
        fitting |= _tied(bare, kind, text, fitting)[1]
    return fitting


@lru_cache(maxsize=64)
def _voices_by_sentence(
    text: str,
) -> dict[int, tuple[tuple[tuple[int, ...], tuple[NamedActor, ...]], ...]]:
    """:func:`briefing.facts.voices` by prompt sentence (0-based): each voice's speakers and
    their actors, in text order. Read once an article, not once an item."""
    found: dict[int, list[tuple[tuple[int, ...], tuple[NamedActor, ...]]]] = {}
    for at, speakers, said in voices(text):
        found.setdefault(_sentence_of(text, at), []).append((speakers, said))
    return {n: tuple(v) for n, v in found.items()}


def _voice_problem(
    article: Article, cited: Sequence[int], name: str, kind: ActorKind, item: str, passage: str
) -> Problem | None:
    """A paraphrase, report or position whose cited sentences the rules engine reads as
    spoken (or a stance taken) only by others, and which mention the actor only as the one
    spoken to: "Kern told Marrow that …", "Kern urged Marrow to …" are Kern's, not Marrow's,
    and the brief would show them under Marrow. Where the engine reads no voice there, reads
    the actor anywhere else in those sentences, or cannot tell who the actor is, the item
    passes (the engine's own speaker may be wrong: a pronoun, a nested report)."""
    text = article.text
    mine = _actor_ids(" ".join(name.split()), kind, text)
    if not mine:
        return None
    own = _fit(" ".join(name.split()), kind, text)[1]
    heard: set[int] = set()
    who: set[str] = set()
    by_sentence = _voices_by_sentence(text)
    for speakers, said in (v for n in cited for v in by_sentence.get(n, ())):
        if set(speakers) & mine or any(_fits(own, a) for a in said):
            return None
        heard.update(speakers)
        who.update(a.name for a in said)
    if not heard or not (
        _only_addressed(text, cited, mine) or _named_voices(text, cited, mine)
    ):
        return None
    others = _and(sorted(who))
    plural = len(who) > 1
    what = (
        ("say this" if plural else "says this")
        if item == "claim"
        else ("take this stance" if plural else "takes this stance")
    )
    ours = {_sentence_of(text, at) for at, speakers, _ in voices(text) if set(speakers) & mine}
    ours.discard(-1)
    hint = (
        f" {name} speaks in {_numbers(sorted(ours))}; cite the one that reports this {item},"
        " or leave it out."
        if ours
        else f" Give {others} as the {'speaker' if item == 'claim' else 'actor'}, or leave it out."
    )
    return Problem(
        "sentence",
        f"in {_numbers(cited)} it is {others} who {what}, not {name!r}:"
        f" {_shown(passage)!r}.{hint}",
    )


# The words between a reporting verb or stance cue and its addressee: "told ", "urged his
# counterpart " (at most four words, no punctuation).
_ADDRESSED = re.compile(r"[\w'’-]+(?: [\w'’-]+){0,3} ")
# A verb followed by an unresolved pronoun or description as its addressee: "told his guest
# that", "urged her to".
_ADDRESSED_ANAPHOR = re.compile(
    r"[\w'’-]+ (?:him|her|them|(?:his|her|its|their|the) [\w'’-]+(?: [\w'’-]+)?)"
    r" (?:that|to)\b",
    re.IGNORECASE,
)


def _only_addressed(text: str, cited: Sequence[int], mine: frozenset[int]) -> bool:
    """Whether every mention the rules engine resolves to the actor (``mine``) in the cited
    sentences stands right after another speaker's reporting verb or stance cue, as the one
    spoken to ("told Marrow", "urged her"); False when they hold no such mention."""
    from briefing.facts import actor_mentions

    verbs = [
        (at, _sentence_of(text, at)) for at, speakers, _ in voices(text)
        if not set(speakers) & mine
    ]
    mentions = [
        m for m in actor_mentions(text)
        if set(m.actors) & mine and _sentence_of(text, m.start) in cited
    ]
    if not mentions:
        # cited for an anaphor the engine leaves unresolved: "told his guest that …"
        return any(n in cited and _ADDRESSED_ANAPHOR.match(text, at) for at, n in verbs)
    return all(
        any(
            n == _sentence_of(text, m.start)
            and at < m.start
            and _ADDRESSED.fullmatch(text[at : m.start])
            for at, n in verbs
        )
        for m in mentions
    )


def own_sentences(
    article: Article, evidence: Evidence, name: str, kind: ActorKind, item: str
) -> tuple[int, int] | None:
    """For a position or claim citing several sentences, the span without the first and last
    ones that are another's (as :func:`_voice_problem` judges one sentence: "Kern urged Marrow
    to …" after Marrow's own sentence), so its summary or statement shows only the actor's;
    None where nothing is cut."""
    from briefing.grounding import sentence_spans

    spans = sentence_spans(article.text)
    cited = [n for n, (s, e) in enumerate(spans) if s < evidence.end and evidence.start < e]
    kept = list(cited)
    while len(kept) > 1 and _voice_problem(article, kept[:1], name, kind, item, ""):
        kept.pop(0)
    while len(kept) > 1 and _voice_problem(article, kept[-1:], name, kind, item, ""):
        kept.pop()
    if kept == cited:
        return None
    return spans[kept[0]][0], spans[kept[-1]][1]


def own_report(
    article: Article, evidence: Evidence, name: str, kind: ActorKind
) -> tuple[int, int] | None:
    """Where the cited span holds reported statements of more than one speaker ("Marrow said
    …, while Kern said …"), the span of the one statement of ``name`` (as
    :func:`briefing.facts.report_spans` gives it), so a paraphrase shows its speaker's words
    only; None where the span holds one speaker's words, or the rules engine does not read
    exactly one statement of ``name`` there."""
    from briefing.facts import report_spans

    text = article.text
    inside = [r for r in report_spans(text) if evidence.start <= r[0] and r[1] <= evidence.end]
    if len({r[2] for r in inside}) < 2:
        return None
    mine = _actor_ids(" ".join(name.split()), kind, text)
    own = _fit(" ".join(name.split()), kind, text)[1]
    table = {i: a for at, ids, said in voices(text) for i, a in zip(ids, said, strict=True)}
    ours = [
        r for r in inside
        if set(r[2]) & mine or any(i in table and _fits(own, table[i]) for i in r[2])
    ]
    if len(ours) != 1 or len(ours) == len(inside):
        return None
    return ours[0][0], ours[0][1]


def _named_voices(text: str, cited: Sequence[int], mine: frozenset[int]) -> bool:
    """Whether every voice the rules engine reads in the cited sentences (see
    :func:`briefing.facts.voices`) has a speaker named there by name, not by a pronoun, a
    description or a country's adjective: a read the engine is sure of ("Speaking after Vell,
    Eddery said …" is Eddery's). False when the sentences hold no voice."""
    from briefing.facts import actor_mentions

    named = [
        (_sentence_of(text, m.start), set(m.actors), _words(text[m.start : m.end]))
        for m in actor_mentions(text)
        if m.actors and not m.pronoun and not m.quoted and _sentence_of(text, m.start) in cited
    ]
    found = False
    for at, speakers, said in voices(text):
        n = _sentence_of(text, at)
        if n not in cited or set(speakers) & mine:
            continue
        found = True
        if not any(
            k == n and ids & set(speakers) and any(_name_fits(words, a, True) for a in said)
            for k, ids, words in named
        ):
            return False
    return found


def _surname_fits(word: str, actor: NamedActor) -> bool:
    return any(surname_fits(word, _words(f)) for f in (actor.name, *actor.aliases))


def _supported(named: frozenset[int], cited: Sequence[int], kind: ActorKind, text: str) -> bool:
    """Whether the cited sentences (0-based) mention an actor found in ``named``: directly,
    or by an anaphor whose antecedent comes before them (a singular one within
    ``ANAPHOR_REACH`` sentences), or for a person by a title whose bearer the next sentence
    names. True when the check cannot find the actor anywhere."""
    if not named or any(n in named for n in cited):
        return True
    sents = _cited_sentences(text)
    held = set().union(*(sents[n].anaphors for n in cited))
    singular = "one" in held if kind == "person" else "thing" in held or "one" in held
    first, last = cited[0], cited[-1]
    if singular and any(first - ANAPHOR_REACH <= n < first for n in named):
        return True
    if kind == "person" and "title" in held and any(last < n <= last + 1 for n in named):
        return True  # "met the Tarskan minister on Monday. Odum said …"
    return "group" in held and any(n < first for n in named)


def _numbers(found: Sequence[int]) -> str:
    """ "sentence 3", "sentences 2, 5 and 7" for 0-based sentence indices."""
    shown = [str(n + 1) for n in sorted(found)[:NUMBERS_SHOWN]]
    if len(shown) == 1:
        return f"sentence {shown[0]}"
    more = ", …" if len(found) > NUMBERS_SHOWN else ""
    return f"sentences {', '.join(shown[:-1])} and {shown[-1]}{more}"


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def citation_problem(
    article: Article, evidence: Evidence, actors: Sequence[tuple[str, ActorKind]], item: str
) -> Problem | None:
    """Whether the sentences an item cites report it: every actor of the item (``actors``, as
    ``(name, kind)``: a meeting's participants, a position's actor, a claim's speaker) is
    mentioned there — by a name or alias the article uses, a mention the rules engine
    resolves to it ("she", "the minister"), quoted words the engine gives to it, for a state
    or organisation its country's words or someone the article ties to it ("Tarskan
    counterpart Pell Odum"), for a person their country named by a place or an unresolved
    title ("to visit Seoul"), or an unresolved anaphor ("he", "the two leaders") after a
    sentence that names it (a singular one within ``ANAPHOR_REACH`` sentences) — and, for a
    ``meeting``, a meeting is reported there (a meeting the rules engine reads, or a meeting,
    talks, visit or call word of its lexicon). A meeting of three parties or more needs two of
    them mentioned. Where the check cannot tell, the item passes: an actor it cannot find
    anywhere in the article, a position or claim citing quoted words whose speaker the rules
    engine cannot tell. A needless re-ask costs a call and may lose a right record.

    ``evidence`` is the cited span (``item`` is ``meeting``, ``position`` or ``claim``, for the
    message); the check reads every prompt sentence it overlaps. Returns a ``sentence``
    :class:`Problem` naming the sentences that do mention the actors, or None."""
    from briefing.grounding import sentence_spans

    text = article.text
    spans = sentence_spans(text)
    cited = [n for n, (s, e) in enumerate(spans) if s < evidence.end and evidence.start < e]
    sents = _cited_sentences(text)
    if not cited or not actors:
        return None
    if item != "meeting" and any(sents[n].voiceless for n in cited):
        return None  # quoted words of a speaker the engine cannot tell: it cannot tell either
    named = {name: _named_in(" ".join(name.split()), kind, text) for name, kind in actors}
    missing = [
        name
        for name, kind in actors
        if not _supported(named[name], cited, kind, text)
    ]
    if item == "meeting" and len(actors) >= 3 and len(actors) - len(missing) >= 2:
        missing = []
    where = _numbers(cited)
    if missing:
        return Problem("sentence", _missing_message(missing, named, where, item, evidence.text))
    if item == "meeting" and not any(sents[n].meeting or sents[n].detail for n in cited):
        return Problem("sentence", _no_meeting_message(named, sents, where, evidence.text))
    if item != "meeting" and len(actors) == 1:
        name, kind = actors[0]
        return _voice_problem(article, cited, name, kind, item, evidence.text)
    return None


def _shown(passage: str, limit: int = 240) -> str:
    flat = " ".join(passage.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def _missing_message(
    missing: Sequence[str], named: dict[str, frozenset[int]], where: str, item: str, passage: str
) -> str:
    says = (
        f"{where} does not mention {_and([repr(m) for m in missing])} (by name, or as \"he\","
        f' "she", "the minister" right after a sentence that names them): {_shown(passage)!r}.'
    )
    together = frozenset.intersection(*named.values()) if len(named) > 1 else frozenset()
    if together:
        hint = f"{_and(list(named))} are named together in {_numbers(together)}"
    else:
        hint = "; ".join(f"{m} is named in {_numbers(named[m])}" for m in missing if named[m])
    if not hint:
        return f"{says} Cite the sentence that reports this {item}, or leave it out."
    return (
        f"{says} {hint}; cite the one that reports this {item} (or a list of consecutive"
        " numbers), or leave it out."
    )


def _no_meeting_message(
    named: dict[str, frozenset[int]], sents: Sequence[_Cited], where: str, passage: str
) -> str:
    near = sorted({n for found in named.values() for n in found if sents[n].meeting})
    hint = f" A meeting of these parties is reported in {_numbers(near)}." if near else ""
    return (
        f"{where} reports no meeting, talks, visit or call: {_shown(passage)!r}.{hint} Give the"
        " number of the sentence that reports this meeting, or leave the meeting out."
    )
