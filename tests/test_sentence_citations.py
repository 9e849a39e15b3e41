"""Issue 12, item 2: the prompt numbers the article's sentences and an answer cites evidence by
number instead of copying passages; the schema a model is sent carries no pydantic titles.

The article here is invented (names, places and wording). The end-to-end test goes through the
real openai client and instructor to ``briefing.testing.fake_openai`` on loopback."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefing.backends.rest import read_cut
from briefing.drafts import ArticleDraft
from briefing.grounding import sentence_spans
from briefing.ingest import article_from_text
from briefing.prompts import numbered_sentences, render_messages
from briefing.testing.fake_openai import FakeOpenAI, Reply
from briefing.validation import check_answer, reask_text
from tests.conftest import extract

TEXT = (
    "---\ntitle: Harbour talks in Solvik\noutlet: Northern Wire\npublished: 2026-04-17\n---\n"
    "SOLVIK, April 17 (NW) — Varnian Foreign Minister Ilse Marrow met her Dellish counterpart"
    " Oskar Brandt in Solvik on Thursday to discuss the shared harbour at Kettle Bay.\n\n"
    '"We want the harbour open to both fleets," Marrow told reporters after the talks.\n'
    "Brandt said Dellen backs a joint customs office at the bay.\n"
    "The two ministers are due to meet again in Tarnby next month.\n"
    'Brandt later added: "We want the harbour open to both fleets," and called the talks useful.\n'
)

MARROW = {"name": "Ilse Marrow", "title": "Foreign Minister", "country": "VAR", "kind": "person"}
BRANDT = {"name": "Oskar Brandt", "title": "Foreign Minister", "country": "DEL", "kind": "person"}
QUOTE = "We want the harbour open to both fleets"


@pytest.fixture(scope="module")
def article():
    return article_from_text(TEXT, "solvik.txt")


def meeting(sentence: Any, **kw: Any) -> dict[str, Any]:
    return {"participants": [MARROW, BRANDT], "status": "held", "sentence": sentence, **kw}


def check(article, **lists: list[dict[str, Any]]):
    return check_answer(lists, article, ArticleDraft.item_models())


def test_the_prompt_numbers_the_sentences_the_validator_maps_back(article):
    user = render_messages(article)[1]["content"]
    shown = re.findall(r"^\[(\d+)\] (.*)$", user, flags=re.M)
    spans = sentence_spans(article.text)
    assert [int(n) for n, _ in shown] == list(range(1, len(spans) + 1))
    for (_, line), (start, end) in zip(shown, spans, strict=True):
        assert line == " ".join(article.text[start:end].split())
    assert shown[1][1].startswith('"We want the harbour')  # paragraph break ends sentence 1
    assert len(spans) == 5 and numbered_sentences(article)[0].endswith("Kettle Bay.")


def test_a_cited_number_is_the_exact_span_of_that_sentence(article):
    checked = check(article, meetings=[meeting(1, location="Solvik", date_text="on Thursday")])
    assert not checked.invalid
    (ev,) = checked.valid["meetings"][0].evidence()
    start, end = sentence_spans(article.text)[0]
    assert (ev.start, ev.end, ev.match) == (start, end, "exact")
    assert ev.text == article.text[start:end] and ev.text.endswith("at Kettle Bay.")


def test_consecutive_numbers_cite_their_whole_run(article):
    position = {
        "actor": BRANDT,
        "topic": "customs office",
        "stance": "supports",
        "sentence": [3, 4],
    }
    checked = check(article, positions=[position])
    (ev,) = checked.valid["positions"][0].evidence()
    spans = sentence_spans(article.text)
    assert (ev.start, ev.end) == (spans[2][0], spans[3][1])


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "three", True, [2, 4], []])
def test_a_number_out_of_range_or_not_whole_is_an_invalid_item_naming_the_range(article, bad):
    checked = check(article, meetings=[meeting(bad), meeting(1)])
    assert len(checked.valid["meetings"]) == 1  # the other item is kept
    (invalid,) = checked.invalid
    assert invalid.path == "meetings[0]"
    text = reask_text(checked)
    assert "meetings[0].sentence" in text and "from 1 to 5" in text, text


def test_a_number_given_as_text_or_a_whole_float_is_read(article):
    checked = check(article, meetings=[meeting("1"), meeting(1.0)])
    assert not checked.invalid


def test_an_item_with_neither_number_nor_passage_is_invalid(article):
    checked = check(article, meetings=[{"participants": [MARROW, BRANDT], "status": "held"}])
    (invalid,) = checked.invalid
    assert "sentence" in invalid.reasons[0]


def test_a_copied_passage_is_still_accepted_and_aligned(article):
    passage = "Brandt said Dellen backs a joint customs office at the bay."
    item = {"actor": BRANDT, "topic": "customs office", "stance": "supports", "passage": passage}
    checked = check(article, positions=[item])
    (ev,) = checked.valid["positions"][0].evidence()
    assert ev.text == passage


def test_the_sentence_number_picks_which_occurrence_of_a_quote(article):
    claims = [
        {"speaker": MARROW, "kind": "direct-quote", "text": QUOTE, "sentence": 2},
        {"speaker": BRANDT, "kind": "direct-quote", "text": QUOTE, "sentence": 5},
    ]
    checked = check(article, claims=claims)
    assert not checked.invalid, reask_text(checked)
    spans = sentence_spans(article.text)
    got = [c.evidence()[0] for c in checked.valid["claims"]]
    assert [e.text for e in got] == [QUOTE, QUOTE]
    assert spans[1][0] <= got[0].start < spans[1][1]
    assert spans[4][0] <= got[1].start < spans[4][1]


def test_a_quote_not_verbatim_is_still_rejected_with_a_number(article):
    claim = {
        "speaker": MARROW,
        "kind": "direct-quote",
        "text": "We want the port open",
        "sentence": 2,
    }
    checked = check(article, claims=[claim])
    assert checked.invalid and "not in the article" in reask_text(checked)


def test_the_schema_is_lean():
    schema = ArticleDraft.model_json_schema()
    dumped = json.dumps(schema)
    assert schema["title"] == "ArticleDraft"  # instructor names the tool after it
    assert '"title": "' not in dumped.replace('"title": "ArticleDraft"', "")
    assert '"passage"' not in dumped and '"default"' not in dumped and "null" not in dumped
    for name in ("MeetingDraft", "PositionDraft", "ClaimDraft"):
        item = schema["$defs"][name]
        assert item["properties"]["sentence"] == {"type": "integer"}
        assert "sentence" in item["required"]


def test_only_a_direct_quote_is_asked_for_words_of_its_own():
    """Completion tokens: a paraphrase's rewording and a position's summary are not asked for
    (the model's words, not the article's); a direct quote's words are, as ``quote``."""
    defs = ArticleDraft.model_json_schema()["$defs"]
    claim, position = defs["ClaimDraft"], defs["PositionDraft"]
    assert "quote" in claim["properties"] and "text" not in claim["properties"]
    assert "quote" not in claim["required"]
    assert "summary" not in position["properties"]


