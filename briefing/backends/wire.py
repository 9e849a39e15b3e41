"""What an OpenAI-compatible answer must look like before instructor parses it.

Real endpoints answer HTTP 200 with shapes the protocol does not promise: no ``choices``
(``"choices": []``), a choice without a message, ``null`` content and no tool call, JSON wrapped
in a ```` ```json ```` fence or in prose even in JSON mode (Ollama and others), or plain JSON
content where a tool call was asked for. ``shape_answer`` runs on every completion between the
HTTP client and instructor's parser:

- an answer with nothing to parse raises ``EmptyAnswer``, a ``ValueError`` whose text is a plain
  reason ("no choices in the answer"); the backend records it as an ``invalid`` attempt and asks
  again, within the same bounds as any invalid answer;
- otherwise the one JSON object the answer holds — bare, fenced, or surrounded by whitespace or
  prose — is put where the mode's parser looks for it, so the first answer is accepted in any
  mode. The ledger keeps the answer as it came over the wire;
- an answer cut at the ``max_tokens`` sent is marked ``finish_reason: "length"`` even when the
  endpoint said otherwise (llama.cpp's server says ``"tool_calls"`` for a tool call cut at
  exactly ``max_tokens``): its ``completion_tokens`` reached the limit and its JSON does not
  parse. instructor then raises ``IncompleteOutputException`` and the backend keeps the
  complete items (``briefing.backends.rest``).
"""

from __future__ import annotations

import json
import re
from typing import Any

_OBJECT_START = re.compile(r"\{")
_DECODER = json.JSONDecoder()
# Where a text answer is turned into a tool call (instructor reads only the arguments).
SYNTHETIC_CALL_ID = "call_briefing_from_content"


class EmptyAnswer(ValueError):
    """An HTTP 200 answer with nothing to parse; the text is the plain reason."""


_INSIDE = re.compile(r"\s*[,\]}:]")  # what follows an object nested in a larger one


def json_object_text(text: str) -> str | None:
    """The first JSON object in ``text`` (bare, in a Markdown fence or amid prose), as its exact
    source text; None when there is none. Arrays and scalars are not objects, and neither is
    an object followed by ``,`` ``]`` ``}`` or ``:``: that is an item inside a larger object
    that does not parse (a broken or cut answer), which must not pass for the whole answer."""
    stripped = text.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            if isinstance(json.loads(stripped), dict):
                return stripped
        except ValueError:
            pass
    for match in _OBJECT_START.finditer(text):
        try:
            value, end = _DECODER.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict) and not _INSIDE.match(text, end):
            return text[match.start() : end]
    return None


def _message(completion: Any) -> Any:
    choices = getattr(completion, "choices", None)
    if not choices:
        raise EmptyAnswer("no choices in the answer")
    message = getattr(choices[0], "message", None)
    if message is None:
        raise EmptyAnswer("the answer's choice has no message")
    refusal = getattr(message, "refusal", None)
    if refusal:
        raise EmptyAnswer(f"the model refused: {' '.join(str(refusal).split())[:200]}")
    return message


def _unwrap_tool_calls(message: Any, tool_calls: list[Any]) -> None:
    for call in tool_calls:
        function = getattr(call, "function", None)
        arguments = getattr(function, "arguments", None)
        if isinstance(arguments, str) and (found := json_object_text(arguments)) is not None:
            function.arguments = found


def _tool_call(arguments: str) -> Any:
    from openai.types.chat import ChatCompletionMessageFunctionToolCall

    return ChatCompletionMessageFunctionToolCall.model_validate(
        {
            "id": SYNTHETIC_CALL_ID,
            "type": "function",
            "function": {"name": "ArticleDraft", "arguments": arguments},
        }
    )


def answer_text(completion: Any) -> str:
    """What the model wrote: the first tool call's arguments, else the content ("" if none)."""
    choices = getattr(completion, "choices", None) or []
    message = getattr(choices[0], "message", None) if choices else None
    for call in getattr(message, "tool_calls", None) or []:
        arguments = getattr(getattr(call, "function", None), "arguments", None)
        if isinstance(arguments, str):
            return arguments
    return str(getattr(message, "content", None) or "")


def is_cut(completion: Any, max_tokens: int | None) -> bool:
    """Whether the answer was cut at the length limit: ``finish_reason`` says so, or (as
    llama.cpp's server reports a cut tool call) ``usage.completion_tokens`` reached the
    ``max_tokens`` sent and the answer holds no whole JSON object."""
    choices = getattr(completion, "choices", None) or []
    if choices and getattr(choices[0], "finish_reason", None) == "length":
        return True
    used = getattr(getattr(completion, "usage", None), "completion_tokens", None)
    if not max_tokens or not isinstance(used, int) or used < max_tokens:
        return False
    text = answer_text(completion)
    start = text.find("{")
    if start < 0:
        return False
    try:  # the outermost object, not the first inner one that happens to close
        _DECODER.raw_decode(text, start)
    except ValueError:
        return True
    return False


def shape_answer(completion: Any, mode: str, max_tokens: int | None = None) -> Any:
    """``completion`` ready for instructor's ``mode`` parser (changed in place and returned).

    Raises ``EmptyAnswer`` when it holds no content and no tool call. Content that holds no JSON
    object at all is left as it is, for the parser to reject with its own message (a re-ask).
    ``max_tokens`` is the limit the request sent (None: none): an answer cut there is marked
    ``finish_reason: "length"`` whatever the endpoint said.
    """
    message = _message(completion)
    tool_calls = list(getattr(message, "tool_calls", None) or [])
    content = getattr(message, "content", None)
    if (tool_calls or str(content or "").strip()) and is_cut(completion, max_tokens):
        # left as it came (an inner object must not pass for the answer): instructor raises
        # IncompleteOutputException and the backend reads the complete items
        completion.choices[0].finish_reason = "length"
        return completion
    if tool_calls:
        _unwrap_tool_calls(message, tool_calls)
        return completion
    if getattr(message, "function_call", None) is not None:
        return completion
    if content is None or not str(content).strip():
        finish = getattr(completion.choices[0], "finish_reason", None)
        if finish == "length":
            raise EmptyAnswer("the answer was cut at the length limit before any content")
        said = f" (finish_reason {finish})" if finish and finish != "stop" else ""
        raise EmptyAnswer(f"the answer has no content and no tool call{said}")
    found = json_object_text(str(content))
    if found is None:
        return completion
    if mode == "tools":
        message.tool_calls = [_tool_call(found)]  # the endpoint wrote the call's JSON as text
    elif mode == "md_json":
        message.content = f"```json\n{found}\n```"
    else:
        message.content = found
    return completion


__all__ = ["EmptyAnswer", "answer_text", "is_cut", "json_object_text", "shape_answer"]
