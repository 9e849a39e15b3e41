"""A paraphrase, report or position cited with a sentence in which its actor is only the
one spoken to ("Kern told Marrow that …", "Kern urged Marrow to …") is rejected: the brief
shows the cited sentence word for word as the claim's statement or the position's summary,
so it would put Kern's words under Marrow (``briefing.checks._voice_problem``). The actor
speaking there (by name or a pronoun the rules engine resolves) still passes. A paraphrase
citing a sentence that reports two speakers shows only its speaker's statement
(``briefing.checks.own_report``).

The article is invented (names, places, wording)."""

from __future__ import annotations

from typing import Any

import pytest

from briefing.drafts import ArticleDraft
from briefing.grounding import sentence_spans
from briefing.ingest import article_from_text
from briefing.validation import check_answer, reask_text

TEXT = (
    "---\ntitle: Harbour talks in Melsk\noutlet: Coastline Herald\npublished: 2026-05-05\n---\n"
    "MELSK, May 4 (CH) — Ostrian Foreign Minister Ilse Marrow met her Vennish counterpart Bodo"
    " Kern in Melsk on Monday.\n"  # 1
    "Kern told Marrow that Vennland would reopen the Dalsk crossing next month.\n"  # 2
    "Marrow said the fishing dispute must be settled first, while Kern said the ferry tariff"
    " was the real obstacle.\n"  # 3
    "Kern urged Marrow to drop the tariff on Vennish timber.\n"  # 4
    '"We will not wait forever," Marrow said.\n'  # 5
    "She said Ostria would send a trade mission to Dalsk in the spring.\n"  # 6
    "Kern told his guest that the timber quota was not negotiable.\n"  # 7
)
MARROW = {"name": "Ilse Marrow", "kind": "person"}
KERN = {"name": "Bodo Kern", "kind": "person"}


@pytest.fixture(scope="module")
def article():
    return article_from_text(TEXT, "melsk.txt")


def check(article, **lists: list[dict[str, Any]]):
    return check_answer({"actors": [MARROW, KERN], **lists}, article, ArticleDraft.item_models())


def claim(speaker: str, sentence: int) -> dict[str, Any]:
    return {"speaker": speaker, "kind": "paraphrase", "sentence": sentence}


def position(actor: str, sentence: int) -> dict[str, Any]:
    return {"actor": actor, "topic": "timber tariff", "stance": "supports", "sentence": sentence}


def test_the_article_reads_as_the_tests_assume(article):
    assert len(sentence_spans(article.text)) == 7


@pytest.mark.parametrize("sentence", [2, 7])
def test_a_paraphrase_under_the_one_spoken_to_is_rejected(article, sentence):
    checked = check(article, claims=[claim("Ilse Marrow", sentence)])
    assert not checked.valid["claims"]
    text = reask_text(checked)
    assert f"in sentence {sentence} it is Bodo Kern who says this, not 'Ilse Marrow'" in text
    assert "Ilse Marrow speaks in sentences 3, 5 and 6" in text, text


def test_a_position_under_the_one_urged_is_rejected(article):
    checked = check(article, positions=[position("Ilse Marrow", 4)])
    assert not checked.valid["positions"]
    assert "it is Bodo Kern who takes this stance, not 'Ilse Marrow'" in reask_text(checked)


@pytest.mark.parametrize(
    ("speaker", "sentence"),
    [("Bodo Kern", 2), ("Bodo Kern", 7), ("Ilse Marrow", 3), ("Bodo Kern", 3),
     ("Ilse Marrow", 6)],
)
def test_the_speaker_of_the_sentence_passes(article, speaker, sentence):
    checked = check(article, claims=[claim(speaker, sentence)])
    assert len(checked.valid["claims"]) == 1, reask_text(checked)


def test_the_stance_holder_passes(article):
    checked = check(article, positions=[position("Bodo Kern", 4)])
    assert len(checked.valid["positions"]) == 1, reask_text(checked)


