"""A scriptable fake of an OpenAI-compatible chat-completions server, for tests.

Why a real HTTP server rather than a mocked transport: the backend must be tested through the
real `openai` client (which runs on httpx2) and instructor, including their error mapping,
Retry-After parsing, timeouts and connection errors. Those only happen on a real socket, so
this serves the real wire protocol on 127.0.0.1 from a daemon thread, using only the stdlib.

    with FakeOpenAI() as fake:
        fake.script(Reply.status(429, retry_after=1), Reply.answer({"meetings": []}))
        client = openai.OpenAI(base_url=fake.base_url, api_key="test-key", max_retries=0)
        ...
        assert fake.requests[0].headers["authorization"] == "Bearer test-key"

Replies are taken, in order: from the first `script_for` queue whose substring occurs in the
request's messages, then from the global `script` queue, then from `responder` (a callable
that builds a Reply from the request, e.g. an answer shaped to the schema the request sends;
it runs on the request's handler thread, so it must be thread-safe), then `default`; with none
of those the server answers 500. `Reply.answer` adapts to the request: a tool call when the request
offers tools (instructor TOOLS mode), a fenced JSON block when it asks for neither tools nor a
`response_format` (MD_JSON mode), plain JSON content otherwise (JSON / JSON_SCHEMA modes).
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

FAKE_MODEL = "fake-model"
NO_SCRIPT_MESSAGE = "fake server: no scripted reply"

_ReplyKind = Literal["answer", "content", "status", "slow", "hangup", "raw", "dribble"]

# OpenAI's error `type`/`code` per status, so client code that inspects them sees familiar values.
_ERROR_KINDS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "not_found"),
    408: ("timeout", None),
    409: ("conflict", None),
    422: ("invalid_request_error", None),
    429: ("requests", "rate_limit_exceeded"),
}


@dataclass(frozen=True)
class Reply:
    """One scripted server behaviour. Build it with the classmethods, not the constructor."""

    kind: _ReplyKind
    payload: Any = None
    prompt_tokens: int = 100
    completion_tokens: int = 50
    finish_reason: str | None = None
    status_code: int = 200
    message: str = ""
    retry_after: float | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    then: Reply | None = None
    cut_reason: str | None = "length"

    @classmethod
    def answer(
        cls,
        obj: dict[str, Any] | list[Any] | str,
        *,
        prompt_tokens: int = 100,
        completion_tokens: int = 50,
        finish_reason: str | None = None,
        cut_reason: str | None = "length",
    ) -> Reply:
        """A well-formed completion carrying `obj`, shaped for the request's mode.

        A str is sent verbatim (no JSON encoding, no fences). `finish_reason` overrides the
        natural one ("tool_calls" / "stop"), e.g. "length" to test truncated output.
        `cut_reason` is the finish_reason sent when the request's max_tokens cuts the answer:
        "length" as OpenAI sends it; None for the natural one, as llama.cpp's server reports a
        tool call cut at exactly max_tokens ("tool_calls").
        """
        return cls(
            "answer",
            payload=obj,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            finish_reason=finish_reason,
            cut_reason=cut_reason,
        )

    @classmethod
    def content(
        cls,
        text: str,
        *,
        prompt_tokens: int = 100,
        completion_tokens: int = 50,
        finish_reason: str | None = None,
    ) -> Reply:
        """Raw assistant text (e.g. broken JSON); in TOOLS mode it becomes the call's arguments.

        That is how a malformed tool call looks on the wire, so re-ask paths can be tested.
        """
        return cls(
            "content",
            payload=text,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            finish_reason=finish_reason,
        )

    @classmethod
    def status(
        cls,
        code: int,
        *,
        retry_after: float | None = None,
        message: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """An error response with OpenAI's error body; Retry-After (+ retry-after-ms) if given.

        `headers` adds arbitrary response headers, e.g. {"x-should-retry": "false"}.
        "{api_key}" in `message` becomes the key the request carried (its Authorization bearer
        or api-key header), as servers that echo a rejected key do.
        """
        return cls(
            "status",
            status_code=code,
            message=message or f"fake server: scripted {code}",
            retry_after=retry_after,
            headers=tuple((headers or {}).items()),
        )

    @classmethod
    def fenced(cls, obj: dict[str, Any], *, before: str = "", after: str = "") -> Reply:
        """`obj` as JSON inside a ```json fence, with optional prose around it, in every mode
        (as Ollama and others answer even in JSON mode); in TOOLS mode as the call's arguments.
        """
        text = f"{before}```json\n{json.dumps(obj, ensure_ascii=False, indent=1)}\n```{after}"
        return cls.content(text)

    @classmethod
    def raw(cls, body: dict[str, Any] | str, *, status: int = 200) -> Reply:
        """Send `body` as the whole response (a dict as JSON), e.g. a completion with
        `"choices": []` or a null message, to drive malformed-but-200 paths."""
        return cls("raw", payload=body, status_code=status)

    @classmethod
    def dribble(cls, reply: Reply, *, every: float) -> Reply:
        """Send the headers of `reply` at once, then its body one byte every `every` seconds
        (a server that never stalls long enough for a per-read timeout)."""
        return cls("dribble", delay=every, then=reply)

    @classmethod
    def slow(cls, seconds: float, then: Reply) -> Reply:
        """Wait `seconds` before playing `then`, to drive client timeouts."""
        return cls("slow", delay=seconds, then=then)

    @classmethod
    def hangup(cls) -> Reply:
        """Close the connection without any response, to drive connection-error paths."""
        return cls("hangup")


class _Headers(dict[str, str]):
    """A plain dict (so it serialises as one) whose keys are lower-case and lookups case-blind.

    HTTP header names are case-insensitive; tests may write "Authorization" or "authorization".
    """

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__((k.lower(), v) for k, v in items)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)


@dataclass(frozen=True)
class RecordedRequest:
    """What the server received, so tests can assert on the exact wire traffic.

    `headers` has lower-case keys with case-insensitive lookup. `body` is the parsed JSON, the
    raw text if it was not JSON, or None if empty. `received_at` is `time.monotonic()`, so
    gaps between requests (backoff, Retry-After) can be measured.
    """

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    received_at: float = field(default_factory=time.monotonic)

    @property
    def messages_text(self) -> str:
        """All message text in the request, joined; what `script_for` substrings match against."""
        return _messages_text(self.body)


def _messages_text(body: Any) -> str:
    """Flatten chat messages (string or multi-part content) into one searchable string."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        return ""
    parts: list[str] = []
    for message in body["messages"]:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(p["text"] for p in content if isinstance(p, dict) and "text" in p)
    return "\n".join(parts)


def _tool_name(body: dict[str, Any]) -> str | None:
    """The function the request forces (tool_choice), else the first offered; None if no tools."""
    tools = body.get("tools")
    if not tools:
        return None
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name") or choice.get("name")
        if name:
            return str(name)
    first = tools[0]
    return str((first.get("function") or {}).get("name") or first.get("name") or "tool")


def _is_md_json(body: dict[str, Any]) -> bool:
    """No tools and no response_format: the model is expected to write a ```json block."""
    return not body.get("tools") and not body.get("response_format")


def _reply_text(reply: Reply, body: dict[str, Any]) -> str:
    """What the model 'wrote': a str verbatim, else JSON (fenced when the request is MD_JSON)."""
    if isinstance(reply.payload, str):
        return reply.payload
    text = json.dumps(reply.payload, ensure_ascii=False)
    if _is_md_json(body):
        return f"```json\n{text}\n```"
    return text


_call_ids = itertools.count(1)


def _message(reply: Reply, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The assistant message and its natural finish_reason for this request's mode."""
    text = _reply_text(reply, body)
    name = _tool_name(body)
    if name is None:
        return {"role": "assistant", "content": text, "refusal": None}, "stop"
    call = {
        "id": f"call_fake_{next(_call_ids)}",
        "type": "function",
        "function": {"name": name, "arguments": text},
    }
    message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [call]}
    return message, "tool_calls"


