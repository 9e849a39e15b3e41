"""Issue 10: real endpoints misbehave. One loopback test (or a few) per kind of misbehaviour,
driving the real CLI or library through ``briefing.testing.fake_openai``.

Every article here is invented (names, places and wording); none comes from the dev set.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from briefing.errors import ExtractionFailed
from briefing.ledger import Ledger
from briefing.pipeline import ExitCode
from briefing.settings import load_settings
from briefing.testing.fake_openai import FakeOpenAI, Reply, cut_text
from tests.conftest import GOLD, ROOT, SEEDS, openai_backend, run_against, seed_key, write_article
from tests.conftest import run_cli as run_briefing

KEY = "sk-live-ENDP10-never-in-output-51c0ffee77"

ARTICLE = """---
title: Ministers meet in Tarsk
outlet: Northern Wire
published: 2026-11-27
---
Valdorian Foreign Minister Elena Varga met Ostmark's Foreign Minister Piet Holm in Tarsk on
Thursday.
"""


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    return run_briefing(*args, env=env, timeout=timeout)


# --- kind 11: eval errors and exit codes ------------------------------------------------------


def test_eval_without_its_gold_folder_is_one_line_and_exit_2(tmp_path):
    done = cli("eval", "seeds/", "--gold", str(tmp_path / "nowhere"), "--backend", "rules")
    assert done.returncode == ExitCode.USAGE
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line == f"briefing: error: gold folder not found: {tmp_path / 'nowhere'}"


def test_eval_traceback_only_with_briefing_debug(tmp_path):
    done = cli(
        "eval", "seeds/", "--gold", str(tmp_path / "nowhere"), env={"BRIEFING_DEBUG": "1"}
    )
    assert done.returncode != ExitCode.OK and "Traceback" in done.stderr


def test_a_quality_gate_miss_has_its_own_documented_code():
    seed = sorted(SEEDS.glob("*.txt"))[0]
    gate = ("eval", str(seed), "--gold", str(GOLD), "--backend", "rules", "--fail-under")
    done = cli(*gate, "1.01")
    assert done.returncode == ExitCode.QUALITY == 6, done.stderr
    assert "meetings" in done.stdout
    passed = cli(*gate, "0")
    assert passed.returncode == ExitCode.OK, passed.stderr
    shown = cli("eval", "--help", env={"COLUMNS": "400"}).stdout  # run --help shares the text
    assert "6 eval scored below --fail-under" in shown
    assert "| 6 |" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_briefing_error_reaching_run_is_one_line_and_exit_2(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[briefing]\nmax_attempts = 99\n", encoding="utf-8")
    done = cli("run", "seeds/", "--config", str(config), "--out", str(tmp_path / "o"))
    assert done.returncode == ExitCode.USAGE
    assert done.stderr.strip().splitlines()[-1].startswith("briefing: error: invalid setting")
    assert "Traceback" not in done.stderr


# --- the fake endpoint and a one-article run ----------------------------------------------------


@pytest.fixture
def article(tmp_path: Path) -> Path:
    return write_article(tmp_path, ARTICLE, "tarsk.md")


def run_cli(fake: FakeOpenAI, inputs: Path, out: Path, *flags: str, timeout: float = 120):
    return run_against(
        fake.base_url, inputs, out, *flags, env={"OPENAI_API_KEY": KEY}, timeout=timeout
    )


def brief_of(out: Path) -> dict:
    return json.loads((out / "brief-2026-11-27.json").read_text(encoding="utf-8"))


def outcomes(out: Path) -> list[str]:
    with Ledger(out / "ledger.sqlite") as ledger:
        return [row.outcome for row in ledger.attempts()]


# --- kind 5: secrets in server replies --------------------------------------------------------


def test_a_key_echoed_by_the_server_reaches_no_sink(fake, article, tmp_path):
    fake.default = Reply.status(401, message="Invalid API key provided: {api_key}")
    out, tape = tmp_path / "out", tmp_path / "tape.jsonl"
    done = run_cli(fake, article, out, "--record", str(tape), "--verbose")
    assert fake.requests and fake.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert done.returncode == ExitCode.NOTHING, done.stderr
    (failure,) = brief_of(out)["failures"]
    assert failure["reason"] == "API error: HTTP 401 Invalid API key provided: [REDACTED]"
    assert outcomes(out) == ["api-error"]
    written = [p for p in out.iterdir() if p.is_file()] + [tape]
    assert {p.suffix for p in written} >= {".md", ".html", ".json", ".sqlite", ".jsonl"}
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path
    assert "[REDACTED]" in tape.read_text(encoding="utf-8")
    assert KEY not in done.stdout + done.stderr and "[REDACTED]" in done.stderr


def test_every_library_sink_redacts_a_configured_key(fake, tmp_path, caplog):
    from briefing.backends import get_backend
    from briefing.ingest import article_from_text

    fake.default = Reply.status(403, message="key {api_key} is not allowed here")
    settings = load_settings(
        {"base_url": fake.base_url, "model": "m", "out": tmp_path, "api_retries": 0},
        env={"BRIEFING_API_KEY": KEY},
    )
    with Ledger(tmp_path / "l.sqlite") as ledger:
        backend = get_backend(settings, ledger)
        with caplog.at_level(logging.INFO, logger="briefing"), pytest.raises(
            ExtractionFailed
        ) as failed:
            backend.extract(article_from_text(ARTICLE, path="x.md"))
        rows = ledger.attempts()
        logging.getLogger("briefing").warning("the server said %s", f"Bearer {KEY}")
    assert "[REDACTED]" in str(failed.value) and KEY not in str(failed.value)
    assert KEY not in repr(failed.value.errors) and KEY not in repr(rows)
    assert KEY not in caplog.text and "[REDACTED]" in caplog.text


def tarsk_answer() -> dict:
    """A faithful answer for ARTICLE: one meeting, both parties named in the text."""
    return {
        "meetings": [
            {
                "participants": [
                    {"name": "Elena Varga", "title": "Foreign Minister", "kind": "person"},
                    {"name": "Piet Holm", "title": "Foreign Minister", "kind": "person"},
                ],
                "location": "Tarsk",
                "date_text": "on Thursday",
                "status": "held",
                "passage": "Valdorian Foreign Minister Elena Varga met Ostmark's Foreign "
                "Minister Piet Holm in Tarsk",
            }
        ],
        "positions": [],
        "claims": [],
    }


def library_backend(fake: FakeOpenAI, tmp_path: Path, **flags):
    return openai_backend(fake, tmp_path, KEY, **flags)


def tarsk():
    from briefing.ingest import article_from_text

    return article_from_text(ARTICLE, path=Path("tarsk.md"))


# --- kind 1: fenced JSON in JSON mode ---------------------------------------------------------


def test_fenced_json_in_json_mode_is_accepted_on_the_first_answer(fake, article, tmp_path):
    fake.script(Reply.fenced(tarsk_answer()))
    out = tmp_path / "out"
    done = run_cli(fake, article, out, "--mode", "json")
    assert done.returncode == ExitCode.OK, done.stderr
    assert len(fake.chat_requests) == 1
    assert outcomes(out) == ["ok"]
    (meeting,) = brief_of(out)["meetings"]
    assert "Tarsk" in json.dumps(meeting)
    with Ledger(out / "ledger.sqlite") as ledger:
        assert "```json" in ledger.attempts()[0].raw_response  # on record as it came


@pytest.mark.parametrize("mode", ["tools", "json", "md_json", "json_schema"])
@pytest.mark.parametrize(
    "wrap",
    [
        lambda obj: Reply.fenced(obj),
        lambda obj: Reply.fenced(obj, before="Here is the JSON you asked for:\n", after="\nDone."),
        lambda obj: Reply.content("\n\n  " + json.dumps(obj) + "  \n"),
        lambda obj: Reply.content("Sure! " + json.dumps(obj) + " Hope this helps {not json}"),
    ],
    ids=["fence", "fence-in-prose", "whitespace", "prose"],
)
def test_any_mode_takes_one_json_object_however_it_is_wrapped(fake, tmp_path, mode, wrap):
    fake.script(wrap(tarsk_answer()))
    backend, ledger = library_backend(fake, tmp_path, mode=mode)
    result = backend.extract(tarsk())
    assert len(result.meetings) == 1 and len(fake.chat_requests) == 1
    assert [r.outcome for r in ledger.attempts()] == ["ok"]


def test_a_text_answer_where_a_tool_call_was_asked_is_taken_as_the_call(fake, tmp_path):
    fake.script(Reply.raw(completion({"role": "assistant", "content": json.dumps(tarsk_answer())})))
    backend, ledger = library_backend(fake, tmp_path, mode="tools")
    assert len(backend.extract(tarsk()).meetings) == 1
    assert [r.outcome for r in ledger.attempts()] == ["ok"]


# --- kind 2: HTTP 200 with nothing to parse ---------------------------------------------------


def completion(message: dict | None = None, *, choices: list | None = None, **extra) -> dict:
    if choices is None:
        choices = [{"index": 0, "message": message, "finish_reason": "stop"}]
    usage = {"prompt_tokens": 10, "completion_tokens": 0, "total_tokens": 10}
    return {"id": "c", "object": "chat.completion", "created": 0, "model": "fake-model",
            "choices": choices, "usage": usage, **extra}  # fmt: skip


EMPTY_ANSWERS = {
    "no choices in the answer": completion(choices=[]),
    "the answer's choice has no message": completion(None),
    "the answer has no content and no tool call": completion(
        {"role": "assistant", "content": None}
    ),
    "the model refused: I cannot help with that": completion(
        {"role": "assistant", "content": None, "refusal": "I cannot help with that"}
    ),
}


@pytest.mark.parametrize("reason", list(EMPTY_ANSWERS))
@pytest.mark.parametrize("mode", ["tools", "json"])
def test_an_empty_answer_is_an_invalid_attempt_and_asked_again(fake, tmp_path, reason, mode):
    fake.script(Reply.raw(EMPTY_ANSWERS[reason]), Reply.answer(tarsk_answer()))
    backend, ledger = library_backend(fake, tmp_path, mode=mode)
    assert len(backend.extract(tarsk()).meetings) == 1
    rows = ledger.attempts()
    assert [r.outcome for r in rows] == ["invalid", "ok"]
    assert rows[0].errors == [reason]


def test_when_every_answer_is_empty_the_failure_says_so_in_words(fake, article, tmp_path):
    fake.default = Reply.raw(completion(choices=[]))
    out = tmp_path / "out"
    done = run_cli(fake, article, out)
    assert done.returncode == ExitCode.NOTHING, done.stderr
    (failure,) = brief_of(out)["failures"]
    last = "no choices in the answer"
    assert failure["reason"] == f"no valid answer after 3 attempts; last error: {last}"
    assert outcomes(out) == ["invalid"] * 3
    assert "IndexError" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "body",
    [
        "<html>502 Bad Gateway</html>",
        "",
        {"object": "chat.completion"},
        {"choices": None},
        {"choices": [{"index": 0}]},
        {"choices": [{"message": {"role": "assistant", "tool_calls": []}}]},
        {"choices": [{"message": {"content": None, "tool_calls": [{"id": "x", "type": "function",
                                                                   "function": {"name": "f"}}]}}]},
        [1, 2, 3],
    ],
    ids=["html", "empty-body", "no-choices-key", "null-choices", "no-message", "no-calls",
         "call-without-arguments", "array"],
)  # fmt: skip
def test_no_malformed_200_surfaces_a_python_exception(fake, tmp_path, body):
    fake.default = Reply.raw(body)
    backend, ledger = library_backend(fake, tmp_path, max_attempts=2)
    with pytest.raises(ExtractionFailed) as failed:
        backend.extract(tarsk())
    reason = failed.value.reason
    for name in ("IndexError", "AttributeError", "TypeError", "KeyError", "AssertionError",
                 "NoneType", "Traceback"):  # fmt: skip
        assert name not in reason
    assert reason.startswith("no valid answer after 2 attempts; last error: "), reason
    assert [r.outcome for r in ledger.attempts()] == ["invalid", "invalid"]


# --- kind 3: Retry-After -----------------------------------------------------------------------


def _status_error(headers: dict[str, str]):
    import httpx2
    import openai

    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(429, headers=headers, request=request)
    return openai.RateLimitError("slow down", response=response, body=None)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "90"}, 90.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "-5"}, 0.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after": ""}, None),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past: now
        ({"retry-after-ms": "2500"}, 2.5),
        ({"retry-after-ms": "-100", "retry-after": "7"}, 0.0),
        ({"retry-after-ms": "lots", "retry-after": "7"}, 7.0),
        ({}, None),
    ],
)
def test_the_whole_retry_after_header_space(headers, expected):
    from briefing.backends.openai_compat import retry_after_seconds

    assert retry_after_seconds(_status_error(headers)) == expected


def test_an_http_date_retry_after_counts_from_now():
    import email.utils
    import time

    from briefing.backends.openai_compat import retry_after_seconds

    date = email.utils.formatdate(time.time() + 40, usegmt=True)
    assert 38 <= retry_after_seconds(_status_error({"retry-after": date})) <= 40


def test_a_wait_beyond_max_wait_gives_up_on_the_article_at_once(fake, article, tmp_path):
    fake.default = Reply.status(429, retry_after=90)
    out = tmp_path / "out"
    started = time.monotonic()
    done = run_cli(fake, article, out)
    assert time.monotonic() - started < 30
    assert done.returncode == ExitCode.NOTHING, done.stderr
    assert len(fake.chat_requests) == 1
    (failure,) = brief_of(out)["failures"]
    assert failure["reason"].startswith(
        "the server asked to wait 90 s, more than --max-wait (60 s); HTTP 429"
    ), failure["reason"]
    assert outcomes(out) == ["api-error"]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_wait_within_max_wait_is_waited_in_full(fake, tmp_path, use_async):
    import asyncio

    fake.script(Reply.status(429, retry_after=1.5), Reply.answer(tarsk_answer()))
    backend, ledger = library_backend(fake, tmp_path, max_wait=5)  # api_backoff_max is 0.2
    result = asyncio.run(backend.aextract(tarsk())) if use_async else backend.extract(tarsk())
    assert len(result.meetings) == 1
    first, second = fake.chat_requests
    assert 1.5 <= second.received_at - first.received_at < 3
    assert [r.outcome for r in ledger.attempts()] == ["api-error", "ok"]


@pytest.mark.parametrize("value", ["0", "-30", "whenever", "Thu, 01 Jan 1970 00:00:00 GMT"])
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_zero_negative_or_unparsable_waits_are_retried_soon(fake, tmp_path, value, use_async):
    import asyncio

    fake.script(Reply.status(503, headers={"retry-after": value}), Reply.answer(tarsk_answer()))
    backend, _ = library_backend(fake, tmp_path)
    started = time.monotonic()
    if use_async:
        asyncio.run(backend.aextract(tarsk()))
    else:
        backend.extract(tarsk())
    assert time.monotonic() - started < 5 and len(fake.chat_requests) == 2


# --- kind 10: quiet on success, short on failure -----------------------------------------------


def test_quiet_prints_nothing_on_success(fake, article, tmp_path):
    fake.script(Reply.answer(tarsk_answer()))
    done = run_cli(fake, article, tmp_path / "out", "--quiet")
    assert done.returncode == ExitCode.OK
    assert done.stdout == "" and done.stderr == ""
    assert brief_of(tmp_path / "out")["meetings"]


def test_each_failed_article_is_one_stderr_line(fake, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.md").write_text(ARTICLE.replace("Tarsk", "Velm"), encoding="utf-8")
    (folder / "c.md").write_bytes(b"\xff\xfe\x00binary")
    bad = tarsk_answer()
    bad["meetings"][0]["passage"] = "Varga and Holm signed a treaty on the Moon."
    fake.script_for("Velm", *[Reply.answer(bad)] * 3)
    fake.script_for("Tarsk", Reply.answer(tarsk_answer()))
    done = run_cli(fake, folder, tmp_path / "out", "--quiet")
    assert done.returncode == ExitCode.PARTIAL, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert any("b.md: failed: no valid answer after 3 attempts" in line for line in lines)
    assert any("c.md" in line for line in lines)
    assert done.stdout == ""
    fake.script_for("Velm", *[Reply.answer(bad)] * 3)
    loud = run_cli(fake, folder, tmp_path / "out2", "--no-cache")
    assert "Max retries exceeded" not in loud.stderr and "validation error" not in loud.stderr
    assert sum("b.md" in line for line in loud.stderr.splitlines()) == 1
    fake.script_for("Velm", *[Reply.answer(bad)] * 3)
    verbose = run_cli(fake, folder, tmp_path / "out3", "--no-cache", "--verbose")
    assert "Max retries exceeded" in verbose.stderr


# --- kind 4: --timeout is a deadline for the whole exchange ------------------------------------


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_dribbled_body_cannot_hold_an_article_past_its_timeout(fake, tmp_path, use_async):
    import asyncio

    fake.default = Reply.dribble(Reply.answer(tarsk_answer()), every=0.05)
    backend, ledger = library_backend(fake, tmp_path, timeout=1.5, api_retries=0)
    started = time.monotonic()
    with pytest.raises(ExtractionFailed) as failed:
        if use_async:
            asyncio.run(backend.aextract(tarsk()))
        else:
            backend.extract(tarsk())
    assert time.monotonic() - started < 8  # the whole body would take about 30 s
    assert failed.value.reason == "API error: request timed out after 1.5 s"
    (row,) = ledger.attempts()
    assert row.outcome == "api-error" and "deadline" in row.errors[0]
    assert 1500 <= row.latency_ms < 2500  # the exchange itself stopped at the deadline


def test_a_dribbling_server_through_the_cli(fake, article, tmp_path):
    fake.default = Reply.dribble(Reply.answer(tarsk_answer()), every=0.05)
    config = tmp_path / "one-try.toml"
    config.write_text("[briefing]\napi_retries = 0\n", encoding="utf-8")
    started = time.monotonic()
    done = run_cli(fake, article, tmp_path / "out", "--timeout", "2", "--config", str(config))
    assert time.monotonic() - started < 30  # one try of 2 s; the body alone takes about 30 s
    assert len(fake.chat_requests) == 1
    assert done.returncode == ExitCode.NOTHING
    (failure,) = brief_of(tmp_path / "out")["failures"]
    assert failure["reason"] == "API error: request timed out after 2 s"


def test_a_slow_but_steady_answer_within_the_deadline_still_arrives(fake, tmp_path):
    fake.script(Reply.dribble(Reply.answer({"meetings": []}), every=0.001))
    backend, _ = library_backend(fake, tmp_path, timeout=20, api_retries=0)
    assert backend.extract(tarsk()).meetings == []


# --- kind 8: a dead endpoint must not take hours -----------------------------------------------


def test_a_dead_endpoint_trips_the_breaker_and_fails_the_rest_at_once(fake, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(20):
        text = ARTICLE.replace("Tarsk", f"Tarsk-{n}")
        (folder / f"a{n:02}.md").write_text(text, encoding="utf-8")
    fake.default = Reply.slow(600, Reply.answer(tarsk_answer()))  # accepts, never answers
    out = tmp_path / "out"
    started = time.monotonic()
    done = run_cli(fake, folder, out, "--timeout", "1")
    elapsed = time.monotonic() - started
    assert done.returncode == ExitCode.NOTHING, done.stderr
    failures = brief_of(out)["failures"]
    assert len(failures) == 20
    tripped = [f for f in failures if "circuit breaker open" in f["reason"]]
    assert len(tripped) >= 12, [f["reason"] for f in failures]
    assert tripped[0]["reason"] == (
        "not asked: the endpoint failed 5 requests in a row (last: request timed out after 1 s);"
        " circuit breaker open for the rest of the run"
    )
    assert len(fake.chat_requests) <= 12  # was 100 (5 tries x 20 articles)
    assert elapsed < 30, elapsed  # was 5 tries x timeout x 20 / concurrency, plus backoff
    assert set(outcomes(out)) == {"api-error"}


def test_the_breaker_closes_again_when_the_server_answers(fake, tmp_path):
    fake.script(*[Reply.hangup()] * 4, Reply.answer(tarsk_answer()))
    backend, _ = library_backend(fake, tmp_path)
    assert len(backend.extract(tarsk()).meetings) == 1
    assert not backend.breaker.open and backend.breaker.failures == 0


# --- kind 9: a rerun retries what failed -------------------------------------------------------


def hallucinated() -> dict:
    bad = tarsk_answer()
    bad["meetings"][0]["passage"] = "Varga and Holm signed a treaty on the Moon."
    return bad


def test_a_rerun_asks_again_for_an_article_whose_answers_were_invalid(fake, article, tmp_path):
    out = tmp_path / "out"
    fake.script(*[Reply.answer(hallucinated())] * 3)
    first = run_cli(fake, article, out)
    assert first.returncode == ExitCode.NOTHING and outcomes(out) == ["invalid"] * 3
    asked = len(fake.chat_requests)
    fake.script(Reply.answer(tarsk_answer()))  # the endpoint is fixed
    second = run_cli(fake, article, out)
    assert second.returncode == ExitCode.OK, second.stderr
    assert len(fake.chat_requests) == asked + 1  # asked, not replayed from the ledger
    with Ledger(out / "ledger.sqlite") as ledger:
        rows = ledger.attempts()
    assert [(r.outcome, r.cached) for r in rows[3:]] == [("ok", False)]
    assert len(brief_of(out)["meetings"]) == 1
    third = run_cli(fake, article, out)  # now the valid answer is served from the ledger
    assert third.returncode == ExitCode.OK and len(fake.chat_requests) == asked + 1


def test_the_reasks_that_led_to_a_valid_answer_stay_free(fake, tmp_path):
    fake.script(Reply.answer(hallucinated()), Reply.answer(tarsk_answer()))
    backend, ledger = library_backend(fake, tmp_path)
    backend.extract(tarsk())
    again, _ = library_backend(fake, tmp_path)
    again.ledger = ledger
    assert len(again.extract(tarsk()).meetings) == 1
    assert len(fake.chat_requests) == 2
    assert [(r.outcome, r.cached) for r in ledger.attempts()][2:] == [
        ("invalid", True),
        ("ok", True),
    ]


# --- kind 6: answers cut at max_tokens ----------------------------------------------------------


def seed_answers(fake: FakeOpenAI, tokens: int) -> None:
    """Each seed's faithful (gold) answer, as long in tokens as a real one runs."""
    for seed in sorted(SEEDS.glob("*.txt")):
        gold = json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))
        answer = Reply.answer(gold, completion_tokens=tokens)
        fake.script_for(seed_key(seed), answer)


