"""Test helpers that ship with the package, so downstream users can test against them too.

Nothing here is imported by the pipeline itself; importing it costs only the stdlib.
"""

from __future__ import annotations

from briefing.testing.fake_openai import FakeOpenAI, RecordedRequest, Reply

__all__ = ["FakeOpenAI", "RecordedRequest", "Reply"]