def cut_text(text: str, limit: int, tokens: int) -> str:
    """What arrives of an answer of `tokens` tokens written as `text` when `limit` tokens are
    allowed: the text cut in proportion (the whole text when it fits)."""
    return text if tokens <= limit else text[: len(text) * limit // tokens]


def _cut(reply: Reply, body: dict[str, Any]) -> Reply:
    """`reply` as an endpoint honouring the request's max_tokens sends it: when its
    completion_tokens exceed the limit, the text is cut in proportion and finish_reason is
    the reply's `cut_reason` ("length", as real endpoints do; llama.cpp's server gives the
    natural "tool_calls" for a cut tool call)."""
    limit = body.get("max_tokens") or body.get("max_completion_tokens")
    if not isinstance(limit, int) or reply.completion_tokens <= limit:
        return reply
    kept = cut_text(_reply_text(reply, body), limit, reply.completion_tokens)
    return replace(reply, payload=kept, completion_tokens=limit, finish_reason=reply.cut_reason)


def _completion(reply: Reply, body: dict[str, Any], number: int) -> dict[str, Any]:
    """A chat.completion object as OpenAI sends it, echoing the request's model."""
    reply = _cut(reply, body)
    message, natural_finish = _message(reply, body)
    usage = {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }
    return {
        "id": f"chatcmpl-fake-{number}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": str(body.get("model") or FAKE_MODEL),
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": reply.finish_reason or natural_finish,
            }
        ],
        "usage": usage,
    }


