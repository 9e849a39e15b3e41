"""What a model is asked to fill in, and the validators that hold it to the article.

These are the ``response_model`` given to instructor. Their validators read the article from
the validation context (``context={"article": article}``), align every quoted passage to the
source, and reject what the article does not support. Each ``ValueError`` message is short and
specific, because instructor sends it back to the model in the re-ask.

Each item cites its evidence by the number of an article sentence (``"sentence": 3``; the
prompt shows the sentences numbered, ``briefing.grounding.sentence_spans``), so an answer no
longer copies whole passages; the number is mapped to the sentence's exact span. The older
``passage`` field (a copied sentence, aligned exact → normalised → fuzzy) is still accepted,
though the schema no longer offers it, so recorded answers keep their meaning.

``ArticleDraft.to_extraction`` turns a validated draft into records whose evidence is sliced
from the source; the model's copy of a passage is never kept.

The schema sent to a model (:class:`LeanSchema`) carries only what changes the answer: no
pydantic ``title`` keys, no defaults, no ``null`` branches, a description only where the field
name does not say it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import (
    DEFAULT_REF_TEMPLATE,
    GenerateJsonSchema,
    JsonSchemaMode,
    JsonSchemaValue,
    SkipJsonSchema,
)
from pydantic_core import CoreSchema

from briefing.actors import fold_name
from briefing.checks import (
    ItemProblem,
    Problem,
    attribution,
    citation_problem,
    date_problem,
    format_problem,
    inside_quotes,
    name_problem,
    own_report,
    own_sentences,
    pick_occurrence,
    registry,
    status_problem,
)
from briefing.consolidate.dates import resolve_date
from briefing.errors import GroundingError
from briefing.grounding import align_all, closest, evidence_at, ground, sentence_spans
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

LISTS = ("meetings", "positions", "claims")


def _article(info: ValidationInfo) -> Article | None:
    ctx = info.context or {}
    article = ctx.get("article") if isinstance(ctx, dict) else None
    return article if isinstance(article, Article) else None


_SESSION: ContextVar[Any] = ContextVar("briefing_answer_session", default=None)


@contextmanager
def answers_to(session: Any) -> Iterator[None]:
    """Within the block, :meth:`ArticleDraft.model_validate_json` hands each raw answer to
    ``session`` (a ``briefing.validation.AnswerSession``) instead of validating it whole.

    A context variable, so concurrent articles (asyncio tasks, threads) never see each
    other's session; it replaces instructor's validation ``context``, which instructor would
    also use to render every message as a Jinja template (a sandbox and a compile a message
    a request, and the article's text passed through ``textwrap.dedent``)."""
    token = _SESSION.set(session)
    try:
        yield
    finally:
        _SESSION.reset(token)


class LeanSchema(GenerateJsonSchema):
    """The JSON schema a model is sent (instructor reads ``model_json_schema()`` in every
    mode): pydantic's, without what does not change the answer — no auto ``title`` keys
    (the top-level one stays: instructor names the tool after it), no docstring descriptions
    of nested models, no ``default`` values, and an optional field as its plain type rather
    than ``anyOf`` with ``null`` (leaving it out means null; null itself is still accepted)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def nullable_schema(self, schema: Any) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: Any) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def literal_schema(self, schema: Any) -> JsonSchemaValue:
        out = super().literal_schema(schema)
        if "enum" in out:
            out.pop("type", None)  # the values say it
        return out

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        out = super().generate(schema, mode)
        for definition in out.get("$defs", {}).values():
            # "type": "object" is implied by "properties"
            for key in ("title", "description", "type"):
                definition.pop(key, None)
        return out


class Draft(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        """An optional field sent as an empty string (``"date": ""``) is taken as left out:
        the schema offers no ``null``, and models fill a field they do not know with ``""``."""
        if not isinstance(data, dict):
            return data
        return {
            k: v
            for k, v in data.items()
            if not (
                isinstance(v, str)
                and not v.strip()
                and k in cls.model_fields
                and cls.model_fields[k].default is None
            )
        }

    @classmethod
    def model_json_schema(
        cls,
        by_alias: bool = True,
        ref_template: str = DEFAULT_REF_TEMPLATE,
        schema_generator: type[GenerateJsonSchema] = LeanSchema,
        mode: JsonSchemaMode = "validation",
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The schema as a model is sent it: :class:`LeanSchema` unless told otherwise."""
        return super().model_json_schema(
            by_alias=by_alias,
            ref_template=ref_template,
            schema_generator=schema_generator,
            mode=mode,
            **kwargs,
        )


class ActorDraft(Draft):
    """A person, state or organisation, named as in the article."""

    name: str
    title: str | None = None
    country: str | None = Field(default=None, description="ISO 3166 alpha-3")
    kind: ActorKind = "person"

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, data: Any) -> Any:
        """A name not in the answer's ``actors`` table: the kind the actor registry knows for
        it (a state, an organisation), else a person."""
        if not isinstance(data, str):
            return data
        entry = registry().exact(data.strip())
        return {"name": data, "kind": entry.kind if entry is not None else "person"}

    @model_validator(mode="after")
    def _named_in_article(self, info: ValidationInfo) -> ActorDraft:
        article = _article(info)
        if article is None:
            if not self.name.strip():
                raise ItemProblem(Problem("name", "an actor needs a name"))
            return self
        if problem := name_problem(self.name, self.kind, article):
            raise ItemProblem(problem)
        return self

    def to_actor(self) -> Actor:
        country = (self.country or "").strip().upper() or None
        return Actor(
            name=self.name.strip(), title=self.title or None, country=country, kind=self.kind
        )


