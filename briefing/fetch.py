"""Fetching pages and feeds politely and reproducibly, with a cache under OUT.

Rules (issue 11): ``http``/``https`` only, checked on every redirect hop (a feed cannot make the
product read ``file://``); connect/read deadlines and a total deadline per body; a size cap;
content types checked; at most ``max_redirects`` hops; a User-Agent naming the product; one
request at a time, ``delay`` seconds apart per host; 429/5xx retried with backoff honouring
``Retry-After`` (up to ``max_retry_after`` seconds); conditional GET from the cache's ETag /
Last-Modified. Every fetched body is kept in ``OUT/cache/`` so ``offline=True`` rebuilds a
day without the network. A failure raises ``IngestError`` naming the URL and the reason.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import __version__
from briefing.errors import IngestError
from briefing.outfiles import write_bytes_atomic

if TYPE_CHECKING:  # the client is loaded on the first fetch: a run of local files needs none
    import httpx2

USER_AGENT = f"briefing/{__version__} (daily diplomatic brief; polite fetcher)"
ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "text/plain",
    "text/markdown",
    "application/json",
    "application/x-ndjson",
    "application/pdf",
)
_RETRY_STATUS = {429, 500, 502, 503, 504}


def is_url(value: str) -> bool:
    return urllib.parse.urlsplit(value).scheme.lower() in ("http", "https")


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str | None
    body: bytes
    from_cache: bool


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # for one body, however slowly it drips
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 0.5  # first retry wait, doubled each time, with jitter
    max_retry_after: float = 120.0
    delay: float = 1.0  # between two requests to the same host


class Fetcher:
    """One HTTP client for a run; ``get`` returns a body or raises ``IngestError``."""

    def __init__(
        self,
        cache_dir: Path,
        *,
        offline: bool = False,
        policy: FetchPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache_dir = cache_dir
        self.offline = offline
        self.policy = policy or FetchPolicy()
        self.sleep = sleep
        self._last: dict[str, float] = {}
        self._client: httpx2.Client | None = None
        self.stats = {"fetched": 0, "not-modified": 0, "cached": 0}

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str) -> Fetched:
        if not is_url(url):
            raise IngestError(url, "only http and https URLs are fetched")
        cached = self._cache_read(url)
        if self.offline:
            if cached is None:
                raise IngestError(url, "not in the cache under OUT/cache (--offline)")
            self.stats["cached"] += 1
            return cached[0]
        return self._fetch(url, cached)

    # -- network ---------------------------------------------------------------------------

    def _client_for(self) -> httpx2.Client:
        import httpx2

        if self._client is None:
            p = self.policy
            self._client = httpx2.Client(
                timeout=httpx2.Timeout(p.read_timeout, connect=p.connect_timeout),
                headers={"User-Agent": USER_AGENT},
                follow_redirects=False,
                trust_env=False,
            )
        return self._client

    def _fetch(self, url: str, cached: tuple[Fetched, dict[str, str]] | None) -> Fetched:
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            headers = _conditional(cached[1]) if cached and current == url else {}
            status, resp_headers, body = self._with_retries(current, headers)
            if status in (301, 302, 303, 307, 308):
                location = resp_headers.get("location")
                if not location:
                    raise IngestError(url, f"HTTP {status} without a Location")
                current = urllib.parse.urljoin(current, location)
                if not is_url(current):
                    raise IngestError(url, f"redirect to a non-http(s) URL refused: {current}")
                continue
            if status == 304 and cached is not None:
                self.stats["not-modified"] += 1
                return cached[0]
            if status != 200:
                raise IngestError(url, f"HTTP {status}")
            fetched = Fetched(url, current, resp_headers.get("content-type"), body, False)
            self._cache_write(fetched, resp_headers)
            self.stats["fetched"] += 1
            return fetched
        raise IngestError(url, f"more than {self.policy.max_redirects} redirects")

    def _with_retries(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        import httpx2

        p = self.policy
        for attempt in range(p.retries + 1):
            self._pace(url)
            try:
                status, resp_headers, body = self._once(url, headers)
            except httpx2.TimeoutException:
                reason = "timed out"
            except httpx2.TransportError as exc:
                reason = f"cannot connect: {type(exc).__name__}"
            else:
                if status not in _RETRY_STATUS:
                    return status, resp_headers, body
                reason = f"HTTP {status}"
                wait = _retry_after(resp_headers.get("retry-after"))
                if wait is not None and wait > p.max_retry_after:
                    raise IngestError(url, f"{reason}, Retry-After {wait:.0f} s is too long")
                if attempt < p.retries:
                    self.sleep(wait if wait is not None else _backoff(p.backoff, attempt))
                continue
            if reason == "timed out" or attempt >= p.retries:
                raise IngestError(url, reason)  # a page past its deadline is not asked again
            self.sleep(_backoff(p.backoff, attempt))
        raise IngestError(url, f"{reason} after {p.retries + 1} tries")

    def _once(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        p = self.policy
        started = time.monotonic()
        with self._client_for().stream("GET", url, headers=headers) as response:
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code != 200:
                return response.status_code, resp_headers, b""
            _check_type(url, resp_headers.get("content-type"))
            length = resp_headers.get("content-length", "")
            if length.isdigit() and int(length) > p.max_bytes:
                raise IngestError(url, f"too large: {length} bytes (limit {p.max_bytes})")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > p.max_bytes:
                    raise IngestError(url, f"too large: over {p.max_bytes} bytes")
                if time.monotonic() - started > p.total_timeout:
                    raise IngestError(url, f"timed out: body not read in {p.total_timeout:g} s")
                chunks.append(chunk)
        return 200, resp_headers, b"".join(chunks)

    def _pace(self, url: str) -> None:
        host = urllib.parse.urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            wait = self.policy.delay - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[host] = time.monotonic()

    # -- cache -----------------------------------------------------------------------------

    def _cache_paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / f"{key}.json", self.cache_dir / f"{key}.body"

    def _cache_read(self, url: str) -> tuple[Fetched, dict[str, str]] | None:
        meta_path, body_path = self._cache_paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None  # a body from another write than its metadata: fetch again
        fetched = Fetched(url, meta["final_url"], meta.get("content_type"), body, True)
        return fetched, meta.get("validators", {})

    def _cache_write(self, fetched: Fetched, headers: dict[str, str]) -> None:
        meta_path, body_path = self._cache_paths(fetched.url)
        validators = {k: headers[k] for k in ("etag", "last-modified") if k in headers}
        meta = {
            "url": fetched.url,
            "final_url": fetched.final_url,
            "content_type": fetched.content_type,
            "validators": validators,
            "sha256": hashlib.sha256(fetched.body).hexdigest(),
            "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(body_path, fetched.body)  # body first: metadata names its hash
        write_bytes_atomic(meta_path, json.dumps(meta, indent=1).encode("utf-8"))


def _conditional(validators: dict[str, str]) -> dict[str, str]:
    headers = {}
    if "etag" in validators:
        headers["If-None-Match"] = validators["etag"]
    if "last-modified" in validators:
        headers["If-Modified-Since"] = validators["last-modified"]
    return headers


def _check_type(url: str, content_type: str | None) -> None:
    base = (content_type or "").split(";")[0].strip().lower()
    if base and base not in ACCEPTED_TYPES:
        raise IngestError(url, f"content type {base} is not a page, feed or document")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _backoff(base: float, attempt: int) -> float:
    return base * (2**attempt) * (0.5 + random.random() / 2)
