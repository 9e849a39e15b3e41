"""The record types that pass between pipeline stages.

This module imports nothing from the rest of the package, so every stage (and every outside
tool reading the JSON brief) can depend on it without pulling in the pipeline.

Invariants worth knowing:
- ``Evidence.text == article.text[start:end]`` always; evidence is only ever built by slicing
  the source (see ``briefing.grounding``), never from a model's copy of the passage.
- ``Article.id`` is a hash of the normalised text, so the same article read twice (or from
  another path) has the same id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

MatchKind = Literal["exact", "normalised", "fuzzy"]
ActorKind = Literal["person", "state", "organisation"]
MeetingFormat = Literal["visit", "host", "third-location", "phone", "multilateral", "sidelines"]
MeetingStatus = Literal["held", "planned", "cancelled"]
Stance = Literal[
    "supports", "opposes", "calls-for", "concerned", "welcomes", "rejects", "warns", "neutral"
]
ClaimKind = Literal["direct-quote", "paraphrase", "reported"]

_WS = re.compile(r"\s+")


class Record(BaseModel):
    """Base for all records: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


def normalise_text(text: str) -> str:
    """NFC, unified line ends, trimmed: the form an article id is computed from."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _WS.sub(" ", text).strip()


class Article(Record):
    id: str
    path: str | None = None
    url: str | None = None
    title: str
    outlet: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    text: str

    @staticmethod
    def make_id(text: str) -> str:
        """Stable id: the same words give the same id whatever the file name or line ends."""
        return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


class Evidence(Record):
    article_id: str
    start: int = Field(ge=0)
    end: int
    text: str
    match: MatchKind = "exact"
    score: float = 100.0

    @model_validator(mode="after")
    def _span_is_consistent(self) -> Evidence:
        if self.end <= self.start:
            raise ValueError(f"empty evidence span {self.start}:{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError("evidence text length does not match its span")
        return self


class Actor(Record):
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    title: str | None = None
    country: str | None = Field(default=None, description="ISO 3166 alpha-3 where known")
    kind: ActorKind = "person"
    id: str = Field(default="", description="stable key of the resolved actor within a brief")
    titles: list[str] = Field(default_factory=list, description="every title the sources give")
    title_sources: dict[str, list[str]] = Field(
        default_factory=dict,
        description="each title the sources give this actor -> the article ids giving it; set "
        "only when they differ, so a brief can show titles per source",
    )


_CORROBORATION = (
    "independent sources: distinct outlets whose texts are not copies of each other; articles "
    "without a known outlet count as one source together (see briefing.syndication)"
)


def _sources(evidence: list[Evidence]) -> list[str]:
    return list(dict.fromkeys(e.article_id for e in evidence))


class Meeting(Record):
    id: str = ""
    participants: list[Actor] = Field(min_length=2)
    location: str | None = None
    date: dt.date | None = None
    date_text: str | None = None
    format: MeetingFormat | None = None
    status: MeetingStatus = "held"
    topics: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(min_length=1)
    corroboration: int = Field(default=1, ge=1, description=_CORROBORATION)
    possibly_same_as: list[str] = Field(
        default_factory=list,
        description="ids of meetings that may be this one: nothing known rules it out, but "
        "nothing ties them either (no shared day or place), or the sources give the same day "
        "and place a different status (a status divergence), so they were not merged",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sources(self) -> list[str]:
        return _sources(self.evidence)


class Position(Record):
    id: str = ""
    actor: Actor
    topic: str = Field(min_length=1)
    stance: Stance
    summary: str = ""
    evidence: list[Evidence] = Field(min_length=1)
    corroboration: int = Field(default=1, ge=1, description=_CORROBORATION)
    history: list[str] = Field(
        default_factory=list,
        description="ids of positions with the same actor, stance and topic taken on other "
        "occasions: a history, not corroboration",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sources(self) -> list[str]:
        return _sources(self.evidence)


class Claim(Record):
    id: str = ""
    speaker: Actor
    kind: ClaimKind
    text: str = Field(min_length=1, description="for a direct quote, the source's own words")
    evidence: list[Evidence] = Field(min_length=1)
    attribution: Literal["verified", "unverified"] | None = Field(
        default=None,
        description="for a model's direct quote: whether the article's own attribution was"
        " found and fits the speaker (verified) or could not be told (unverified)",
    )
    corroboration: int = Field(default=1, ge=1, description=_CORROBORATION)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sources(self) -> list[str]:
        return _sources(self.evidence)


class Usage(Record):
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Drop(Record):
    """An item of a model's answer left out because it was still invalid after the last
    attempt: where it was (``claims[2]``), what it said, and why it failed."""

    path: str
    item: str = Field(description="the item as the model gave it, compact JSON")
    reasons: list[str] = Field(default_factory=list)


class ArticleExtraction(Record):
    article_id: str
    meetings: list[Meeting] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    backend: str
    model: str
    prompt_version: str
    attempts: int = 1
    usage: Usage = Field(default_factory=Usage)
    drops: list[Drop] = Field(default_factory=list, description="items left out, and why")


class Failure(Record):
    """An article the run could not use, and why. Listed in the brief, never dropped."""

    article_id: str | None = None
    path: str | None = None
    reason: str
    stage: Literal["ingest", "extract"] = "extract"
    attempts: int = 0
    errors: list[str] = Field(default_factory=list)


class Attempt(Record):
    """One model exchange (or one deterministic pass), as kept in the ledger."""

    run_id: str
    article_id: str
    attempt: int
    request_hash: str
    backend: str
    model: str
    prompt_version: str
    raw_response: str | None = None
    errors: list[str] = Field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    outcome: Literal["ok", "invalid", "api-error", "miss"]
    endpoint: str | None = Field(default=None, description="base URL, credentials removed")
    cached: bool = Field(default=False, description="answered from an earlier run's ledger")


class Divergence(Record):
    """Sources disagree on a detail of the same item."""

    item_id: str
    item_kind: Literal["meeting", "position", "claim"]
    field: str
    values: dict[str, list[str]] = Field(
        description="each differing value -> the article ids giving it"
    )
    note: str = ""


class RunInfo(Record):
    run_id: str
    backend: str
    model: str
    prompt_version: str
    mode: str | None = None
    started: dt.datetime
    finished: dt.datetime | None = None
    ledger: str | None = None
    version: str = ""
    notices: list[str] = Field(default_factory=list)


class Brief(Record):
    date: dt.date
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    articles: list[Article]
    extractions: list[ArticleExtraction] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    divergences: list[Divergence] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list, description="resolved, first seen first")
    copies: list[list[str]] = Field(
        default_factory=list,
        description="groups of article ids whose texts are near-identical copies (syndicated or "
        "re-posted): each group counts as one source; singletons are not listed",
    )
    failures: list[Failure] = Field(default_factory=list)
    coverage_notes: list[str] = Field(
        default_factory=list,
        description="what the inputs gave that no record shows: articles outside the window, "
        "already briefed on an earlier day, syndicated copies read once",
    )
    run: RunInfo
