"""One place decides each fact that both extraction paths need (DESIGN.md, principle 5).

The offline ``rules`` extractor uses these to extract; the LLM validators (``briefing.drafts``)
use the same functions to check a model's answer, so the two paths cannot disagree by
accident and a fix to a cue list or an attribution rule lands in both.

- :func:`meeting_status` — is the meeting a sentence reports ``held``, ``planned`` or
  ``cancelled`` (refused, called off, postponed)? Cue phrases live in
  ``briefing/rules/data/lexicon.toml`` (``[meetings] planned`` and ``negated``).
- :func:`denied_cancellations` — where the passage denies a cancellation ("reports that X
  had cancelled his trip were false"): :func:`meeting_status` sets those words aside. Cue
  phrases: ``[meetings] denial_verbs``, ``report_nouns``, ``false_words``.
- :func:`meeting_absent` — does the passage say no meeting was ever arranged ("has not
  visited since", "no plans to meet")? Cue phrases: ``[meetings] absence``.
- :func:`meeting_in_background` — does the passage tell of a past meeting as context ("last
  met in 2019")? Cue phrases: ``[meetings] background``.
- :func:`by_phone` — a call or a meeting in person, from a record's format and place.
- :func:`visit_unmet` — does the passage say a visitor's meetings did not take place ("the
  meetings were cancelled", "couldn't meet anybody")? Cue phrases: ``[meetings] unmet``.
- :func:`quote_attributions` — who the article attributes each quoted passage to, as the
  rules' attribution engine (``briefing.rules.quotes``) reads it.
- :func:`actor_mentions`, :func:`meeting_spans` — where the article mentions each actor
  (pronouns and role nouns resolved) and where it reports a meeting, for the check that an
  item's cited sentences report it (``briefing.checks.citation_problem``).

Both take offsets in characters into the article text (``str`` indices, end exclusive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the rules engine is imported lazily, on the first read
    from briefing.rules.actors import Actor as RulesActor

Status = Literal["held", "planned", "cancelled"]


@dataclass(frozen=True)
class QuoteAttribution:
    """One quoted passage and its speaker as the article gives it.

    ``start``/``end`` bound the words inside the quotation marks; ``speaker`` is the speaker's
    name as the rules actor table has it (full name where the article gives one), ``aliases``
    the other forms the article uses; ``how`` says how the speaker was found (``tail``,
    ``head``, ``according``, ``signature``, ``continuation``).
    """

    start: int
    end: int
    speaker: str
    aliases: tuple[str, ...]
    kind: str  # person | state | organisation
    how: str


@lru_cache(maxsize=64)
def quote_attributions(text: str) -> tuple[QuoteAttribution, ...]:
    """Every quoted passage of ``text`` whose speaker the rules engine can tell, in text order.

    Passages whose speaker cannot be told are absent (an unverifiable attribution, not a
    contradiction). Deterministic; reads the article once for all of this module's facts
    (``_read``, as the rules extractor reads it once for all its records), cached per text.
    """
    from briefing.rules.quotes import quote_hits

    doc = _read(text)
    out = []
    for hit in quote_hits(doc):
        actor = doc.table.actors[hit.speaker]
        out.append(
            QuoteAttribution(
                hit.quote.inner_start,
                hit.quote.inner_end,
                actor.name,
                tuple(sorted(a for a in actor.aliases if a != actor.name)),
                actor.kind,
                hit.how,
            )
        )
    return tuple(out)


_YEAR_RE = re.compile(
    r" (?:in|since|back in|during) (?:early |late |mid-)?(?:[a-z]+ )?(?:\d{1,2} ,? )?(?:19|20)\d\d "
)
# How far around a hearsay report a denial is looked for (characters: about two sentences).
_DENIAL_REACH = 400


@lru_cache(maxsize=1024)  # the status checks of one passage ask for the same window
def _cue_window(text: str, start: int, end: int) -> str:
    """``text[start:end]`` case-folded, spaces normalised, padded with one space each side,
    ``status_neutral`` phrases removed: cues are matched as `` {cue} `` (:func:`_any_cue`)."""
    from briefing.rules.lexicon import lexicon

    window = " " + " ".join(text[start:end].casefold().replace("’", "'").split()) + " "
    window = window.replace(",", " ,").replace(".", " .").replace(":", " :")
    for phrase in _padded(lexicon().status_neutral):
        window = window.replace(phrase, " ")
    return window


@cache
def _padded(cues: tuple[str, ...]) -> tuple[str, ...]:
    """Each cue with one space either side, as a cue window holds it."""
    return tuple(f" {cue} " for cue in cues)


def _any_cue(window: str, cues: tuple[str, ...]) -> bool:
    """Whether a cue window (:func:`_cue_window`) holds any of ``cues`` as whole words."""
    return any(cue in window for cue in _padded(cues))


def meeting_status(text: str, start: int, end: int) -> Status:
    """``held``, ``planned`` or ``cancelled`` for the meeting reported in ``text[start:end]``.

    ``start``/``end`` are character offsets of the reporting passage (usually its sentence).
    ``cancelled`` means the meeting did not or will not take place: a cancellation ("called
    off", "postponed", "was supposed to"), a refusal ("refused to meet"), a denial ("denied
    that he met"), a past expectation ("had been expected to meet"), a negated meeting verb
    (``negators`` right before ``negatable``: "did not meet", "will not hold talks", "would
    not meet ... until"), or a hearsay report ("claimed", "reportedly") with a denial
    ("denied the report") within about two sentences (``_DENIAL_REACH`` characters). A
    negated meeting is ``cancelled`` rather than absent so that the brief still shows it,
    and its disagreement with any source that reports it held. Cancellation cues win over
    future cues ("will", "is due to", "invited … to visit", "agreed to meet"); with neither,
    the meeting is ``held``. Phrases in ``status_neutral`` ("at the invitation of": a visit
    under way) are removed first. A meeting that never took place ("the talks never took
    place", "no meeting … took place": ``negators`` before ``events``) is ``cancelled``. A
    denied cancellation (:func:`denied_cancellations`: "denied reports that he had called
    off the visit") is no cancellation: its words are set aside and the rest decides, and a
    meeting told only inside them is ``planned`` (the trip is said to stand). Negations that
    say nothing against the meeting are set aside too (:func:`_void_negation_re`: "did not
    meet X in public", "never denied that"). Cue phrases (``[meetings]`` in
    ``briefing/rules/data/lexicon.toml``): ``negated``, ``negators``, ``negatable``,
    ``events``, ``manner``, ``held_events``, ``planned``, ``hearsay``, ``denials``,
    ``status_neutral``.
    """
    denied = denied_cancellations(text, start, end)
    aside = (*denied, *_void_negations(text, start, end))
    if not aside:
        return _status(text, start, end)
    text = _set_aside(text, aside)
    status = _status(text, start, end)
    if denied and status == "held" and not _tells_held(_cue_window(text, start, end)):
        return "planned"  # the meeting is told only inside the denied words: it stands
    return status


def _set_aside(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span blanked out, every offset kept."""
    for lo, hi in spans:
        text = text[:lo] + " " * (hi - lo) + text[hi:]
    return text


@cache
def _void_negation_re() -> re.Pattern[str]:
    """A negation that says nothing against the meeting: one of manner ("never took place in
    public", "did not meet X publicly": it took place in private; group ``neg``, the
    negator) and a negated denial ("never denied", "did not deny": what follows stands).
    ``[meetings] negators``, ``negatable``, ``events``, ``manner`` and ``denial_verbs`` of
    ``briefing/rules/data/lexicon.toml``."""
    from briefing.rules.lexicon import either, meeting_words

    neg, verb = either(meeting_words("negators")), either(meeting_words("negatable", "events"))
    manner = either(meeting_words("manner"))
    return re.compile(
        rf"\b(?P<neg>{neg})\s+(?:(?:{manner})\s+(?:{verb})|(?:{verb})(?:\s+[^\s.,;:!?]+){{0,6}}?"
        rf"\s+(?:{manner}))\b"
        rf"|\b(?:{neg}|nobody|no\s+one)\s+(?:\w+ly\s+)?"
        rf"(?:{either(meeting_words('denial_verbs'))}|deny)\b",
        re.IGNORECASE,
    )


def _void_negations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of :func:`_void_negation_re` in ``text[start:end]``."""
    if not _holds_any(text, start, end, _void_cues()):
        return []  # most passages: neither a word of manner nor a denial verb
    spans: list[tuple[int, int]] = []
    for m in _void_negation_re().finditer(text, start, end):
        if m.group("neg") is None:
            spans.append(m.span())  # a negated denial: the denial goes with its negator
        else:  # only the negation word: "will not meet X in public" still speaks of the future
            spans += [n.span() for n in _NOT_WORD.finditer(text, *m.span("neg"))]
    return spans


# The word that negates inside a negator ("did not", "cannot", "won't", "never").
_NOT_WORD = re.compile(r"not\b|never\b|n[’']t\b", re.IGNORECASE)


@cache
def _void_cues() -> tuple[str, ...]:
    """Words one of which every match of :func:`_void_negation_re` holds: a word of manner
    (its first branch) or a denial verb (its second), lower case, single-spaced."""
    from briefing.rules.lexicon import meeting_words

    return _cue_list([*meeting_words("manner", "denial_verbs"), "deny"])


def _cue_list(phrases: list[str]) -> tuple[str, ...]:
    """Phrases as :func:`_holds_any` looks for them: lower case, single-spaced, once each."""
    return tuple(sorted({" ".join(p.lower().split()) for p in phrases}))


def _status(text: str, start: int, end: int) -> Status:
    """:func:`meeting_status` once denied cancellations are set aside."""
    from briefing.rules.lexicon import lexicon

    lex = lexicon()
    window = _cue_window(text, start, end)
    if _any_cue(window, lex.negated) or lex.negation_re.search(window):
        return "cancelled"
    if " no " in window and _no_event_re().search(window):
        return "cancelled"  # "no meeting between X and Y took place"
    if _any_cue(window, lex.hearsay):
        around = _cue_window(text, max(0, start - _DENIAL_REACH), end + _DENIAL_REACH)
        if _any_cue(around, lex.denials):
            return "cancelled"
    if _any_cue(window, lex.planned):
        return "planned"
    return "held"


@cache
def _no_event_re() -> re.Pattern[str]:
    """ "no meeting … took place", "no talks … were held": a meeting noun after "no" and,
    within the clause, an ``[meetings] events`` word (cue windows are case-folded)."""
    from briefing.rules.lexicon import lexicon, meeting_words

    events = meeting_words("events")
    nouns = "|".join(map(re.escape, sorted(lexicon().meeting_nouns, key=len, reverse=True)))
    done = "|".join(map(re.escape, sorted(events, key=len, reverse=True)))
    return re.compile(rf" no (?:{nouns}) (?:[^.;:]{{0,160}} )?(?:{done}) ")


def _tells_held(window: str) -> bool:
    """A meeting verb ("met", "held talks") or a past trip ("visited", "arrived in") in the
    cue window: words that tell a meeting as it happened."""
    return _any_cue(window, _told_held())


def tells_held(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds words that tell a meeting as it happened ("met",
    "held talks", "visited", "hosted": :func:`_told_held`), read in its cue window
    (:func:`_cue_window`, ``status_neutral`` phrases removed)."""
    return _tells_held(_cue_window(text, start, end))


@cache
def _told_held() -> tuple[str, ...]:
    """Meeting verbs, past trips (``visits`` ending in -ed or of several words) and
    ``[meetings] held_events`` ("it went ahead", "the talks took place")."""
    from briefing.rules.lexicon import lexicon, meeting_words

    lex = lexicon()
    done = [v for v in lex.visits if v.endswith("ed") or " " in v]
    return (*lex.meeting_verbs, *done, *meeting_words("held_events"))


# Where a denied clause ends: a full stop or semicolon, a contrast, a new reported clause,
# the end of a quotation (a closing mark after a comma: '"We deny that …," he said after …'),
# a new clause with its own subject (", and the two met", ", and Chancellor Brun met").
_CLAUSE_END = re.compile(
    r"[.;!?]|\s(?:but|however|while|whereas)\b|,\s+(?:saying|adding|noting|and\s+said)\b"
    r"|,[\"”’»]|,\s+and\s+(?:the|he|she|they|it|both|we|I)\s|,\s+and\s+[A-Z]"
)
# Before a report noun: "denied (the) media reports", "dismissed earlier claims".
_REPORT_DET = r"(?:(?:the|these|those|such|media|press|news|earlier|recent|some|local)\s+)*"
# "was not cancelled", "hasn't been postponed", "will not be called off": the cancellation
# itself negated.
_NOT_CANCELLED = re.compile(
    r"\b(?:was|were|is|are|has|have|had|will|would)(?:\s+not|n[’']t)\s+(?:been\s+|be\s+)?"
    r"(?:cancell?ed|postponed|called\s+off|scrapped|shelved|put\s+off)\b",
    re.IGNORECASE,
)


# A judgement word may stand in quotation marks: rejected as "baseless".
_Q = r"[\"“”'‘’]?"
# Words that may join a clause denied without "that" to its cancellation: not "and", "but".
_PLAIN = r"(?:(?!\s(?:and|but|so|after|because|when|as|then)\s)[^.;!?,]){1,150}?"
_CANCELLED = r"(?:cancell?ed|postponed|called\s+off|scrapped|shelved|put\s+off)\b"


@cache
def _denial_patterns() -> tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """The opening of a denial ("denied reports that", "it is not true that", "no truth to
    reports that"), and the whole-span denials, each with its denied ``clause``: a report
    judged false ("reports that … were false", "… were dismissed", "called reports that …
    fake news") and a denial without "that" ("denied the trip had been cancelled"). From
    ``[meetings] denial_verbs``, ``report_nouns`` and ``false_words`` of
    ``briefing/rules/data/lexicon.toml``."""
    from briefing.rules.lexicon import either, meeting_words

    report = rf"{_REPORT_DET}(?:{either(meeting_words('report_nouns'))})"
    false, deny = either(meeting_words("false_words")), either(meeting_words("denial_verbs"))
    judged = rf"(?:as\s+{_Q}(?:{false}){_Q}\s+)?"
    opener = re.compile(
        rf"\b(?:(?:{deny})\s+{judged}(?:{report}\s+)?{judged}"
        rf"|(?:not\s+true|untrue|false)\s+)that\b",
        re.IGNORECASE,
    )
    clause = r"(?P<clause>[^.;!?]{1,250}?)"
    adverb = r"(?:(?:completely|entirely|totally|simply|all|also|both|wholly)\s+)?"
    spans = (
        rf"\b{report}\s+(?:that|of)\b{clause}\s+(?:were|was|is|are|proved|proven|"
        rf"(?:has|have|had)\s+proved|turned\s+out\s+to\s+be)\s+{adverb}{_Q}(?:{false})\b",
        rf"\b{report}\s+(?:that|of)\b{clause}\s+(?:were|was|(?:has|have|had)\s+been)\s+"
        rf"{adverb}(?:denied|dismissed|rejected|refuted)\b",
        rf"\b(?:called|labell?ed|branded|described)\s+{report}\s+(?:that|of)\b{clause}"
        rf"\s+(?:as\s+)?{_Q}(?:{false})\b",
        rf"\b(?:{deny})\s+(?!that\b)(?P<clause>{_PLAIN}\s+(?:had|has|have|was|were|is|are|"
        rf"will|would)\s+(?:been\s+|be\s+)?{_CANCELLED})",
    )
    return opener, tuple(re.compile(p, re.IGNORECASE) for p in spans)


# How far before and after a passage a denial that covers its words is looked for.
_DENIAL_SPAN = 300
# The characters other than ASCII letters that a case-insensitive pattern of Python's re
# matches to an ASCII letter (tests/test_status_denials.py checks this against re).
_IGNORECASE_ASCII = {"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"}  # İ ı K ſ


@cache
def _denial_cues() -> tuple[str, ...]:
    """Phrases one of which every denied cancellation holds, lower case, single-spaced: a
    denial verb, "not true", "untrue" or "false" (a denial's opening), a false word (a
    verdict), a cancellation word ("was not cancelled"). Where a passage's surroundings
    hold none of them, none of the denial patterns can match there."""
    from briefing.rules.lexicon import meeting_words

    return _cue_list([*meeting_words("denial_verbs", "false_words"), "not true", "untrue",
                      "false", "cancel", "postponed", "called off", "scrapped", "shelved",
                      "put off"])


def _may_deny(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` holds any of :func:`_denial_cues`."""
    return _holds_any(text, lo, hi, _denial_cues())


def _holds_any(text: str, lo: int, hi: int, cues: tuple[str, ...]) -> bool:
    """Whether ``text[lo:hi]`` holds any of ``cues`` (lower case, single-spaced) as a
    case-insensitive pattern of Python's re would match it: any case, words apart by any
    white space. A pattern that must match one of them cannot match where this is False."""
    window = text[lo:hi]
    for special, letter in _IGNORECASE_ASCII.items():
        if special in window:
            window = window.replace(special, letter)
    window = " ".join(window.lower().split())
    return any(cue in window for cue in cues)


@lru_cache(maxsize=1024)  # the rules engine's status read and held_after_denial ask alike
def denied_cancellations(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each denied cancellation that overlaps ``text[start:end]``: words
    that say a cancellation did not happen ("denied reports that he had cancelled his trip",
    "reports that X had called off the visit were false", "it is not true that the talks
    were postponed", "the visit was not cancelled"). Looked for within ``_DENIAL_SPAN``
    characters around the passage, so a denial opening before it still counts; a denial
    whose words hold no cancellation cue ("denied that he met Y") is none of these (that
    meeting is ``cancelled``). Cues: ``[meetings] denial_verbs``, ``report_nouns``,
    ``false_words`` and ``negated`` in ``briefing/rules/data/lexicon.toml``."""
    lo, hi = max(0, start - _DENIAL_SPAN), min(len(text), end + _DENIAL_SPAN)
    if not _may_deny(text, lo, hi):
        return ()  # most passages: one scan for the cue words settles it
    opener, spans = _denial_patterns()
    found: list[tuple[int, int]] = []
    for m in opener.finditer(text, lo, hi):
        stop = _CLAUSE_END.search(text, m.end(), min(hi, m.end() + 250))
        clause_end = stop.start() if stop else min(hi, m.end() + 250)
        if _cancels(text, m.end(), clause_end):
            found.append((m.start(), clause_end))
    for pattern in spans:
        for m in pattern.finditer(text, lo, hi):
            if _cancels(text, *m.span("clause")):
                found.append(m.span())
    found += [(m.start(), m.end()) for m in _NOT_CANCELLED.finditer(text, lo, hi)]
    return tuple(
        sorted((a, b) for a, b in found if a < end and start < b and _denies(text, a, b))
    )


# Before a denial, a negator that undoes it: "never denied that …", "did not deny that …".
_NEGATED_DENIAL = re.compile(r"(?:\bnever|\bnot|n[’']t|\bnobody|\bno\s+one)\s+(?:\w+ly\s+)?$",
                             re.IGNORECASE)
# After the cancellation in a denied clause, its reason: the reason is denied, not the
# cancellation ("denied that the visit was cancelled for political reasons").
_DENIED_REASON = re.compile(
    r"\b(?:cancell?ed|postponed|called\s+off|scrapped|shelved|put\s+off)\s+"
    r"(?:for\s+(?:\w+\s+){0,3}?reasons?|because|due\s+to|owing\s+to|on\s+account\s+of|"
    r"in\s+protest|as\s+a\s+snub|out\s+of)\b",
    re.IGNORECASE,
)


def _denies(text: str, start: int, end: int) -> bool:
    """Whether the denial found at ``text[start:end]`` denies the cancellation itself: not
    one undone by a negator before it, nor one of the cancellation's reason."""
    if _NEGATED_DENIAL.search(text, max(0, start - 30), start):
        return False
    return not _DENIED_REASON.search(text, start, end)


def _cancels(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` holds a cancellation cue (``negated``, or a negated meeting verb)."""
    from briefing.rules.lexicon import lexicon

    lex = lexicon()
    window = _cue_window(text, start, end)
    return _any_cue(window, lex.negated) or bool(lex.negation_re.search(window))


def meeting_absent(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` says no meeting was ever arranged: a long absence ("has
    not traveled to Seoul since", "have never met") or no plan ("no plans to meet again").

    Not a cancelled meeting, since nothing was set up to cancel; the rules extractor reports
    no meeting for it (a negated arranged meeting, "did not meet on Friday", stays
    ``cancelled``: see :func:`meeting_status`). Cues: ``[meetings] absence`` and
    ``absence_negators`` before ``negatable`` in ``briefing/rules/data/lexicon.toml``.
    """
    from briefing.rules.lexicon import lexicon

    lex = lexicon()
    window = _cue_window(text, start, end)
    return (
        _any_cue(window, lex.absence)
        or bool(lex.absence_re.search(window))
        or denied_refusal(text, start, end)
    )


def denied_refusal(text: str, start: int, end: int) -> bool:
    """True when the meeting of ``text[start:end]`` is told only inside denied words whose
    cancellation cues are all refusals ("a spokesman denied that Solvik had refused to meet
    Brun"): the denial says the meeting was not refused, not that one was arranged, so there
    is no meeting to report, held, planned or cancelled. A meeting the rest tells ("…; the
    two met in Ostrava"), a plan or another cancellation outside the denied words, and a
    denied cancellation of an arranged meeting ("denied that he had called off the visit",
    which stays ``planned``) are none. Cues: ``[meetings] refusals`` of
    ``briefing/rules/data/lexicon.toml``."""
    denied = denied_cancellations(text, start, end)
    if not denied:
        return False
    from briefing.rules.lexicon import lexicon, meeting_words

    lex = lexicon()
    refusals = frozenset(meeting_words("refusals"))
    denying = frozenset(meeting_words("denial_verbs"))  # the denial's own verb is no cue here
    for lo, hi in denied:
        window = _cue_window(text, lo, hi)
        cues = [cue for cue, padded in zip(lex.negated, _padded(lex.negated), strict=True)
                if padded in window and cue not in denying]
        if not cues or not refusals.issuperset(cues) or lex.negation_re.search(window):
            return False
    rest = _set_aside(text, denied)
    return _status(rest, start, end) == "held" and not _tells_held(_cue_window(rest, start, end))


def held_after_denial(text: str, start: int, end: int, stop: int) -> int | None:
    """Where a denied cancellation (:func:`denied_cancellations`) overlaps ``text[start:end]``
    and the words after it, up to ``stop`` (the end of the sentence), tell a meeting as it
    happened ("denied that X had cancelled the visit, and the two met in Ostrava", "…; it went
    ahead"): the character offset where those words begin; else None. Those words read
    ``held`` once the denial is set aside: a meeting verb or ``[meetings] held_events``, and
    no cancellation or future cue ("…; it will go ahead" stays ``planned``). Whose meeting
    they tell is the caller's question: "the two met" names no one."""
    denied = denied_cancellations(text, start, end)
    if not denied:
        return None
    after = max(hi for _, hi in denied)
    if after >= stop:
        return None
    rest = _set_aside(text, denied)
    if _status(rest, after, stop) != "held" or not _tells_held(_cue_window(rest, after, stop)):
        return None
    return after


def meeting_in_background(text: str, start: int, end: int) -> str | None:
    """The words that make ``text[start:end]`` tell of a past meeting as background, not
    news ("last met … in 2019", "who met X last year"), as written in ``text``; else None.

    Cues: ``[meetings] background`` in ``briefing/rules/data/lexicon.toml`` ("last met",
    "last year", "years ago") or a year after "in"/"since"/"back in", maybe with a month ("met
    in 2019", "his last visit in March 2015"); the year wins as the more precise date words.
    Meant for a meeting whose status is ``held`` ("will meet in 2027" is a plan). The rules
    extractor leaves such a meeting out, so a 2019 meeting never reads as news, corroborates
    or takes the date of the meeting of the day.
    """
    from briefing.rules.lexicon import lexicon

    window = _cue_window(text, start, end)
    year = _YEAR_RE.search(window)
    found = year.group().strip(" ,") if year else None
    if found is None:
        found = next((cue for cue in lexicon().background if f" {cue} " in window), None)
    if found is None:
        return None
    words = r"[\s,]+".join(re.escape(w) for w in found.split() if w != ",")
    match = re.search(words, text[start:end].replace("’", "'"), re.IGNORECASE)
    return text[start + match.start() : start + match.end()] if match else found


def visit_unmet(text: str, start: int, end: int) -> str | None:
    """The words of ``text[start:end]`` that say a visitor's meetings did not take place
    ("the meetings were cancelled", "we couldn't meet anybody", "had yet to meet the
    president", "none of these requests were honoured"), as written in ``text``; else None.

    A trip that happened is a meeting only by inference (the visitor met the host state);
    these words undo the inference, so a visit with no named host is ``cancelled``, never
    ``held``. The rules extractor reads them in the visit's own sentence after its trigger
    and in the next sentences, skipping a sentence about other actors
    (``briefing.rules.meetings._unmet_visits``, which the LLM validators ask through
    :func:`meeting_statuses`). Cues: ``[meetings] unmet`` in
    ``briefing/rules/data/lexicon.toml``.
    """
    from briefing.rules.lexicon import lexicon

    lex = lexicon()
    window = _cue_window(text, start, end)
    if _any_cue(window, lex.denials) or _any_cue(window, lex.hearsay):
        return None  # "denied reports that his meetings were cancelled"
    found = next(
        (
            cue
            for cue in lex.unmet
            if f" {cue} " in window and not _restricted(window, cue)
        ),
        None,
    )
    if found is None:
        return None
    words = r"[\s,]+".join(re.escape(w) for w in found.split())
    match = re.search(words, text[start:end].replace("’", "'"), re.IGNORECASE)
    return text[start + match.start() : start + match.end()] if match else found


_NOBODY = ("anyone", "anybody", "nobody", "no one")
_RESTRICTING = (" from ", " of ", " among ", " in the ", " at the ")


def _restricted(window: str, cue: str) -> bool:
    """An unmet cue about nobody of some group only ("did not meet anyone from the
    opposition", "met nobody from his delegation"): the visit's other meetings may have
    taken place."""
    if not cue.endswith(_NOBODY):
        return False
    at = window.index(f" {cue} ") + len(cue) + 1
    return window[at:].startswith(_RESTRICTING)


# Formats that say the parties were in one room.
IN_PERSON_FORMATS = frozenset({"visit", "host", "third-location", "sidelines"})


def by_phone(meeting_format: str | None, location: str | None) -> bool | None:
    """True for a call (format ``phone``), False for a meeting in person (an in-person
    format, or a place given without a format: a place is where the parties were together),
    None when the record does not say. A call and a meeting in person of the same parties
    are two events, however close in time: the rules extractor keeps them apart within an
    article and consolidation across articles."""
    if meeting_format == "phone":
        return True
    if meeting_format in IN_PERSON_FORMATS or location is not None:
        return False
    return None


@dataclass(frozen=True)
class NamedActor:
    """An actor the article names: ``name`` (its fullest form there), the other ``aliases``
    it uses, and ``kind`` (person | state | organisation)."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None = None  # ISO 3166 alpha-3, where the article's words tell it


@lru_cache(maxsize=64)
def named_actors(text: str) -> tuple[NamedActor, ...]:
    """Every person, state and organisation the rules engine finds named in ``text``, first
    mention first. Titles and descriptions ("the minister") are not names and are absent."""
    return tuple(map(_named_actor, _read(text).table.actors))


def _named_actor(actor: RulesActor) -> NamedActor:
    """A rules-engine actor as a :class:`NamedActor`."""
    aliases = tuple(sorted(x for x in actor.aliases if x != actor.name))
    return NamedActor(actor.name, aliases, actor.kind, actor.country)


@dataclass(frozen=True)
class ActorMention:
    """One place ``text[start:end]`` where the rules engine reads a mention of an actor:
    ``actors`` are the indices into :func:`named_actors` it stands for (a pronoun or a role
    noun such as "the minister" resolved where the engine can tell; empty when it cannot),
    ``countries`` the states it carries ("Finnish counterpart" → FIN), ``pronoun`` the
    pronoun itself ("she") or ``""``, ``quoted`` whether it stands inside quotation marks."""

    start: int
    end: int
    actors: tuple[int, ...]
    countries: tuple[str, ...]
    pronoun: str
    quoted: bool


@lru_cache(maxsize=64)
def actor_mentions(text: str) -> tuple[ActorMention, ...]:
    """Every actor mention the rules engine reads in ``text``, in text order (one read of the
    article, shared with the other facts)."""
    from briefing.rules.discourse import actors_of

    doc = _read(text)
    out = []
    for m in doc.mentions:
        ids = tuple(actors_of(doc, m))
        codes = {c for c in (m.country, *m.countries) if c}
        codes |= {c for a in ids if (c := doc.table.actors[a].country)}
        out.append(
            ActorMention(
                doc.items[m.first].start,
                doc.items[m.last - 1].end,
                ids,
                tuple(sorted(codes)),
                doc.items[m.head].low if m.kind == "pronoun" else "",
                doc.quoted[m.head],
            )
        )
    return tuple(out)


def place_code(name: str) -> str | None:
    """The ISO 3166 alpha-3 code of the state a name, adjective or capital of the rules
    lexicon stands for ("Finland", "Finnish", "Helsinki" → FIN); None when it knows none."""
    from briefing.rules.lexicon import lexicon

    places = lexicon().places
    place = places.get(name) or places.get(name.strip().title())
    return place.code if place is not None else None


@lru_cache(maxsize=64)
def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each quoted passage of ``text``: from its first word to its closing
    mark (so punctuation before the mark is inside), curly or straight; a quote left open
    closes at its paragraph's end. As ``briefing.rules.quotemarks`` reads them."""
    from briefing.rules.quotemarks import find_quotes

    return tuple((q.inner_start, q.end - int(q.closed)) for q in find_quotes(text))


@lru_cache(maxsize=64)
def _read(text: str):  # noqa: ANN202 - the rules engine's Doc, kept out of this module's API
    from briefing.rules.discourse import read

    return read(text)


@lru_cache(maxsize=64)
def _meeting_reads(text: str) -> tuple[tuple[int, int, Status, bool | None], ...]:
    """Each sentence of each meeting the rules engine reads in ``text``: its span, the
    meeting's status and :func:`by_phone` of its format and place (one read for both)."""
    from briefing.rules.meetings import meeting_hits

    return tuple(
        (s.start, s.end, hit.status, by_phone(hit.format, hit.location))  # type: ignore[misc]
        for hit in meeting_hits(_read(text))
        for s in hit.sentences
    )


def meeting_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The span of each sentence in which the rules engine reads a meeting (talks, a visit, a
    call), whatever its status."""
    return tuple(dict.fromkeys((lo, hi) for lo, hi, _, _ in _meeting_reads(text)))


def meeting_by_phone(text: str, start: int, end: int) -> tuple[bool | None, ...]:
    """For each meeting the rules engine reads in the sentences overlapping
    ``text[start:end]``: True for a call, False for a meeting in person, None when it cannot
    tell (:func:`by_phone` of the meeting's format and place). Empty when it reads none."""
    return tuple(mode for lo, hi, _, mode in _meeting_reads(text) if lo < end and start < hi)


def meeting_statuses(text: str, start: int, end: int) -> tuple[Status, ...]:
    """The status of each meeting the rules engine reads in the sentences that overlap
    ``text[start:end]``, decided around the meeting's own trigger word (so "X met Y on Friday
    and said they will meet again" holds one ``held`` and one ``planned`` meeting, where
    :func:`meeting_status` over the whole sentence says ``planned``). Empty when the engine
    reads no meeting there."""
    return tuple(st for lo, hi, st, _ in _meeting_reads(text) if lo < end and start < hi)


@lru_cache(maxsize=64)
def voices(text: str) -> tuple[tuple[int, tuple[int, ...], tuple[NamedActor, ...]], ...]:
    """Where the rules engine reads someone speaking or taking a stance in ``text``: for each
    reported statement ("Kern told Marrow that …", "…, she said"), quote with a known speaker
    and stance ("Kern urged …"), the character offset of its verb, quote or cue and the
    indices into :func:`named_actors` of who speaks or holds it, in text order. One read of
    the article, shared with the other facts; the listener of "told Marrow" is no speaker.
    The speakers themselves come third: reading reports may add an actor (a news outlet)
    after :func:`named_actors` was taken, so an index may lie beyond it."""
    from briefing.rules.positions import position_hits
    from briefing.rules.quotes import quote_hits
    from briefing.rules.reports import find_reports

    doc = _read(text)
    quotes = quote_hits(doc)
    reports = find_reports(doc)
    found = [(doc.items[r.verb].start, tuple(r.speakers)) for r in reports]
    found += [(q.quote.inner_start, (q.speaker,)) for q in quotes]
    found += [(doc.items[p.at].start, (p.actor,)) for p in position_hits(doc, quotes, reports)]
    table = doc.table.actors
    return tuple(
        sorted((at, ids, tuple(_named_actor(table[i]) for i in ids)) for at, ids in found)
    )


@lru_cache(maxsize=64)
def report_spans(text: str) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
    """Each reported statement the rules engine reads in ``text`` as ``(start, end,
    speakers)``: the characters from its speaker's mention (the one nearest the verb in its
    sentence; the verb itself where none is read) or its clause, whichever comes first, to
    the end of its clause or verb ("Kern said the ferry tariff was the real obstacle" of
    "Marrow said …, while Kern said the ferry tariff was the real obstacle."), and the
    indices of its speakers (beyond :func:`named_actors` for an outlet added later)."""
    from briefing.rules.reports import find_reports

    doc = _read(text)
    mentions = actor_mentions(text)
    out = []
    for r in find_reports(doc):
        verb_start = doc.items[r.verb].start
        verb_end = doc.items[r.verb + r.size - 1].end
        sent = doc.sents[r.sent]
        lo, hi = sent.start, sent.end
        near = [
            m for m in mentions
            if lo <= m.start < hi and set(m.actors) & set(r.speakers) and not m.quoted
        ]
        start = min(verb_start, doc.items[r.start].start)
        if near:
            start = min(start, min(near, key=lambda m: abs(m.start - verb_start)).start)
        end = max(verb_end, doc.items[r.end - 1].end)
        out.append((start, end, tuple(r.speakers)))
    return tuple(out)
