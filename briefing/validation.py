"""Item-level validation of a model's answer, and the re-ask that names only what is wrong.

A model's answer is checked item by item (each meeting, position and claim on its own, with the
draft validators of ``briefing.drafts``). Valid items are kept across attempts; the re-ask
names only the invalid ones, by path (``claims[2].speaker``), with the whole offending value,
the article's closest words and what to do. After the last attempt the still-invalid items are
dropped and each drop is kept (:class:`briefing.schemas.Drop`) for the ledger and the brief's
extraction notes. An article fails only when no answer could be read at all.

How it plugs into instructor: the backend calls instructor inside
``briefing.drafts.answers_to(session)``, and ``ArticleDraft.model_validate_json`` hands each raw
answer to that :class:`AnswerSession`. When items are invalid
and attempts remain, the session raises :class:`ItemsInvalid` (a ``ResponseParsingError``, which
instructor re-asks with, its message being the whole re-ask text); otherwise it returns the
draft of every valid item gathered so far.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from instructor.core.exceptions import ResponseParsingError
from pydantic import BaseModel, ValidationError

from briefing.actors import fold_name
from briefing.checks import ItemProblem
from briefing.drafts import actor_table, expand_actors
from briefing.schemas import Article, Drop

LISTS = ("meetings", "positions", "claims")
# What every answer must be, said in the re-ask of one that is not.
_SHAPE = "The answer must be one JSON object with the lists meetings, positions and claims"
# Longest value quoted back in a re-ask; a longer one is cut at a word with "…".
VALUE_CHARS = 600


@dataclass(frozen=True)
class Invalid:
    """One invalid item: ``path`` (``claims[2]``), the item as given, and ``reasons`` (each
    ``field: message``; the field path relative to the item)."""

    path: str
    item: Any
    reasons: tuple[str, ...]

    def drop(self) -> Drop:
        return Drop(path=self.path, item=_compact(self.item), reasons=list(self.reasons))


@dataclass
class Checked:
    """One answer, checked: the valid drafts per list, the invalid items, and any problem
    with the answer as a whole (not an object, a list that is not a list)."""

    valid: dict[str, list[BaseModel]] = field(default_factory=lambda: {k: [] for k in LISTS})
    invalid: list[Invalid] = field(default_factory=list)
    index: dict[int, int] = field(default_factory=dict)  # id(draft) -> its index in its list

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.valid.values())


def _compact(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _reasons(exc: ValidationError, path: str) -> tuple[str, ...]:
    """Our own messages for our checks; pydantic's short ``msg`` (never its boilerplate) for
    type errors, with what to do for the ones models make."""
    out: list[str] = []
    for err in exc.errors(include_url=False):
        loc = [path, *(str(p) for p in err["loc"])]
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, ItemProblem):
            if cause.problem.field and (not loc or loc[-1] != cause.problem.field):
                loc.append(cause.problem.field)
            out.append(f"{'.'.join(loc)}: {cause.problem.message}")
            continue
        out.append(f"{'.'.join(loc)}: {_type_message(err, loc)}")
    return tuple(dict.fromkeys(out))


def _type_message(err: Any, loc: list[str]) -> str:
    given = err.get("input")
    shown = _compact(given) if err["type"] != "missing" else ""
    if loc and loc[-1] == "date":
        return (
            f"{shown} is not a date in YYYY-MM-DD form. Leave date null and keep the article's"
            " words in date_text."
        )
    if err["type"] == "missing":
        return "this field is required and is missing."
    if err["type"] == "literal_error":
        allowed = (err.get("ctx") or {}).get("expected", "")
        return f"{shown} is not one of the allowed values ({allowed})."
    return f"{shown}: {err['msg']}."


def check_answer(
    data: Any,
    article: Article,
    models: dict[str, type[BaseModel]],
    actors: dict[str, Any] | None = None,
) -> Checked:
    """Validate every item of an answer on its own against ``article``.

    ``data`` is the parsed JSON; ``models`` maps each list name to its draft model; an actor
    an item gives by name is looked up in the answer's ``actors`` table, then in ``actors``
    (the tables of earlier answers, by folded name). Raises ``ResponseParsingError`` when the
    answer is not an object at all, or an object with keys but none of the lists nor
    ``actors`` (``{"ArticleDraft": {...}}``, an echoed schema's ``properties``): read as
    empty it would lose every record unseen, so it is re-asked. ``{}`` is an answer with
    nothing in it."""
    if not isinstance(data, dict):
        raise ResponseParsingError(f"{_SHAPE}.")
    if data and not any(key in data for key in (*LISTS, "actors")):
        keys = ", ".join(sorted(map(str, data))[:5])
        raise ResponseParsingError(
            f"{_SHAPE} at its top level, not inside another key (got: {keys})."
        )
    checked = Checked()
    context = {"article": article}
    table = actor_table(data, actors)
    for name in LISTS:
        items = data.get(name) or []
        if not isinstance(items, list):
            checked.invalid.append(Invalid(name, items, (f"{name}: must be a list of objects.",)))
            continue
        for i, item in enumerate(items):
            try:
                draft = models[name].model_validate(expand_actors(item, table), context=context)
            except ValidationError as exc:
                path = f"{name}[{i}]"
                checked.invalid.append(Invalid(path, item, _reasons(exc, path)))
            else:
                checked.valid[name].append(draft)
                checked.index[id(draft)] = i
    _shared_quotes(data, checked)
    return checked


def _shared_quotes(data: dict[str, Any], checked: Checked) -> None:
    """Two direct quotes by different speakers never share one span: the later one is wrong."""
    kept: list[BaseModel] = []
    seen: list[tuple[int, int, str]] = []
    claims = data.get("claims") or []
    for draft in checked.valid["claims"]:
        if getattr(draft, "kind", None) != "direct-quote":
            kept.append(draft)
            continue
        ev = draft.evidence()[0]  # type: ignore[attr-defined]
        speaker = fold_name(draft.speaker.name)  # type: ignore[attr-defined]
        clash = next(
            (s for s in seen if s[0] < ev.end and ev.start < s[1] and s[2] != speaker), None
        )
        if clash is None:
            seen.append((ev.start, ev.end, speaker))
            kept.append(draft)
            continue
        index = checked.index[id(draft)]
        checked.invalid.append(
            Invalid(
                f"claims[{index}]",
                claims[index],
                (
                    f"claims[{index}].speaker: another claim already gives these words to"
                    f" {clash[2].title()}; the article does not say both said them. Keep one"
                    " speaker, the one the article names.",
                ),
            )
        )
    checked.valid["claims"] = kept


def reask_text(checked: Checked) -> str:
    """The message sent back to the model: which items are wrong, why, and what to do."""
    bad = len(checked.invalid)
    kept = checked.count
    lines = [
        f"{bad} item{'s' if bad != 1 else ''} of your answer"
        f" {'do' if bad != 1 else 'does'} not hold against the article"
        + (f"; the other {kept} are accepted and kept." if kept else "."),
        "Send the answer again with only these items, corrected (or leave an item out if the"
        " article does not support it):",
    ]
    for inv in checked.invalid:
        lines.append(f"- {inv.path} = {_compact(inv.item)}")
        lines.extend(f"  - {reason}" for reason in inv.reasons)
    return "\n".join(lines)


class ItemsInvalid(ResponseParsingError):
    """Some items of an answer are invalid and attempts remain: the message is the re-ask."""

    def __init__(self, checked: Checked) -> None:
        super().__init__(reask_text(checked))
        self.checked = checked

    def lines(self) -> list[str]:
        """One ``path.field: message`` line per reason, for the ledger."""
        return [r for inv in self.checked.invalid for r in inv.reasons]


def _key(name: str, draft: BaseModel) -> tuple[Any, ...]:
    ev = draft.evidence()[0]  # type: ignore[attr-defined]
    if name == "meetings":
        who = sorted(fold_name(p.name) for p in draft.participants)  # type: ignore[attr-defined]
        return (name, ev.start, ev.end, tuple(who))
    if name == "positions":
        return (name, ev.start, ev.end, fold_name(draft.actor.name), draft.stance)  # type: ignore[attr-defined]
    return (name, ev.start, ev.end, fold_name(draft.speaker.name), draft.kind)  # type: ignore[attr-defined]


@dataclass
class AnswerSession:
    """The answers to one article so far: valid items kept across attempts, the last answer's
    invalid items, and whether the next answer is the last one allowed (``is_last``)."""

    article: Article
    models: dict[str, type[BaseModel]]
    is_last: Callable[[], bool] = lambda: True
    kept: dict[tuple[Any, ...], tuple[str, BaseModel]] = field(default_factory=dict)
    invalid: list[Invalid] = field(default_factory=list)
    answers: int = 0
    actors: dict[str, Any] = field(default_factory=dict)  # every answer's actors table so far
    last_valid: int = 0  # the last answer's valid items, those kept before included

    def take(self, raw: str | bytes | bytearray) -> dict[str, list[BaseModel]]:
        """Check one raw answer; keep its valid items; raise :class:`ItemsInvalid` (re-ask)
        while invalid items remain and attempts are left; else return every kept item."""
        return self.take_data(json.loads(raw))

    def take_data(self, data: Any) -> dict[str, list[BaseModel]]:
        """:meth:`take` for an answer already parsed (say, the complete items recovered from
        an answer cut off at ``max_tokens``)."""
        checked = check_answer(data, self.article, self.models, self.actors)
        self.actors = actor_table(data, self.actors)  # a re-ask may name actors given before
        self.answers += 1
        self.last_valid = sum(len(checked.valid[name]) for name in LISTS)
        for name in LISTS:
            for draft in checked.valid[name]:
                self.kept.setdefault(_key(name, draft), (name, draft))
        self.invalid = checked.invalid
        if checked.invalid and not self.is_last():
            raise ItemsInvalid(checked)
        return self.items()

    def items(self) -> dict[str, list[BaseModel]]:
        out: dict[str, list[BaseModel]] = {k: [] for k in LISTS}
        for name, draft in self.kept.values():
            out[name].append(draft)
        return out

    @property
    def usable(self) -> bool:
        """Whether any answer could be read (then the article is not lost)."""
        return self.answers > 0

    def drops(self) -> list[Drop]:
        return [inv.drop() for inv in self.invalid]


__all__ = ["AnswerSession", "Checked", "ItemsInvalid", "check_answer", "reask_text"]
