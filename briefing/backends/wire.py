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
  mode. The ledger keeps the answer as it came over the wire.
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


def json_object_text(text: str) -> str | None:
    """The first JSON object in ``text`` (bare, in a Markdown fence or amid prose), as its exact
    source text; None when there is none. Arrays and scalars are not objects."""
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
        if isinstance(value, dict):
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


def shape_answer(completion: Any, mode: str) -> Any:
    """``completion`` ready for instructor's ``mode`` parser (changed in place and returned).

    Raises ``EmptyAnswer`` when it holds no content and no tool call. Content that holds no JSON
    object at all is left as it is, for the parser to reject with its own message (a re-ask).
    """
    message = _message(completion)
    tool_calls = list(getattr(message, "tool_calls", None) or [])
    content = getattr(message, "content", None)
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


__all__ = ["EmptyAnswer", "json_object_text", "shape_answer"]
