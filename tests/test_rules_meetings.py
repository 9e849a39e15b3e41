"""Meetings: triggers, parties, held vs planned, and merging of repeated mentions."""

from __future__ import annotations

import pytest

from briefing.rules.records import extract_records
from briefing.schemas import Article, Meeting


def meetings(text: str) -> list[Meeting]:
    a = Article(id=Article.make_id(text), path="t.txt", title="t", text=text)
    return extract_records(a)[0]


def parties(m: Meeting) -> set[str]:
    return {p.name for p in m.participants}


@pytest.mark.parametrize(
    ("text", "expected", "status"),
    [
        (
            "Indian Prime Minister Narendra Modi met with French President Emmanuel Macron "
            "in Paris on Monday.",
            {"Narendra Modi", "Emmanuel Macron"},
            "held",
        ),
        (
            "Talks between Turkish Foreign Minister Hakan Fidan and Egyptian Foreign "
            "Minister Sameh Shoukry ended in Cairo.",
            {"Hakan Fidan", "Sameh Shoukry"},
            "held",
        ),
        (
            "German Chancellor Olaf Scholz will meet Japanese Prime Minister Fumio Kishida "
            "next week.",
            {"Olaf Scholz", "Fumio Kishida"},
            "planned",
        ),
        (
            "Brazilian President Lula is due to hold talks with South African President Cyril "
            "Ramaphosa.",
            {"Lula", "Cyril Ramaphosa"},
            "planned",
        ),
        (
            "Spanish Prime Minister Pedro Sanchez is preparing to visit Beijing in April.",
            {"Pedro Sanchez", "China"},
            "planned",
        ),
        (
            "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed on Friday.",
            {"William Ruto", "Abiy Ahmed"},
            "held",
        ),
    ],
)
def test_meeting_patterns(text: str, expected: set[str], status: str) -> None:
    found = meetings(text)
    assert len(found) == 1
    assert parties(found[0]) == expected
    assert found[0].status == status


def test_phone_call_and_date_words() -> None:
    text = (
        "French President Emmanuel Macron held a phone call with Ukrainian President "
        "Volodymyr Zelensky on Sunday."
    )
    (m,) = meetings(text)
    assert m.format == "phone" and m.date_text == "on Sunday"


def test_in_his_meeting_with_takes_the_main_subject() -> None:
    # seed 002
    text = (
        "In his meeting with China's top diplomat Wang Yi in Moscow on Wednesday, Russian "
        "President Vladimir Putin said relations are good."
    )
    (m,) = meetings(text)
    assert parties(m) == {"Wang Yi", "Vladimir Putin"}
    assert m.location == "Moscow" and m.date_text == "on Wednesday"


def test_states_as_parties() -> None:
    text = "Russia and the US engaged in two rounds of talks aimed at improving relations."
    (m,) = meetings(text)
    assert {p.country for p in m.participants} == {"RUS", "USA"}
    assert all(p.kind == "state" for p in m.participants)


def test_repeated_mentions_merge_into_one_meeting() -> None:
    text = (
        "Chinese President Xi Jinping met with Sergey Shoigu, the Secretary of the Russian "
        "Security Council, in Beijing on Friday.\nXi told Shoigu that ties are strong.\n"
        "Shoigu arrived in Beijing on Friday for talks with the Chinese side."
    )
    (m,) = meetings(text)
    assert parties(m) == {"Xi Jinping", "Sergey Shoigu"}
    assert len(m.evidence) == 3


def test_told_reporters_is_no_meeting() -> None:
    text = "Russian President Vladimir Putin told reporters that the talks went well."
    assert meetings(text) == []


def test_meeting_evidence_is_the_sentence_slice() -> None:
    text = "Intro line.\nIndian Prime Minister Narendra Modi met French President Emmanuel Macron."
    (m,) = meetings(text)
    ev = m.evidence[0]
    assert text[ev.start : ev.end] == ev.text == text.splitlines()[1]


def test_a_trigger_ending_the_text_is_no_error() -> None:
    assert meetings("Officials from both countries talked") == []