# An actor in an item, as the schema offers it: a name from the answer's ``actors`` table
# (see :func:`expand_actors`); a whole actor object is also accepted.
ActorRef = Annotated[ActorDraft, WithJsonSchema({"type": "string"})]


def actor_table(data: Any, known: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The answer's ``actors`` table by folded name (``known``, say from an earlier answer to
    the same article, updated with it); entries that are not objects with a name are skipped."""
    table = dict(known or {})
    entries = data.get("actors") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and entry["name"].strip():
            table[fold_name(entry["name"])] = entry
    return table


def expand_actors(item: Any, table: dict[str, Any]) -> Any:
    """``item`` with each actor given by name (``"speaker": "Ilse Marrow"``) replaced by its
    entry of the ``actors`` table, so it is validated and recorded with its title, country and
    kind. A name not in the table stays a bare name; anything else is left as it is."""
    if not isinstance(item, dict):
        return item

    def one(value: Any) -> Any:
        if isinstance(value, str):
            return table.get(fold_name(value), value)
        return value

    out = dict(item)
    for key in ("actor", "speaker"):
        if key in out:
            out[key] = one(out[key])
    if isinstance(out.get("participants"), list):
        out["participants"] = [one(v) for v in out["participants"]]
    return out


# A sentence number as the schema offers it; a list of consecutive numbers is also accepted.
# The system prompt says what the number is (once, not in each of the three item schemas).
SentenceRef = Annotated[Any, WithJsonSchema({"type": "integer"})]


def _sentence_required(schema: dict[str, Any]) -> None:
    schema["required"] = ["sentence", *schema.get("required", [])]


class Grounded(Draft):
    """A draft item backed by a sentence of the article: cited by number (``sentence``), or,
    as answers did before, copied (``passage``; not in the schema, still accepted)."""

    # The schema asks for ``sentence``; validation also takes an item with ``passage`` only.
    model_config = ConfigDict(json_schema_extra=_sentence_required)

    sentence: SentenceRef = None
    passage: SkipJsonSchema[str | None] = None
    _evidence: Evidence | None = PrivateAttr(default=None)
    _article: Article | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> Grounded:
        if self.sentence is None and self.passage is None:
            raise ItemProblem(
                Problem("sentence", "give the number [n] of the sentence that reports this.")
            )
        article = _article(info)
        self._article = article
        numbers = _sentence_numbers(self.sentence, article)
        if article is None:
            return self
        within = _sentence_evidence(article, numbers) if numbers else None
        if self.passage is None:
            self._evidence = within
            return self
        try:
            self._evidence = ground(self.passage, article, within=within)
        except GroundingError as exc:
            raise ItemProblem(_not_found("passage", self.passage, article)) from exc
        return self

    @model_validator(mode="after")
    def _cited_sentence_reports_it(self, info: ValidationInfo) -> Grounded:
        """The cited sentences must mention the item's actors (and report a meeting):
        ``briefing.checks.citation_problem``."""
        article = _article(info)
        what, actors = self.cited_actors()
        if article is None or self._evidence is None or not actors:
            return self
        named = [(a.name, a.kind) for a in actors]
        if problem := citation_problem(article, self._evidence, named, what):
            raise ItemProblem(problem)
        return self

    def cited_actors(self) -> tuple[str, list[ActorDraft]]:
        """What the item is (``meeting``, ``position``, ``claim``) and the actors its cited
        sentences must mention; none for an item the citation check leaves alone."""
        return "", []

    def evidence(self) -> list[Evidence]:
        if self._evidence is None:
            raise RuntimeError("draft was validated without an article in the context")
        return [self._evidence]

    def own_evidence(self, actor: ActorDraft, item: str, *, report: bool = True) -> Evidence:
        """The cited span as a position's summary or a paraphrase shows it: without leading or
        trailing cited sentences that are another's (``briefing.checks.own_sentences``; not
        for a copied passage), and with ``report``, of a sentence reporting two speakers only
        ``actor``'s statement (``briefing.checks.own_report``)."""
        evidence = self.evidence()[0]
        if self._article is None:
            return evidence
        if self.passage is None:
            span = own_sentences(self._article, evidence, actor.name, actor.kind, item)
            if span is not None:
                evidence = evidence_at(self._article, *span)
        if report:
            span = own_report(self._article, evidence, actor.name, actor.kind)
            if span is not None:
                evidence = evidence_at(self._article, *span)
        return evidence


