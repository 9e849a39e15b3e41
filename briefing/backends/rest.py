"""An answer cut off at max_tokens: the items it holds complete, and the follow-up that asks only
for the rest.

A cut answer is a prefix of a JSON object. ``read_cut`` reads it with ijson, an event parser
that hands over a list item only when its closing brace arrives, so an item the cut fell inside
is never kept, however much of it arrived (a quote cut mid-string would otherwise look like a
shorter quote). The complete items go through ``AnswerSession.take_data`` like any answer; the
unfinished one is named (``claims[4]``) so the follow-up can start from it and, when no answer
is left to ask, the brief can list it as a drop.

``rest_message`` is the follow-up: the original messages plus one user message
(``prompts/extract.rest.j2``) naming each item already kept in a few words, never repeating
them in full, and asking for the items after them. Like the re-ask text
(``briefing.validation.reask_text``) it is not part of ``prompt_version``, which names the first
request of an article (the one cassettes and caches are keyed by first); a follow-up's own
request body keys its ledger and cache entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from briefing.prompts import environment
from briefing.validation import LISTS

REST_TEMPLATE = "extract.rest.j2"
# The answer's actors table (``briefing.drafts.actor_table``): its complete entries are kept with
# the items so that actors the items give by name keep their title and country; not items.
ACTORS = "actors"
# Longest fragment of the unfinished item kept for the drop note, and words of a kept item's
# text quoted in its reference.
FRAGMENT_CHARS = 300
REF_WORDS = 8


@dataclass
class CutAnswer:
    """What a cut answer holds: ``items`` (each list's complete items, in order), whether the
    whole object arrived after all (``whole``), and the unfinished item's path and text."""

    items: dict[str, list[Any]] = field(default_factory=lambda: {k: [] for k in (ACTORS, *LISTS)})
    whole: bool = False
    unfinished: str | None = None
    fragment: str = ""

    @property
    def count(self) -> int:
        return sum(len(v) for k, v in self.items.items() if k != ACTORS)


def read_cut(text: str) -> CutAnswer:
    """The complete items of ``text``, an answer cut off at some point (bare JSON, or JSON after
    a Markdown fence or prose). Only items whose object closed count; nested objects and lists
    inside an item are kept with it. Never raises: text with no object holds no item."""
    import ijson  # only a cut answer needs it: every run imports this module, few cut answers

    start = text.find("{")
    cut = CutAnswer()
    if start < 0:
        return cut
    body = text[start:]
    builder: ijson.ObjectBuilder | None = None
    open_at = ""
    try:
        for prefix, event, value in ijson.parse(body.encode("utf-8"), use_float=True):
            if builder is not None:
                builder.event(event, value)
                if prefix == open_at and event in ("end_map", "end_array"):
                    cut.items[open_at.split(".")[0]].append(builder.value)
                    builder = None
                continue
            name, _, rest = prefix.partition(".")
            if rest != "item" or name not in cut.items:
                continue
            if event in ("start_map", "start_array"):
                builder, open_at = ijson.ObjectBuilder(), prefix
                builder.event(event, value)
            elif event not in ("end_map", "end_array"):
                cut.items[name].append(value)  # a bare value: invalid, but complete
    except ijson.JSONError:
        if builder is not None:
            name = open_at.split(".")[0]
            cut.unfinished = f"{name}[{len(cut.items[name])}]"
        cut.fragment = _tail(body)
        return cut
    cut.whole = True
    return cut


def _tail(body: str) -> str:
    return body if len(body) <= FRAGMENT_CHARS else "…" + body[-(FRAGMENT_CHARS - 1) :]


def _words(text: str | None) -> str:
    words = " ".join(str(text or "").split()).split(" ")
    shown = " ".join(words[:REF_WORDS])
    return shown + ("…" if len(words) > REF_WORDS else "")


def _name(actor: Any) -> str:
    return str(getattr(actor, "name", "") or "?")


def _said(draft: BaseModel) -> str:
    """A claim's words as the answer gave them, else (a paraphrase) its cited sentence."""
    words = getattr(draft, "words", "")
    if words:
        return str(words)
    try:
        return str(draft.evidence()[0].text)  # type: ignore[attr-defined]
    except (AttributeError, IndexError, RuntimeError):
        return ""


def item_ref(name: str, draft: BaseModel) -> str:
    """A few words that name a kept item for the model: who, and what (never the whole item)."""
    if name == "meetings":
        who = ", ".join(_name(p) for p in getattr(draft, "participants", []))
        where, when = getattr(draft, "location", None), getattr(draft, "date_text", None)
        return " ".join(
            p for p in (f"meeting of {who}", where and f"in {where}", when) if p
        )
    if name == "positions":
        actor = _name(getattr(draft, "actor", None))
        return f"position of {actor}: {getattr(draft, 'stance', '')} {getattr(draft, 'topic', '')}"
    kind = getattr(draft, "kind", "claim")
    said = json.dumps(_words(_said(draft)), ensure_ascii=False)
    return f"{kind} by {_name(getattr(draft, 'speaker', None))}: {said}"


def rest_message(
    kept: dict[str, list[BaseModel]], cut: CutAnswer, limit: int | None, reask: str = ""
) -> str:
    """The follow-up user message after a cut: what is kept (a short reference each), where the
    answer broke off, and the request for the items after them; ``reask`` (the re-ask text for
    invalid complete items, ``briefing.validation.reask_text``) is appended when given."""
    refs = {name: [item_ref(name, d) for d in drafts] for name, drafts in kept.items()}
    text = (
        environment()
        .get_template(REST_TEMPLATE)
        .render(refs=refs, count=sum(len(v) for v in refs.values()), limit=limit, cut=cut)
        .strip()
    )
    return f"{text}\n\n{reask}" if reask else text


__all__ = ["CutAnswer", "item_ref", "read_cut", "rest_message"]
