"""LangExtract on the benchmark's articles, through its OpenAI provider pointed at the fake.

    python bench/langextract_run.py ARTICLES.jsonl --base-url URL [--workers 16]

LangExtract (google/langextract, ``pip install -e '.[bench]'``) cuts each document into
chunks of ``max_char_buffer`` characters (its default, 1000), sends one few-shot prompt per
chunk, and aligns each extraction's text back to the source itself. Its workers fill batches
of ``batch_length`` chunks; both are set to ``--workers`` so up to that many calls are in
flight, as with the other rows. The one example is invented. Prints one JSON line: documents
done, extractions received, extractions aligned to the text.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import langextract as lx

PROMPT = (
    "Extract diplomatic meetings, positions and claims in order of appearance. For a meeting "
    "or a position, the extraction text is the sentence that reports it, copied exactly; for "
    "a direct quote, the quoted words exactly. Give participants, place, date words and "
    "status of meetings, actor, topic and stance of positions, speaker and kind of claims."
)
EXAMPLE_TEXT = (
    "Chancellor Imre Bastow met Premier Lio Santavé in Orvel on Monday. "
    "Santavé said Pellaria backs a new canal treaty. "
    "“We will sign before winter,” Bastow said."
)


def examples() -> list[lx.data.ExampleData]:
    e = lx.data.Extraction
    return [lx.data.ExampleData(text=EXAMPLE_TEXT, extractions=[
        e("meeting", "Chancellor Imre Bastow met Premier Lio Santavé in Orvel on Monday.",
          attributes={"participants": "Imre Bastow; Lio Santavé", "location": "Orvel",
                      "date_text": "on Monday", "status": "held"}),
        e("position", "Santavé said Pellaria backs a new canal treaty.",
          attributes={"actor": "Lio Santavé", "topic": "canal treaty", "stance": "supports"}),
        e("claim", "We will sign before winter",
          attributes={"speaker": "Imre Bastow", "kind": "direct-quote"}),
    ])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path, help="JSONL, one {title, text} a line")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    lines = args.articles.read_text(encoding="utf-8").splitlines()
    docs = [lx.data.Document(text=json.loads(line)["text"], document_id=f"d{i}")
            for i, line in enumerate(lines) if line.strip()]
    results = lx.extract(
        docs, prompt_description=PROMPT, examples=examples(), model_id="gpt-4o-mini",
        api_key="bench", language_model_params={"base_url": args.base_url},
        fence_output=False, use_schema_constraints=False, max_workers=args.workers,
        batch_length=args.workers, show_progress=False,
    )
    found = aligned = done = 0
    for doc in results:
        done += 1
        for extraction in doc.extractions or []:
            found += 1
            aligned += extraction.char_interval is not None
    print(json.dumps({"articles": done, "records": found, "aligned": aligned}))


if __name__ == "__main__":
    main()