def _sentence_numbers(value: Any, article: Article | None) -> list[int]:
    """The sentence numbers an item cites: one number, or a list of consecutive ones, each in
    range of the article's sentences. Raises :class:`ItemProblem` naming the valid range."""
    if value is None:
        return []
    count = len(sentence_spans(article.text)) if article is not None else None
    given = value if isinstance(value, list) else [value]
    numbers = sorted(
        n
        for n in map(_as_int, given)
        if n is not None and n >= 1 and (count is None or n <= count)
    )
    if given and len(numbers) == len(given) and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return numbers
    valid = f"from 1 to {count}" if count is not None else "from 1 up"
    raise ItemProblem(
        Problem(
            "sentence",
            f"{value!r} is not a sentence number of this article: give the number [n] of the"
            f" sentence that reports this, one whole number {valid} (or a list of consecutive"
            " ones).",
        )
    )


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().strip("[]").strip().isdigit():
        return int(value.strip().strip("[]"))
    return None


def _sentence_evidence(article: Article, numbers: list[int]) -> Evidence:
    """The exact span of the cited sentences (first to last), sliced from the article."""
    spans = sentence_spans(article.text)
    return evidence_at(article, spans[numbers[0] - 1][0], spans[numbers[-1] - 1][1])


class MeetingDraft(Grounded):
    """A meeting, talks, visit or call between two or more parties."""

    # What each field means, and when date is left out, is said once in the system prompt.
    participants: list[ActorRef]
    location: str | None = None
    date_text: str | None = None
    date: dt.date | None = None
    format: MeetingFormat | None = None
    status: MeetingStatus
    topics: list[str] = Field(default_factory=list)

    def cited_actors(self) -> tuple[str, list[ActorDraft]]:
        return "meeting", list(self.participants)

    @model_validator(mode="after")
    def _two_parties(self, info: ValidationInfo) -> MeetingDraft:
        names = {p.name.strip().casefold() for p in self.participants}
        if len(names) < 2:
            shown = ", ".join(repr(p.name) for p in self.participants) or "none"
            raise ItemProblem(
                Problem(
                    "participants",
                    f"a meeting needs at least two different participants; this one has {shown}."
                    " Name every party the passage gives, or leave the meeting out.",
                )
            )
        article = _article(info)
        if article is None or self._evidence is None:
            return self
        problem = (
            status_problem(article, self._evidence, self.status, self.date, self.date_text)
            or format_problem(article, self._evidence, self.format, self.location)
            or date_problem(article, self.date, self.date_text, self.status)
        )
        if problem:
            raise ItemProblem(problem)
        resolved = resolve_date(self.date_text, article.published, self.status)
        if resolved is not None and (self.date is None or not _stated(article, self.date)):
            self.date = resolved  # the product resolves relative dates, not the model
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
    """Where an actor stands on a topic. The record's ``summary`` is the cited sentence, word
    for word: the schema does not ask the model to put the position in its own words (words
    no check can hold to the article, and a third of an answer's tokens). A ``summary`` an
    answer gives anyway (answers written before) is kept as it was."""

    actor: ActorRef
    topic: str
    stance: Stance
    summary: SkipJsonSchema[str] = ""

    def cited_actors(self) -> tuple[str, list[ActorDraft]]:
        return "position", [self.actor]

    def to_record(self) -> Position:
        # an older answer's own summary stands for the whole cited sentence
        evidence = [self.own_evidence(self.actor, "position", report=not self.summary.strip())]
        return Position(
            actor=self.actor.to_actor(),
            topic=self.topic,
            stance=self.stance,
            summary=self.summary.strip() or evidence[0].text,
            evidence=evidence,
        )


