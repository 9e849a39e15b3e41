"""The OpenAI-compatible backend against a real HTTP server on loopback (briefing.testing).

The real openai client and instructor run unmodified; the fake speaks the chat-completions wire
protocol and is scripted per request.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from briefing.errors import ExtractionFailed
from briefing.ingest import article_from_text, load_article
from briefing.prompts import render_messages
from briefing.testing.fake_openai import FakeOpenAI, Reply
from tests.conftest import GOLD, SEEDS, openai_backend

SEED = SEEDS / "000_2db41fe9ed575a35.txt"
KEY = "sk-test-DO-NOT-LEAK-0123456789abcdef"


def gold(stem: str = SEED.stem) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


def hallucinated() -> dict:
    answer = gold()
    answer["meetings"][0]["passage"] = "Xi and Shoygu signed a secret treaty on the Moon."
    return answer


def backend_for(fake: FakeOpenAI, tmp_path: Path, **flags):
    return openai_backend(fake, tmp_path, KEY, **flags)


def test_backend_resolves_to_openai_with_a_base_url(fake, tmp_path):
    backend, _ = backend_for(fake, tmp_path)
    assert backend.name == "openai"
    assert backend.settings.backend_source == "--base-url"


@pytest.mark.parametrize("mode", ["tools", "json", "md_json"])
def test_good_answer_gives_grounded_records(fake, tmp_path, mode):
    fake.script(Reply.answer(gold()))
    backend, ledger = backend_for(fake, tmp_path, mode=mode)
    article = load_article(SEED)
    result = backend.extract(article)
    assert result.meetings and result.claims
    for record in [*result.meetings, *result.positions, *result.claims]:
        for ev in record.evidence:
            assert ev.text == article.text[ev.start : ev.end]
    sent = fake.requests[0]
    assert "Shoygu" in json.dumps(sent.body)  # the article reached the model, untemplated
    assert sent.headers.get("authorization") == f"Bearer {KEY}"
    (row,) = ledger.attempts(article_id=article.id)
    assert row.outcome == "ok" and row.prompt_tokens == 100 and row.prompt_version.startswith("p")


def test_hallucinated_quote_is_reasked_and_the_final_record_is_grounded(fake, tmp_path):
    fake.script(Reply.answer(hallucinated()), Reply.answer(gold()))
    backend, ledger = backend_for(fake, tmp_path)
    article = load_article(SEED)
    result = backend.extract(article)
    assert result.attempts == 2
    reask = json.dumps(fake.requests[1].body)
    assert "meetings[0].passage" in reask and "secret treaty" in reask
    assert "is not in the article" in reask and "further information" not in reask
    first, second = ledger.attempts(article_id=article.id)
    assert first.outcome == "invalid"
    assert any(e.startswith("meetings[0].passage: ") for e in first.errors)
    assert second.outcome == "ok"
    assert all(m.evidence[0].text in article.text for m in result.meetings)


def test_rate_limit_is_retried_after_the_servers_delay(fake, tmp_path):
    fake.script(Reply.status(429, retry_after=0.05), Reply.answer(gold()))
    backend, ledger = backend_for(fake, tmp_path)
    result = backend.extract(load_article(SEED))
    assert result.attempts == 1  # an API retry is not a re-ask
    outcomes = [a.outcome for a in ledger.attempts()]
    assert outcomes == ["api-error", "ok"]


def test_server_errors_exhaust_their_own_budget(fake, tmp_path):
    fake.script(*[Reply.status(500)] * 3)
    backend, _ = backend_for(fake, tmp_path, api_retries=2)
    with pytest.raises(ExtractionFailed, match="API error: HTTP 500"):
        backend.extract(load_article(SEED))
    assert len(fake.requests) == 3


def test_malformed_json_is_reasked(fake, tmp_path):
    fake.script(Reply.content('{"meetings": [ {"participants": '), Reply.answer(gold()))
    backend, ledger = backend_for(fake, tmp_path)
    result = backend.extract(load_article(SEED))
    assert result.attempts == 2 and result.meetings
    assert [a.outcome for a in ledger.attempts()] == ["invalid", "ok"]


def test_reasks_are_bounded_and_the_still_invalid_item_is_dropped(fake, tmp_path):
    fake.default = Reply.answer(hallucinated())
    backend, ledger = backend_for(fake, tmp_path, max_attempts=2)
    article = load_article(SEED)
    result = backend.extract(article)
    assert len(fake.requests) == 2
    (drop,) = result.drops
    assert drop.path == "meetings[0]" and "secret treaty" in drop.item
    assert len(result.meetings) == len(gold()["meetings"]) - 1
    last = ledger.attempts(article_id=article.id)[-1]
    assert any(e.startswith("dropped meetings[0]: ") for e in last.errors)


def test_reasks_are_bounded_and_the_failure_says_why(fake, tmp_path):
    fake.default = Reply.content("I cannot help with that.")
    backend, _ = backend_for(fake, tmp_path, max_attempts=2)
    with pytest.raises(ExtractionFailed) as failed:
        backend.extract(load_article(SEED))
    assert "no valid answer after 2 attempts" in failed.value.reason
    assert len(fake.requests) == 2


def test_token_budget_stops_reasks_early(fake, tmp_path):
    fake.default = Reply.content("not JSON", prompt_tokens=900, completion_tokens=200)
    backend, _ = backend_for(fake, tmp_path, max_attempts=5, token_budget=2000)
    with pytest.raises(ExtractionFailed, match="token budget of 2000 used up after 2 answers"):
        backend.extract(load_article(SEED))
    assert len(fake.requests) == 2


def test_token_budget_also_ends_item_reasks(fake, tmp_path):
    fake.default = Reply.answer(hallucinated(), prompt_tokens=900, completion_tokens=200)
    backend, _ = backend_for(fake, tmp_path, max_attempts=5, token_budget=2000)
    result = backend.extract(load_article(SEED))
    assert len(fake.requests) == 2 and result.attempts == 2
    assert [d.path for d in result.drops] == ["meetings[0]"]


def test_single_party_meeting_and_invented_speaker_are_rejected(fake, tmp_path):
    bad = gold()
    bad["meetings"][0]["participants"] = bad["meetings"][0]["participants"][:1]
    bad["claims"][0]["speaker"] = {"name": "Boris Johnson", "kind": "person"}
    fake.script(Reply.answer(bad), Reply.answer(gold()))
    backend, ledger = backend_for(fake, tmp_path)
    backend.extract(load_article(SEED))
    errors = " ".join(ledger.attempts()[0].errors)
    assert "meetings[0].participants: a meeting needs at least two different participants" in errors
    assert "claims[0].speaker" in errors and "Boris Johnson" in errors


async def test_async_path_extracts_too(fake, tmp_path):
    fake.script(Reply.answer(gold()))
    backend, _ = backend_for(fake, tmp_path)
    result = await backend.aextract(load_article(SEED))
    await backend.aclose()
    assert result.meetings


def test_article_text_is_never_template_source(fake, tmp_path):
    text = "Xi met Putin in Moscow. {{ article.id }} {% raw %} and {# not a comment #}"
    article = article_from_text(text, Path("braces.txt"))
    answer = {
        "meetings": [
            {
                "participants": [{"name": "Xi"}, {"name": "Putin"}],
                "status": "held",
                "passage": "Xi met Putin in Moscow.",
            }
        ]
    }
    fake.script(Reply.answer(answer))
    backend, _ = backend_for(fake, tmp_path)
    backend.extract(article)
    assert "{{ article.id }} {% raw %} and {# not a comment #}" in json.dumps(fake.requests[0].body)
    # the messages sent are the rendered prompt as it is: instructor renders nothing in them
    assert fake.requests[0].body["messages"] == render_messages(article)


def test_the_tool_sent_is_instructors_schema_of_article_draft(fake, tmp_path):
    """instructor is given a field-less stand-in for ``ArticleDraft`` (its async-validator walk
    is then one model's, not five): the tool each request sends must stay exactly the one
    ``instructor.openai_schema(ArticleDraft)`` describes, and the answer its object."""
    import instructor

    from briefing.backends.openai_compat import response_model
    from briefing.drafts import ArticleDraft

    fake.script(Reply.answer({"meetings": [], "positions": [], "claims": []}))
    backend, _ = backend_for(fake, tmp_path)
    backend.extract(load_article(SEED))
    wrapped = instructor.openai_schema(ArticleDraft)
    assert fake.requests[0].body["tools"][0]["function"] == wrapped.openai_schema
    assert response_model().model_fields == {}
    assert response_model().__name__ == "ArticleDraft"
    assert isinstance(response_model().model_validate_json('{"meetings": []}'), ArticleDraft)


def test_no_key_in_cassette_ledger_or_logs(fake, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    cassette = tmp_path / "rec.jsonl"
    fake.script(
        Reply.status(429, retry_after=0.01), Reply.answer(hallucinated()), Reply.answer(gold())
    )
    backend, ledger = backend_for(fake, tmp_path, record=cassette)
    backend.extract(load_article(SEED))
    backend.close()
    ledger.close()
    assert KEY not in cassette.read_text(encoding="utf-8")
    assert KEY.encode() not in (tmp_path / "ledger.sqlite").read_bytes()
    assert KEY not in caplog.text
    header = json.loads(cassette.read_text(encoding="utf-8").splitlines()[0])
    assert header["source"] == "recorded" and header["model"] == "fake-model"


def test_a_rerun_is_answered_from_the_ledger_re_asks_included(fake, tmp_path):
    fake.script(Reply.answer(hallucinated()), Reply.answer(gold()))
    backend, ledger = backend_for(fake, tmp_path)
    article = load_article(SEED)
    first = backend.extract(article)
    backend.close()
    assert len(fake.requests) == 2
    again, _ = backend_for(fake, tmp_path)  # same ledger file, new client
    second = again.extract(article)
    assert len(fake.requests) == 2  # nothing new reached the endpoint
    assert second.meetings == first.meetings and second.attempts == 2
    assert second.usage.total_tokens == 0
    assert [(a.outcome, a.cached) for a in ledger.attempts()][-2:] == [
        ("invalid", True),
        ("ok", True),
    ]


def test_no_cache_and_another_endpoint_both_ask_again(fake, tmp_path):
    fake.default = Reply.answer(gold())
    article = load_article(SEED)
    backend_for(fake, tmp_path)[0].extract(article)
    backend_for(fake, tmp_path, cache=False)[0].extract(article)
    assert len(fake.requests) == 2
    with FakeOpenAI() as other:
        other.default = Reply.answer(gold())
        backend_for(other, tmp_path)[0].extract(article)
        assert len(other.requests) == 1
