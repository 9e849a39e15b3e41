"""Backends: one small interface, one module each, chosen by name.

A backend turns one Article into one ArticleExtraction, or raises ExtractionFailed with the
reasons. Optional dependencies are imported only when their backend is chosen.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ClassVar

from briefing.errors import ConfigError
from briefing.schemas import Article, ArticleExtraction

if TYPE_CHECKING:
    from briefing.ledger import Ledger
    from briefing.settings import Settings


class Backend(ABC):
    """Base class. Subclasses implement ``extract``; ``aextract`` may be overridden when the
    backend has a native async path (the OpenAI-compatible one does)."""

    name: ClassVar[str]

    def __init__(self, settings: Settings, ledger: Ledger | None = None) -> None:
        self.settings = settings
        self.ledger = ledger
        self.run_id = "adhoc"  # the pipeline sets its run's id, so ledger rows join their run

    @property
    def model(self) -> str:
        return self.settings.model or self.name

    @property
    def prompt_version(self) -> str:
        """What this backend's output depends on besides the article; part of every key."""
        return "none"

    def startup_notices(self) -> list[str]:
        """Plain warnings printed once at start-up and kept in the brief's run metadata."""
        return []

    @abstractmethod
    def extract(self, article: Article) -> ArticleExtraction:
        """Extract one article, or raise ExtractionFailed."""

    async def aextract(self, article: Article) -> ArticleExtraction:
        return await asyncio.to_thread(self.extract, article)

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release clients, files or models."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release what was opened on the event loop (async clients)."""


DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
DEFAULT_OPENAI_URL = "https://api.openai.com/v1"


def openai_model(settings: Settings) -> str:
    """The model an OpenAI-compatible endpoint is asked for. Decided here, without importing
    the client stack, so a rerun served from the ledger (``briefing.reuse``) names it too.

    Raises ``ConfigError`` for ``--base-url`` without ``--model``."""
    if settings.model:
        return settings.model
    if settings.base_url:
        raise ConfigError("--model is required with --base-url (the name the server knows)")
    return DEFAULT_OPENAI_MODEL


def openai_endpoint(base_url: str | None) -> str | None:
    """The endpoint as ledger rows and caches name it: the base URL (OpenAI's by default)
    without credentials or query."""
    from briefing.redact import public_url

    return public_url(base_url or DEFAULT_OPENAI_URL)


# name -> "module:Class"; modules are imported lazily so optional extras stay optional.
BACKENDS: dict[str, str] = {
    "openai": "briefing.backends.openai_compat:OpenAIBackend",
    "replay": "briefing.backends.replay:ReplayBackend",
    "rules": "briefing.backends.rules:RulesBackend",
    "local": "briefing.backends.local:LocalBackend",
}


# Set by the console script (``briefing.cli.main``), a process that runs one batch and exits: a
# backend's client stack is then imported with the cyclic GC paused and frozen after it
# (``gc.freeze``), so the collector never walks the ~100,000 objects openai and instructor build
# (classes, functions, their dicts), which live as long as the process anyway: ~35 ms of CPU in a
# 60-article run (gc.callbacks timing). Refcounting still frees whatever is dropped. Off for
# library callers, whose process may run for long and keeps its GC as it was.
FREEZE_IMPORTS = False


@contextmanager
def _imported_outside_gc() -> Iterator[None]:
    """With ``FREEZE_IMPORTS``: no collection while the body imports, its objects frozen after."""
    if not FREEZE_IMPORTS:
        yield
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def get_backend(settings: Settings, ledger: Ledger | None = None) -> Backend:
    """The backend ``settings.backend`` names, built on ``settings`` and ``ledger``; its module
    (and optional dependencies) imported now. Raises ``ConfigError`` for an unknown name."""
    name = settings.backend
    target = BACKENDS.get(name)
    if target is None:
        raise ConfigError(f"unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}")
    module_name, cls_name = target.split(":")
    with _imported_outside_gc():
        module = importlib.import_module(module_name)
    cls: type[Backend] = getattr(module, cls_name)
    return cls(settings, ledger)
