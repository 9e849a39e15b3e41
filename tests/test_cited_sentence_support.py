"""The sentences an item cites must report it: a meeting's participants, a position's actor
and a claim's speaker mentioned there (by name, alias, a pronoun or description right after
a sentence naming them), and for a meeting, a meeting reported there
(``briefing.checks.citation_problem``).

The article is invented (names, places, wording). End-to-end tests go through the real openai
client and instructor to ``briefing.testing.fake_openai`` on loopback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefing.checks import citation_problem
from briefing.drafts import ArticleDraft
from briefing.grounding import evidence_at, sentence_spans
from briefing.ingest import article_from_text
from briefing.testing.fake_openai import FakeOpenAI, Reply
from briefing.validation import check_answer, reask_text
from tests.conftest import extract

TEXT = (
    "---\ntitle: River talks in Varo\noutlet: Lakeside Post\npublished: 2026-05-05\n---\n"
    "VARO, May 4 (LP) — Varnian Foreign Minister Ana Rivas met her Tarskan counterpart Pell"
    " Odum in Varo on Monday.\n"  # 1
    "The two leaders discussed the disputed river border and a new ferry line.\n"  # 2
    "She said Varnia wants a joint commission to settle the border by autumn.\n"  # 3
    '"We are ready to sign," Odum told reporters.\n'  # 4
    "Fishing quotas in the northern gulf remain a source of friction between the fleets.\n"  # 5
    "Separately, Prime Minister Kel Dorn spoke by phone with Tarskan President Ivo Marr.\n"  # 6
    "Rivas praised Odum as a patient negotiator.\n"  # 7
)
RIVAS = {"name": "Ana Rivas", "kind": "person"}
ODUM = {"name": "Pell Odum", "kind": "person"}
DORN = {"name": "Kel Dorn", "kind": "person"}
MARR = {"name": "Ivo Marr", "kind": "person"}
TARSKA = {"name": "Tarska", "kind": "state"}


@pytest.fixture(scope="module")
def article():
    return article_from_text(TEXT, "varo.txt")


def meeting(sentence: Any, *parties: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"participants": list(parties or (RIVAS, ODUM)), "status": "held",
            "sentence": sentence, **kw}  # fmt: skip


def position(actor: dict[str, Any], sentence: Any) -> dict[str, Any]:
    return {"actor": actor, "topic": "river border", "stance": "supports", "sentence": sentence}


def claim(speaker: dict[str, Any], sentence: Any, kind: str = "paraphrase", **kw: Any) -> dict:
    text = kw.pop("text", "Tarska is ready to sign a border deal.")
    return {"speaker": speaker, "kind": kind, "text": text, "sentence": sentence, **kw}


def check(article, **lists: list[dict[str, Any]]):
    return check_answer(lists, article, ArticleDraft.item_models())


def test_the_article_reads_as_the_tests_assume(article):
    assert len(sentence_spans(article.text)) == 7


def test_a_meeting_citing_a_sentence_about_something_else_is_rejected_naming_the_right_one(
    article,
):
    checked = check(article, meetings=[meeting(5)])
    assert not checked.valid["meetings"]
    text = reask_text(checked)
    assert "meetings[0].sentence: sentence 5 does not mention 'Ana Rivas' and 'Pell Odum'" in text
    assert "Ana Rivas and Pell Odum are named together in sentences 1 and 7" in text, text
    assert "Fishing quotas" in text  # the passage cited, so the model sees its mistake


def test_a_meeting_citing_another_meetings_sentence_is_rejected(article):
    checked = check(article, meetings=[meeting(6), meeting(1, DORN, MARR, format="phone")])
    assert not checked.valid["meetings"] and len(checked.invalid) == 2
    first, second = (" ".join(i.reasons) for i in checked.invalid)
    assert "sentence 6 does not mention 'Ana Rivas' and 'Pell Odum'" in first
    assert "Kel Dorn and Ivo Marr are named together in sentence 6" in second, second


def test_a_sentence_naming_both_parties_but_no_meeting_is_rejected(article):
    checked = check(article, meetings=[meeting(7)])
    (bad,) = checked.invalid
    assert "sentence 7 reports no meeting, talks, visit or call" in bad.reasons[0]
    assert "A meeting of these parties is reported in sentence 1." in bad.reasons[0]


@pytest.mark.parametrize("sentence", [1, 2, [1, 2], [2, 3], "2"])
def test_the_reporting_sentence_or_a_run_covering_it_is_accepted(article, sentence):
    # 2 names no one: "The two leaders" stands for the pair named in 1
    checked = check(article, meetings=[meeting(sentence)])
    assert not checked.invalid, reask_text(checked)


@pytest.mark.parametrize(
    ("item", "ok"),
    [
        (position(RIVAS, 3), True),  # "She said", right after the sentences naming Rivas
        (position(RIVAS, 1), True),
        (position(ODUM, 4), True),
        (position(ODUM, 5), False),
        (position(RIVAS, 6), False),
        (position(TARSKA, 4), True),  # Odum, whom the article calls the Tarskan counterpart
        (position(TARSKA, 6), True),  # "Tarskan President Ivo Marr"
        (position(TARSKA, 5), False),
        (position(ODUM, [4, 5]), True),
    ],
)
def test_a_position_must_cite_a_sentence_that_mentions_its_actor(article, item, ok):
    checked = check(article, positions=[item])
    assert (not checked.invalid) is ok, reask_text(checked)
    if not ok:
        assert "does not mention" in checked.invalid[0].reasons[0]


def test_a_rejected_position_names_where_its_actor_is(article):
    checked = check(article, positions=[position(ODUM, 6)])
    assert "Pell Odum is named in sentences 1, 4 and 7" in reask_text(checked)


def test_a_paraphrase_or_reported_claim_must_cite_its_speaker(article):
    checked = check(
        article,
        claims=[claim(ODUM, 4), claim(ODUM, 5), claim(RIVAS, 3, kind="reported")],
    )
    assert [c.sentence for c in checked.valid["claims"]] == [4, 3]
    (bad,) = checked.invalid
    assert bad.path == "claims[1]" and "sentence 5 does not mention 'Pell Odum'" in bad.reasons[0]


def test_a_direct_quote_citing_a_wrong_sentence_keeps_the_quotes_own_place(article):
    quote = "We are ready to sign"
    checked = check(article, claims=[claim(ODUM, 5, kind="direct-quote", text=quote)])
    assert not checked.invalid, reask_text(checked)
    (ev,) = checked.valid["claims"][0].evidence()
    start, end = sentence_spans(article.text)[3]
    assert ev.text == quote and start <= ev.start < end  # sentence 4, never 5
    wrong = check(article, claims=[claim(RIVAS, 4, kind="direct-quote", text=quote)])
    assert "the article attributes this quote to Pell Odum" in reask_text(wrong)


def test_an_actor_the_check_cannot_find_is_accepted(article):
    start, end = sentence_spans(article.text)[4]
    cited = evidence_at(article, start, end)
    assert citation_problem(article, cited, [("Loma Vesk", "person")], "position") is None
    assert citation_problem(article, cited, [("Pell Odum", "person")], "position") is not None


# --- through the real client and the loopback fake ------------------------------------------


def test_a_wrong_number_is_reasked_and_the_corrected_answer_lands(tmp_path: Path, article):
    first = {
        "actors": [RIVAS, ODUM],
        "meetings": [meeting(5, "Ana Rivas", "Pell Odum", location="Varo")],
        "positions": [position("Pell Odum", 4)],
    }
    second = {"meetings": [meeting(1, "Ana Rivas", "Pell Odum", location="Varo")]}
    with FakeOpenAI() as fake:
        fake.script(Reply.answer(first), Reply.answer(second))
        result = extract(fake, tmp_path, article)
        assert len(fake.chat_requests) == 2
        reask = json.dumps(fake.chat_requests[1].body, ensure_ascii=False)
    assert "sentence 5 does not mention" in reask and "named together in sentences 1 and 7" in reask
    (m,) = result.meetings
    start, end = sentence_spans(article.text)[0]
    assert (m.evidence[0].start, m.evidence[0].end) == (start, end)
    assert [p.name for p in m.participants] == ["Ana Rivas", "Pell Odum"]
    assert len(result.positions) == 1 and not result.drops


@pytest.mark.parametrize("sentence", [2, [1, 2]])
def test_a_right_number_with_a_description_or_a_run_is_accepted_without_a_reask(
    tmp_path: Path, article, sentence
):
    answer = {
        "actors": [RIVAS, ODUM],
        "meetings": [meeting(sentence, "Ana Rivas", "Pell Odum")],
        "positions": [position("Ana Rivas", 3)],  # "She said …"
    }
    with FakeOpenAI() as fake:
        fake.script(Reply.answer(answer))
        result = extract(fake, tmp_path, article)
        assert len(fake.chat_requests) == 1
    (m,) = result.meetings
    spans = sentence_spans(article.text)
    first = sentence[0] if isinstance(sentence, list) else sentence
    assert (m.evidence[0].start, m.evidence[0].end) == (spans[first - 1][0], spans[1][1])
    (p,) = result.positions
    assert p.evidence[0].text.startswith("She said") and not result.drops


def test_a_wrong_number_never_corrected_is_dropped_and_listed(tmp_path: Path, article):
    bad = {"meetings": [meeting(5)], "positions": [position(RIVAS, 3)]}
    with FakeOpenAI() as fake:
        fake.script(*[Reply.answer(bad)] * 5)
        result = extract(fake, tmp_path, article)
    assert not result.meetings and len(result.positions) == 1
    (drop,) = result.drops
    assert drop.path == "meetings[0]" and "does not mention" in drop.reasons[0]


def test_a_meeting_of_three_needs_two_of_them_in_the_sentence(article):
    three = meeting(1, RIVAS, ODUM, DORN)
    assert not check(article, meetings=[three]).invalid  # Dorn is only in sentence 6
    lone = meeting(6, RIVAS, ODUM, DORN)
    (bad,) = check(article, meetings=[lone]).invalid
    assert "does not mention 'Ana Rivas' and 'Pell Odum'" in bad.reasons[0]


def test_a_registry_alias_counts_as_a_mention():
    text = (
        "BRUSSELS, June 2 (LP) — Varnian Foreign Minister Ana Rivas held talks with EU officials"
        " on Tuesday.\nThe weather in the city was mild.\nThe European Union later thanked her.\n"
    )
    art = article_from_text(text, "eu.txt")
    eu = {"name": "European Union", "kind": "organisation"}
    checked = check(art, meetings=[meeting(1, RIVAS, eu), meeting(2, RIVAS, eu)])
    assert [m.sentence for m in checked.valid["meetings"]] == [1]


def test_a_sentence_telling_a_detail_of_the_meeting_is_evidence_for_it():
    text = (
        "Varnian Foreign Minister Ana Rivas met Tarskan Foreign Minister Pell Odum in Varo on"
        " Monday.\nRivas shook hands with Odum at the old border post.\n"
        "Rivas praised Odum as a patient negotiator.\n"
    )
    art = article_from_text(text, "post.txt")
    checked = check(art, meetings=[meeting(2), meeting(3)])
    assert [m.sentence for m in checked.valid["meetings"]] == [2]
    (bad,) = checked.invalid
    assert "reports no meeting" in bad.reasons[0] and "reported in sentence 1." in bad.reasons[0]


def test_a_title_whose_bearer_the_next_sentence_names_counts_as_a_mention():
    text = (
        "Varnian Foreign Minister Ana Rivas met the Tarskan foreign minister in Varo on Monday.\n"
        "Pell Odum, who took office in March, called the talks frank.\n"
        "The weather in Varo was mild.\nOdum flew home on Tuesday.\n"
    )
    art = article_from_text(text, "title.txt")
    checked = check(art, meetings=[meeting(1), meeting(3)])
    assert [m.sentence for m in checked.valid["meetings"]] == [1], reask_text(checked)


def test_quoted_words_whose_speaker_the_engine_cannot_tell_leave_a_claim_unjudged():
    text = (
        "Varnian Foreign Minister Ana Rivas met Tarskan Foreign Minister Pell Odum in Varo on"
        " Monday.\nThe talks lasted three hours.\nFerries will resume in June.\n"
        "The river has flooded twice this year.\n"
        '"Our patience is not endless."\n'
    )
    art = article_from_text(text, "voiceless.txt")
    checked = check(art, claims=[claim(RIVAS, 5), claim(RIVAS, 4)])
    assert [c.sentence for c in checked.valid["claims"]] == [5], reask_text(checked)