def test_a_paraphrase_and_a_position_carry_their_cited_sentence_word_for_word(article):
    said = "Brandt said Dellen backs a joint customs office at the bay."
    checked = check(
        article,
        positions=[{"actor": BRANDT, "topic": "customs office", "stance": "supports",
                    "sentence": 3}],
        claims=[{"speaker": BRANDT, "kind": "paraphrase", "sentence": 3}],
    )
    assert not checked.invalid, reask_text(checked)
    (position,) = [d.to_record() for d in checked.valid["positions"]]
    (claim,) = [d.to_record() for d in checked.valid["claims"]]
    assert position.summary == said == position.evidence[0].text
    assert claim.text == said == claim.evidence[0].text


def test_an_older_answers_own_words_are_kept_as_they_were(article):
    """Answers recorded before ``quote`` (the reference cassette, real recordings) gave the
    words as ``text`` and a position's ``summary``; they keep their meaning."""
    checked = check(
        article,
        positions=[{"actor": BRANDT, "topic": "customs office", "stance": "supports",
                    "summary": "Dellen backs a customs office.", "sentence": 3}],
        claims=[{"speaker": BRANDT, "kind": "paraphrase", "sentence": 3,
                 "text": "Dellen backs a customs office."},
                {"speaker": MARROW, "kind": "direct-quote", "sentence": 2, "text": QUOTE}],
    )
    assert not checked.invalid, reask_text(checked)
    assert checked.valid["positions"][0].to_record().summary == "Dellen backs a customs office."
    paraphrase, quote = (d.to_record() for d in checked.valid["claims"])
    assert paraphrase.text == "Dellen backs a customs office." and quote.text == QUOTE


