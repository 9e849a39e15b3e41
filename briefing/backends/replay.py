"""Answers from a cassette instead of a live endpoint, through the very same openai client,
instructor parsing and validation as a live run. A request with no recording fails that one
article with a message naming it and the request hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2

from briefing.backends.openai_compat import MODES, OpenAIBackend
from briefing.cassette import Cassette, ReplayTransport
from briefing.errors import ConfigError
from briefing.resources import data_dir

DEFAULT_CASSETTE = "cassettes/seeds-reference.jsonl"


def default_cassette() -> Path:
    try:
        return data_dir("fixtures") / DEFAULT_CASSETTE
    except FileNotFoundError:
        raise ConfigError("no bundled cassette here; give --cassette FILE") from None


class ReplayBackend(OpenAIBackend):
    name = "replay"

    def __init__(self, settings: Any, ledger: Any = None) -> None:
        self.cassette = Cassette.load(settings.cassette or default_cassette())
        if settings.record is not None:
            raise ConfigError("--record needs a live endpoint, not --backend replay")
        super().__init__(settings, ledger)
        mode = self.cassette.header.get("mode")
        if mode in MODES:
            self.mode = MODES[mode]

    @property
    def model(self) -> str:
        return self.settings.model or str(self.cassette.header.get("model") or "reference")

    def startup_notices(self) -> list[str]:
        header = self.cassette.header
        if self.cassette.source == "hand-written":
            return [
                f"replaying {self.cassette.path}: hand-written reference answers, not a model's"
            ]
        return [
            f"replaying {self.cassette.path}: recorded from {header.get('model')} at "
            f"{header.get('endpoint')} ({header.get('note') or 'no note'})"
        ]

    def api_key(self) -> str:
        return "replay"

    def base_url(self) -> str:
        return "http://replay.invalid/v1"

    def transport(self, is_async: bool) -> httpx2.BaseTransport | httpx2.AsyncBaseTransport:
        return ReplayTransport(self.cassette, self._observe)

    def miss_reason(self, key: str) -> str:
        return f"no recording of request {key} in {self.cassette.path}"
