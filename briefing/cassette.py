"""Recorded model exchanges (cassettes), keyed by request hash, and the httpx2 transports that
record and replay them under the real openai client.

A cassette is a JSON Lines file. Its first line is a header saying where the answers came from —
``"source": "recorded"`` with the model and endpoint, or ``"source": "hand-written"`` for
reference answers written by a person — so no test can mistake one for the other. Each further
line is one exchange: the request body, the response status, a few safe headers and the body.
Nothing that identifies an account is written: no request headers at all, and any string equal
to a known secret is replaced before writing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx2

from briefing.errors import ConfigError
from briefing.redact import public_url, redact_value

# Response headers worth keeping: what the retry logic reads, and the content type.
SAFE_RESPONSE_HEADERS = ("content-type", "retry-after", "retry-after-ms")
# Body keys that change nothing about the answer and would make every hash unique, and
# max_tokens: it changes only where an answer is cut, and a cut answer is invalid, so never
# served as final (by default it is not sent at all: see Settings.max_tokens).
VOLATILE_BODY_KEYS = ("stream", "user", "metadata", "max_tokens")


def canonical_body(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: v for k, v in body.items() if k not in VOLATILE_BODY_KEYS}
    return body


def request_hash(method: str, path: str, body: Any) -> str:
    """``r`` + 16 hex digits over method, path and the canonical JSON body."""
    text = json.dumps(
        canonical_body(body), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    digest = hashlib.sha256(f"{method.upper()} {path}\n{text}".encode())
    return "r" + digest.hexdigest()[:16]


def hash_http_request(request: httpx2.Request) -> tuple[str, Any]:
    body = parse_json(request.content)
    # Only the endpoint's last two segments count: /v1/chat/completions on any base URL is the
    # same request as /chat/completions.
    path = "/" + "/".join(request.url.path.strip("/").split("/")[-2:])
    return request_hash(request.method, path, body), body


def parse_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8")) if data else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return data.decode("utf-8", "replace")


def scrub(value: Any, secrets: Iterable[str] = ()) -> Any:
    """Replace every registered secret (``briefing.redact``) and each of ``secrets`` inside
    any string of a JSON-like value."""
    return redact_value(value, secrets)


@dataclass
class Exchange:
    request_hash: str
    request: Any
    status: int
    headers: dict[str, str]
    body: Any

    def to_line(self) -> dict[str, Any]:
        return {
            "type": "exchange",
            "request_hash": self.request_hash,
            "request": self.request,
            "response": {"status": self.status, "headers": self.headers, "body": self.body},
        }

    @classmethod
    def from_line(cls, line: dict[str, Any]) -> Exchange:
        response = line["response"]
        return cls(
            line["request_hash"],
            line.get("request"),
            int(response["status"]),
            dict(response.get("headers") or {}),
            response.get("body"),
        )


@dataclass
class Cassette:
    """A cassette file in memory. Replays answer in recorded order per request hash, so a
    request sent twice (a retry after a recorded 429) gets the second recorded answer."""

    path: Path
    header: dict[str, Any] = field(default_factory=dict)
    exchanges: dict[str, list[Exchange]] = field(default_factory=dict)
    _cursor: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, path: Path) -> Cassette:
        if not path.is_file():
            raise ConfigError(f"cassette not found: {path}")
        cassette = cls(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not a cassette (not UTF-8 text)") from None
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read cassette: {exc.strerror or exc}") from None
        for number, raw in enumerate(text.splitlines(), 1):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
            except json.JSONDecodeError:
                raise ConfigError(f"{path}:{number}: not a JSON line") from None
            if not isinstance(line, dict):
                raise ConfigError(f"{path}:{number}: not a cassette line (a JSON object)")
            if line.get("type") == "header":
                cassette.header = line
            else:
                try:
                    exchange = Exchange.from_line(line)
                except (KeyError, TypeError, ValueError) as exc:
                    reason = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
                    raise ConfigError(
                        f"{path}:{number}: not a recorded exchange ({reason})"
                    ) from None
                for key in cassette._keys(exchange):
                    cassette.exchanges.setdefault(key, []).append(exchange)
        return cassette

    @staticmethod
    def _keys(exchange: Exchange) -> set[str]:
        """The recorded hash, and the hash today's canonical form gives the recorded request
        (so a recording outlives a change of VOLATILE_BODY_KEYS)."""
        keys = {exchange.request_hash}
        if isinstance(exchange.request, dict):
            keys.add(request_hash("POST", "/chat/completions", exchange.request))
        return keys

    @property
    def source(self) -> str:
        return str(self.header.get("source", "unknown"))

    def next_for(self, key: str) -> Exchange | None:
        with self._lock:
            recorded = self.exchanges.get(key)
            if not recorded:
                return None
            at = self._cursor.get(key, 0)
            self._cursor[key] = at + 1
            return recorded[min(at, len(recorded) - 1)]


class CassetteWriter:
    """Appends exchanges to a cassette file, writing the header first when the file is new.

    Raises ``ConfigError`` at once when ``path`` is a folder or cannot be created or written
    (rather than failing every article later as if the endpoint were down)."""

    def __init__(self, path: Path, header: dict[str, Any], secrets: Iterable[str] = ()) -> None:
        self.path = path
        self.secrets = [s for s in secrets if s]
        self._lock = threading.Lock()
        if path.is_dir():
            raise ConfigError(f"--record {path}: is a folder; give a cassette file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8"):  # unwritable: say so now, not per article
                pass
        except OSError as exc:
            raise ConfigError(f"--record {path}: cannot write: {exc.strerror or exc}") from None
        if path.stat().st_size == 0:
            self._write({"type": "header", **header})

    def _write(self, line: dict[str, Any]) -> None:
        text = json.dumps(scrub(line, self.secrets), ensure_ascii=False, sort_keys=True)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")

    def append(self, exchange: Exchange) -> None:
        self._write(exchange.to_line())


def new_header(
    source: Literal["recorded", "hand-written"],
    *,
    model: str,
    mode: str,
    endpoint: str | None,
    note: str = "",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "source": source,
        "model": model,
        "mode": mode,
        "endpoint": public_url(endpoint),
        "note": note,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        **extra,
    }


# --- transports -------------------------------------------------------------------------


@dataclass(frozen=True)
class Observed:
    """One HTTP exchange as the backend's ledger sees it; status None when no response came."""

    key: str
    body: Any
    status: int | None
    content: bytes | None
    latency_ms: float
    error: str | None = None
    cached: bool = False
    miss: bool = False  # replay had no recording of this request