@pytest.mark.parametrize(
    ("words", "reason"),
    [("We want the port open", "'We want the port open' is not in the article word for word"),
     ("", "a direct quote needs its exact words"),
     (None, "a direct quote needs its exact words")],
)
def test_a_direct_quotes_words_are_held_to_the_article(article, words, reason):
    claim = {"speaker": MARROW, "kind": "direct-quote", "sentence": 2}
    if words is not None:
        claim["quote"] = words
    checked = check(article, claims=[claim])
    said = reask_text(checked)
    assert checked.invalid and reason in said and "claims[0].quote" in said


def test_numbered_answers_through_the_real_client(tmp_path: Path, article):
    answer = {
        "meetings": [meeting(1, location="Solvik", date_text="on Thursday", format="visit")],
        "claims": [{"speaker": MARROW, "kind": "direct-quote", "quote": QUOTE, "sentence": 2}],
    }
    with FakeOpenAI() as fake:
        fake.script(Reply.answer(answer))
        result = extract(fake, tmp_path, article)
        sent = fake.requests[0].body
    assert '[2] "We want the harbour' in sent["messages"][1]["content"]
    assert '"passage"' not in json.dumps(sent["tools"])
    (m,) = result.meetings
    assert m.evidence[0].text.startswith("SOLVIK, April 17") and m.status == "held"
    (c,) = result.claims
    assert c.text == QUOTE and c.attribution == "verified" and not result.drops


def test_a_title_is_sent_only_when_the_text_does_not_already_say_it(article):
    assert render_messages(article)[1]["content"].startswith("Title: Harbour talks in Solvik\n")
    guessed = article_from_text("Varnian and Dellish ministers met in Solvik on Thursday.\n")
    assert guessed.title and not render_messages(guessed)[1]["content"].startswith("Title:")


# --- actors named once, in the answer's actors table -----------------------------------------


def test_items_name_actors_from_the_answers_table(article):
    answer = {
        "actors": [MARROW, BRANDT],
        "meetings": [meeting(1) | {"participants": ["Ilse Marrow", "oskar brandt"]}],
        "claims": [
            {"speaker": "Ilse Marrow", "kind": "direct-quote", "text": QUOTE, "sentence": 2}
        ],
    }
    checked = check_answer(answer, article, ArticleDraft.item_models())
    assert not checked.invalid, reask_text(checked)
    (m,) = checked.valid["meetings"]
    assert [p.to_actor().country for p in m.participants] == ["VAR", "DEL"]
    assert m.participants[1].title == "Foreign Minister"  # matched case-insensitively
    (c,) = checked.valid["claims"]
    assert c.speaker.to_actor().model_dump(include={"name", "title", "country", "kind"}) == {
        "name": "Ilse Marrow",
        "title": "Foreign Minister",
        "country": "VAR",
        "kind": "person",
    }


def test_a_name_missing_from_the_table_is_a_bare_name_still_checked(article):
    answer = {
        "actors": [MARROW],
        "positions": [
            {"actor": "Oskar Brandt", "topic": "customs", "stance": "supports", "sentence": 3},
            {"actor": "Piet Vandam", "topic": "customs", "stance": "opposes", "sentence": 3},
        ],
    }
    checked = check_answer(answer, article, ArticleDraft.item_models())
    (kept,) = checked.valid["positions"]
    assert kept.actor.name == "Oskar Brandt" and kept.actor.country is None
    (bad,) = checked.invalid
    assert bad.path == "positions[1]" and "'Piet Vandam' is not a name the article uses" in (
        reask_text(checked)
    )