class ClaimDraft(Grounded):
    """Something an actor said. A direct quote gives the quoted words only, verbatim, as
    ``quote``; a paraphrase or a report gives no words of its own: the record's ``text`` is
    the cited sentence, word for word (the model's rewording is neither asked for nor
    checkable). Answers written before the schema had ``quote`` gave the words as ``text``
    (for any kind); that is still accepted and kept as it was."""

    speaker: ActorRef
    kind: ClaimKind
    quote: str | None = None
    text: SkipJsonSchema[str | None] = None

    _attribution: str | None = PrivateAttr(default=None)

    def cited_actors(self) -> tuple[str, list[ActorDraft]]:
        # a direct quote's evidence is where its own words stand (``_quote_evidence``), and
        # who the article gives them to is checked there
        return "claim", [] if self.kind == "direct-quote" else [self.speaker]

    @model_validator(mode="after")
    def _quote_is_verbatim(self, info: ValidationInfo) -> ClaimDraft:
        article = _article(info)
        if article is not None and self.kind == "direct-quote":
            self._evidence = self._quote_evidence(article)
            self._attribution = self._attributed(article, self._evidence)
        return self

    @property
    def words(self) -> str:
        """The words the answer gives: ``quote``, else the older ``text``, else ``""``."""
        return self.quote if self.quote is not None else (self.text or "")

    @property
    def _words_field(self) -> str:
        return "text" if self.quote is None and self.text is not None else "quote"

    def _quote_evidence(self, article: Article) -> Evidence:
        """The quote's words in the source, exactly or up to quote style, case and invisible
        characters (never fuzzy), inside the article's quotation marks; where they occur more
        than once, the occurrence the article gives to the claimed speaker."""
        words, field = self.words, self._words_field
        if not words.strip():
            raise ItemProblem(
                Problem(
                    field,
                    "a direct quote needs its exact words from between the article's quotation"
                    " marks; give them, or set kind to paraphrase.",
                )
            )
        spans = [(s.start, s.end, s.match) for s in align_all(words, article.text)]
        if not spans:
            raise ItemProblem(_not_found(field, words, article, quote=True))
        inside = [s for s in spans if inside_quotes(article.text, s[0], s[1])]
        if not inside:
            raise ItemProblem(
                Problem(
                    field,
                    f"{words!r} is in the article but not inside its quotation marks, so it"
                    " is not a direct quote. Set kind to paraphrase, or copy words that stand"
                    " between quotation marks.",
                )
            )
        if self._evidence is not None:
            near = [s for s in inside if self._evidence.start <= s[0] < self._evidence.end]
            inside = near + [s for s in inside if s not in near]
        pick = inside[pick_occurrence(article, [(s, e) for s, e, _ in inside], self.speaker.name)]
        return evidence_at(article, pick[0], pick[1], pick[2])

    def _attributed(self, article: Article, evidence: Evidence) -> str:
        said = attribution(article, evidence.start, evidence.end, self.speaker.name)
        if said.speaker is None:
            return "unverified"
        if not said.fits:
            raise ItemProblem(
                Problem(
                    "speaker",
                    f"the article attributes this quote to {said.speaker}, not"
                    f" {self.speaker.name!r}: {evidence.text!r}. Set speaker to {said.speaker},"
                    " or leave the claim out.",
                )
            )
        return "verified"

    def to_record(self) -> Claim:
        evidence = self.evidence()
        text = evidence[0].text
        if self.kind != "direct-quote" and self.text and self.text.strip():
            text = self.text  # an older answer's own words for a paraphrase
        elif self.kind != "direct-quote" and self._article is not None:
            evidence = [self.own_evidence(self.speaker, "claim")]
            text = evidence[0].text
        return Claim(
            speaker=self.speaker.to_actor(),
            kind=self.kind,
            text=text,
            evidence=evidence,
            attribution=self._attribution,
        )


