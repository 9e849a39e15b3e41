"""Any OpenAI-compatible chat-completions endpoint, through instructor over the openai client.

Two retry loops, bounded separately:
- re-asks: instructor validates each answer against the article (``briefing.drafts``) and sends
  the validation errors back, up to ``max_attempts`` answers or the article's token budget;
  an answer cut at the length limit keeps its complete items and asks for the rest
  (``briefing.backends.rest``), within the same answers and token budget;
- API errors: each call to the endpoint is wrapped in tenacity, which retries 429 (honouring
  Retry-After), 5xx, timeouts and refused connections with jittered backoff, up to
  ``api_retries`` times. The openai client's own retries are off so there is one policy.

Every HTTP exchange passes through ``ObservingTransport``, which writes one ledger row each
(and a cassette line when recording).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import email.utils
import functools
import json
import logging
import math
import random
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2
import instructor
import openai
import openai.resources.chat  # client.chat's first-use import, frozen: FREEZE_IMPORTS
from instructor.core.exceptions import (
    AsyncValidationError,
    IncompleteOutputException,
    InstructorRetryException,
    ResponseParsingError,
)
from pydantic import ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from briefing import __version__
from briefing.backends import Backend, openai_endpoint, openai_model
from briefing.backends.rest import CutAnswer, read_cut, rest_message
from briefing.backends.wire import EmptyAnswer, answer_text, shape_answer
from briefing.cassette import (
    CassetteWriter,
    Observed,
    ObservingTransport,
    new_header,
)
from briefing.drafts import ArticleDraft, answers_to
from briefing.errors import CassetteMiss, ConfigError, ExtractionFailed
from briefing.prompts import prompt_version, render_messages
from briefing.schemas import Article, ArticleExtraction, Attempt, Usage
from briefing.validation import AnswerSession, Invalid, ItemsInvalid, reask_text

log = logging.getLogger("briefing")

MODES = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
    "json_schema": instructor.Mode.JSON_SCHEMA,
}
PARSE_ERRORS = (
    ValidationError,
    json.JSONDecodeError,
    ResponseParsingError,
    AsyncValidationError,
    EmptyAnswer,
)


@dataclass
class ArticleRun:
    """What one article's extraction has cost so far; the transport and hooks fill it in."""

    article: Article
    rows: list[Attempt] = field(default_factory=list)
    answers: int = 0
    usage: Usage = field(default_factory=Usage)
    miss: str | None = None
    session: AnswerSession | None = None
    prompt: list[dict[str, str]] = field(default_factory=list)  # the first request's messages
    cut: tuple[str, CutAnswer] | None = None  # a cut whose rest was asked for and not yet had


@functools.cache
def response_model() -> type[ArticleDraft]:
    """What instructor is given as ``response_model``, made once.

    ``instructor.openai_schema(ArticleDraft)`` (given a plain model, instructor would wrap it
    in a new class on every request and generate its JSON schema anew each time, its schema
    cache being keyed by class) stands behind a class of the same name and docstring that
    has no fields of its own: its JSON schema, ``model_validate_json`` and ``model_validate``
    are the wrapped class's, so requests are byte for byte the same and answers come back
    as the same objects. instructor walks a response model for async validators six times a
    request (``reject_async_validators``: every member of every class in the MRO of every
    model its fields name); on the five draft models that walk was about 0.3 ms, 2 ms of
    client CPU an article, and on this class it is one model's."""
    wrapped = instructor.openai_schema(ArticleDraft)

    class Answer(instructor.OpenAISchema):  # named and documented as the wrapped class below
        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return wrapped.model_json_schema(*args, **kwargs)

        @classmethod
        def model_validate_json(cls, *args: Any, **kwargs: Any) -> Any:
            return wrapped.model_validate_json(*args, **kwargs)

        @classmethod
        def model_validate(cls, *args: Any, **kwargs: Any) -> Any:
            return wrapped.model_validate(*args, **kwargs)

    Answer.__name__ = Answer.__qualname__ = wrapped.__name__
    Answer.__doc__ = wrapped.__doc__
    return Answer  # type: ignore[return-value]


