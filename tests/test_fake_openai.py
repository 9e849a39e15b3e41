"""The fake OpenAI server, driven through the real openai client (httpx2) and instructor.

These tests pin the wire behaviour the backend tests rely on: each instructor mode parses the
fake's answers, and each scripted failure surfaces as the openai exception real servers cause.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request

import instructor
import openai
import pytest
from instructor.core import InstructorRetryException
from pydantic import BaseModel

from briefing.testing.fake_openai import NO_SCRIPT_MESSAGE, FakeOpenAI, Reply

MESSAGES = [{"role": "user", "content": "Extract the meetings from: Blinken met Wang Yi."}]
ANSWER = {"meetings": ["Blinken-Wang"]}


class Meetings(BaseModel):
    """A tiny response model standing in for ArticleExtraction."""

    meetings: list[str]


# One server and one client for the module: both are cheap to use but not free to build.
@pytest.fixture(scope="module")
def server():
    with FakeOpenAI() as running:
        yield running


@pytest.fixture
def fake(server):
    server.reset()
    return server


@pytest.fixture(scope="module")
def client(server):
    with openai.OpenAI(base_url=server.base_url, api_key="test-key", max_retries=0) as shared:
        yield shared


def chat(client: openai.OpenAI, **kwargs):
    return client.chat.completions.create(model="fake-model", messages=MESSAGES, **kwargs)


def extract(client: openai.OpenAI, mode: instructor.Mode, **kwargs) -> Meetings:
    patched = instructor.from_openai(client, mode=mode)
    return patched.chat.completions.create(
        model="fake-model", response_model=Meetings, messages=MESSAGES, **kwargs
    )


# -- instructor modes -------------------------------------------------------------------------


def test_tools_mode_round_trips_through_instructor(fake, client):
    fake.script(Reply.answer(ANSWER))
    assert extract(client, instructor.Mode.TOOLS).meetings == ANSWER["meetings"]
    (request,) = fake.requests
    assert request.method == "POST"
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer test-key"
    assert request.body["tool_choice"] == {"type": "function", "function": {"name": "Meetings"}}


@pytest.mark.parametrize(
    ("mode", "format_type"),
    [(instructor.Mode.JSON, "json_object"), (instructor.Mode.JSON_SCHEMA, "json_schema")],
)
def test_json_modes_round_trip_through_instructor(fake, client, mode, format_type):
    fake.script(Reply.answer(ANSWER))
    assert extract(client, mode).meetings == ANSWER["meetings"]
    body = fake.requests[0].body
    assert body["response_format"]["type"] == format_type
    assert "tools" not in body


def test_md_json_mode_round_trips_through_instructor(fake, client):
    fake.script(Reply.answer(ANSWER))
    assert extract(client, instructor.Mode.MD_JSON).meetings == ANSWER["meetings"]
    body = fake.requests[0].body
    assert "tools" not in body and "response_format" not in body
    assert "```json" in fake.requests[0].messages_text


def test_broken_tool_call_is_reasked_with_the_error(fake, client):
    fake.script(Reply.content('{"meetings": ['), Reply.answer(ANSWER))
    assert extract(client, instructor.Mode.TOOLS, max_retries=1).meetings == ANSWER["meetings"]
    first, second = fake.requests
    assert len(second.body["messages"]) == len(first.body["messages"]) + 2
    assistant, tool = second.body["messages"][-2:]
    assert assistant["tool_calls"][0]["function"]["arguments"] == '{"meetings": ['
    assert tool["role"] == "tool" and "Validation Error" in tool["content"]


def test_broken_md_json_is_reasked_as_a_user_message(fake, client):
    fake.script(Reply.content('Sure! ```json\n{"meetings": [\n```'), Reply.answer(ANSWER))
    assert extract(client, instructor.Mode.MD_JSON, max_retries=1).meetings == ANSWER["meetings"]
    assistant, user = fake.requests[1].body["messages"][-2:]
    assert assistant == {"role": "assistant", "content": 'Sure! ```json\n{"meetings": [\n```'}
    assert user["role"] == "user" and "Correct your JSON ONLY RESPONSE" in user["content"]


def test_api_errors_reach_instructor_callers_wrapped(fake, client):
    fake.script(Reply.status(429, retry_after=1))
    with pytest.raises(InstructorRetryException) as caught:
        extract(client, instructor.Mode.TOOLS)
    assert isinstance(caught.value.__cause__, openai.RateLimitError)


# -- raw wire shape ---------------------------------------------------------------------------


def test_answer_adapts_to_tools(fake, client):
    tools = [
        {"type": "function", "function": {"name": "First", "parameters": {"type": "object"}}},
        {"type": "function", "function": {"name": "Second", "parameters": {"type": "object"}}},
    ]
    choice = {"type": "function", "function": {"name": "Second"}}
    fake.script(Reply.answer(ANSWER), Reply.answer(ANSWER))
    forced = chat(client, tools=tools, tool_choice=choice).choices[0]
    auto = chat(client, tools=tools, tool_choice="auto").choices[0]
    assert forced.finish_reason == "tool_calls"
    assert forced.message.content is None
    assert forced.message.tool_calls[0].function.name == "Second"
    assert json.loads(forced.message.tool_calls[0].function.arguments) == ANSWER
    assert auto.message.tool_calls[0].function.name == "First"


def test_answer_echoes_model_and_usage(fake, client):
    fake.script(Reply.answer(ANSWER, prompt_tokens=7, completion_tokens=3))
    completion = client.chat.completions.create(
        model="some-model", messages=MESSAGES, response_format={"type": "json_object"}
    )
    assert completion.model == "some-model"
    assert completion.object == "chat.completion"
    assert completion.choices[0].finish_reason == "stop"
    assert json.loads(completion.choices[0].message.content) == ANSWER
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (7, 3)
    assert completion.usage.total_tokens == 10


def test_str_answer_and_content_are_verbatim(fake, client):
    fake.script(Reply.answer("not json"), Reply.content('{"meetings": ['))
    assert chat(client).choices[0].message.content == "not json"
    assert chat(client).choices[0].message.content == '{"meetings": ['


def test_finish_reason_can_be_overridden(fake, client):
    fake.script(Reply.answer(ANSWER, finish_reason="length"))
    assert chat(client).choices[0].finish_reason == "length"


def test_models_endpoint_lists_the_fake_model(fake, client):
    assert [m.id for m in client.models.list()] == ["fake-model"]


def test_unknown_path_is_404_with_error_body(fake):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(fake.base_url + "/embeddings", data=b"{}", timeout=2)
    assert caught.value.code == 404
    assert "no route" in json.loads(caught.value.read())["error"]["message"]


def test_streaming_is_refused(fake, client):
    fake.script(Reply.answer(ANSWER))
    with pytest.raises(openai.BadRequestError):
        chat(client, stream=True)
    assert len(fake.unused()) == 1  # a refused request consumes nothing


# -- failures ---------------------------------------------------------------------------------


def test_429_carries_retry_after(fake, client):
    fake.script(Reply.status(429, retry_after=1, message="slow down"))
    with pytest.raises(openai.RateLimitError) as caught:
        chat(client)
    assert caught.value.response.headers["retry-after"] == "1"
    assert caught.value.response.headers["retry-after-ms"] == "1000"
    assert caught.value.body == {
        "message": "slow down",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }


def test_client_retries_honour_fractional_retry_after(fake, client):
    fake.script(Reply.status(429, retry_after=0.1), Reply.answer(ANSWER))
    chat(client.with_options(max_retries=1))
    first, second = fake.requests
    assert second.received_at - first.received_at >= 0.09
    assert second.headers["x-stainless-retry-count"] == "1"


def test_500_is_internal_server_error(fake, client):
    fake.script(Reply.status(500))
    with pytest.raises(openai.InternalServerError):
        chat(client)


def test_extra_headers_on_errors(fake, client):
    fake.script(Reply.status(503, headers={"x-should-retry": "false"}))
    with pytest.raises(openai.InternalServerError) as caught:
        chat(client)
    assert caught.value.response.headers["x-should-retry"] == "false"


def test_slow_reply_times_the_client_out(fake, client):
    fake.script(Reply.slow(2, Reply.answer(ANSWER)))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        chat(client.with_options(timeout=0.1))
    assert time.monotonic() - started < 1.5


def test_slow_reply_then_answers(fake, client):
    fake.script(Reply.slow(0.1, Reply.answer(ANSWER)))
    assert chat(client.with_options(timeout=2)).choices[0].finish_reason == "stop"


def test_hangup_is_a_connection_error(fake, client):
    fake.script(Reply.hangup())
    with pytest.raises(openai.APIConnectionError) as caught:
        chat(client)
    assert not isinstance(caught.value, openai.APITimeoutError)


def test_unscripted_request_is_500_unless_default(fake, client):
    with pytest.raises(openai.InternalServerError) as caught:
        chat(client)
    assert caught.value.body["message"] == NO_SCRIPT_MESSAGE
    fake.default = Reply.answer(ANSWER)
    assert chat(client).choices[0].finish_reason == "stop"
    assert chat(client).choices[0].finish_reason == "stop"


def test_responder_builds_replies_after_the_scripts_before_the_default(fake, client):
    fake.script(Reply.answer({"meetings": ["scripted"]}))
    fake.default = Reply.answer({"meetings": ["default"]})
    seen: list[str] = []

    def respond(request):
        seen.append(request.messages_text)
        if "pass" in request.messages_text:
            return None  # falls through to the default
        return Reply.answer({"meetings": [request.body["model"]]})

    fake.responder = respond
    patched = instructor.from_openai(client, mode=instructor.Mode.TOOLS)

    def ask(text: str) -> list[str]:
        messages = [{"role": "user", "content": text}]
        return patched.chat.completions.create(
            model="fake-model", response_model=Meetings, messages=messages
        ).meetings

    assert ask("first") == ["scripted"]
    assert ask("second") == ["fake-model"]
    assert ask("pass") == ["default"]
    assert seen == ["second", "pass"]
    fake.reset()
    assert fake.responder is None


# -- routing ----------------------------------------------------------------------------------


def test_script_for_routes_by_substring_before_the_queue(fake, client):
    fake.script(Reply.answer({"meetings": ["global"]}))
    fake.script_for("article-b", Reply.answer({"meetings": ["b"]}))
    fake.script_for("article-a", Reply.answer({"meetings": ["a"]}))
    patched = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    results: dict[str, list[str]] = {}

    def run(name: str) -> None:
        messages = [{"role": "user", "content": f"Extract from {name}."}]
        reply = patched.chat.completions.create(
            model="fake-model", response_model=Meetings, messages=messages
        )
        results[name] = reply.meetings

    threads = [threading.Thread(target=run, args=(n,)) for n in ("article-a", "article-b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert results == {"article-a": ["a"], "article-b": ["b"], "c": ["global"]}
    assert fake.unused() == []


def test_async_client_concurrent_requests(fake):
    for name in ("one", "two", "three"):
        fake.script_for(name, Reply.slow(0.05, Reply.answer({"meetings": [name]})))

    async def main() -> list[Meetings]:
        async with openai.AsyncOpenAI(
            base_url=fake.base_url, api_key="test-key", max_retries=0
        ) as client:
            patched = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
            calls = [
                patched.chat.completions.create(
                    model="fake-model",
                    response_model=Meetings,
                    messages=[{"role": "user", "content": f"article {name}"}],
                )
                for name in ("one", "two", "three")
            ]
            return await asyncio.gather(*calls)

    results = asyncio.run(main())
    assert [r.meetings for r in results] == [["one"], ["two"], ["three"]]
    assert len(fake.chat_requests) == 3


def test_lifecycle_and_reset():
    fake = FakeOpenAI()
    with pytest.raises(RuntimeError):
        _ = fake.base_url
    with fake:
        assert fake.base_url.startswith("http://127.0.0.1:")
        fake.script(Reply.answer(ANSWER))
        fake.script_for("x", Reply.hangup())
        fake.default = Reply.answer(ANSWER)
        urllib.request.urlopen(fake.base_url + "/models", timeout=2).read()
        fake.reset()
        assert (fake.requests, fake.unused(), fake.default) == ([], [], None)
    with pytest.raises(RuntimeError):
        _ = fake.base_url
