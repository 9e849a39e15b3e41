"""Build the seed cassette from the hand-written reference annotations in ``fixtures/gold``.

No capable model is reachable where this project is built, so the answers replayed for the
seeds are reference extractions written by a person. To get the exact wire format the real
client sends and parses, each gold answer is served once through the fake endpoint and the
exchange recorded; the cassette header then says plainly that the answers are hand-written.

Regenerate after changing a prompt or the draft schema (the request hashes change):

    python -m briefing.testing.reference   # rewrites fixtures/cassettes/seeds-reference.jsonl
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from briefing.backends import get_backend
from briefing.ingest import load_articles
from briefing.prompts import numbered_sentences, prompt_version
from briefing.settings import load_settings
from briefing.testing.fake_openai import FakeOpenAI, Reply

ROOT = Path(__file__).resolve().parents[2]  # a source checkout: seeds/ and fixtures/gold/
CASSETTE = ROOT / "fixtures" / "cassettes" / "seeds-reference.jsonl"
MODEL = "reference"
NOTE = (
    "Answers are the hand-written reference annotations in fixtures/gold/ (a person read each "
    "seed and wrote the extraction), served once through briefing.testing.fake_openai so the "
    "requests and responses are byte-for-byte what the openai client sends and parses. "
    "Not the output of any model."
)


def build(seeds: Path, gold: Path, out: Path, mode: str = "tools") -> Path:
    articles, failures = load_articles([seeds])
    if failures:
        raise SystemExit(f"cannot read seeds: {failures[0].path}: {failures[0].reason}")
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI() as fake:
        raw = Path(tmp) / "raw.jsonl"
        for article in articles:
            answer = json.loads((gold / f"{Path(article.path or '').stem}.json").read_text("utf-8"))
            # the prompt shows the sentences numbered: match within the first one
            fake.script_for(numbered_sentences(article)[0][:80], Reply.answer(answer))
        settings = load_settings(
            {
                "backend": "openai",
                "base_url": fake.base_url,
                "model": MODEL,
                "mode": mode,
                "record": raw,
                "out": Path(tmp),
            },
            env={},
        )
        backend = get_backend(settings)
        try:
            for article in articles:
                backend.extract(article)
        finally:
            backend.close()
        lines = raw.read_text(encoding="utf-8").splitlines()[1:]
    header = {
        "type": "header",
        "source": "hand-written",
        "model": MODEL,
        "mode": mode,
        "endpoint": None,
        "prompt_version": prompt_version(),
        "note": NOTE,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join([json.dumps(header, sort_keys=True), *lines]) + "\n", encoding="utf-8")
    return out


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else CASSETTE
    print(build(ROOT / "seeds", ROOT / "fixtures" / "gold", out))


if __name__ == "__main__":
    main()