class CircuitBreaker:
    """Stops asking an endpoint that accepts connections and never answers (or refuses them).

    After ``after`` requests in a row, across articles, that got no HTTP response at all
    (connection refused or reset, timeout), the breaker opens for the rest of the run: retries
    stop and every article not yet asked fails at once with one reason, so a dead endpoint
    costs a few timeouts instead of retries x timeout for each article. Any HTTP response,
    even an error status, shows the server is alive and closes it again.
    """

    def __init__(self, after: int) -> None:
        self.after = after
        self.failures = 0
        self.last = ""
        self._lock = threading.Lock()

    def record(self, answered: bool, error: str = "") -> None:
        with self._lock:
            if answered:
                self.failures = 0
            else:
                self.failures += 1
                self.last = error

    @property
    def open(self) -> bool:
        return self.failures >= self.after

    def reason(self) -> str:
        return (
            f"not asked: the endpoint failed {self.failures} requests in a row"
            f" (last: {self.last}); circuit breaker open for the rest of the run"
        )


_CURRENT: contextvars.ContextVar[ArticleRun] = contextvars.ContextVar("briefing_article_run")


def _seconds(text: str, scale: float = 1.0) -> float | None:
    try:
        value = float(text.strip()) * scale
    except ValueError:
        return None
    return max(0.0, value) if math.isfinite(value) else None


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait, never negative; None when it did not say or said
    something unparsable (then the ordinary backoff applies).

    Read, in order: ``retry-after-ms`` (milliseconds, OpenAI's), then ``Retry-After`` as
    delta-seconds or an HTTP-date (RFC 9110 §10.2.3). A negative number, or a date in the past,
    means "now" (0 s).
    """
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    if (ms := headers.get("retry-after-ms")) and (asked := _seconds(ms, 0.001)) is not None:
        return asked
    value = (headers.get("retry-after") or "").strip()
    if not value:
        return None
    if (asked := _seconds(value)) is not None:
        return asked
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" dates: UTC by RFC 5322
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - time.time())


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError):  # includes timeouts and refused connections
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


class RetryAfterWait:
    """Wait the full time the server asked (plus up to 10% jitter, never beyond ``max_wait``),
    else exponential jitter up to ``cap``. Waits longer than ``max_wait`` never get here: the
    retry predicate gives up on them first."""

    def __init__(self, cap: float, max_wait: float) -> None:
        self.max_wait = max_wait
        self.fallback = wait_random_exponential(multiplier=0.5, max=cap)

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_seconds(exc)
        if asked is None:
            return max(0.0, float(self.fallback(state)))
        return min(self.max_wait, asked + random.uniform(0, 0.1 * asked))


def asked_too_long(exc: BaseException | None, max_wait: float) -> float | None:
    """The wait the server asked for when it is more than ``max_wait``, else None."""
    asked = retry_after_seconds(exc)
    return asked if asked is not None and asked > max_wait else None


def error_lines(exc: BaseException) -> list[str]:
    """Short messages for the ledger and the brief's failure list."""
    if isinstance(exc, ItemsInvalid):
        return exc.lines()
    if isinstance(exc, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in exc.errors()
        ][:10]
    text = str(exc).strip().splitlines()
    return [text[0][:300]] if text else [type(exc).__name__]


class OpenAIBackend(Backend):
    name = "openai"

    def __init__(self, settings: Any, ledger: Any = None) -> None:
        super().__init__(settings, ledger)
        self.mode = MODES[settings.mode]
        self._writer = self._cassette_writer()
        self._sync: Callable[..., Any] | None = None
        self._async: Callable[..., Awaitable[Any]] | None = None
        self._closers: list[Callable[[], Any]] = []
        self._async_closers: list[Callable[[], Awaitable[Any]]] = []
        self.breaker = CircuitBreaker(settings.breaker_after)

    # --- configuration ----------------------------------------------------------------------

    @property
    def model(self) -> str:
        return openai_model(self.settings)

    @property
    def prompt_version(self) -> str:
        return prompt_version()

    def api_key(self) -> str:
        key = self.settings.api_key_value()
        if key:
            return key
        if self.settings.base_url:
            return "not-needed"  # local servers (llama.cpp, Ollama, vLLM) take any key
        raise ConfigError(
            "no API key: set OPENAI_API_KEY or BRIEFING_API_KEY,"
            " or give --base-url for a local server"
        )

    def base_url(self) -> str | None:
        return self.settings.base_url

    def recorded_with(self) -> str:
        return f"briefing {__version__}"

    def _cassette_writer(self) -> CassetteWriter | None:
        if self.settings.record is None:
            return None
        header = new_header(
            "recorded",
            model=self.model,
            mode=self.mode_name,
            endpoint=self.endpoint,
            recorded_with=self.recorded_with(),
        )
        return CassetteWriter(
            self.settings.record, header, secrets=[self.settings.api_key_value() or ""]
        )

    @property
    def endpoint(self) -> str | None:
        return openai_endpoint(self.base_url())

    def _cached_answer(self, key: str) -> bytes | None:
        answer = self.ledger.cached_answer(key, self.endpoint) if self.ledger else None
        return answer.encode("utf-8") if answer is not None else None

    def transport(self, is_async: bool) -> httpx2.BaseTransport | httpx2.AsyncBaseTransport:
        inner = httpx2.AsyncHTTPTransport() if is_async else httpx2.HTTPTransport()
        # Recording wants real exchanges, so the cache is off while recording.
        use_cache = self.settings.cache and self._writer is None
        cache = self._cached_answer if use_cache else None
        return ObservingTransport(inner, self._observe, self._writer, cache, self.settings.timeout)

    def _client_kwargs(self, is_async: bool) -> dict[str, Any]:
        transport = self.transport(is_async)
        http = (
            httpx2.AsyncClient(transport=transport)
            if is_async  # type: ignore[arg-type]
            else httpx2.Client(transport=transport)
        )  # type: ignore[arg-type]
        return {
            "api_key": self.api_key(),
            "base_url": self.base_url(),
            "max_retries": 0,
            "timeout": self.settings.timeout,
            "http_client": http,
        }

    # --- the two create functions -----------------------------------------------------------

    def _api_retrying(self, cls: type[Retrying] | type[AsyncRetrying]) -> Any:
        return cls(
            retry=retry_if_exception(self._worth_retrying),
            wait=RetryAfterWait(self.settings.api_backoff_max, self.settings.max_wait),
            stop=stop_after_attempt(self.settings.api_retries + 1),
            before_sleep=lambda s: log.info(
                "API error (%s); retrying in %.1fs",
                error_lines(s.outcome.exception())[0],  # type: ignore[union-attr]
                s.next_action.sleep if s.next_action else 0,
            ),
            reraise=True,
        )

    def _worth_retrying(self, exc: BaseException) -> bool:
        if self.breaker.open:
            return False
        return is_transient(exc) and asked_too_long(exc, self.settings.max_wait) is None

    def sync_create(self) -> Callable[..., Any]:
        if self._sync is None:
            client = openai.OpenAI(**self._client_kwargs(False))
            self._closers.append(client.close)

            def call(*args: Any, **kwargs: Any) -> Any:
                create = client.chat.completions.create
                with self._unreadable_answers():
                    completion = self._api_retrying(Retrying)(create, *args, **kwargs)
                return self._shaped(completion, kwargs.get("max_tokens"))

            self._sync = instructor.patch(create=call, mode=self.mode)
        return self._sync

    def async_create(self) -> Callable[..., Awaitable[Any]]:
        if self._async is None:
            client = openai.AsyncOpenAI(**self._client_kwargs(True))
            self._async_closers.append(client.close)

            async def once(*args: Any, **kwargs: Any) -> Any:
                # tenacity awaits only what it sees as a coroutine function; openai's
                # decorated create is not one, so give it a plain one.
                return await client.chat.completions.create(*args, **kwargs)

            async def call(*args: Any, **kwargs: Any) -> Any:
                with self._unreadable_answers():
                    completion = await self._api_retrying(AsyncRetrying)(once, *args, **kwargs)
                return self._shaped(completion, kwargs.get("max_tokens"))

            self._async = instructor.patch(create=call, mode=self.mode)
        return self._async

    @contextmanager
    def _unreadable_answers(self) -> Iterator[None]:
        """A 2xx body the client cannot read as JSON (an HTML error page, nothing at all) is an
        invalid answer with a plain reason, not a JSONDecodeError."""
        try:
            yield
        except json.JSONDecodeError:
            empty = EmptyAnswer("the answer is not JSON")
            self._mark_invalid(empty)
            raise empty from None

    def _shaped(self, completion: Any, max_tokens: int | None = None) -> Any:
        """The answer made parseable in this mode (``briefing.backends.wire``); an empty one is an
        invalid attempt with a plain reason, asked again like any invalid answer; one cut at
        ``max_tokens`` is marked so, whatever finish_reason the endpoint gave."""
        try:
            return shape_answer(completion, self.mode_name, max_tokens)
        except EmptyAnswer as exc:
            self._mark_invalid(exc)
            raise

    def _request(
        self, state: ArticleRun, cls: type[Retrying] | type[AsyncRetrying]
    ) -> dict[str, Any]:
        budget = self.settings.token_budget
        # No validation context goes to instructor, which would render every message as a
        # Jinja template with it: the answer session reaches the draft through answers_to().
        messages = render_messages(state.article)
        attempts = self.settings.max_attempts

        def spent() -> bool:  # across every call for the article, follow-ups after a cut too
            return state.answers >= attempts or state.usage.total_tokens >= budget

        state.session = AnswerSession(state.article, ArticleDraft.item_models(), is_last=spent)
        state.prompt = [dict(m) for m in messages]  # instructor's re-asks extend the list
        hooks = instructor.hooks.Hooks()
        hooks.on("parse:error", self._on_parse_error)
        return {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "response_model": response_model(),
            "hooks": hooks,
            "temperature": self.settings.temperature,
            **({"max_tokens": self.settings.max_tokens} if self.settings.max_tokens else {}),
            "max_retries": cls(
                stop=lambda _s: spent(),
                retry=retry_if_exception_type(PARSE_ERRORS),
                reraise=True,
            ),
        }

    # --- observing --------------------------------------------------------------------------

    def _observe(self, seen: Observed) -> None:
        if not seen.cached and not seen.miss:
            self.breaker.record(seen.status is not None, self._no_answer(seen.error))
        state = _CURRENT.get(None)
        if state is None:
            return
        ok = seen.status is not None and 200 <= seen.status < 300
        usage = _usage_of(seen.content) if ok and not seen.cached else Usage()
        state.usage = state.usage + usage
        if seen.miss:
            state.miss = seen.key
        outcome = "ok" if ok else ("miss" if state.miss == seen.key else "api-error")
        raw = seen.content.decode("utf-8", "replace") if seen.content is not None else None
        errors = [seen.error] if seen.error else ([] if ok else [f"HTTP {seen.status}"])
        state.rows.append(
            Attempt(
                run_id=self.run_id,
                article_id=state.article.id,
                attempt=state.answers + 1,
                request_hash=seen.key,
                backend=self.name,
                model=self.model,
                prompt_version=self.prompt_version,
                raw_response=raw,
                errors=errors,
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                latency_ms=round(seen.latency_ms, 1),
                outcome=outcome,  # type: ignore[arg-type]
                endpoint=self.endpoint,
                cached=seen.cached,
            )
        )
        if ok:
            state.answers += 1

    def _on_parse_error(self, error: Exception, **_: Any) -> None:
        self._mark_invalid(error)

    def _no_answer(self, error: str | None) -> str:
        """A plain name for a request that got no HTTP response."""
        if error and "Timeout" in error.split(":", 1)[0]:
            return f"request timed out after {self.settings.timeout:g} s"
        return "cannot connect to the endpoint"

    def _mark_invalid(self, error: Exception) -> None:
        state = _CURRENT.get(None)
        if state is None or not state.rows:
            return
        last = state.rows[-1]
        state.rows[-1] = last.model_copy(
            update={"outcome": "invalid", "errors": error_lines(error)}
        )
        log.info(
            "%s: answer %d rejected: %s",
            _name(state.article),
            state.answers,
            "; ".join(error_lines(error))[:200],
        )

    def _flush(self, state: ArticleRun) -> None:
        if self.ledger is not None:  # one transaction an article, not one a row
            self.ledger.add_many(state.rows)

    # --- extraction -------------------------------------------------------------------------

    @contextmanager
    def _article_run(self, article: Article) -> Iterator[ArticleRun]:
        """The article's cost account, visible to the transport and hooks (a context variable,
        so concurrent articles never mix); every failure becomes one ExtractionFailed."""
        if self.breaker.open:
            raise ExtractionFailed(self.breaker.reason())
        state = ArticleRun(article)
        token = _CURRENT.set(state)
        try:
            yield state
        except Exception as exc:
            raise self._failure(exc, state) from None
        finally:
            _CURRENT.reset(token)
            self._flush(state)

    def extract(self, article: Article) -> ArticleExtraction:
        with self._article_run(article) as state:
            request: dict[str, Any] | ArticleDraft = self._request(state, Retrying)
            while isinstance(request, dict):  # each turn spends an answer: bounded by spent()
                try:
                    kept = self._kept_count(state)
                    with answers_to(state.session):
                        request = self.sync_create()(**request)
                    self._after_rest(state, kept)
                except IncompleteOutputException as exc:
                    request = self._after_cut(state, request, exc)
                except Exception as exc:
                    request = self._salvage(state, exc)
            return self._finish(request, state)

    async def aextract(self, article: Article) -> ArticleExtraction:
        with self._article_run(article) as state:
            request: dict[str, Any] | ArticleDraft = self._request(state, AsyncRetrying)
            while isinstance(request, dict):  # each turn spends an answer: bounded by spent()
                try:
                    kept = self._kept_count(state)
                    with answers_to(state.session):
                        request = await self.async_create()(**request)
                    self._after_rest(state, kept)
                except IncompleteOutputException as exc:
                    request = self._after_cut(state, request, exc)
                except Exception as exc:
                    request = self._salvage(state, exc)
            return self._finish(request, state)

    def _after_cut(
        self, state: ArticleRun, request: dict[str, Any], exc: IncompleteOutputException
    ) -> dict[str, Any] | ArticleDraft:
        """An answer cut at the length limit: keep its complete items (``briefing.backends.rest``)
        through the session like any answer, then ask only for the rest while answers and
        tokens remain; else keep what the article has, the cut listed as a drop. Raises
        ``ExtractionFailed`` when no answer gave a complete item at all."""
        session = state.session
        if session is None:
            raise exc
        said = self._cut_message(request.get("max_tokens"))
        cut = read_cut(answer_text(exc.last_completion))
        reask, invalid, kept = "", 0, self._kept_count(state)
        if cut.count or cut.whole:
            try:
                session.take_data(cut.items)
            except ItemsInvalid as bad:
                reask, invalid = reask_text(bad.checked), len(bad.checked.invalid)
        if cut.whole and not reask:  # the whole object had arrived after all
            return ArticleDraft.model_construct(**session.items())
        if state.cut is not None and cut.count and self._resent(state, kept):
            return self._resent_after_cut(state, said, cut)
        last = session.is_last()
        got = cut.count - invalid
        note = (
            f"{said}: {got} complete item{'s' if got != 1 else ''} kept"
            if cut.count
            else f"{said} before any item was complete"
        )
        self._mark_cut(state, [note + ("" if last or cut.whole else "; asked for the rest")])
        if last:
            return self._kept_after_cut(state, said, cut)
        state.cut = (said, cut)
        log.info("%s: %s; asking for the rest", _name(state.article), note)
        text = (
            reask
            if cut.whole
            else rest_message(session.items(), cut, request.get("max_tokens"), reask)
        )
        return {
            **request,
            "messages": [*state.prompt, {"role": "user", "content": text}],
            "max_retries": request["max_retries"].copy(),
        }

    @staticmethod
    def _kept_count(state: ArticleRun) -> int:
        return len(state.session.kept) if state.session is not None else 0

    def _resent(self, state: ArticleRun, kept_before: int) -> bool:
        """Whether the last answer held valid items, every one of them kept already, and
        nothing invalid: the model sent back what it had given instead of the rest."""
        session = state.session
        return (
            session is not None
            and session.last_valid > 0
            and not session.invalid
            and self._kept_count(state) == kept_before
        )

    def _resent_after_cut(self, state: ArticleRun, said: str, cut: CutAnswer) -> ArticleDraft:
        """A follow-up that ignored "do not send these again": it re-sent items already kept,
        nothing new, and was cut again. Asking once more would spend the remaining attempts
        on the same answer, so the article keeps what it has; the cut is listed as a drop
        whose reason says the model re-sent what it had already given."""
        assert state.session is not None and state.cut is not None
        n = state.session.last_valid
        again = f"only the {n} item{'s' if n != 1 else ''} already kept, sent again"
        self._mark_cut(state, [f"{said}: {again}; not asked again"])
        latest = cut if cut.unfinished is not None else state.cut[1]
        self._cut_drop(state, said, latest, resent=True)
        state.cut = None
        log.info("%s: %s: %s; keeping what was kept", _name(state.article), said, again)
        return ArticleDraft.model_construct(**state.session.items())

    def _after_rest(self, state: ArticleRun, kept_before: int) -> None:
        """An answer came whole. After a cut, a follow-up that added no item and had none
        invalid (nothing at all, or the kept items again) never delivered the cut's unfinished
        item: it is listed as a drop, not lost silently."""
        if state.cut is not None and state.session is not None:
            said, cut = state.cut
            added = self._kept_count(state) > kept_before or state.session.invalid
            if cut.unfinished is not None and not added:
                self._cut_drop(state, said, cut, resent=self._resent(state, kept_before))
        state.cut = None

    def _cut_message(self, sent: int | None) -> str:
        limit = sent or self.answer_limit()
        if limit:
            return f"answer cut off at max_tokens={limit}"
        return "answer cut off by the endpoint's own length limit"

    def _mark_cut(self, state: ArticleRun, errors: list[str]) -> None:
        """instructor raises IncompleteOutputException without the parse-error hook: the cut
        answer's row is marked here."""
        if state.rows:
            last = state.rows[-1]
            update = {"outcome": "invalid", "errors": [*errors, *last.errors]}
            state.rows[-1] = last.model_copy(update=update)

    def _kept_after_cut(self, state: ArticleRun, said: str, cut: CutAnswer) -> ArticleDraft:
        """No answer left to ask: the items kept so far, the cut on record as a drop (the brief
        lists and counts it); nothing kept at all fails the article with the cut as reason."""
        session = state.session
        assert session is not None
        if not any(session.items().values()):
            errors = [e for row in state.rows for e in row.errors]
            raise ExtractionFailed(
                f"{said} after {state.answers} attempts", attempts=state.answers, errors=errors
            )
        self._cut_drop(state, said, cut)
        log.info("%s: %s; keeping the items that arrived complete", _name(state.article), said)
        return ArticleDraft.model_construct(**session.items())

    def _cut_drop(
        self, state: ArticleRun, said: str, cut: CutAnswer, *, resent: bool = False
    ) -> None:
        """The part of an article's answer that never arrived, as a drop: listed and counted in
        the brief's extraction notes like an invalid item. ``resent``: the last follow-up
        brought back only items already kept, and the reason says so."""
        assert state.session is not None
        where = cut.unfinished or "answer"
        asked = f"{state.answers} answer{'s' if state.answers != 1 else ''} asked"
        why = ": the model re-sent what it had already given" if resent else ""
        reason = f"{where}: {said}; the items from here on never arrived complete{why} ({asked})"
        state.session.invalid.append(Invalid(where, cut.fragment, (reason,)))

    def _salvage(self, state: ArticleRun, exc: Exception) -> ArticleDraft:
        """The valid items of earlier answers when a later one could not be had or read; an
        article is lost only when no answer was usable (then the error goes on)."""
        if state.session is None or not state.session.usable:
            raise exc
        if state.cut is not None:  # the rest of a cut answer was asked for and never came
            self._cut_drop(state, *state.cut)
        log.info("%s: keeping the items of earlier answers", _name(state.article))
        return ArticleDraft.model_construct(**state.session.items())

    def _finish(self, draft: ArticleDraft, state: ArticleRun) -> ArticleExtraction:
        """The extraction of the valid items, its drops on record; an article whose answers
        held no valid item but had invalid ones fails (its drops are the errors)."""
        drops = state.session.drops() if state.session is not None else []
        if drops and state.rows:
            lines = [f"dropped {d.path}: {'; '.join(d.reasons)}" for d in drops]
            last = state.rows[-1]
            kept = len(draft.meetings) + len(draft.positions) + len(draft.claims)
            update: dict[str, Any] = {"errors": [*last.errors, *lines]}
            if kept == 0:
                update["outcome"] = "invalid"
            state.rows[-1] = last.model_copy(update=update)
            if kept == 0:
                errors = [e for row in state.rows for e in row.errors]
                raise ExtractionFailed(
                    f"no valid answer after {state.answers} attempts; last error: {lines[0]}",
                    attempts=state.answers,
                    errors=errors,
                )
            log.info(
                "%s: %d item%s dropped after %d attempt%s",
                _name(state.article),
                len(drops),
                "s" if len(drops) != 1 else "",
                state.answers,
                "s" if state.answers != 1 else "",
            )
        return draft.to_extraction(
            state.article,
            backend=self.name,
            model=self.model,
            prompt_version=self.prompt_version,
            attempts=state.answers,
            usage=state.usage,
            drops=drops,
        )

    def _failure(self, exc: Exception, state: ArticleRun) -> ExtractionFailed:
        """One clear reason for the brief, and the per-attempt errors for the ledger."""
        if isinstance(exc, (ConfigError, ExtractionFailed)):
            raise exc
        cause = (
            exc.__cause__ if isinstance(exc, InstructorRetryException) and exc.__cause__ else exc
        )
        errors = [e for row in state.rows for e in row.errors]
        name = _name(state.article)
        if state.miss:
            return CassetteMiss(
                f"{name}: {self.miss_reason(state.miss)}", attempts=state.answers, errors=errors
            )
        if isinstance(cause, PARSE_ERRORS):
            budget = self.settings.token_budget
            if state.usage.total_tokens >= budget and state.answers < self.settings.max_attempts:
                why = f"token budget of {budget} used up after {state.answers} answers"
            else:
                why = f"no valid answer after {state.answers} attempts"
            return ExtractionFailed(
                f"{why}; last error: {error_lines(cause)[0]}", attempts=state.answers, errors=errors
            )
        if (asked := asked_too_long(cause, self.settings.max_wait)) is not None:
            why = (
                f"the server asked to wait {asked:.0f} s, more than --max-wait"
                f" ({self.settings.max_wait:g} s)"
            )
            return ExtractionFailed(
                f"{why}; {_api_error(cause)}", attempts=state.answers, errors=[*errors, why]
            )
        if isinstance(cause, openai.APIError):
            return ExtractionFailed(
                f"API error: {_api_error(cause, self.settings.timeout)}",
                attempts=state.answers,
                errors=errors,
            )
        return ExtractionFailed(
            f"{type(cause).__name__}: {error_lines(cause)[0]}",
            attempts=state.answers,
            errors=errors,
        )

    def answer_limit(self) -> int | None:
        """The max_tokens this backend sends; None: no limit sent."""
        return self.settings.max_tokens

    def miss_reason(self, key: str) -> str:
        return f"no recording of request {key}"

    @property
    def mode_name(self) -> str:
        return next(name for name, mode in MODES.items() if mode == self.mode)

    def close(self) -> None:
        for closer in self._closers:
            closer()
        self._closers.clear()

    async def aclose(self) -> None:
        for closer in self._async_closers:
            await closer()
        self._async_closers.clear()
        self._async = None


def _name(article: Article) -> str:
    return article.path or article.id


def _usage_of(content: bytes | None) -> Usage:
    try:
        usage = json.loads(content or b"{}").get("usage") or {}
        return Usage(
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
        )
    except (ValueError, AttributeError, TypeError):
        return Usage()


def _api_error(exc: openai.APIError, timeout: float | None = None) -> str:
    if isinstance(exc, openai.APIStatusError):
        # the server's own words, not the client's "Error code: 500 - {repr of the body}"
        body = exc.body.get("error", exc.body) if isinstance(exc.body, dict) else exc.body
        said = body.get("message") if isinstance(body, dict) else body
        message = " ".join(str(said or exc.message or "").split())
        return f"HTTP {exc.status_code} {message[:240]}".strip()
    if isinstance(exc, openai.APITimeoutError):
        return f"request timed out after {timeout:g} s" if timeout else "request timed out"
    if isinstance(exc, openai.APIConnectionError):
        return "cannot connect to the endpoint"
    return str(exc)[:200]


__all__ = ["OpenAIBackend", "is_transient", "retry_after_seconds"]
