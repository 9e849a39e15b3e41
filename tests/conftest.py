"""Shared test set-up: no real network, ever. Loopback is allowed (the fake endpoint and the
llama.cpp server run there); any other address fails the test that tried it."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from briefing.testing.fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "fixtures" / "gold"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) else None
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def _guarded(real):
    def connect(self: socket.socket, address: object):
        if not _is_local(address):
            raise OSError(f"network blocked in tests: attempted connection to {address!r}")
        return real(self, address)

    return connect


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))
    for var in (
        "OPENAI_API_KEY",
        "BRIEFING_API_KEY",
        "BRIEFING_BASE_URL",
        "BRIEFING_BACKEND",
        "BRIEFING_CONFIG",
        "BRIEFING_MODEL",
        "OPENAI_BASE_URL",
    ):
        monkeypatch.delenv(var, raising=False)
    yield


@pytest.fixture
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def user_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment as a user's shell would have it for a child process: no
    OPENAI_/BRIEFING_ variables from the test's own environment, ``extra`` added on top."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    return {**clean, **(extra or {})}


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m briefing ARGS`` in a subprocess, as a user runs it: no OPENAI_/BRIEFING_
    variables from the test's own environment, ``env`` added on top; stdout/stderr as text."""
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=user_env(env),
        timeout=timeout,
        check=False,
    )


def write_article(tmp_path: Path, text: str, name: str) -> Path:
    """``text`` written as ``tmp_path/in/NAME``: a run's one input file."""
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def run_against(
    base_url: str, inputs: Path, out: Path, *flags: str,
    env: dict[str, str] | None = None, timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``briefing run INPUTS`` against the endpoint at ``base_url`` (model ``fake-model``,
    ``--date 2026-11-27``, output in ``out``) as :func:`run_cli` runs it."""
    return run_cli(
        "run", str(inputs), "--base-url", base_url, "--model", "fake-model",
        "--out", str(out), "--date", "2026-11-27", *flags, env=env, timeout=timeout,
    )  # fmt: skip


def leaks(
    secrets: Iterable[str], done: subprocess.CompletedProcess[str], *places: Path
) -> list[str]:
    """Where any of ``secrets`` was written: ``stdout``, ``stderr``, or a file among
    ``places`` (files, or folders searched whole)."""
    wanted = tuple(secrets)
    found = [n for n, t in (("stdout", done.stdout), ("stderr", done.stderr))
             if any(s in t for s in wanted)]  # fmt: skip
    files = [p for place in places for p in ([place] if place.is_file() else place.rglob("*"))]
    return found + [
        str(p) for p in files
        if p.is_file() and any(s.encode() in p.read_bytes() for s in wanted)
    ]  # fmt: skip


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    """A scriptable chat-completions server on loopback, stopped after the test."""
    with FakeOpenAI() as server:
        yield server


def openai_backend(fake: FakeOpenAI, tmp_path: Path, key: str, **flags: object):
    """The ``openai`` backend pointed at ``fake`` (model ``fake-model``, short API backoff),
    with a real ledger file in ``tmp_path``: ``(backend, ledger)``. ``flags`` are settings."""
    from briefing.backends import get_backend
    from briefing.ledger import Ledger
    from briefing.settings import load_settings

    settings = load_settings(
        {"base_url": fake.base_url, "model": "fake-model", "out": tmp_path,
         "api_backoff_max": 0.2, **flags},
        env={"OPENAI_API_KEY": key},
    )  # fmt: skip
    ledger = Ledger(tmp_path / "ledger.sqlite")
    return get_backend(settings, ledger), ledger


def extract(fake: FakeOpenAI, tmp_path: Path, article: object, **flags: object):
    """``article`` through the real openai backend against ``fake`` (as
    :func:`openai_backend` builds it); the backend and its ledger are closed after."""
    backend, ledger = openai_backend(fake, tmp_path, "sk-test", **flags)
    try:
        return backend.extract(article)
    finally:
        backend.close()
        ledger.close()


def seed_key(seed: Path) -> str:
    """What ``fake.script_for`` matches a seed's requests on: the start of its first line,
    which the prompt shows whole (one sentence per line)."""
    return seed.read_text(encoding="utf-8").splitlines()[0][:60]
