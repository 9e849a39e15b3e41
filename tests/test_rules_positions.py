"""Positions: cue by cue, topic by topic, holder by holder, on made-up sentences of the shapes
news uses (none of these names is in the seeds)."""

from __future__ import annotations

import pytest

from briefing.rules.records import extract_records
from briefing.schemas import Article, Position

LEAD = (
    "Indian Foreign Minister Subrahmanyam Jaishankar met Brazilian Foreign Minister Mauro "
    "Vieira in New Delhi on Monday.\n"
)
SUMMIT = (
    "South African President Cyril Ramaphosa hosted Iranian President Masoud Pezeshkian in "
    "Pretoria on Tuesday.\n"
)
EUROPE = (
    "German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Wednesday.\n"
)


def positions(text: str) -> list[Position]:
    a = Article(id=Article.make_id(text), path="t.txt", title="t", text=text)
    return extract_records(a)[1]


def triples(text: str) -> set[tuple[str, str, str]]:
    return {(p.actor.name, p.stance, p.topic) for p in positions(text)}


# --- topics ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a relationship between the two states of the clause, whoever speaks
            LEAD + "Jaishankar said relations between the two countries are at their best level "
            "in decades.",
            ("Subrahmanyam Jaishankar", "supports", "Brazil-India relations"),
        ),
        (  # one state named: the holder's own state is the other
            LEAD + "Jaishankar sought close cooperation at all levels with Brazil.",
            ("Subrahmanyam Jaishankar", "calls-for", "Brazil-India relations"),
        ),
        (  # hyphenated adjectives
            EUROPE + "Macron emphasized that French-German ties are steadily developing.",
            ("Emmanuel Macron", "supports", "France-Germany relations"),
        ),
        (  # "Kazakhstan is and will remain one of Russia's partners"
            SUMMIT + "According to Pezeshkian, Iran is and will remain a reliable partner of "
            "South Africa.",
            ("Masoud Pezeshkian", "supports", "Iran-South Africa relations"),
        ),
        (  # conflict + peace words
            EUROPE + "Scholz said Germany will continue to play a constructive role in promoting "
            "a political solution to the Sudanese crisis.",
            ("Olaf Scholz", "supports", "Sudan peace process"),
        ),
        (  # conflict alone; the quote marks of the cue are read through, and dropped
            EUROPE + 'Macron expressed "deep concern" about an escalation in the war in Sudan.',
            ("Emmanuel Macron", "concerned", "Sudan war"),
        ),
        (  # an issue of the vocabulary
            LEAD + "New Delhi and Brasilia remain committed to building a multipolar world, "
            "Vieira said.",
            ("Mauro Vieira", "supports", "multipolar world"),
        ),
        (  # an organisation judged favourably
            SUMMIT + "Ramaphosa said the African Union has become one of the most important "
            "voices of the Global South.",
            ("Cyril Ramaphosa", "supports", "African Union"),
        ),
        (  # a theatre that is no state keeps its name
            "Japan has sought to position itself as a neutral party in the Gaza conflict.",
            ("Japan", "neutral", "Gaza war"),
        ),
        (  # "without X" stays part of a peace-process label
            EUROPE + "Macron noted the futility of attempts to resolve the Sudan conflict without "
            "Egypt's participation.",
            ("Emmanuel Macron", "rejects", "Sudan peace process without Egypt"),
        ),
        (
            "The ministry said in a statement that Tokyo opposes any unilateral change to the "
            "status quo in the Taiwan Strait.",
            ("Japan", "opposes", "Taiwan"),
        ),
    ],
)
def test_topic_vocabulary(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


def test_conflict_words_borrow_the_conflict_named_before() -> None:
    text = (
        EUROPE + "The talks were dominated by the war in Sudan.\n"
        "Macron urged an end to hostilities and called for negotiations."
    )
    assert ("Emmanuel Macron", "calls-for", "Sudan peace process") in triples(text)


def test_phrase_topic_is_a_clean_short_noun_phrase() -> None:
    text = (
        LEAD + '"Both sides should continue to strengthen coordination in international and '
        'regional affairs, and act together at the UN," Jaishankar said.'
    )
    found = positions(text)
    assert [(p.stance, p.topic) for p in found] == [
        ("calls-for", "coordination in international and regional affairs")
    ]


def test_phrase_topic_drops_the_verb_after_should() -> None:
    text = EUROPE + "Scholz stressed that Europe should reduce its dependence on Russian gas."
    assert ("Olaf Scholz", "calls-for", "dependence on Russian gas") in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        LEAD + "Vieira urged a broad and inclusive review of the rules of the international "
        "financial system and its lending practices.",
        LEAD + 'Jaishankar backed "the reform of the rules of" the global trading system.',
    ],
)
def test_topics_are_short_and_end_on_a_content_word(text: str) -> None:
    for p in positions(text):
        words = p.topic.split()
        assert len(words) <= 8
        assert words[-1].casefold() not in {"of", "the", "and", "to", "in", "a", "its"}
        assert not set(p.topic) & set('“”"„«»')


# --- holders ---------------------------------------------------------------------------------


