"""The shipped seed cassette is what the current prompts and gold would record, and says
honestly that its answers are hand-written."""

from __future__ import annotations

import json

from briefing.testing.reference import CASSETTE, build
from tests.conftest import GOLD, SEEDS


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_header_says_hand_written():
    header = lines(CASSETTE)[0]
    assert header["type"] == "header" and header["source"] == "hand-written"
    assert "Not the output of any model" in header["note"]


def essence(line):
    """What replay depends on: the request, and the answer's message (not ids or clocks)."""
    if line["type"] == "header":
        return line
    message = line["response"]["body"]["choices"][0]["message"]
    calls = [c["function"] for c in message.get("tool_calls") or []]
    return line["request_hash"], line["request"], message.get("content"), calls


def test_cassette_is_current(tmp_path):
    fresh = build(SEEDS, GOLD, tmp_path / "fresh.jsonl")
    shipped = [essence(x) for x in lines(CASSETTE)]
    assert [essence(x) for x in lines(fresh)] == shipped, (
        "prompts, schema or gold changed: run `python -m briefing.testing.reference` and commit"
    )
