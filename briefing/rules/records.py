"""Turn the rules' findings into the pipeline's records, every span sliced from the article.

This is the only module of ``briefing.rules`` that knows the record types; the pattern
modules work on offsets and actor ids, so they stay fast and easy to test.
"""

from __future__ import annotations

from briefing.grounding import evidence_at
from briefing.rules.actors import Actor as RuleActor
from briefing.rules.claims import ClaimHit, claim_hits
from briefing.rules.discourse import Doc, read
from briefing.rules.meetings import MeetingHit, meeting_hits
from briefing.rules.positions import PositionHit, position_hits
from briefing.rules.quotes import QuoteHit, quote_hits
from briefing.rules.reports import find_reports
from briefing.schemas import Actor, Article, Claim, Meeting, Position

# Role nouns that say how someone relates to another, not what office they hold: useful for
# resolving "his Russian counterpart", wrong as a title in the brief.
RELATIONAL_ROLES = {"counterpart"}


# Role words that say nothing without their body: "head" alone loses the Security Council.
HEAD_ROLES = {"head", "secretary", "chief", "chair", "chairman", "chairwoman", "chairperson"}


def _title(actor: RuleActor) -> str | None:
    """The actor's title for the brief; a bare head role keeps the body it heads ("head of
    the Security Council")."""
    title = actor.title or ""
    if not title or title.casefold() in RELATIONAL_ROLES:
        return None
    if title.casefold() in HEAD_ROLES and actor.organ:
        return f"{title} of the {actor.organ.title()}"
    return title


def _actor(actor: RuleActor) -> Actor:
    aliases = sorted(a for a in actor.aliases if a != actor.name)
    title = _title(actor)
    return Actor(
        name=actor.name, aliases=aliases, title=title, country=actor.country, kind=actor.kind
    )  # type: ignore[arg-type]  # rules actors use the same kinds


def _meeting(doc: Doc, article: Article, hit: MeetingHit) -> Meeting:
    return Meeting(
        participants=[_actor(doc.table.actors[p]) for p in hit.parties],
        location=hit.location,
        date_text=hit.date_text,
        format=hit.format,  # type: ignore[arg-type]
        status=hit.status,  # type: ignore[arg-type]
        evidence=[evidence_at(article, s.start, s.end) for s in hit.sentences],
    )


def _claim(doc: Doc, article: Article, hit: QuoteHit) -> Claim:
    evidence = evidence_at(article, hit.quote.inner_start, hit.quote.inner_end)
    return Claim(
        speaker=_actor(doc.table.actors[hit.speaker]),
        kind="direct-quote",
        text=evidence.text,
        evidence=[evidence],
    )


def _position(doc: Doc, article: Article, hit: PositionHit) -> Position:
    return Position(
        actor=_actor(doc.table.actors[hit.actor]),
        topic=hit.topic,
        stance=hit.stance,  # type: ignore[arg-type]
        summary=hit.summary,
        evidence=[evidence_at(article, *hit.sentence)],
    )


def _statement(doc: Doc, article: Article, hit: ClaimHit) -> Claim:
    return Claim(
        speaker=_actor(doc.table.actors[hit.speaker]),
        kind=hit.kind,  # type: ignore[arg-type]
        text=hit.text,
        evidence=[evidence_at(article, *hit.sentence)],
    )


def extract_records(article: Article) -> tuple[list[Meeting], list[Position], list[Claim]]:
    """Meetings, positions and claims (direct quotes, paraphrases, reported statements) of
    one article, deterministically."""
    doc = read(article.text)
    quotes = quote_hits(doc)
    reports = find_reports(doc)
    meetings = [_meeting(doc, article, h) for h in meeting_hits(doc)]
    positions = [_position(doc, article, h) for h in position_hits(doc, quotes, reports)]
    claims = [_claim(doc, article, h) for h in quotes]
    claims += [_statement(doc, article, h) for h in claim_hits(doc, reports, quotes)]
    return meetings, positions, claims
