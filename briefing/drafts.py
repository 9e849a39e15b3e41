"""What a model is asked to fill in, and the validators that hold it to the article.

These are the ``response_model`` given to instructor. Their validators read the article from
the validation context (``context={"article": article}``), align every quoted passage to the
source, and reject what the article does not support. Each ``ValueError`` message is short and
specific, because instructor sends it back to the model in the re-ask.

``ArticleDraft.to_extraction`` turns a validated draft into records whose evidence is sliced
from the source; the model's copy of a passage is never kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from briefing.grounding import ground, mentions
from briefing.schemas import (
    Actor,
    ActorKind,
    Article,
    ArticleExtraction,
    Claim,
    ClaimKind,
    Evidence,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Position,
    Stance,
    Usage,
)


def _article(info: ValidationInfo) -> Article | None:
    ctx = info.context or {}
    article = ctx.get("article") if isinstance(ctx, dict) else None
    return article if isinstance(article, Article) else None


class Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ActorDraft(Draft):
    """A person, state or organisation, named as in the article."""

    name: str = Field(description="the name as written in the article, without title")
    title: str | None = Field(default=None, description="role or title, e.g. 'Foreign Minister'")
    country: str | None = Field(default=None, description="ISO 3166 alpha-3 code, e.g. CHN, RUS")
    kind: ActorKind = "person"

    @model_validator(mode="after")
    def _named_in_article(self, info: ValidationInfo) -> ActorDraft:
        article = _article(info)
        if not self.name.strip():
            raise ValueError("an actor needs a name")
        if article is not None and not mentions(self.name, article.text):
            raise ValueError(f"{self.name!r} is not named in the article")
        return self

    def to_actor(self) -> Actor:
        country = (self.country or "").strip().upper() or None
        return Actor(
            name=self.name.strip(), title=self.title or None, country=country, kind=self.kind
        )


class Grounded(Draft):
    """A draft item backed by a verbatim passage of the article."""

    passage: str = Field(
        description="the sentence of the article that reports this, copied verbatim"
    )
    _evidence: Evidence | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> Grounded:
        article = _article(info)
        if article is not None:
            self._evidence = ground(self.passage, article)
        return self

    def evidence(self) -> list[Evidence]:
        if self._evidence is None:
            raise RuntimeError("draft was validated without an article in the context")
        return [self._evidence]


class MeetingDraft(Grounded):
    """A meeting, talks, visit or call between two or more parties."""

    participants: list[ActorDraft] = Field(description="every party to the meeting; at least two")
    location: str | None = Field(default=None, description="city or venue, as in the article")
    date_text: str | None = Field(
        default=None, description="the article's own words, e.g. 'on Friday'"
    )
    date: dt.date | None = Field(
        default=None, description="YYYY-MM-DD, only when the article gives it"
    )
    format: MeetingFormat | None = None
    status: MeetingStatus = Field(
        description="held; planned for the future; or cancelled (refused, called off, postponed)"
    )
    topics: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _two_parties(self) -> MeetingDraft:
        names = {p.name.strip().casefold() for p in self.participants}
        if len(names) < 2:
            raise ValueError("a meeting needs at least two different participants")
        return self

    def to_record(self) -> Meeting:
        return Meeting(
            participants=[p.to_actor() for p in self.participants],
            location=self.location,
            date=self.date,
            date_text=self.date_text,
            format=self.format,
            status=self.status,
            topics=self.topics,
            evidence=self.evidence(),
        )


class PositionDraft(Grounded):
    """Where an actor stands on a topic."""

    actor: ActorDraft
    topic: str = Field(description="short topic phrase, e.g. 'Ukraine peace talks'")
    stance: Stance
    summary: str = Field(default="", description="one sentence in your own words")

    def to_record(self) -> Position:
        return Position(
            actor=self.actor.to_actor(),
            topic=self.topic,
            stance=self.stance,
            summary=self.summary,
            evidence=self.evidence(),
        )


class ClaimDraft(Grounded):
    """Something an actor said. For a direct quote, ``passage`` is the quoted words only."""

    speaker: ActorDraft
    kind: ClaimKind
    text: str = Field(description="the quote verbatim, or the paraphrase")

    @model_validator(mode="after")
    def _quote_is_verbatim(self, info: ValidationInfo) -> ClaimDraft:
        article = _article(info)
        if article is not None and self.kind == "direct-quote":
            # A quote may not be fuzzy: it must be the source's words, up to quotes and case;
            # looked for first inside the passage, so a phrase repeated elsewhere is not taken.
            self._evidence = ground(self.text, article, fuzzy=False, within=self._evidence)
        return self

    def to_record(self) -> Claim:
        evidence = self.evidence()
        text = evidence[0].text if self.kind == "direct-quote" else self.text
        return Claim(speaker=self.speaker.to_actor(), kind=self.kind, text=text, evidence=evidence)


class ArticleDraft(Draft):
    """Everything diplomatic the article reports: meetings, positions and claims."""

    meetings: list[MeetingDraft] = Field(default_factory=list)
    positions: list[PositionDraft] = Field(default_factory=list)
    claims: list[ClaimDraft] = Field(default_factory=list)

    def to_extraction(self, article: Article, **meta: Any) -> ArticleExtraction:
        usage = meta.pop("usage", None) or Usage()
        return ArticleExtraction(
            article_id=article.id,
            meetings=[m.to_record() for m in self.meetings],
            positions=[p.to_record() for p in self.positions],
            claims=[c.to_record() for c in self.claims],
            usage=usage,
            **meta,
        )