def test_the_speaker_holds_what_his_state_backs() -> None:
    text = (
        LEAD + "Vieira told Jaishankar that Brasilia backed India in its bid for a permanent "
        "seat on the UN Security Council."
    )
    holders = {p.actor.name for p in positions(text)}
    assert holders == {"Mauro Vieira"}


def test_a_person_subject_inside_reported_speech_holds_it_himself() -> None:
    text = LEAD + "Jaishankar said Vieira backed the expansion of the BRICS group."
    assert {p.actor.name for p in positions(text)} == {"Mauro Vieira"}


def test_the_subject_is_read_past_parentheticals() -> None:
    text = (
        "German Chancellor Olaf Scholz, in his talks with French President Emmanuel Macron in "
        "Paris, France, stressed that Europe should reduce its dependence on Russian gas."
    )
    assert {p.actor.name for p in positions(text)} == {"Olaf Scholz"}


def test_a_state_holds_a_stance_only_when_no_person_is_named() -> None:
    text = "Japan has sought to position itself as a neutral party in the Gaza conflict."
    found = positions(text)
    assert [(p.actor.kind, p.stance) for p in found] == [("state", "neutral")]


def test_which_belongs_to_the_owner_of_its_antecedent() -> None:
    text = (
        "Egyptian President Abdel Fattah al-Sisi presented Cairo's peace plan for Sudan, which "
        "called for an immediate ceasefire."
    )
    found = positions(text)
    assert [(p.actor.name, p.stance) for p in found] == [("Egypt", "calls-for")]
    assert found[0].summary == "Egypt's peace plan for Sudan called for an immediate ceasefire."


def test_an_unnamed_speaker_holds_nothing() -> None:
    text = LEAD + "An aide to Vieira said that relations between the two countries are excellent."
    assert positions(text) == []


# --- stances ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Vieira said Brazil deeply appreciates India's support for the G20 agenda.", "welcomes"),
        ("Vieira welcomed the decision to lift sanctions on Venezuela.", "welcomes"),
        ("Vieira said Brazil is committed to the Paris climate agreement.", "supports"),
        ("Vieira emphasized that the two sides should expand cooperation in energy.", "calls-for"),
        ("Vieira expressed hope that the sanctions on Venezuela would be lifted.", "calls-for"),
        ("Vieira warned against new sanctions on Venezuela.", "warns"),
        ("Vieira rejected Western criticism of the nuclear programme of Iran.", "rejects"),
        ("Vieira opposed the use of sanctions against developing countries.", "opposes"),
        ("Vieira expressed concern over the sanctions on Venezuela.", "concerned"),
    ],
)
def test_stance_cues(sentence: str, stance: str) -> None:
    found = positions(LEAD + sentence)
    assert [p.stance for p in found] == [stance]
    assert found[0].actor.name == "Mauro Vieira"


def test_hope_for_a_visit_is_a_planned_meeting_not_a_stance() -> None:
    text = SUMMIT + "Pezeshkian expressed hope that Ramaphosa would visit Tehran next year."
    a = Article(id=Article.make_id(text), path="t.txt", title="t", text=text)
    meetings, found, _ = extract_records(a)
    assert found == []
    assert any(m.status == "planned" for m in meetings)


def test_a_cue_inside_a_call_is_part_of_the_call() -> None:
    text = LEAD + "Vieira said both countries should keep their commitment to the Paris agreement."
    assert [p.stance for p in positions(text)] == ["calls-for"]


def test_a_weak_cue_gives_way_to_the_cue_in_its_clause() -> None:
    text = "Japan has sought to position itself as a neutral party in the Gaza conflict."
    assert [p.stance for p in positions(text)] == ["neutral"]


# --- negative cases --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        SUMMIT + "The two leaders signed five agreements on energy and transport.",
        SUMMIT + "Iran and South Africa frequently tout their “strategic” partnership.",
        EUROPE + "Scholz welcomed Macron to Berlin.",
        EUROPE + "Scholz said relations between the two countries are not strong.",
        EUROPE + "Scholz said that the talks lasted three hours.",
        EUROPE + "Scholz told reporters about the talks.",
    ],
)
def test_no_position_from_plain_facts(text: str) -> None:
    assert positions(text) == []


# --- summaries -------------------------------------------------------------------------------


def test_summaries_are_sentences_of_the_source_clause() -> None:
    text = (
        EUROPE + 'Macron on Tuesday expressed "deep concern" about an escalation in the war in '
        'Sudan, urging both parties to "agree to a ceasefire" and warning of famine.'
    )
    summaries = {p.stance: p.summary for p in positions(text)}
    assert summaries["concerned"] == (
        "Emmanuel Macron on Tuesday expressed deep concern about an escalation in the war in Sudan."
    )
    assert summaries["calls-for"] == "Emmanuel Macron urged both parties to agree to a ceasefire."


def test_a_reported_stance_is_summarised_with_its_frame() -> None:
    text = (
        LEAD + "Vieira told Jaishankar that Brasilia backed India in its bid for a permanent seat "
        "on the UN Security Council."
    )
    (found,) = positions(text)
    assert found.summary.startswith("Mauro Vieira told Jaishankar that Brasilia backed India")
    assert found.evidence[0].text == text.splitlines()[1]
