"""The one choke point for secrets: everything the product writes or prints passes through
``redact`` / ``redact_value`` first.

Secrets are registered when they are configured (``settings.load_settings`` registers the API
key and the credentials inside the base URL — userinfo and secret-looking query parameters,
``add_secrets_from_url`` —, the CLI the key variables of the environment); each sink — ledger rows
(``Ledger.add``), cassette lines (``CassetteWriter``), failure reasons and every
``BriefingError``'s text (``briefing.errors``), log records (``RedactingFilter``) and the
CLI's own stderr lines, and the tracebacks ``BRIEFING_DEBUG=1`` prints (``format_exception``,
``install_excepthooks``) — calls into this module, so a server that echoes the key back
(``Invalid API key provided: sk-…``) never gets it further than memory.

A registered secret is replaced wherever it occurs inside a string, including inside
``Bearer <key>`` and URL-encoded copies of it, by ``[REDACTED]``. Values shorter than
``MIN_SECRET`` characters are not registered: replacing "abc" everywhere would corrupt
the brief and protect nothing.
"""

from __future__ import annotations

import base64
import logging
import re
import sys
import threading
import traceback
import urllib.parse
from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"
MIN_SECRET = 6
MIN_TOKEN_USER = 16  # a URL's lone user name this long is a token (https://TOKEN@host)
# Placeholder keys that local servers accept: not secrets, and common words in logs.
NOT_SECRETS = frozenset({"not-needed", "sk-no-key-required", "EMPTY", "none", "ollama"})
# Query parameters of a base URL whose values are credentials (``?api-key=…``, ``?token=…``,
# ``?sig=…``): matched anywhere in the parameter's name, case-insensitively. ``api-version``
# and the like are not secrets, and redacting a date everywhere would corrupt the brief.
SECRET_QUERY_NAME = re.compile(r"key|token|secret|passw|pwd|sig|auth|credential|session", re.I)
# Path segments of a base URL that are credentials (some gateways take the key in the path,
# ``/v1/key-…/``, ``/token/…/``). A segment is one when it follows a segment named like a key
# (SECRET_PATH_NAME: ``key``, ``token``, ``secret``, ``api-key``, ``access_token``, plurals)
# and is not a plain lower-case word or a version (PLAIN_SEGMENT: ``/keys/v1``, ``/token/chat``),
# starts like one (KEYED_SEGMENT: ``key-…``, ``token_…``, ``secret-…``, ``sk-…``, ``apikey-…``
# and 6 or more characters with a digit among them: ``key-value-store`` is a name), or looks
# random (RANDOM_SEGMENT: 20 or more characters of letters and digits only, both present).
# ``/v1``, ``/openai/deployments/gpt-4o`` or ``/api/2024-06-01/chat`` stay readable: words,
# versions and names with separators are none.
SECRET_PATH_NAME = re.compile(r"(?:api[-_]?)?(?:keys?|tokens?|secrets?|access[-_]?tokens?)", re.I)
KEYED_SEGMENT = re.compile(
    r"(?:sk|key|token|secret|api[-_]?key)[-_](?=[^/]*[0-9])[A-Za-z0-9._~-]{6,}", re.I
)
PLAIN_SEGMENT = re.compile(r"[a-z]+|v[0-9]+(?:[a-z]+[0-9]*)?")
RANDOM_SEGMENT = re.compile(r"(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{20,}")
# Environment variables whose values are keys whenever they are set.
KEY_VARIABLES = ("OPENAI_API_KEY", "BRIEFING_API_KEY", "AZURE_OPENAI_API_KEY")

_lock = threading.Lock()
_secrets: set[str] = set()


def add_secret(value: str | None) -> None:
    """Register a configured secret (an API key, an ``Authorization``/``api-key`` header value:
    a ``Bearer``/``Basic`` prefix is dropped), so no sink ever writes it."""
    if not value:
        return
    value = value.strip()
    for prefix in ("Bearer ", "bearer ", "Basic ", "basic "):
        value = value.removeprefix(prefix)
    if len(value) < MIN_SECRET or value in NOT_SECRETS:
        return
    with _lock:
        _secrets.add(value)
        quoted = urllib.parse.quote(value, safe="")
        if quoted != value:
            _secrets.add(quoted)


def secret_path_segments(path: str) -> list[str]:
    """The segments of a URL ``path`` that are credentials, as written (see SECRET_PATH_NAME,
    KEYED_SEGMENT, RANDOM_SEGMENT): ``"/gw/token/Tq81x/v1"`` → ``["Tq81x"]``."""
    found: list[str] = []
    after_name = False
    for segment in path.split("/"):
        plain = urllib.parse.unquote(segment)
        named = after_name and not PLAIN_SEGMENT.fullmatch(plain)
        if segment and (named or KEYED_SEGMENT.fullmatch(plain) or RANDOM_SEGMENT.fullmatch(plain)):
            found.append(segment)
        after_name = bool(SECRET_PATH_NAME.fullmatch(plain))
    return found


def redact_url_path(path: str) -> str:
    """``path`` with each secret segment (``secret_path_segments``) replaced by [REDACTED]."""
    secret = set(secret_path_segments(path))
    return "/".join(REDACTED if s in secret else s for s in path.split("/"))