def test_an_endpoint_that_honours_max_tokens_loses_no_seed_article(fake, tmp_path):
    seed_answers(fake, tokens=2600)
    out = tmp_path / "out"
    done = cli(
        "run", "seeds/", "--base-url", fake.base_url, "--model", "m", "--out", str(out),
        "--date", "2026-11-27", env={"OPENAI_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == ExitCode.OK, done.stderr
    assert not brief_of(out)["failures"] and len(brief_of(out)["articles"]) == 5
    assert all("max_tokens" not in r.body for r in fake.chat_requests)
    assert outcomes(out) == ["ok"] * 5


def faithful_but_cut(fake: FakeOpenAI, tokens: int, limit: int) -> None:
    """Each seed's faithful (gold) answer, ``tokens`` long, which the fake cuts at ``limit``;
    then, for the follow-up, the items that did not arrive whole, as a faithful model sends
    them (found by plain text containment, not by the product's parser)."""
    for seed in sorted(SEEDS.glob("*.txt")):
        gold = json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))
        gold = {k: gold[k] for k in ("meetings", "positions", "claims")}
        text = json.dumps(gold, ensure_ascii=False)  # what the fake writes (tools mode)
        arrived = cut_text(text, limit, tokens)
        rest = {
            k: [i for i in v if json.dumps(i, ensure_ascii=False) not in arrived]
            for k, v in gold.items()
        }
        rest_tokens = tokens * len(json.dumps(rest, ensure_ascii=False)) // len(text)
        assert 0 < rest_tokens < limit and sum(map(len, rest.values())) > 0
        fake.script_for(
            seed_key(seed),
            Reply.answer(gold, completion_tokens=tokens),
            Reply.answer(rest, completion_tokens=rest_tokens),
        )