def _error_body(code: int, message: str) -> dict[str, Any]:
    """OpenAI's error envelope; the client raises with `body` = the inner object."""
    kind, error_code = _ERROR_KINDS.get(code, ("server_error", None))
    return {"error": {"message": message, "type": kind, "param": None, "code": error_code}}


def _retry_after_headers(seconds: float) -> dict[str, str]:
    """Both spellings: `retry-after` (standard, whole seconds where possible) and `-ms`.

    Note the openai client prefers `retry-after-ms` when both are present.
    """
    text = str(int(seconds)) if float(seconds).is_integer() else repr(float(seconds))
    return {"retry-after": text, "retry-after-ms": str(round(seconds * 1000))}


def _chat_problem(body: Any) -> str | None:
    """Why a chat request is unacceptable (400), or None. Checked before consuming a reply."""
    if not isinstance(body, dict):
        return "fake server: request body must be a JSON object"
    if not isinstance(body.get("messages"), list) or not body["messages"]:
        return "fake server: 'messages' must be a non-empty list"
    if not body.get("model"):
        return "fake server: 'model' is required"
    if body.get("stream"):
        return "fake server: streaming is not supported"
    return None


def _sent_key(headers: dict[str, str]) -> str:
    """The API key a request carried: its Authorization bearer token, else its api-key header."""
    bearer = headers.get("authorization") or ""
    return bearer.removeprefix("Bearer ").strip() or headers.get("api-key") or ""


