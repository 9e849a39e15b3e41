"""Issue 10 kind 6, second half: an answer cut at max_tokens keeps its complete items, and the
rest is asked for. Through the real backend and CLI against the loopback fake server, which cuts
an answer at the request's max_tokens as real endpoints do.

Every article here is invented (names, places and wording); none comes from the dev set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.backends.rest import read_cut
from briefing.backends.wire import json_object_text
from briefing.errors import ExtractionFailed
from briefing.ingest import article_from_text
from briefing.ledger import Ledger
from briefing.pipeline import ExitCode
from briefing.testing.fake_openai import FakeOpenAI, Reply, cut_text
from briefing.validation import LISTS
from tests.conftest import openai_backend, run_cli

KEY = "sk-test-CUT10-not-a-real-key"

TALKS = """---
title: Border talks in Tarsk
outlet: Northern Wire
published: 2026-11-27
---
Valdorian Foreign Minister Elena Varga met Ostmark's Foreign Minister Piet Holm in Tarsk on
Thursday.

"We agreed to reopen the three border crossings before the winter fairs," Varga said after the
talks.

"Nothing was decided about the fishing quotas on the Lower Marn," Holm told reporters.
"""

MEETING = {
    "participants": [
        {"name": "Elena Varga", "title": "Foreign Minister", "kind": "person"},
        {"name": "Piet Holm", "title": "Foreign Minister", "kind": "person"},
    ],
    "location": "Tarsk",
    "date_text": "on Thursday",
    "status": "held",
    "passage": "Valdorian Foreign Minister Elena Varga met Ostmark's Foreign Minister Piet Holm"
    " in Tarsk",
}
VARGA_QUOTE = "We agreed to reopen the three border crossings before the winter fairs"
HOLM_QUOTE = "Nothing was decided about the fishing quotas on the Lower Marn"


def quote(speaker: str, text: str) -> dict:
    return {
        "speaker": {"name": speaker, "kind": "person"},
        "kind": "direct-quote",
        "text": text,
        "passage": text,
    }


def answer(meetings=(), claims=()) -> dict:
    return {"meetings": list(meetings), "positions": [], "claims": list(claims)}


FULL = answer([MEETING], [quote("Elena Varga", VARGA_QUOTE), quote("Piet Holm", HOLM_QUOTE)])


def talks():
    return article_from_text(TALKS, path=Path("talks.md"))


def backend_for(fake: FakeOpenAI, tmp_path: Path, **flags):
    return openai_backend(fake, tmp_path, KEY, **{"api_retries": 0, **flags})


def tokens_to_cut_inside(obj: dict, marker: str, limit: int) -> int:
    """The completion_tokens that make the fake cut ``obj`` (as JSON) just inside ``marker``:
    a few characters after the marker starts."""
    text = json.dumps(obj, ensure_ascii=False)
    at = text.index(marker) + 12
    tokens = len(text) * limit // at + 1
    assert marker[:5] in cut_text(text, limit, tokens)[-40:]
    return tokens


# --- reading a cut answer ------------------------------------------------------------------


def test_only_items_whose_object_closed_are_read():
    text = json.dumps(FULL)
    inside_quote = text[: text.index(HOLM_QUOTE) + 20]
    cut = read_cut(inside_quote)
    assert [len(cut.items[k]) for k in LISTS] == [1, 0, 1]  # items also keeps 'actors'
    assert cut.items["claims"][0]["text"] == VARGA_QUOTE
    assert cut.unfinished == "claims[1]" and not cut.whole
    assert cut.fragment.endswith(HOLM_QUOTE[:20])
    between = text[: text.index('{"speaker"', text.index(VARGA_QUOTE))]  # after "}, "
    assert [len(read_cut(between).items[k]) for k in LISTS] == [1, 0, 1]
    assert read_cut(between).unfinished is None
    fenced = "Here it is:\n```json\n" + text[: text.index('"location"')]
    assert read_cut(fenced).count == 0 and read_cut(fenced).unfinished == "meetings[0]"
    assert read_cut(text).whole and read_cut(text).count == 3
    assert read_cut("no JSON at all").count == 0


def test_a_broken_answer_never_passes_for_its_first_inner_object(fake, tmp_path):
    # Before: the first participant, the first object that parsed, was taken for the whole
    # answer: an "ok" answer with no items, the article silently empty.
    broken = json.dumps(FULL).replace('"status": "held"', '"status": held')
    assert json_object_text(broken) is None
    assert json_object_text(f"Here it is:\n```json\n{json.dumps(FULL)}\n```") is not None
    fake.default = Reply.content(broken)
    backend, ledger = backend_for(fake, tmp_path)
    with pytest.raises(ExtractionFailed, match="no valid answer after 3 attempts"):
        backend.extract(talks())
    assert [r.outcome for r in ledger.attempts()] == ["invalid"] * 3


# --- (a) a cut answer: complete items kept, the rest asked for and merged ----------------


def test_a_cut_answer_keeps_complete_items_and_asks_only_for_the_rest(fake, tmp_path):
    limit = 400
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, limit)
    rest = answer(claims=[quote("Piet Holm", HOLM_QUOTE)])
    fake.script(Reply.answer(FULL, completion_tokens=tokens), Reply.answer(rest))
    backend, ledger = backend_for(fake, tmp_path, max_tokens=limit)
    result = backend.extract(talks())
    assert len(result.meetings) == 1
    assert sorted(c.text for c in result.claims) == sorted([HOLM_QUOTE, VARGA_QUOTE])
    assert result.attempts == 2 and result.drops == []
    first, follow_up = fake.chat_requests
    assert follow_up.body["max_tokens"] == limit
    asked = follow_up.body["messages"][-1]["content"]
    assert "cut off at the length limit (400 tokens)" in asked
    assert "meeting of Elena Varga, Piet Holm in Tarsk on Thursday" in asked
    assert "direct-quote by Elena Varga" in asked and "claims[1]" in asked
    assert VARGA_QUOTE not in asked  # a short reference, not the item again
    assert follow_up.body["messages"][:-1] == first.body["messages"]
    rows = ledger.attempts()
    assert [r.outcome for r in rows] == ["invalid", "ok"]
    assert rows[0].errors == [
        "answer cut off at max_tokens=400: 2 complete items kept; asked for the rest"
    ]
    assert rows[0].completion_tokens == limit


def test_invalid_complete_items_of_a_cut_answer_are_reasked_in_the_follow_up(fake, tmp_path):
    wrong = quote("Piet Holm", VARGA_QUOTE)  # Varga said it, not Holm
    cut_one = answer([MEETING], [wrong, quote("Piet Holm", HOLM_QUOTE)])
    tokens = tokens_to_cut_inside(cut_one, HOLM_QUOTE, 400)
    rest = answer(claims=[quote("Elena Varga", VARGA_QUOTE), quote("Piet Holm", HOLM_QUOTE)])
    fake.script(Reply.answer(cut_one, completion_tokens=tokens), Reply.answer(rest))
    backend, ledger = backend_for(fake, tmp_path, max_tokens=400)
    result = backend.extract(talks())
    assert {(c.speaker.name, c.text) for c in result.claims} == {
        ("Elena Varga", VARGA_QUOTE),
        ("Piet Holm", HOLM_QUOTE),
    }
    asked = fake.chat_requests[1].body["messages"][-1]["content"]
    assert "1 complete item)" in asked and "claims[0].speaker" in asked
    first = ledger.attempts()[0]
    assert first.errors[0] == (
        "answer cut off at max_tokens=400: 1 complete item kept; asked for the rest"
    )


# --- (b) cut again and again: the article keeps what it has, the cut is listed ------------


def test_a_follow_up_cut_again_until_the_attempts_run_out(fake, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.md").write_text(TALKS, encoding="utf-8")
    limit = 400
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, limit)
    never_fits = answer(claims=[quote("Piet Holm", HOLM_QUOTE + " " + "x" * 2000)])
    fake.script(
        Reply.answer(FULL, completion_tokens=tokens),
        *[Reply.answer(never_fits, completion_tokens=3 * limit)] * 2,
    )
    out = tmp_path / "out"
    done = run_cli(
        "run", str(folder), "--base-url", fake.base_url, "--model", "fake-model",
        "--out", str(out), "--date", "2026-11-27", "--max-tokens", str(limit),
        env={"OPENAI_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == ExitCode.OK, done.stderr
    assert len(fake.chat_requests) == 3  # max_attempts
    brief = json.loads((out / "brief-2026-11-27.json").read_text(encoding="utf-8"))
    assert not brief["failures"]
    assert len(brief["meetings"]) == 1
    assert [c["text"] for c in brief["claims"]] == [VARGA_QUOTE]
    (extraction,) = brief["extractions"]
    (drop,) = extraction["drops"]
    assert drop["path"] == "claims[0]"
    assert drop["reasons"] == [
        "claims[0]: answer cut off at max_tokens=400; the items from here on never arrived"
        " complete (3 answers asked)"
    ]
    assert "1 item dropped" in (out / "brief-2026-11-27.md").read_text(encoding="utf-8")
    with Ledger(out / "ledger.sqlite") as ledger:
        rows = ledger.attempts()
    assert [r.outcome for r in rows] == ["invalid"] * 3
    assert rows[1].errors[0] == (
        "answer cut off at max_tokens=400 before any item was complete; asked for the rest"
    )
    assert rows[2].errors[0] == "answer cut off at max_tokens=400 before any item was complete"


def test_no_follow_up_once_the_token_budget_is_spent(fake, tmp_path):
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    fake.script(Reply.answer(FULL, completion_tokens=tokens, prompt_tokens=700))
    backend, ledger = backend_for(fake, tmp_path, max_tokens=400, token_budget=1000)
    result = backend.extract(talks())
    assert len(fake.chat_requests) == 1  # 700 + 400 tokens: the budget of 1000 is spent
    assert len(result.meetings) == 1 and [c.text for c in result.claims] == [VARGA_QUOTE]
    (drop,) = result.drops
    assert drop.reasons == [
        "claims[1]: answer cut off at max_tokens=400; the items from here on never arrived"
        " complete (1 answer asked)"
    ]
    (row,) = ledger.attempts()
    assert row.outcome == "invalid"
    assert row.errors[0] == "answer cut off at max_tokens=400: 2 complete items kept"


def test_a_rest_that_never_comes_is_listed_too(fake, tmp_path):
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    fake.script(Reply.answer(FULL, completion_tokens=tokens), Reply.status(400))
    backend, ledger = backend_for(fake, tmp_path, max_tokens=400)
    result = backend.extract(talks())
    assert len(result.meetings) == 1 and len(result.claims) == 1
    (drop,) = result.drops
    assert drop.path == "claims[1]" and "never arrived complete" in drop.reasons[0]
    assert [r.outcome for r in ledger.attempts()] == ["invalid", "api-error"]


def test_an_answer_with_no_complete_item_fails_with_the_cut_as_reason(fake, tmp_path):
    tokens = tokens_to_cut_inside(FULL, "Valdorian", 400)
    fake.default = Reply.answer(FULL, completion_tokens=tokens)
    backend, ledger = backend_for(fake, tmp_path, max_tokens=400)
    with pytest.raises(ExtractionFailed) as failed:
        backend.extract(talks())
    assert failed.value.reason == "answer cut off at max_tokens=400 after 3 attempts"
    assert [r.outcome for r in ledger.attempts()] == ["invalid"] * 3


# --- (c) llama.cpp: a tool call cut at exactly max_tokens says "tool_calls" -----------------


def test_a_llamacpp_style_cut_is_detected_by_its_token_count(fake, tmp_path):
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    rest = answer(claims=[quote("Piet Holm", HOLM_QUOTE)])
    fake.script(Reply.answer(FULL, completion_tokens=tokens, cut_reason=None), Reply.answer(rest))
    backend, ledger = backend_for(fake, tmp_path, max_tokens=400)
    result = backend.extract(talks())
    assert len(result.meetings) == 1 and len(result.claims) == 2
    first = ledger.attempts()[0]
    wire = json.loads(first.raw_response)
    assert wire["choices"][0]["finish_reason"] == "tool_calls"  # as llama.cpp's server says
    assert wire["usage"]["completion_tokens"] == 400
    assert first.outcome == "invalid" and first.errors[0].startswith(
        "answer cut off at max_tokens=400: 2 complete items kept"
    )


def test_a_cut_by_the_endpoints_own_limit_when_none_was_sent(fake, tmp_path):
    text = json.dumps(FULL, ensure_ascii=False)
    cut = text[: text.index(HOLM_QUOTE) + 12]
    rest = answer(claims=[quote("Piet Holm", HOLM_QUOTE)])
    fake.script(Reply.content(cut, finish_reason="length"), Reply.answer(rest))
    backend, ledger = backend_for(fake, tmp_path)
    result = backend.extract(talks())
    assert len(result.meetings) == 1 and len(result.claims) == 2
    assert all("max_tokens" not in r.body for r in fake.chat_requests)
    asked = fake.chat_requests[1].body["messages"][-1]["content"]
    assert asked.startswith("Your answer was cut off at the length limit before it was complete.")
    assert ledger.attempts()[0].errors == [
        "answer cut off by the endpoint's own length limit: 2 complete items kept;"
        " asked for the rest"
    ]


def test_a_whole_answer_that_used_every_token_is_no_cut(fake, tmp_path):
    fake.script(Reply.answer(FULL, completion_tokens=400))
    backend, ledger = backend_for(fake, tmp_path, max_tokens=400)
    result = backend.extract(talks())
    assert len(result.claims) == 2 and len(fake.chat_requests) == 1
    assert [r.outcome for r in ledger.attempts()] == ["ok"]


# --- (d) a cut inside a quote never becomes a shorter quote --------------------------------


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
@pytest.mark.parametrize("cut_reason", ["length", None])
def test_a_quote_cut_mid_string_is_never_kept_shorter(fake, tmp_path, mode, cut_reason):
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    fake.script(Reply.answer(FULL, completion_tokens=tokens, cut_reason=cut_reason))
    backend, _ = backend_for(fake, tmp_path, max_tokens=400, max_attempts=1, mode=mode)
    result = backend.extract(talks())
    assert [c.text for c in result.claims] == [VARGA_QUOTE]  # no "Nothing was decided ab…"
    (drop,) = result.drops
    assert drop.path == "claims[1]" and HOLM_QUOTE[:10] in drop.item


def test_a_rerun_replays_the_cut_answer_and_its_follow_up_for_free(fake, tmp_path):
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    rest = answer(claims=[quote("Piet Holm", HOLM_QUOTE)])
    fake.script(Reply.answer(FULL, completion_tokens=tokens), Reply.answer(rest))
    backend, ledger = backend_for(fake, tmp_path, max_tokens=400)
    first = backend.extract(talks())
    again, _ = backend_for(fake, tmp_path, max_tokens=400)
    again.ledger = ledger
    second = again.extract(talks())
    assert len(fake.chat_requests) == 2  # nothing asked the second time
    assert second.claims == first.claims and second.meetings == first.meetings
    assert [(r.outcome, r.cached) for r in ledger.attempts()][2:] == [
        ("invalid", True),
        ("ok", True),
    ]


# --- (e) a follow-up that brings nothing leaves the cut item listed (breaker, s14) ----------


@pytest.mark.parametrize("rest", [answer(), answer([MEETING], [quote("Elena Varga", VARGA_QUOTE)])])
def test_a_follow_up_with_nothing_new_lists_the_cut_item_as_dropped(fake, tmp_path, rest):
    # Before: the unfinished claims[1] vanished with "0 items dropped" when the follow-up
    # answered no new item (nothing at all, or the kept items again): a silent loss.
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    fake.script(Reply.answer(FULL, completion_tokens=tokens), Reply.answer(rest))
    backend, _ = backend_for(fake, tmp_path, max_tokens=400)
    result = backend.extract(talks())
    assert len(fake.chat_requests) == 2
    assert [c.text for c in result.claims] == [VARGA_QUOTE] and len(result.meetings) == 1
    (drop,) = result.drops
    assert drop.path == "claims[1]" and HOLM_QUOTE[:10] in drop.item
    assert "never arrived complete" in drop.reasons[0]


def test_a_follow_up_bringing_the_cut_item_lists_no_drop(fake, tmp_path):
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    fake.script(Reply.answer(FULL, completion_tokens=tokens), Reply.answer(FULL))
    backend, _ = backend_for(fake, tmp_path, max_tokens=400)
    result = backend.extract(talks())
    assert len(result.claims) == 2 and result.drops == []


# --- (f) a model that ignores the follow-up and re-sends everything -------------------------


def test_a_follow_up_that_resends_the_kept_items_and_is_cut_again_stops_asking(fake, tmp_path):
    # Before: the model re-sent the whole answer, cut again at the same place, on every
    # follow-up, and each one spent an attempt (here 5 of 5) for nothing new.
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    fake.script(*[Reply.answer(FULL, completion_tokens=tokens)] * 5)
    backend, ledger = backend_for(fake, tmp_path, max_tokens=400, max_attempts=5)
    result = backend.extract(talks())
    assert len(fake.chat_requests) == 2  # the first answer and one follow-up
    assert len(result.meetings) == 1 and [c.text for c in result.claims] == [VARGA_QUOTE]
    (drop,) = result.drops
    assert drop.path == "claims[1]" and HOLM_QUOTE[:10] in drop.item
    assert drop.reasons == [
        "claims[1]: answer cut off at max_tokens=400; the items from here on never arrived"
        " complete: the model re-sent what it had already given (2 answers asked)"
    ]
    rows = ledger.attempts()
    assert [r.outcome for r in rows] == ["invalid", "invalid"]
    assert rows[1].errors[0] == (
        "answer cut off at max_tokens=400: only the 2 items already kept, sent again;"
        " not asked again"
    )


def test_a_resent_answer_is_a_counted_drop_in_the_brief(fake, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.md").write_text(TALKS, encoding="utf-8")
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    fake.script(*[Reply.answer(FULL, completion_tokens=tokens)] * 3)
    out = tmp_path / "out"
    done = run_cli(
        "run", str(folder), "--base-url", fake.base_url, "--model", "fake-model",
        "--out", str(out), "--date", "2026-11-27", "--max-tokens", "400",
        env={"OPENAI_API_KEY": KEY},
    )  # fmt: skip
    assert done.returncode == ExitCode.OK, done.stderr
    assert len(fake.chat_requests) == 2 and len(fake.unused()) == 1
    assert "1 item dropped" in done.stderr  # the run's summary line counts it
    brief = json.loads((out / "brief-2026-11-27.json").read_text(encoding="utf-8"))
    (extraction,) = brief["extractions"]
    (drop,) = extraction["drops"]
    assert "the model re-sent what it had already given" in drop["reasons"][0]
    text = (out / "brief-2026-11-27.md").read_text(encoding="utf-8")
    assert "1 item dropped" in text and "re-sent what it had already given" in text


def test_a_resent_answer_with_a_new_item_is_no_reason_to_stop(fake, tmp_path):
    # the follow-up re-sends the meeting (kept) but also brings Holm's quote, then is cut
    # inside a third claim: it added an item, so the rest is asked for once more
    extra = quote("Elena Varga", "Nothing was decided")
    second = answer([MEETING], [quote("Piet Holm", HOLM_QUOTE), extra])
    tokens_first = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    tokens_second = tokens_to_cut_inside(second, '"Nothing was decided"', 400)
    fake.script(
        Reply.answer(FULL, completion_tokens=tokens_first),
        Reply.answer(second, completion_tokens=tokens_second),
        Reply.answer(answer()),
    )
    backend, _ = backend_for(fake, tmp_path, max_tokens=400)
    result = backend.extract(talks())
    assert len(fake.chat_requests) == 3
    assert sorted(c.text for c in result.claims) == sorted([VARGA_QUOTE, HOLM_QUOTE])
    (drop,) = result.drops
    assert "re-sent" not in drop.reasons[0]  # the last follow-up sent nothing, not old items


def test_a_whole_follow_up_of_only_kept_items_says_they_were_resent(fake, tmp_path):
    tokens = tokens_to_cut_inside(FULL, HOLM_QUOTE, 400)
    rest = answer([MEETING], [quote("Elena Varga", VARGA_QUOTE)])  # whole, nothing new
    fake.script(Reply.answer(FULL, completion_tokens=tokens), Reply.answer(rest))
    backend, _ = backend_for(fake, tmp_path, max_tokens=400)
    (drop,) = backend.extract(talks()).drops
    assert "the model re-sent what it had already given" in drop.reasons[0]


# --- breaker17: an answer wrapped in an object of another name ------------------------------


@pytest.mark.parametrize("wrapper", ["ArticleDraft", "properties", "answer"])
def test_an_answer_with_none_of_the_lists_is_reasked_not_read_as_empty(fake, tmp_path, wrapper):
    # A small model that nests its answer under a key of its own ({"ArticleDraft": {...}},
    # or echoes the schema's "properties") gave an empty extraction counted ok: every
    # record lost, and nothing in the brief said so. It is re-asked like malformed JSON.
    fake.script(Reply.answer({wrapper: FULL}), Reply.answer(FULL))
    backend, ledger = backend_for(fake, tmp_path, max_attempts=2)
    result = backend.extract(talks())
    assert result.attempts == 2 and len(result.meetings) == 1 and len(result.claims) == 2
    assert [a.outcome for a in ledger.attempts()] == ["invalid", "ok"]
    assert "at its top level" in json.dumps(fake.requests[1].body["messages"][-1])


def test_an_answer_never_giving_the_lists_fails_the_article_visibly(fake, tmp_path):
    fake.default = Reply.answer({"ArticleDraft": FULL})
    backend, _ = backend_for(fake, tmp_path, max_attempts=2)
    with pytest.raises(ExtractionFailed) as failed:
        backend.extract(talks())
    assert "no valid answer after 2 attempts" in failed.value.reason


def test_an_empty_object_is_still_an_answer_with_nothing_in_it(fake, tmp_path):
    fake.script(Reply.answer({}))
    result = backend_for(fake, tmp_path, max_attempts=2)[0].extract(talks())
    assert result.attempts == 1 and not result.meetings and not result.claims
