"""The plain instructor scripts the LLM-path benchmark compares the product with.

What anyone would write in an afternoon: a plain pydantic model (no validators, no grounding,
no ledger, no cache), instructor's default TOOLS mode (or ``--mode``), a one-paragraph system
prompt.

    python bench/plain_instructor.py ARTICLES.jsonl --base-url URL [--async --concurrency 16]

Without ``--async``: a sequential loop over a sync client (row "plain sequential loop").
With it: an async client and an ``asyncio.Semaphore`` (row "plain async script", the
benchmark's baseline). Prints one JSON line: articles done, records received, failures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Literal

import instructor
import openai
from pydantic import BaseModel, Field

SYSTEM = (
    "Extract the diplomatic meetings, positions and claims reported in the news article. "
    "For each, copy the sentence that reports it verbatim into `passage`; a direct quote's "
    "text is the speaker's exact words."
)


class Actor(BaseModel):
    name: str
    title: str | None = None
    country: str | None = None
    kind: Literal["person", "state", "organisation"] = "person"


class Meeting(BaseModel):
    participants: list[Actor]
    location: str | None = None
    date_text: str | None = None
    date: str | None = None
    format: str | None = None
    status: Literal["held", "planned", "cancelled"]
    topics: list[str] = Field(default_factory=list)
    passage: str


class Position(BaseModel):
    actor: Actor
    topic: str
    stance: str
    summary: str = ""
    passage: str


class Claim(BaseModel):
    speaker: Actor
    kind: Literal["direct-quote", "paraphrase", "reported"]
    text: str
    passage: str


class Extraction(BaseModel):
    meetings: list[Meeting] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)


def messages(article: dict[str, str]) -> list[dict[str, str]]:
    user = f"Title: {article.get('title', '')}\n\n{article['text']}"
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def _count(result: Extraction) -> int:
    return len(result.meetings) + len(result.positions) + len(result.claims)


MODES = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON,
         "md_json": instructor.Mode.MD_JSON, "json_schema": instructor.Mode.JSON_SCHEMA}


def run_sync(
    articles: list[dict[str, str]], base_url: str, model: str, mode: str = "tools"
) -> tuple[int, int]:
    client = instructor.from_openai(
        openai.OpenAI(base_url=base_url, api_key="bench"), mode=MODES[mode]
    )
    records = failures = 0
    for article in articles:
        try:
            result = client.chat.completions.create(
                model=model, response_model=Extraction, messages=messages(article)
            )
        except Exception as exc:  # a benchmark counts failures, not raises
            print(f"failed: {exc!r}"[:200], file=sys.stderr)
            failures += 1
            continue
        records += _count(result)
    return records, failures


async def run_async(
    articles: list[dict[str, str]], base_url: str, model: str, concurrency: int,
    mode: str = "tools",
) -> tuple[int, int]:
    client = instructor.from_openai(
        openai.AsyncOpenAI(base_url=base_url, api_key="bench"), mode=MODES[mode]
    )
    gate = asyncio.Semaphore(concurrency)

    async def one(article: dict[str, str]) -> int | None:
        async with gate:
            try:
                result = await client.chat.completions.create(
                    model=model, response_model=Extraction, messages=messages(article)
                )
            except Exception as exc:  # counted, as above
                print(f"failed: {exc!r}"[:200], file=sys.stderr)
                return None
            return _count(result)

    counts = await asyncio.gather(*(one(a) for a in articles))
    return sum(c for c in counts if c is not None), sum(c is None for c in counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path, help="JSONL, one {title, text} a line")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", default="m")
    parser.add_argument("--async", dest="use_async", action="store_true")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--mode", choices=sorted(MODES), default="tools")
    args = parser.parse_args()
    lines = args.articles.read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line) for line in lines if line.strip()]
    if args.use_async:
        records, failures = asyncio.run(
            run_async(articles, args.base_url, args.model, args.concurrency, args.mode)
        )
    else:
        records, failures = run_sync(articles, args.base_url, args.model, args.mode)
    print(json.dumps({"articles": len(articles), "records": records, "failures": failures}))


if __name__ == "__main__":
    main()
