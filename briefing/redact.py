"""The one choke point for secrets: everything the product writes or prints passes through
``redact`` / ``redact_value`` first.

Secrets are registered when they are configured (``settings.load_settings`` registers the API
key and the credentials inside the base URL — userinfo and secret-looking query parameters,
``add_secrets_from_url`` —, the CLI the key variables of the environment); each sink — ledger rows
(``Ledger.add``), cassette lines (``CassetteWriter``), failure reasons and every
``BriefingError``'s text (``briefing.errors``), log records (``RedactingFilter``) and the
CLI's own stderr lines — calls into this module, so a server that echoes the key back
(``Invalid API key provided: sk-…``) never gets it further than memory.

A registered secret is replaced wherever it occurs inside a string, including inside
``Bearer <key>`` and URL-encoded copies of it, by ``[REDACTED]``. Values shorter than
``MIN_SECRET`` characters are not registered: replacing "abc" everywhere would corrupt
the brief and protect nothing.
"""

from __future__ import annotations

import logging
import re
import threading
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


def add_secrets_from_url(url: str | None) -> None:
    """Register the credentials a configured URL (``--base-url``) carries: the userinfo
    password (``http://user:PASSWORD@host``), the user name when it stands alone and is
    token-long (``https://TOKEN@host``, ``MIN_TOKEN_USER`` characters or more), and the value
    of every query parameter whose name looks secret (``SECRET_QUERY_NAME``), both as written
    and percent-decoded. A string that is not a URL registers nothing and never raises."""
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
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        if SECRET_QUERY_NAME.search(urllib.parse.unquote_plus(name)):
            values.append(value)
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


def _redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message (and any traceback text) redacted, arguments merged in."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: leave it to logging to report
        return record
    if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
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
    "redact",
    "redact_value",
    "secrets",
]