ExchangeObserver = Callable[[Observed], None]
ResponseCache = Callable[[str], bytes | None]
"""Request hash -> a model answer given before to the same request, or None."""


def _safe_headers(response: httpx2.Response) -> dict[str, str]:
    return {k: response.headers[k] for k in SAFE_RESPONSE_HEADERS if k in response.headers}


def _response(
    request: httpx2.Request, status: int, headers: dict[str, str], content: bytes
) -> httpx2.Response:
    return httpx2.Response(status, headers=headers, content=content, request=request)


class ObservingTransport(httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    """Forwards to a real transport; reports every exchange, and records it when asked.

    ``deadline`` (seconds) bounds each whole exchange — connect, send, headers and the full body
    — not each socket read as httpx2's own timeouts do: a server that sends its headers at once
    and then dribbles the body a byte at a time is cut off at the deadline with
    ``httpx2.ReadTimeout``, which the openai client reports as a timeout. The async path is
    exact (``asyncio.timeout``); the sync path checks between body chunks, and each read of it
    waits at most the time left.
    """

    def __init__(
        self,
        inner: httpx2.BaseTransport | httpx2.AsyncBaseTransport,
        observer: ExchangeObserver,
        writer: CassetteWriter | None = None,
        cache: ResponseCache | None = None,
        deadline: float | None = None,
    ) -> None:
        self.inner = inner
        self.observer = observer
        self.writer = writer
        self.cache = cache
        self.deadline = deadline

    def _timed_out(self, request: httpx2.Request) -> httpx2.ReadTimeout:
        return httpx2.ReadTimeout(
            f"no complete answer within the {self.deadline:g} s deadline", request=request
        )

    def _bounded(self, request: httpx2.Request, started: float) -> None:
        """Each socket operation may wait at most the time left before the deadline."""
        if self.deadline is None:
            return
        left = self.deadline - (time.perf_counter() - started)
        if left <= 0:
            raise self._timed_out(request)
        request.extensions = {
            **request.extensions,
            "timeout": {"connect": left, "read": left, "write": left, "pool": left},
        }

    def _cached(self, key: str, body: Any, request: httpx2.Request) -> httpx2.Response | None:
        content = self.cache(key) if self.cache is not None else None
        if content is None:
            return None
        self.observer(Observed(key, body, 200, content, 0.0, cached=True))
        return _response(request, 200, {"content-type": "application/json"}, content)

    def _done(
        self,
        key: str,
        body: Any,
        request: httpx2.Request,
        response: httpx2.Response,
        started: float,
        content: bytes,
    ) -> httpx2.Response:
        latency = (time.perf_counter() - started) * 1000
        self.observer(Observed(key, body, response.status_code, content, latency))
        if self.writer is not None:
            self.writer.append(
                Exchange(
                    key, body, response.status_code, _safe_headers(response), parse_json(content)
                )
            )
        # content is already decoded: drop the headers that describe the wire encoding
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        }
        return _response(request, response.status_code, headers, content)

    def _failed(self, key: str, body: Any, started: float, exc: Exception) -> None:
        latency = (time.perf_counter() - started) * 1000
        self.observer(Observed(key, body, None, None, latency, f"{type(exc).__name__}: {exc}"))

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        key, body = hash_http_request(request)
        if hit := self._cached(key, body, request):
            return hit
        started = time.perf_counter()
        try:
            self._bounded(request, started)
            response = self.inner.handle_request(request)  # type: ignore[union-attr]
            content = self._read(request, response, started)
        except Exception as exc:
            self._failed(key, body, started, exc)
            raise
        return self._done(key, body, request, response, started, content)

    def _read(self, request: httpx2.Request, response: httpx2.Response, started: float) -> bytes:
        if self.deadline is None:
            return response.read()
        chunks = []
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.perf_counter() - started > self.deadline:
                    raise self._timed_out(request)
        finally:
            response.close()
        return b"".join(chunks)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        key, body = hash_http_request(request)
        if hit := self._cached(key, body, request):
            return hit
        started = time.perf_counter()
        try:
            self._bounded(request, started)
            async with asyncio.timeout(self.deadline):
                response = await self.inner.handle_async_request(request)  # type: ignore[union-attr]
                content = await response.aread()
        except TimeoutError:
            timed_out = self._timed_out(request)
            self._failed(key, body, started, timed_out)
            raise timed_out from None
        except Exception as exc:
            self._failed(key, body, started, exc)
            raise
        return self._done(key, body, request, response, started, content)

    def close(self) -> None:
        if isinstance(self.inner, httpx2.BaseTransport):
            self.inner.close()

    async def aclose(self) -> None:
        if isinstance(self.inner, httpx2.AsyncBaseTransport):
            await self.inner.aclose()


class ReplayTransport(httpx2.BaseTransport, httpx2.AsyncBaseTransport):
    """Answers from a cassette. A miss is a 404 naming the hash, which the backend turns into a
    failure of that one article (never a silent empty answer)."""

    def __init__(self, cassette: Cassette, observer: ExchangeObserver) -> None:
        self.cassette = cassette
        self.observer = observer

    def _answer(self, request: httpx2.Request) -> httpx2.Response:
        key, body = hash_http_request(request)
        found = self.cassette.next_for(key)
        if found is None:
            message = f"cassette miss: no recording of request {key} in {self.cassette.path}"
            payload = {"error": {"message": message, "type": "cassette_miss", "code": key}}
            self.observer(Observed(key, body, 404, None, 0.0, message, miss=True))
            return _response(
                request,
                404,
                {"content-type": "application/json"},
                json.dumps(payload).encode(),
            )
        content = found.body if isinstance(found.body, str) else json.dumps(found.body)
        self.observer(Observed(key, body, found.status, content.encode(), 0.0))
        headers = {"content-type": "application/json", **found.headers}
        return _response(request, found.status, headers, content.encode())

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        return self._answer(request)