def _stated(article: Article, date: dt.date) -> bool:
    from briefing.checks import date_stated

    return date_stated(article.text, date)


def _not_found(field: str, value: str, article: Article, *, quote: bool = False) -> Problem:
    """A passage or quote the article does not hold, with the article's nearest words."""
    near = closest(value, article.text)
    said = f" The closest words in the article: {near!r}." if near else ""
    how = "word for word" if quote else "word for word or nearly so"
    todo = (
        "Copy the exact words from between the article's quotation marks, or set kind to"
        " paraphrase."
        if quote
        else "Copy the sentence from the article exactly, or leave this item out."
    )
    return Problem(field, f"{value.strip()!r} is not in the article {how}.{said} {todo}")


class ArticleDraft(Draft):
    """The article's actors, meetings, positions and claims."""

    actors: list[ActorDraft] = Field(default_factory=list)
    meetings: list[MeetingDraft] = Field(default_factory=list)
    positions: list[PositionDraft] = Field(default_factory=list)
    claims: list[ClaimDraft] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _named_actors(cls, data: Any) -> Any:
        """Actors given by name resolved through the answer's own ``actors`` table."""
        if not isinstance(data, dict):
            return data
        table = actor_table(data)
        return {
            k: [expand_actors(i, table) for i in v] if k in LISTS and isinstance(v, list) else v
            for k, v in data.items()
        }

    @staticmethod
    def item_models() -> dict[str, type[Draft]]:
        """The draft model of each list, for item-by-item validation."""
        return {"meetings": MeetingDraft, "positions": PositionDraft, "claims": ClaimDraft}

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Any = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> ArticleDraft:
        """Item by item inside :func:`answers_to` (``briefing.validation.AnswerSession``):
        instructor calls this with each answer; invalid items raise a re-ask naming only them,
        or, on the last attempt, are dropped while the valid ones are kept. Elsewhere, plain
        pydantic validation with ``context``."""
        session = _SESSION.get()
        if session is None:
            return super().model_validate_json(
                json_data, strict=strict, extra=extra, context=context,
                by_alias=by_alias, by_name=by_name,
            )
        items = session.take(json_data)
        return cls.model_construct(**items)

    def to_extraction(self, article: Article, **meta: Any) -> ArticleExtraction:
        usage = meta.pop("usage", None) or Usage()
        return ArticleExtraction(
            article_id=article.id,
            meetings=[m.to_record() for m in self.meetings],
            positions=[p.to_record() for p in self.positions],
            claims=[c.to_record() for c in self.claims],
            usage=usage,
            drops=meta.pop("drops", None) or [],
            **meta,
        )