def add_secrets_from_url(url: str | None) -> None:
    """Register the credentials a configured URL (``--base-url``) carries: the userinfo
    password (``http://user:PASSWORD@host``), the user name when it stands alone and is
    token-long (``https://TOKEN@host``, ``MIN_TOKEN_USER`` characters or more), and the value
    of every query parameter whose name looks secret (``SECRET_QUERY_NAME``), both as written
    and percent-decoded, and every path segment that is a key (``secret_path_segments``:
    after ``/key/``, ``/token/``, ``/secret/``; starting ``key-``, ``sk-``…; or 20+ letters and
    digits); with a password, also the ``Basic`` credential the HTTP client builds
    from the userinfo (base64 of ``user:password``), which a server may echo back. A string
    that is not a URL registers nothing and never raises."""
    if not url:
        return
    try:
        parts = urllib.parse.urlsplit(url.strip())
        password, username = parts.password, parts.username
    except ValueError:  # not a URL at all: the settings check reports it
        return
    # A user name alone is a credential only when it looks like a token: redacting a plain
    # "analyst" everywhere would corrupt the brief.
    alone = username if username and len(username) >= MIN_TOKEN_USER else None
    values = [password] if password else [alone]
    if password:  # the Authorization: Basic header httpx2 sends for http://user:password@
        pair = f"{urllib.parse.unquote(username or '')}:{urllib.parse.unquote(password)}"
        add_secret(base64.b64encode(pair.encode()).decode())
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        if SECRET_QUERY_NAME.search(urllib.parse.unquote_plus(name)):
            values.append(value)
    values.extend(secret_path_segments(parts.path))
    for value in values:
        if value:
            add_secret(value)  # as written in the URL
            add_secret(urllib.parse.unquote_plus(value))  # as a server may echo it back


def add_secrets_from_env(env: Any) -> None:
    """Register the keys in ``env`` (a mapping such as ``os.environ``)."""
    for name in KEY_VARIABLES:
        add_secret(env.get(name))


def secrets() -> list[str]:
    """The registered secrets, longest first (so a key containing another is replaced whole)."""
    with _lock:
        return sorted(_secrets, key=len, reverse=True)


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every registered secret (and each of ``extra``) replaced by [REDACTED]."""
    known = secrets() + [s for s in extra if s and len(s) >= MIN_SECRET]
    for secret in known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_value(value: Any, extra: Iterable[str] = ()) -> Any:
    """``redact`` applied to every string inside a JSON-like value (dicts, lists, str)."""
    extra = list(extra)
    if isinstance(value, str):
        return redact(value, extra)
    if isinstance(value, dict):
        return {k: redact_value(v, extra) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(v, extra) for v in value]
    return value


def format_exception(exc: BaseException) -> str:
    """The traceback of ``exc`` as Python prints it (chained causes included, no locals:
    frame variables are never captured), redacted. A context hidden with ``raise … from
    None`` is shown too, first: a debugging reader wants the original error (an API error
    behind an ``ExtractionFailed``), and it is exactly the part that may quote a key back."""
    parts: list[str] = []
    hidden = exc.__context__ if exc.__suppress_context__ and exc.__cause__ is None else None
    if hidden is not None:
        parts.append("".join(traceback.format_exception(hidden)))
        parts.append("\nThe above exception was replaced (raise … from None) by:\n\n")
    parts.append("".join(traceback.format_exception(exc)))
    return redact("".join(parts))


def print_exception(exc: BaseException | None) -> None:
    """``format_exception(exc)`` on stderr (nothing for None)."""
    if exc is not None:
        print(format_exception(exc), end="", file=sys.stderr, flush=True)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def escape_controls(text: str) -> str:
    """``text`` on one line and without terminal escapes: each control character (C0, DEL,
    C1) written as a Python string literal writes it, ``\\n``, ``\\x1b``."""
    return _CONTROL.sub(lambda m: repr(m[0])[1:-1], text)


def install_excepthooks() -> None:
    """Route tracebacks of uncaught exceptions in other threads through ``format_exception``,
    so no traceback printed by this process carries a key. (The main thread's need no hook:
    Typer replaces ``sys.excepthook`` whenever its app is called, and the CLI catches what
    the app raises, printing it through ``print_exception``.)"""

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit:
            name = args.thread.name if args.thread is not None else "?"
            print(f"briefing: exception in thread {name}:", file=sys.stderr)
            print_exception(args.exc_value)

    threading.excepthook = thread_hook


def _redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message (and any traceback text) redacted, arguments merged in."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: leave it to logging to report
        return record
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        record.exc_text = format_exception(record.exc_info[1]).rstrip("\n")
    record.msg, record.args = redact(message), None
    return record


class RedactingFilter(logging.Filter):
    """A log filter that redacts the record in place (belt and braces on the CLI's handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


def _install_record_factory() -> None:
    """Every log record of the process — ours, instructor's, openai's, httpx2's — is redacted
    as it is made, so no handler anyone configures can print a key."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "briefing_redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        return _redact_record(record) if _secrets else record

    factory.briefing_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


_install_record_factory()

__all__ = [
    "REDACTED",
    "RedactingFilter",
    "add_secret",
    "add_secrets_from_env",
    "add_secrets_from_url",
    "escape_controls",
    "format_exception",
    "install_excepthooks",
    "print_exception",
    "public_url",
    "redact",
    "redact_url_path",
    "redact_value",
    "secret_path_segments",
    "secrets",
]


def public_url(url: str | None) -> str | None:
    """A base URL with any user:password and query string removed, and each path segment
    that is a key (``briefing.redact.secret_path_segments``) replaced by [REDACTED]: the same
    string whether or not the key was registered, so ledger lookups by endpoint still match."""
    if not url:
        return url
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, redact_url_path(parts.path), "", ""))