def records(out: Path) -> dict:
    brief = brief_of(out)
    return {k: brief[k] for k in ("meetings", "positions", "claims")}


def test_a_limit_the_answer_cannot_fit_loses_no_seed_article(fake, tmp_path):
    # Before (kind 6 first half): all 5 seed articles failed "answer cut off at
    # max_tokens=2048 after 1 attempts" and the run exited 4. Now each keeps the complete
    # items of its cut answer and asks for the rest: the brief equals the uncut run's.
    seed_answers(fake, tokens=2600)
    whole = tmp_path / "whole"
    done = cli(
        "run", "seeds/", "--base-url", fake.base_url, "--model", "m", "--out", str(whole),
        "--date", "2026-11-27", env={"OPENAI_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == ExitCode.OK, done.stderr
    fake.reset()
    faithful_but_cut(fake, tokens=2600, limit=2048)
    out = tmp_path / "out"
    done = cli(
        "run", "seeds/", "--base-url", fake.base_url, "--model", "m", "--out", str(out),
        "--date", "2026-11-27", "--max-tokens", "2048", env={"OPENAI_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == ExitCode.OK, done.stderr
    brief = brief_of(out)
    assert not brief["failures"] and len(brief["articles"]) == 5
    assert all(x["meetings"] or x["claims"] for x in brief["extractions"])
    assert records(out) == records(whole)  # every item, and none invented
    assert all(not x["drops"] and x["attempts"] == 2 for x in brief["extractions"])
    assert all(r.body["max_tokens"] == 2048 for r in fake.chat_requests)
    assert len(fake.chat_requests) == 10 and not fake.unused()
    assert sorted(outcomes(out)) == ["invalid"] * 5 + ["ok"] * 5


def test_a_cut_answer_keeps_its_complete_items(fake, tmp_path):
    two = tarsk_answer()
    two["meetings"].append(dict(two["meetings"][0], location=None))
    fake.script(Reply.answer(two, completion_tokens=400), Reply.answer(tarsk_answer()))
    backend, _ = library_backend(fake, tmp_path, max_tokens=300)
    result = backend.extract(tarsk())
    assert len(result.meetings) >= 1
    assert "meetings" in json.dumps(fake.chat_requests[-1].body["messages"][-1])


def test_secrets_inside_the_base_url_are_redacted_too():
    from briefing.redact import redact

    load_settings(
        {"base_url": "http://gw:pa55-w0rd-x@127.0.0.1:9/v1?api-key=q-s3cret-42&region=eu"},
        env={},
    )
    said = redact("auth pa55-w0rd-x failed for q-s3cret-42 in region eu")
    assert said == "auth [REDACTED] failed for [REDACTED] in region eu"
