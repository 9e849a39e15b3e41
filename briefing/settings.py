"""One read-only settings object, built from defaults, a config file, the environment and
flags — in that order, later winning.

The backend is chosen as: ``--backend`` flag > ``BRIEFING_BACKEND`` > config file > an
endpoint in the environment (``BRIEFING_BASE_URL`` or an API key → ``openai``) > ``rules``.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from briefing.errors import ConfigError
from briefing.ingest import MAX_BYTES
from briefing.redact import add_secret, add_secrets_from_url
from briefing.window import today

Mode = Literal["tools", "json", "md_json", "json_schema"]
Format = Literal["md", "html", "json"]

CONFIG_NAMES = ("briefing.toml", ".briefing.toml")


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    backend: str = "rules"
    backend_source: str = Field(default="default", description="where the backend choice came from")
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None
    mode: Mode = "tools"
    max_attempts: int = Field(default=3, ge=1, le=10)
    token_budget: int = Field(
        default=60_000, ge=1000, description="tokens per article, all attempts"
    )
    api_retries: int = Field(default=4, ge=0, le=10, description="API-error retries per attempt")
    api_backoff_max: float = Field(default=30.0, gt=0)
    timeout: float = Field(
        default=120.0, gt=0, description="seconds for one whole exchange: a deadline, not per read"
    )
    breaker_after: int = Field(
        default=5,
        ge=1,
        description="requests in a row without any HTTP response before the run stops asking",
    )
    max_wait: float = Field(
        default=60.0,
        ge=0,
        description="longest Retry-After honoured (s); a server asking more fails the article",
    )
    temperature: float = 0.0
    max_tokens: int | None = Field(
        default=None,
        ge=64,
        description="longest answer in tokens; None sends no limit (the endpoint's own applies):"
        " a faithful answer for a seed-sized article runs to about 2,600 tokens, and a fixed"
        " 2048 cut most of them",
    )
    concurrency: int = Field(default=4, ge=1, le=64)
    cache: bool = Field(default=True, description="reuse answers from the ledger on a rerun")
    cassette: Path | None = None
    record: Path | None = None
    model_path: Path | None = None
    actors: Path | None = Field(default=None, description="actor registry; default the bundled one")
    out: Path = Path("briefs")
    date: dt.date = Field(default_factory=dt.date.today)
    formats: tuple[Format, ...] = ("md", "html", "json")
    ledger: Path | None = Field(default=None, description="default: OUT/ledger.sqlite")
    max_article_bytes: int = Field(default=MAX_BYTES, ge=1)
    offline: bool = Field(default=False, description="pages and feeds from OUT/cache only")
    fetch_delay: float = Field(default=1.0, ge=0, description="seconds between requests to a host")
    window: str = Field(default="1d", description="days ending with --date (Nd), or 'all'")
    tz: str | None = Field(default=None, description="IANA zone that decides today's date")
    force: bool = Field(default=False, description="replace a day's brief even with a thinner one")
    wait: float = Field(default=0.0, ge=0, description="seconds to wait for another run's lock")

    @property
    def ledger_path(self) -> Path:
        return self.ledger or self.out / "ledger.sqlite"

    def api_key_value(self) -> str | None:
        return self.api_key.get_secret_value() if self.api_key else None


_ENV: dict[str, str] = {
    "BRIEFING_MODEL": "model",
    "BRIEFING_BASE_URL": "base_url",
    "BRIEFING_MODE": "mode",
    "BRIEFING_MAX_ATTEMPTS": "max_attempts",
    "BRIEFING_CONCURRENCY": "concurrency",
    "BRIEFING_CASSETTE": "cassette",
    "BRIEFING_MODEL_PATH": "model_path",
    "BRIEFING_OUT": "out",
    "BRIEFING_ACTORS": "actors",
}


def find_config(explicit: Path | None, env: Mapping[str, str]) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return explicit
    if env.get("BRIEFING_CONFIG"):
        return find_config(Path(env["BRIEFING_CONFIG"]), {})
    return next((Path(n) for n in CONFIG_NAMES if Path(n).is_file()), None)


def _read_config(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    table = data.get("briefing", data)
    return {k.replace("-", "_"): v for k, v in table.items()}


def load_settings(
    flags: Mapping[str, Any] | None = None,
    *,
    config: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Merge defaults < config file < environment < flags (flags of None are unset)."""
    env = os.environ if env is None else env
    merged: dict[str, Any] = {}
    merged.update(_read_config(find_config(config, env)))
    backend_source = "config" if "backend" in merged else "default"
    merged.update({field: env[var] for var, field in _ENV.items() if env.get(var)})
    key = env.get("BRIEFING_API_KEY") or env.get("OPENAI_API_KEY")
    if key:
        merged["api_key"] = key
    if env.get("BRIEFING_BACKEND"):
        merged["backend"], backend_source = env["BRIEFING_BACKEND"], "BRIEFING_BACKEND"
    merged.update({k: v for k, v in (flags or {}).items() if v is not None})
    if isinstance(merged.get("api_key"), str):
        add_secret(merged["api_key"])  # from here on, no sink writes it (briefing.redact)
    if isinstance(merged.get("base_url"), str):
        add_secrets_from_url(merged["base_url"])  # user:password@ and ?api-key= are keys too
    if flags and flags.get("backend"):
        backend_source = "--backend"
    if backend_source == "default":
        merged["backend"], backend_source = _implicit_backend(merged, env)
    merged["backend_source"] = backend_source
    if merged.get("date") is None and merged.get("tz"):
        merged["date"] = today(merged["tz"])  # today where the analyst is, not where cron is
    try:
        return Settings(**merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(f"invalid setting {where}: {first['msg']}") from None


def _implicit_backend(merged: Mapping[str, Any], env: Mapping[str, str]) -> tuple[str, str]:
    if merged.get("base_url"):
        return "openai", "BRIEFING_BASE_URL" if env.get("BRIEFING_BASE_URL") else "--base-url"
    if env.get("OPENAI_API_KEY") or env.get("BRIEFING_API_KEY"):
        return "openai", "API key in the environment"
    if merged.get("model_path"):
        return "local", "--model-path"
    return "rules", "default (no model configured)"