@pytest.mark.parametrize(
    ("speaker", "shown"),
    [("Bodo Kern", "Kern said the ferry tariff was the real obstacle"),
     ("Ilse Marrow", "Marrow said the fishing dispute must be settled first")],
)
def test_a_sentence_of_two_speakers_shows_only_the_claimed_ones_words(article, speaker, shown):
    checked = check(article, claims=[claim(speaker, 3)])
    (record,) = [c.to_record() for c in checked.valid["claims"]]
    assert record.text == shown
    assert record.evidence[0].text == shown  # sliced from the article, not reworded
    assert article.text[record.evidence[0].start : record.evidence[0].end] == shown


def test_a_sentence_of_one_speaker_is_shown_whole(article):
    checked = check(article, claims=[claim("Bodo Kern", 2)])
    (record,) = [c.to_record() for c in checked.valid["claims"]]
    assert record.text == (
        "Kern told Marrow that Vennland would reopen the Dalsk crossing next month."
    )


ORVANE = (
    "---\ntitle: Pact in Orvane\noutlet: Delta Wire\npublished: 2026-06-02\n---\n"
    "Lorvish President Tamsin Eddery hosted Karelan Prime Minister Oskar Vell in Orvane on"
    " Tuesday.\n"  # 1
    "The minister told journalists that Karela would fund a new dam on the Sarn.\n"  # 2
    "Vell later said he had assured his host that Karela would honour the quotas.\n"  # 3
    "Speaking after Vell, Eddery said she hoped the pact would last.\n"  # 4
    "Lorvia welcomed the Karelan offer, Eddery said.\n"  # 5
)
ORVANE_ACTORS = [
    {"name": "Tamsin Eddery", "kind": "person"}, {"name": "Oskar Vell", "kind": "person"},
    {"name": "Lorvia", "kind": "state"}, {"name": "Karela", "kind": "state"},
]


@pytest.fixture(scope="module")
def orvane():
    return article_from_text(ORVANE, "orvane.txt")


def orvane_check(article, **lists: list[dict[str, Any]]):
    answer = {"actors": ORVANE_ACTORS, **lists}
    return check_answer(answer, article, ArticleDraft.item_models())


@pytest.mark.parametrize(
    ("actor", "sentence", "speaker"),
    [("Oskar Vell", 4, "it is Tamsin Eddery who takes this stance"),  # named, not speaking
     ("Karela", 5, "it is Lorvia and Tamsin Eddery who take this stance")],  # its adjective
)
def test_a_position_cited_with_a_sentence_only_others_speak_in_is_rejected(
    orvane, actor, sentence, speaker
):
    checked = orvane_check(orvane, positions=[position(actor, sentence)])
    assert not checked.valid["positions"]
    assert f"{speaker}, not {actor!r}" in reask_text(checked)


@pytest.mark.parametrize(
    ("kind", "actor", "sentence"),
    [("claims", "Oskar Vell", 2),  # "the minister" after the sentence naming him
     ("claims", "Oskar Vell", 3), ("claims", "Tamsin Eddery", 4),
     ("positions", "Lorvia", 5), ("positions", "Tamsin Eddery", 5)],
)
def test_who_speaks_there_passes(orvane, kind, actor, sentence):
    item = claim(actor, sentence) if kind == "claims" else position(actor, sentence)
    checked = orvane_check(orvane, **{kind: [item]})
    assert len(checked.valid[kind]) == 1, reask_text(checked)


def test_the_host_of_a_speaker_who_assured_his_host_is_rejected(orvane):
    checked = orvane_check(orvane, claims=[claim("Tamsin Eddery", 3)])
    assert not checked.valid["claims"]
    assert "it is Oskar Vell who says this" in reask_text(checked)


def test_a_position_citing_its_own_sentence_and_anothers_shows_only_its_own_words(article):
    checked = check(article, positions=[position("Ilse Marrow", [3, 4])])
    (record,) = [p.to_record() for p in checked.valid["positions"]]
    assert record.summary == "Marrow said the fishing dispute must be settled first"
    assert "Kern" not in record.evidence[0].text


def test_a_paraphrase_citing_a_sentence_with_no_voice_before_its_own_keeps_both(article):
    checked = check(article, claims=[claim("Bodo Kern", [1, 2])])
    (record,) = [c.to_record() for c in checked.valid["claims"]]
    assert record.text.startswith("MELSK") and record.text.endswith("next month.")
