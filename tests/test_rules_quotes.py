"""Direct quotes and their speakers: pattern by pattern, on seed sentences and made-up ones
of the same shapes."""

from __future__ import annotations

import pytest

from briefing.rules.quotemarks import find_quotes
from briefing.rules.records import extract_records
from briefing.schemas import Article

LEAD = "Chinese Foreign Minister Wang Yi met Russian Foreign Minister Sergei Lavrov in Moscow.\n"


def article(text: str) -> Article:
    return Article(id=Article.make_id(text), path="t.txt", title="t", text=text)


def quotes(text: str) -> list[tuple[str, str]]:
    _, _, claims = extract_records(article(text))
    return [(c.speaker.name, c.text) for c in claims if c.kind == "direct-quote"]


@pytest.mark.parametrize(
    ("sentence", "speaker", "words"),
    [
        (
            "“We will keep talking to everyone,” Wang said.",
            "Wang Yi",
            "We will keep talking to everyone",
        ),
        (
            '"We will keep talking to everyone," said Lavrov.',
            "Sergei Lavrov",
            "We will keep talking",
        ),
        (
            "Lavrov said: “The West has chosen the path of confrontation.”",
            "Sergei Lavrov",
            "The West has",
        ),
        (
            "Wang told Lavrov that Beijing is “ready to deepen trust at all levels.”",
            "Wang Yi",
            "ready to deepen",
        ),
        ("“Our ties are strong and getting stronger,” he added.", "Wang Yi", "Our ties are strong"),
        (
            "“Our ties are strong and getting stronger,” the Russian minister stated.",
            "Sergei Lavrov",
            "Our ties",
        ),
        (
            "According to Lavrov, the talks were “frank and very useful indeed.”",
            "Sergei Lavrov",
            "frank and very",
        ),
    ],
)
def test_speaker_patterns(sentence: str, speaker: str, words: str) -> None:
    found = quotes(LEAD + sentence)
    assert len(found) == 1
    assert found[0][0] == speaker
    assert found[0][1].startswith(words)


def test_split_quote_is_two_claims_with_one_speaker() -> None:
    text = LEAD + "“We agreed on a lot today,” Lavrov said, “and we will meet again soon.”"
    assert quotes(text) == [
        ("Sergei Lavrov", "We agreed on a lot today"),
        ("Sergei Lavrov", "and we will meet again soon."),
    ]


def test_scare_quotes_are_not_claims() -> None:
    text = LEAD + "Lavrov praised the “no limits” partnership and the “multipolar” world."
    assert quotes(text) == []


def test_nested_quotes_stay_in_their_outer_quote() -> None:
    text = LEAD + "“They keep saying “never again” and then do it again,” Lavrov said."
    assert quotes(text) == [
        ("Sergei Lavrov", "They keep saying “never again” and then do it again")
    ]


def test_mixed_and_unbalanced_marks() -> None:
    # seed 002 opens with a curly mark and closes with a straight one
    text = LEAD + 'Wang said relations are “reaching new milestones" amid tensions.'
    assert quotes(text) == [("Wang Yi", "reaching new milestones")]


def test_unattributed_paragraph_continues_the_last_speaker() -> None:
    text = (
        LEAD + "“We talked for hours,” Lavrov told reporters.\n“Nothing was left out of the talks.”"
    )
    assert [s for s, _ in quotes(text)] == ["Sergei Lavrov", "Sergei Lavrov"]


def test_quote_left_open_closes_at_paragraph_end() -> None:
    spans = find_quotes("He said “this never closes properly\nNext line.")
    assert len(spans) == 1 and not spans[0].closed


def test_participle_reporting_verb_takes_the_sentence_subject() -> None:
    # seed 002: "Qin Gang ... expressed "deep concern" about ..., urging Western countries to "…""
    text = (
        'Chinese Foreign Minister Qin Gang on Tuesday expressed "deep concern" about an escalation'
        ' in the Ukraine-Russia war, urging Western countries to "stop fueling the fire."'
    )
    assert quotes(text) == [("Qin Gang", "stop fueling the fire.")]


def test_quote_evidence_is_the_source_slice() -> None:
    a = article(LEAD + "“We will keep talking to everyone,” Wang said.")
    _, _, claims = extract_records(a)
    ev = claims[0].evidence[0]
    assert a.text[ev.start : ev.end] == ev.text == claims[0].text
