"""``BRIEFING_DEBUG=1`` tracebacks go through the redaction choke point (``briefing.redact``)
like every other output: a key quoted back in an exception message never reaches stderr,
stdout, the ledger or the brief files.

Each test drives the real CLI in a subprocess; the endpoint is ``briefing.testing.fake_openai``
on loopback, echoing the key it was sent in its 500 body. Every article here is invented.
"""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.pipeline import ExitCode
from briefing.redact import REDACTED
from briefing.testing.fake_openai import Reply
from tests.conftest import ROOT, leaks, run_against, user_env, write_article

KEY = "sk-dbg15-Quillon-never-printed-9d1e77"
PASSWORD = "Pw-dbg15-userinfo-4242"
BASIC = base64.b64encode(f"analyst:{PASSWORD}".encode()).decode()  # what httpx2 sends for it
SECRETS = (KEY, PASSWORD, BASIC)

ARTICLE = """---
title: Envoys confer in Brask
outlet: Fjord Ledger
published: 2026-11-27
---
Solvenian envoy Ilka Varn met Drosmark's envoy Teodor Mell in Brask on Tuesday.
"""


def _article(tmp_path: Path) -> Path:
    return write_article(tmp_path, ARTICLE, "brask.md")


@pytest.mark.parametrize(
    ("userinfo", "sent"),
    [("", f"Bearer {KEY}"), (f"analyst:{PASSWORD}@", f"Basic {BASIC}")],
    ids=["bearer-key", "userinfo-password"],
)
def test_a_failed_articles_traceback_is_shown_redacted(fake, tmp_path, userinfo, sent):
    # the fake echoes the credential it was sent ("Bearer " dropped), in its 500 body
    fake.default = Reply.status(500, message="upstream rejected {api_key} for this model")
    host = fake.base_url.split("://", 1)[1]
    base_url = f"http://{userinfo}{host}"
    out = tmp_path / "out"
    done = run_against(
        base_url, _article(tmp_path), out, "--max-attempts", "1",
        env={"BRIEFING_DEBUG": "1", "OPENAI_API_KEY": KEY},
    )
    assert fake.requests and fake.requests[0].headers["authorization"] == sent
    assert done.returncode == ExitCode.NOTHING, done.stderr
    # debug shows where the article failed: the server's error, as the client raised it
    assert "Traceback (most recent call last)" in done.stderr, done.stderr
    assert "InternalServerError" in done.stderr
    assert f"{REDACTED} for this model" in done.stderr
    assert (out / "ledger.sqlite").is_file() and (out / "brief-2026-11-27.json").is_file()
    assert leaks(SECRETS, done, out) == []


BUG = """
import os, sys
import briefing.cli

def run_brief(*args, **kwargs):
    try:
        raise ConnectionError("gateway said: Authorization: Bearer " + os.environ["OPENAI_API_KEY"])
    except ConnectionError as exc:
        raise RuntimeError("unexpected reply for key " + os.environ["OPENAI_API_KEY"]) from exc

briefing.cli.run_brief = run_brief  # an internal bug whose message quotes the key
briefing.cli.main(sys.argv[1:])
"""


def test_an_internal_errors_traceback_is_redacted(tmp_path):
    out = tmp_path / "out"
    env = user_env()
    env.update(BRIEFING_DEBUG="1", OPENAI_API_KEY=KEY)
    args = ["run", str(_article(tmp_path)), "--out", str(out), "--backend", "rules"]
    done = subprocess.run(
        [sys.executable, "-c", BUG, *args], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == ExitCode.ERROR, done.stderr
    assert "Traceback (most recent call last)" in done.stderr, done.stderr
    assert "ConnectionError" in done.stderr and "RuntimeError" in done.stderr  # the whole chain
    assert f"unexpected reply for key {REDACTED}" in done.stderr
    assert "╭" not in done.stderr  # not Typer's traceback printer
    assert done.stderr.strip().splitlines()[-1].startswith("briefing: internal error: ")
    assert leaks(SECRETS, done, out) == []


def test_without_debug_an_internal_error_is_one_redacted_line(tmp_path):
    env = user_env()
    env["OPENAI_API_KEY"] = KEY
    args = ["run", str(_article(tmp_path)), "--out", str(tmp_path / "out"), "--backend", "rules"]
    done = subprocess.run(
        [sys.executable, "-c", BUG, *args], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == ExitCode.ERROR
    (line,) = done.stderr.strip().splitlines()
    assert line == (
        f"briefing: internal error: RuntimeError: unexpected reply for key {REDACTED}"
        " (BRIEFING_DEBUG=1 shows where)"
    )
