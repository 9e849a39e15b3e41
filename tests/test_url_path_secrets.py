"""A key in the PATH of ``--base-url`` (gateways that take it there: ``/v1/key-…/``,
``/token/<secret>/``) is a secret like a userinfo password or a ``?api-key=`` value: it reaches
no sink (stdout, stderr, ledger, cassette, brief files), and the endpoint as the ledger names
it shows ``[REDACTED]`` in its place, while ordinary paths stay readable.

The CLI runs in a subprocess against ``briefing.testing.fake_openai`` on loopback, served under
the key-carrying prefix. Every article and key here is invented.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from briefing.pipeline import ExitCode
from briefing.redact import REDACTED, add_secrets_from_url, public_url, redact, secret_path_segments
from briefing.testing.fake_openai import FakeOpenAI, Reply
from tests.conftest import leaks, run_against, write_article

ARTICLE = """---
title: Ministers confer in Halvik
outlet: Coastline Daily
published: 2026-11-27
---
Norvian Foreign Minister Asta Brenn met Kelmark's Foreign Minister Ruud Saller in Halvik on
Monday.
"""
ANSWER = {
    "actors": [
        {"name": "Asta Brenn", "title": "Foreign Minister", "kind": "person"},
        {"name": "Ruud Saller", "title": "Foreign Minister", "kind": "person"},
    ],
    "meetings": [
        {
            "participants": ["Asta Brenn", "Ruud Saller"],
            "location": "Halvik",
            "date_text": "on Monday",
            "status": "held",
            "sentence": 1,
        }
    ],
    "positions": [],
    "claims": [],
}
KEYED = "key-pth15abc123def456"  # a segment that starts like a key
NAMED = "Zq7pth15Lm"  # a segment after /token/
RANDOM = "Pth15x9Rq2Wv8Ty4Un6Bk"  # 21 letters and digits


@pytest.mark.parametrize(
    ("path", "secrets"),
    [
        (f"/v1/{KEYED}/", [KEYED]),
        (f"/gw/token/{NAMED}/v1", [NAMED]),
        (f"/gateway/{RANDOM}/openai/v1", [RANDOM]),
        (f"/Api-Keys/{NAMED}/v1", [NAMED]),
        ("/openai/deployments/gpt-4o", []),
        ("/openai/deployments/gpt-4o-mini-2024-07-18/v1", []),
        ("/v1", []),
        ("/api/2024-06-01/chat", []),
        ("/keys/v1", []),  # a version after "keys" is no key
        ("/token/chat/v1", []),  # nor a plain word
        ("/v1/tokenizer", []),
        ("/v1/key-value-store/token-exchange", []),  # names, no digit: no keys
    ],
)
def test_the_rule_for_secret_path_segments(path, secrets):
    assert secret_path_segments(path) == secrets
    shown = public_url(f"https://gw.example.invalid{path}")
    assert shown is not None and not any(s in shown for s in secrets)
    assert shown.count(REDACTED) == len(secrets)
    if not secrets:
        assert shown == f"https://gw.example.invalid{path}"  # readable, unchanged


def test_a_path_key_is_registered_as_written_and_decoded():
    add_secrets_from_url(f"https://gw.example.invalid/token/{NAMED}%2B1/v1")
    assert redact(f"bad token {NAMED}+1 at /token/{NAMED}%2B1/") == (
        f"bad token {REDACTED} at /token/{REDACTED}/"
    )


def _article(tmp_path: Path) -> Path:
    return write_article(tmp_path, ARTICLE, "halvik.md")


def _run(base_url: str, article: Path, out: Path, *flags: str):
    return run_against(
        base_url, article, out, "--max-attempts", "1", "-v", *flags, env={"BRIEFING_DEBUG": "1"}
    )


def _endpoints(out: Path) -> set[str]:
    with sqlite3.connect(out / "ledger.sqlite") as db:
        return {row[0] for row in db.execute("SELECT endpoint FROM attempts")}


@pytest.mark.parametrize(
    ("prefix", "secret"),
    [(f"/gw/{KEYED}", KEYED), (f"/gw/token/{NAMED}", NAMED), (f"/{RANDOM}", RANDOM)],
    ids=["keyed", "after-token", "random"],
)
def test_a_path_key_reaches_no_sink_and_a_rerun_still_finds_its_answers(
    tmp_path, prefix, secret
):
    article, out, tape = _article(tmp_path), tmp_path / "out", tmp_path / "tape.jsonl"
    with FakeOpenAI(path_prefix=prefix) as fake:
        fake.script(Reply.answer(ANSWER))
        done = _run(fake.base_url, article, out, "--record", str(tape))
        assert fake.chat_requests and secret in fake.chat_requests[0].path, "the key was sent"
        assert done.returncode == ExitCode.OK, done.stderr
        (meeting,) = json.loads((out / "brief-2026-11-27.json").read_text())["meetings"]
        assert meeting["location"] == "Halvik"
        host = fake.base_url.split("/")[2]
        shown = f"http://{host}{prefix.replace(secret, REDACTED)}/v1"
        assert _endpoints(out) == {shown}
        assert json.loads(tape.read_text().splitlines()[0])["endpoint"] == shown
        assert REDACTED in done.stderr  # -v logs each request's URL, the key replaced
        assert leaks([secret], done, out, tape) == []
        # the ledger names the endpoint the same way on the rerun: its answer is found
        again = _run(fake.base_url, article, out, "--force")
        assert again.returncode == ExitCode.OK, again.stderr
        assert len(fake.chat_requests) == 1, "the rerun was answered from the ledger"
        assert leaks([secret], again, out) == []


def test_a_path_key_echoed_in_an_error_reaches_no_sink(tmp_path):
    article, out = _article(tmp_path), tmp_path / "out"
    with FakeOpenAI() as fake:  # no prefix: the fake's 404 names the whole path it was asked
        base = fake.base_url.removesuffix("/v1")
        done = _run(f"{base}/gw/{KEYED}/v1", article, out)
        assert fake.requests and KEYED in fake.requests[0].path
    assert done.returncode == ExitCode.NOTHING, done.stderr
    (failure,) = json.loads((out / "brief-2026-11-27.json").read_text())["failures"]
    assert "404" in failure["reason"] and REDACTED in failure["reason"]
    assert "Traceback" in done.stderr  # BRIEFING_DEBUG showed where, redacted too
    assert leaks([KEYED], done, out) == []
