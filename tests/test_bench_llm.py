"""The LLM-path benchmark's fake model (bench/llm_fake.py) answers faithfully, and the
benchmark prints its table. Speed is never asserted here: that is the benchmark's report."""

from __future__ import annotations

import json

from bench.bench_llm import SYSTEMS, main
from bench.generate import articles
from bench.llm_fake import Responder, numbered_sentences, records, request_schema, shape
from briefing.drafts import ArticleDraft
from briefing.prompts import render_messages
from briefing.testing.fake_openai import RecordedRequest


def _request(body: dict) -> RecordedRequest:
    return RecordedRequest("POST", "/v1/chat/completions", {}, body)


def _tools(schema: dict) -> dict:
    return {"type": "function", "function": {"name": "Answer", "parameters": schema}}


def test_the_products_own_schema_gets_records_it_accepts():
    article = articles(1, seed=7, copy_share=0.0)[0]
    responder = Responder([article], latency=0)
    # the product's own messages: they number the sentences its schema asks to cite
    body = {"model": "m", "tools": [_tools(ArticleDraft.model_json_schema())],
            "messages": render_messages(article)}
    reply = responder(_request(body))
    answer = json.loads(reply.payload)
    want = records(article)
    assert {k: len(answer[k]) for k in want} == {k: len(v) for k, v in want.items()}
    assert sum(map(len, want.values())) >= 3
    draft = ArticleDraft.model_validate(answer, context={"article": article})
    extraction = draft.to_extraction(article, backend="b", model="m", prompt_version="p")
    passages = [r.evidence[0].text for r in extraction.meetings + extraction.positions]
    assert passages == [m["passage"] for m in want["meetings"] + want["positions"]]
    speakers = [c.speaker.model_dump(include={"name", "title"}) for c in extraction.claims]
    assert speakers == [{"name": c["speaker"]["name"], "title": c["speaker"]["title"]}
                        for c in want["claims"]]
    tally = responder.tally.take()
    assert tally["calls"] == 1 and tally["unknown"] == 0
    assert tally["prompt_tokens"] == reply.prompt_tokens > len(article.text) // 8
    parts = [tally[f"{p}_tokens"] for p in ("system", "schema", "messages")]
    assert sum(parts) == tally["prompt_tokens"] and tally["system_tokens"] > 0
    assert tally["schema_tokens"] > 300 and tally["messages_tokens"] > len(article.text) // 8
    assert tally["completion_tokens"] == reply.completion_tokens > 0


def test_sentence_number_fields_get_the_number_the_prompt_gives():
    schema = {
        "type": "object",
        "properties": {"claims": {"type": "array", "items": {"$ref": "#/$defs/C"}}},
        "$defs": {"C": {"type": "object", "required": ["who", "sentence"],
                        "properties": {"who": {"type": "string"},
                                       "sentence": {"type": "integer"}}}},
    }
    schema["$defs"]["C"]["properties"]["where"] = {"type": "string"}  # optional, no null
    prompt = "[1] Ostra met Belan in Kadro. [2] “Talks went well,” Belan said. [3] Rain fell."
    answer = {"claims": [{"speaker": "Belan", "where": None,
                          "passage": "“Talks went well,” Belan said."}]}
    assert numbered_sentences(prompt)[2] == "“Talks went well,” Belan said."
    assert shape(answer, schema, prompt) == {"claims": [{"who": "", "sentence": 2}]}


def test_actors_asked_for_by_name_are_named_and_described_once_in_the_table():
    actor = {"type": "object", "properties": {"name": {"type": "string"},
                                              "title": {"type": "string"}}}
    schema = {"type": "object", "properties": {
        "actors": {"type": "array", "items": actor},
        "claims": {"type": "array", "items": {"type": "object", "properties": {
            "speaker": {"type": "string"}, "text": {"type": "string"}}}}}}
    belan = {"name": "Ivo Belan", "title": "Envoy"}
    answer = {"claims": [{"speaker": belan, "text": "a"}, {"speaker": belan, "text": "b"}]}
    assert shape(answer, schema, "") == {
        "actors": [belan],
        "claims": [{"speaker": "Ivo Belan", "text": "a"}, {"speaker": "Ivo Belan", "text": "b"}],
    }
    assert shape(answer, {"type": "object", "properties": {"claims": schema["properties"][
        "claims"]}}, "")["claims"][0]["speaker"] == "Ivo Belan"  # no table: the name alone


def test_json_modes_schema_is_read_from_the_prompt():
    """instructor's JSON and MD_JSON modes send no schema field: it is in a message."""
    schema = {"type": "object", "properties": {"meetings": {"type": "array"}}}
    text = f"provide json that match the following json_schema:\n\n{json.dumps(schema, indent=2)}"
    body = {"response_format": {"type": "json_object"},
            "messages": [{"role": "system", "content": text + "\n\nMake sure to return"}]}
    assert request_schema(body) == schema
    assert request_schema({"messages": [{"role": "user", "content": "no schema"}]}) is None


def test_smoke_prints_every_row():
    """Two articles, no latency, only the cheapest measured row: the table has all its rows,
    the measured one with real token counts; the others say why they did not run."""
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        main(["--articles", "2", "--latency", "0", "--repeats", "1", "--systems", "async",
              "--json"])
    rows = json.loads(printed.getvalue())["2"]["rows"]
    assert [r["system"] for r in rows] == list(SYSTEMS.values())
    measured = {r["system"]: r for r in rows if "wall_s" in r}
    assert list(measured) == ["plain async"]
    row = measured["plain async"]
    assert row["calls"] == 2 and row["unanswered"] == 0 and row["wall_ratio"] == 1.0
    assert row["prompt_tok_per_article"] > 300 and row["completion_tok_per_article"] > 50
    assert all(r["problem"] for r in rows if r["system"] != "plain async")


def test_growth_reports_the_cpu_of_a_further_article():
    """The slope between the smallest and the largest size, per system and against the plain
    async script's: 15 → 60 articles costing 0.9 s more is 20 ms an article."""
    from bench.bench_llm import BASELINE, _marginal

    def rows(product: float, plain: float) -> dict:
        return {"rows": [{"system": "briefing run", "client_cpu_s": product},
                         {"system": BASELINE, "client_cpu_s": plain},
                         {"system": "LangExtract", "problem": "skipped"}]}

    lines = _marginal({"15": rows(2.0, 1.9), "60": rows(2.9, 2.44)})
    assert lines[0] == "client CPU per further article, 15 → 60 articles (ms):"
    assert lines[1:] == [
        "  briefing run: 20.0 (÷ plain async 1.67)",
        f"  {BASELINE}: 12.0 (÷ plain async 1.00)",
    ]