class _Server(ThreadingHTTPServer):
    """The HTTP server, carrying a reference to its FakeOpenAI for the handlers."""

    daemon_threads = True

    def __init__(self, fake: FakeOpenAI) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client goes away mid-reply (timeout tests do that on purpose)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Records each request, then plays the reply FakeOpenAI picks for it."""

    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do; every reply has a length
    disable_nagle_algorithm = True  # head and body are two writes: Nagle would add ~40 ms each
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr line; tests assert on `fake.requests` instead."""

    def do_GET(self) -> None:
        """Serve /v1/models; anything else is 404."""
        self._record()
        if self._route() == "/v1/models":
            data = [{"id": FAKE_MODEL, "object": "model", "created": 0, "owned_by": "fake"}]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_not_found()

    def do_POST(self) -> None:
        """Serve /v1/chat/completions from the script; anything else is 404."""
        request = self._record()
        self._request = request
        if self._route() != "/v1/chat/completions":
            self._send_not_found()
            return
        problem = _chat_problem(request.body)
        if problem is not None:
            self._send_json(400, _error_body(400, problem))
            return
        self._play(self.server.fake._next_reply(request), request.body)

    def _not_found_method(self) -> None:
        """Other methods are recorded and refused like unknown paths."""
        self._record()
        self._send_not_found()

    do_PUT = do_DELETE = do_PATCH = _not_found_method

    def _route(self) -> str:
        """The path without a query string, trailing slash or the fake's ``path_prefix``."""
        path = self.path.split("?", 1)[0].rstrip("/")
        prefix = self.server.fake.path_prefix
        return path.removeprefix(prefix) if prefix and path.startswith(prefix + "/") else path

    def _record(self) -> RecordedRequest:
        """Read the body and keep the request, before anything can fail or hang up."""
        raw = self._read_body()
        body: Any = None
        if raw:
            text = raw.decode("utf-8", errors="replace")
            try:
                body = json.loads(text)
            except json.JSONDecodeError:
                body = text
        request = RecordedRequest(self.command, self.path, _Headers(self.headers.items()), body)
        self.server.fake._append(request)
        return request

    def _read_body(self) -> bytes:
        """Content-Length bodies (what httpx2 sends), and chunked ones for completeness."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        """Decode a chunked request body (size line, data, CRLF; zero size ends it)."""
        chunks: list[bytes] = []
        while size := int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline().strip():  # trailers
            pass
        return b"".join(chunks)

    def _play(self, reply: Reply | None, body: dict[str, Any]) -> None:
        """Turn a Reply into wire behaviour; None means nothing was scripted (500)."""
        if reply is None:
            self._send_json(500, _error_body(500, NO_SCRIPT_MESSAGE))
        elif reply.kind == "slow":
            if self.server.fake._stopping.wait(reply.delay) or reply.then is None:
                self.close_connection = True  # server stopping: don't hold the test up
            else:
                self._play(reply.then, body)
        elif reply.kind == "hangup":
            self.close_connection = True  # handler returns without writing; socket closes
        elif reply.kind == "status":
            self._send_status(reply)
        elif reply.kind == "raw":
            payload = reply.payload
            data = payload if isinstance(payload, str) else json.dumps(payload)
            self._send_bytes(reply.status_code, data.encode())
        elif reply.kind == "dribble" and reply.then is not None:
            number = self.server.fake._count_completion()
            data = json.dumps(_completion(reply.then, body, number)).encode()
            self._send_bytes(200, data, every=reply.delay)
        else:
            number = self.server.fake._count_completion()
            self._send_json(200, _completion(reply, body, number))

    def _send_status(self, reply: Reply) -> None:
        """A scripted error: OpenAI's error body plus Retry-After and any extra headers."""
        headers = dict(reply.headers)
        if reply.retry_after is not None:
            headers.update(_retry_after_headers(reply.retry_after))
        message = reply.message.replace("{api_key}", _sent_key(self._request.headers))
        self._send_json(reply.status_code, _error_body(reply.status_code, message), headers)

    def _send_not_found(self) -> None:
        """404 in OpenAI's error shape, naming what was asked for."""
        message = f"fake server: no route for {self.command} {self.path}"
        self._send_json(404, _error_body(404, message))

    def _send_json(
        self, code: int, payload: dict[str, Any], headers: Mapping[str, str] | None = None
    ) -> None:
        """Write one complete JSON response; a client that already left is not an error."""
        self._send_bytes(code, json.dumps(payload).encode(), headers)

    def _send_bytes(
        self,
        code: int,
        data: bytes,
        headers: Mapping[str, str] | None = None,
        every: float = 0.0,
    ) -> None:
        """Write one response; with `every` > 0 the body goes out a byte at a time."""
        request_id = f"req_fake_{len(self.server.fake.requests)}"
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-request-id", request_id)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.flush()
            if every <= 0:
                self.wfile.write(data)
            for i in range(len(data) if every > 0 else 0):
                if self.server.fake._stopping.wait(every):
                    self.close_connection = True
                    return
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class FakeOpenAI:
    """The fake server: a script of replies, a record of requests, a base_url for the client.

    Thread-safe: handlers run on their own threads, and tests may script while requests fly.
    """

    def __init__(self, path_prefix: str = "") -> None:
        # served before /v1 too, as a gateway taking a key in the path does ("/gw/key-…")
        self.path_prefix = path_prefix.rstrip("/")
        self.default: Reply | None = None
        self.responder: Callable[[RecordedRequest], Reply | None] | None = None
        self._lock = threading.Lock()
        self._queue: deque[Reply] = deque()
        self._keyed: dict[str, deque[Reply]] = {}
        self._requests: list[RecordedRequest] = []
        self._completions = 0
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeOpenAI:
        """Bind 127.0.0.1 on a free port and serve from a daemon thread."""
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="fake-openai",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; slow replies still waiting are cut short (they hang up)."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """What to pass as the client's base_url ("http://127.0.0.1:PORT/v1"; with a
        ``path_prefix``, "http://127.0.0.1:PORT/PREFIX/v1")."""
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not running; use it as a context manager")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.path_prefix}/v1"

    # -- scripting -------------------------------------------------------------------------

    def script(self, *replies: Reply) -> None:
        """Append replies to the global FIFO queue."""
        with self._lock:
            self._queue.extend(replies)

    def script_for(self, substring: str, *replies: Reply) -> None:
        """Queue replies for requests whose messages contain `substring` (checked first).

        For concurrent tests: each article gets its own script, whatever order requests land in.
        """
        with self._lock:
            self._keyed.setdefault(substring, deque()).extend(replies)

    def reset(self) -> None:
        """Forget scripts, default, responder and recorded requests, so one server can serve
        many tests.

        Starting a server is cheap, but a shared one lets tests share one client too (building
        an openai client costs ~40 ms: it loads CA certificates even for plain http).
        """
        with self._lock:
            self._queue.clear()
            self._keyed.clear()
            self._requests.clear()
            self.default = None
            self.responder = None

    def unused(self) -> list[Reply]:
        """Scripted replies nobody asked for; a test can assert this is empty at the end."""
        with self._lock:
            keyed = [reply for queue in self._keyed.values() for reply in queue]
            return keyed + list(self._queue)

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Only the chat-completion requests (skips /models and stray paths)."""
        return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    # -- used by the handler ---------------------------------------------------------------

    def _append(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _count_completion(self) -> int:
        with self._lock:
            self._completions += 1
            return self._completions

    def _next_reply(self, request: RecordedRequest) -> Reply | None:
        """Keyed queue whose substring matches, else the global queue, else the responder's
        reply, else the default."""
        text = request.messages_text
        with self._lock:
            for substring, queue in self._keyed.items():
                if queue and substring in text:
                    return queue.popleft()
            if self._queue:
                return self._queue.popleft()
            responder = self.responder
        reply = responder(request) if responder is not None else None
        return reply if reply is not None else self.default


__all__ = ["FAKE_MODEL", "NO_SCRIPT_MESSAGE", "FakeOpenAI", "RecordedRequest", "Reply", "cut_text"]