def test_the_schema_names_actors_once():
    schema = ArticleDraft.model_json_schema()
    assert schema["properties"]["actors"]["items"] == {"$ref": "#/$defs/ActorDraft"}
    assert schema["$defs"]["ClaimDraft"]["properties"]["speaker"] == {"type": "string"}
    assert schema["$defs"]["MeetingDraft"]["properties"]["participants"]["items"] == {
        "type": "string"
    }


def test_a_reask_answer_may_name_actors_from_the_first_answers_table(tmp_path: Path, article):
    first = {
        "actors": [MARROW, BRANDT],
        "meetings": [meeting(1) | {"participants": ["Ilse Marrow", "Oskar Brandt"]}],
        "claims": [
            {"speaker": "Ilse Marrow", "kind": "direct-quote", "text": QUOTE, "sentence": 9}
        ],
    }
    # the re-ask answer corrects the number and names the speaker without the table
    second = {
        "claims": [{"speaker": "Ilse Marrow", "kind": "direct-quote", "text": QUOTE, "sentence": 2}]
    }
    with FakeOpenAI() as fake:
        fake.script(Reply.answer(first), Reply.answer(second))
        result = extract(fake, tmp_path, article)
        assert len(fake.requests) == 2
    (c,) = result.claims
    assert (c.speaker.name, c.speaker.country, c.speaker.title) == (
        "Ilse Marrow",
        "VAR",
        "Foreign Minister",
    )
    assert result.meetings[0].participants[1].country == "DEL" and not result.drops


def test_the_whole_draft_resolves_names_through_its_table_too(article):
    answer = {
        "actors": [MARROW, BRANDT],
        "meetings": [meeting(1) | {"participants": ["Ilse Marrow", "Oskar Brandt"]}],
    }
    draft = ArticleDraft.model_validate(answer, context={"article": article})
    (m,) = draft.to_extraction(article, backend="openai", model="m", prompt_version="p").meetings
    assert [p.country for p in m.participants] == ["VAR", "DEL"]


def test_a_cut_answer_keeps_its_actors_table_for_the_items_and_the_rest(tmp_path: Path, article):
    claim = {"speaker": "Ilse Marrow", "kind": "direct-quote", "text": QUOTE, "sentence": 2}
    full = {
        "actors": [MARROW, BRANDT],
        "meetings": [meeting(1) | {"participants": ["Ilse Marrow", "Oskar Brandt"]}],
        "claims": [claim, claim | {"speaker": "Oskar Brandt", "sentence": 5}],
    }
    text = json.dumps(full)
    cut = read_cut(text[: text.rindex("Oskar Brandt")])
    assert len(cut.items["actors"]) == 2 and cut.count == 2 and cut.unfinished == "claims[1]"
    limit = 100
    tokens = len(text) * limit // (text.rindex("Oskar Brandt") + 4) + 1
    rest = {"claims": [claim | {"speaker": "Oskar Brandt", "sentence": 5}]}
    with FakeOpenAI() as fake:
        fake.script(
            Reply.answer(full, completion_tokens=tokens),
            Reply.answer(rest, completion_tokens=limit // 2),
        )
        result = extract(fake, tmp_path, article, max_tokens=limit)
        assert len(fake.chat_requests) == 2
    assert [p.country for p in result.meetings[0].participants] == ["VAR", "DEL"]
    assert sorted((c.speaker.name, c.speaker.country) for c in result.claims) == [
        ("Ilse Marrow", "VAR"),
        ("Oskar Brandt", "DEL"),
    ]


def test_an_optional_field_sent_empty_is_left_out(article):
    # the schema offers no null; models send "" for what they do not know
    item = meeting(1, date="", location=" ", format="") | {"participants": [MARROW, BRANDT]}
    checked = check(article, meetings=[item])
    assert not checked.invalid, reask_text(checked)
    (m,) = checked.valid["meetings"]
    assert (m.date, m.location, m.format) == (None, None, None)
