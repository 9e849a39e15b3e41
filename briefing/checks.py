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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from briefing.actors import (
    ActorRegistry,
    fold_name,
    same_person,
    skeleton,
    skeleton_word,
    split_title,
    words_compatible,
)
from briefing.consolidate.dates import resolve_date  # one place turns date words into dates
from briefing.facts import (
    NamedActor,
    by_phone,
    meeting_by_phone,
    meeting_status,
    meeting_statuses,
    named_actors,
    quote_attributions,
    visit_unmet,
)
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


def _words(text: str) -> list[str]:
    """Skeleton words of ``text``; soft hyphens and zero-width characters never split a word."""
    return [skeleton_word(w) for w in fold_name(_INVISIBLE.sub("", text)).split()]


@lru_cache(maxsize=64)
def _article_words(text: str) -> tuple[str, ...]:
    return tuple(_words(text))


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
    n = len(name)
    if n == 0:
        return False
    starts = _by_initial(tuple(words)).get(name[0][:1], ())
    for i in starts:
        if i > len(words) - n:
            break
        window = words[i : i + n - 1]
        if all(words_compatible(a, b) for a, b in zip(name[:-1], window, strict=True)):
            last, word = name[-1], words[i + n - 1]
            if words_compatible(last, word) or (
                prefix_last and len(last) >= 4 and word.startswith(last)
            ):
                return True
    return False


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
        other = tuple(_words(form))
        if other == name or _same_person(name, other):
            return True
    return False


def _person_found(name: tuple[str, ...], text: str, actors: Sequence[NamedActor]) -> bool:
    """A full name the article gives (or its spelling variant); or, for a name of two words or
    more, its surname (last word, or first in Chinese order) as a whole word, when the article
    names no other person of that surname."""
    words = _article_words(text)
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
    words = _article_words(text)
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
        _person_found(tuple(_words(bare)), text, actors)
        if kind == "person"
        else _in_sequence(_words(bare), _article_words(text), prefix_last=True)
        or any(a.kind != "person" and _fits(tuple(_words(bare)), a) for a in actors)
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
    bare = tuple(_words(split_title(claimed, "person", registry())[0]))
    if not bare:
        return False
    for form in (speaker, *aliases):
        other = tuple(_words(form))
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


def status_problem(article: Article, evidence: Evidence, status: str) -> Problem | None:
    """A meeting given as ``held`` whose evidence speaks of the future or of a cancellation,
    or tells of a trip whose meetings the article says did not take place
    (``briefing.facts.visit_unmet``, read by the rules engine)."""
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
# rules engine reads its own sentence and three more; this only skips the read when none).
_UNMET_CHARS = 1500


def _unmet_trip(article: Article, evidence: Evidence) -> Problem | None:
    """A passage that reads as held but tells of a trip whose meetings the article says did
    not take place: every meeting the rules engine reads there is ``cancelled``."""
    text = article.text
    reach = min(len(text), evidence.end + _UNMET_CHARS)
    if (
        visit_unmet(text, evidence.start, reach) is None
        and meeting_status(text, evidence.start, reach) != "cancelled"
    ):
        return None  # no such words near: the rules read is not needed
    if set(meeting_statuses(text, evidence.start, evidence.end)) != {"cancelled"}:
        return None
    return Problem(
        "status",
        f'status is "held" but the passage tells of a trip whose meetings the article says'
        f' did not take place: {evidence.text!r}. Set status to "cancelled"; or, if the'
        " article says elsewhere that the meeting took place, give that sentence as passage.",
    )


_MONTHS = [dt.date(2000, m, 1).strftime("%B").casefold() for m in range(1, 13)]


def date_stated(text: str, date: dt.date) -> bool:
    """Whether the article writes ``date`` out: ISO, "14 March", "March 14", "14.03.2026"."""
    month = _MONTHS[date.month - 1]
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
