"""Reruns served from the ledger's kept extractions (``briefing.reuse``): no model call, no
re-validation, the same brief; failures asked again; the client stack never imported.

The endpoint is the real loopback fake; its answers are the rules extractor's own records of
each invented article, written as the draft a model would send (passage = evidence sentence)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from bench.llm_fake import records
from briefing.ingest import load_articles
from briefing.ledger import Ledger
from briefing.pipeline import run_brief
from briefing.reuse import Reuse
from briefing.schemas import Article
from briefing.settings import load_settings
from briefing.testing.fake_openai import FakeOpenAI, Reply
from tests.conftest import ROOT

DAY = "2026-03-14"
ARTICLES = {
    "harbour.md": """\
        ---
        title: Ferry talks in Velmora
        outlet: Harbour Wire
        published: 2026-03-14
        ---
        Foreign Minister Talvi Oskarsen met Prime Minister Ruben Idrissi in Velmora on Monday,
        the governments of Norvaland and Castamere said.

        “We have agreed to keep talking about the ferry line until every question is settled,”
        Oskarsen told reporters after the talks.

        Idrissi said Castamere supports closer ties with Norvaland.
        """,
    "ledger.md": """\
        ---
        title: Grain corridor
        outlet: Evening Ledger
        published: 2026-03-14
        ---
        Trade Minister Mirela Vukovar met Defence Minister Oskar Lindqvist in Kastrup on
        Tuesday to discuss grain exports, officials in Ostrelia and Drummond said.

        “The corridor must stay open for every ship,” Vukovar said at a news conference.

        Lindqvist warned that the dispute over port fees could damage trade.
        """,
    "post.md": """\
        ---
        title: River border
        outlet: Capital Post
        published: 2026-03-14
        ---
        President Ilse Marchetti met Foreign Minister Dario Halvorsen in Ondrava on Wednesday,
        the first visit by a Valdorian leader in a decade, the presidency of Kestria said.

        “We want a fair settlement on the river border,” Marchetti told reporters.

        Halvorsen called for an end to the dispute over visa rules.
        """,
}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def _articles(folder: Path) -> list[Article]:
    articles, failures = load_articles([folder])
    assert not failures
    return articles


def _answers(folder: Path, tmp_path: Path) -> dict[str, Reply]:
    """The rules extractor's records for each article, as the draft a model sends
    (``bench.llm_fake.records``)."""
    answers = {}
    for article in _articles(folder):
        draft = records(article)
        assert draft["meetings"] and draft["claims"], article.path  # a real answer to check
        answers[article.title] = Reply.answer(draft)
    return answers


def _settings(fake: FakeOpenAI, out: Path, **more: Any) -> Any:
    flags = {"backend": "openai", "base_url": fake.base_url, "model": "m", "out": out,
             "date": DAY, "concurrency": 2, **more}
    return load_settings(flags, env={})


def _script(fake: FakeOpenAI, answers: dict[str, Reply], times: int = 1) -> None:
    for title, reply in answers.items():
        fake.script_for(f"Title: {title}", *([reply] * times))


def _brief_text(out: Path) -> str:
    """The JSON brief with what differs between any two runs blanked: the run's id and
    times (also where the JSON names the run id elsewhere)."""
    text = (out / f"brief-{DAY}.json").read_text(encoding="utf-8")
    run = json.loads(text)["run"]
    for value in (run["run_id"], run["started"], run["finished"]):
        text = text.replace(value, "<run>")
    return text


def _usage_blanked(text: str) -> str:
    return re.sub(r'"(prompt|completion|total)_tokens": \d+', r'"\1_tokens": 0', text)


def test_a_rerun_is_served_from_kept_extractions_and_writes_the_same_brief(
    fake: FakeOpenAI, inputs: Path, tmp_path: Path
):
    out = tmp_path / "out"
    _script(fake, _answers(inputs, tmp_path))
    first = run_brief(_settings(fake, out), [inputs])
    asked = len(fake.chat_requests)
    assert asked == 3 and not first.brief.failures
    first_text = _brief_text(out)

    served = run_brief(_settings(fake, out), [inputs])
    assert len(fake.chat_requests) == asked  # not one request
    served_text = _brief_text(out)
    assert all(x.usage.total_tokens == 0 for x in served.brief.extractions)  # none spent
    assert served_text == _usage_blanked(first_text)

    # The same rerun through the slower path (kept extractions gone: the ledger's answers are
    # validated again) writes the very same bytes.
    with sqlite3.connect(out / "ledger.sqlite") as db:
        db.execute("DELETE FROM extractions")
    run_brief(_settings(fake, out), [inputs])
    assert len(fake.chat_requests) == asked
    assert _brief_text(out) == served_text

    with Ledger(out / "ledger.sqlite") as ledger:
        rows = ledger.attempts(run_id=served.brief.run.run_id)
        originals = ledger.attempts(run_id=first.brief.run.run_id)
    assert sorted((r.article_id, r.request_hash, r.outcome) for r in rows) == sorted(
        (r.article_id, r.request_hash, r.outcome) for r in originals
    )
    assert all(r.cached and r.raw_response is None and r.prompt_tokens == 0 for r in rows)


def test_a_failed_article_is_asked_again_while_the_others_are_served(
    fake: FakeOpenAI, inputs: Path, tmp_path: Path
):
    out = tmp_path / "out"
    answers = _answers(inputs, tmp_path)
    broken = "Grain corridor"
    fake.script_for(f"Title: {broken}", *[Reply.content("{not json")] * 3)
    _script(fake, {t: r for t, r in answers.items() if t != broken})
    first = run_brief(_settings(fake, out), [inputs])
    assert [f.path for f in first.brief.failures] == [str(inputs / "ledger.md")]
    asked = len(fake.chat_requests)

    fake.script_for(f"Title: {broken}", answers[broken])
    second = run_brief(_settings(fake, out), [inputs])
    again = fake.chat_requests[asked:]
    assert len(again) == 1 and f"Title: {broken}" in again[0].messages_text
    assert not second.brief.failures and len(second.brief.extractions) == 3


def test_no_cache_and_another_model_ask_the_endpoint_again(
    fake: FakeOpenAI, inputs: Path, tmp_path: Path
):
    out = tmp_path / "out"
    _script(fake, _answers(inputs, tmp_path), times=3)
    run_brief(_settings(fake, out), [inputs])
    run_brief(_settings(fake, out, cache=False), [inputs])
    assert len(fake.chat_requests) == 6
    run_brief(_settings(fake, out, model="m2"), [inputs])
    assert len(fake.chat_requests) == 9


def test_the_key_holds_everything_the_extraction_depends_on(tmp_path: Path, inputs: Path):
    article = _articles(inputs)[0]
    base = {"backend": "openai", "base_url": "http://127.0.0.1:1/v1", "model": "m",
            "out": tmp_path}

    def key(article: Article = article, **more: Any) -> str:
        with Ledger(":memory:") as ledger:
            reuse = Reuse.for_run(load_settings({**base, **more}, env={}), ledger)
            assert reuse is not None
            return reuse.key(article)

    same = key()
    assert key(article.model_copy(update={"path": "elsewhere.md"})) == same
    changed = [
        key(model="m2"),
        key(base_url="http://127.0.0.1:2/v1"),
        key(mode="json"),
        key(temperature=0.5),
        key(max_attempts=2),
        key(article.model_copy(update={"text": article.text + " More."})),
        key(article.model_copy(update={"published": None})),
    ]
    assert len({same, *changed}) == len(changed) + 1
    with Ledger(":memory:") as ledger:
        for off in ({"cache": False}, {"record": tmp_path / "c.jsonl"}, {"backend": "replay"}):
            assert Reuse.for_run(load_settings({**base, **off}, env={}), ledger) is None


def test_an_all_served_rerun_never_imports_the_client_stack(
    fake: FakeOpenAI, inputs: Path, tmp_path: Path
):
    out = tmp_path / "out"
    _script(fake, _answers(inputs, tmp_path))
    run_brief(_settings(fake, out), [inputs])
    script = textwrap.dedent(f"""
        import sys
        from briefing.cli import main
        try:
            main(["run", {str(inputs)!r}, "--backend", "openai", "--base-url",
                  {fake.base_url!r}, "--model", "m", "--out", {str(out)!r}, "--date", {DAY!r},
                  "--quiet"])
        except SystemExit as exit:
            print(exit.code, sorted(m for m in ("openai", "instructor") if m in sys.modules))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.stdout.split() == ["0", "[]"], done.stderr
    assert len(fake.chat_requests) == 3
