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


# Kinds of attribution error seen on real news (issue 8); invented articles, one per kind.


def test_doubled_apostrophes_and_hard_wrapped_lines() -> None:
    text = (
        "Foreign Minister Tomas Reyke met his counterpart Anna Belloc in Varna.\n"
        "''We hope the two delegations will meet\nagain before the winter summit,'' Reyke said.\n"
    )
    assert quotes(text) == [
        ("Tomas Reyke", "We hope the two delegations will meet\nagain before the winter summit")
    ]


def test_single_marks_are_quotes_and_apostrophes_are_not() -> None:
    text = (
        "President Ilse Marvik said on Monday the leaders’ talks were ‘a real step towards"
        " peace’. Marvik’s aides agreed."
    )
    assert quotes(text) == [("Ilse Marvik", "a real step towards peace")]


def test_quote_over_several_paragraphs_has_one_speaker() -> None:
    text = (
        "Prime Minister Oren Dahl spoke after the talks with Lia Strand.\n\n"
        "“We have agreed to open the northern crossing.\n\n"
        "“Trade will follow, and so will the ferries.\n\n"
        "“This is a good day for both our peoples,” Dahl said.\n"
    )
    found = quotes(text)
    assert len(found) == 3
    assert {s for s, _ in found} == {"Oren Dahl"}


def test_pronoun_speaker_is_not_a_name_inside_the_quote() -> None:
    text = (
        "Interim President Mara Quell said on Friday that the two states would cooperate.\n"
        "“Today I spoke with the President of Ostland, Piet Varga, and we agreed to meet,”"
        " she said.\n"
    )
    assert quotes(text) == [
        (
            "Mara Quell",
            "Today I spoke with the President of Ostland, Piet Varga, and we agreed to meet",
        )
    ]


def test_role_noun_speaker_is_the_salient_person_not_the_last_named() -> None:
    text = (
        "The mediation team head Ossian Brel told reporters that the ousted leader would not"
        " return.\n"
        "“President Kalu Demba told us that he has resigned of his own will,” the official added.\n"
    )
    assert quotes(text)[0][0] == "Ossian Brel"


def test_appositive_between_speaker_and_verb() -> None:
    text = (
        "“Shuttle talks are slow, but we keep going back and forth,” Dana Whitlock, the national"
        " security adviser, said this week.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Dana Whitlock"]


def test_inverted_verb_before_a_title_and_name() -> None:
    text = (
        "“We firmly oppose the planned visit to the islands,” said ministry spokesperson"
        " Chen Weiran at a briefing.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Chen Weiran"]


def test_quoted_as_saying() -> None:
    text = (
        "“Our two nations will never act against each other,” President Omar Saleh was"
        " quoted as saying.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Omar Saleh"]


def test_document_speaks_for_the_body_that_issued_it() -> None:
    text = (
        "Prime Minister Leona Fairweather spoke with President Aldo Prieto on Tuesday.\n"
        "The Foreign Ministry issued a statement after the call.\n"
        "“The leaders discussed how to deepen trade and energy ties,” the statement read.\n"
    )
    assert quotes(text) == [
        ("Foreign Ministry", "The leaders discussed how to deepen trade and energy ties")
    ]


def test_partial_quote_deep_in_a_reported_clause_is_the_reporters_wording() -> None:
    text = (
        "President Ines Carvalho said that Prime Minister Noel Brandt thanked the rescue crews"
        " who flew north “to help our people at this hard time.”\n"
    )
    assert [s for s, _ in quotes(text)] == ["Ines Carvalho"]


def test_quote_introduced_by_a_participle_belongs_to_its_clause() -> None:
    text = (
        "Envoy Karim Osei said Foreign Minister Soe Lwin sent a message to him saying,"
        " “he would be far too busy” this week.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Soe Lwin"]


def test_name_on_its_own_line_signs_the_quote() -> None:
    text = (
        "Foreign Minister Rhys Tamati met the visiting delegation in Nelson.\n\n"
        "The president of the council, Aru Penfold, also attended.\n\n"
        "“The talks were long and serious, and there is work ahead for all of us.”\n\n"
        "Rhys Tamati.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Rhys Tamati"]


def test_unattributed_quote_after_a_sentence_naming_its_speaker() -> None:
    text = (
        "Envoy Lena Morrow said the talks had failed.\n"
        "The president’s spokesman Idris Kamal gave a different account of the day.\n"
        "“The delegation was offered meetings but chose to leave early.”\n"
    )
    assert [s for s, _ in quotes(text)] == ["Idris Kamal"]


def test_headline_colon_quote() -> None:
    text = (
        "Varga speaks with Quell: “We will meet in Ostberg very soon”\n"
        "President Piet Varga said."
    )
    assert [s for s, _ in quotes(text)][:1] == ["Piet Varga"]


def test_hard_wrapped_sentence_keeps_its_subject_for_a_later_pronoun() -> None:
    text = (
        "Foreign Minister Alva Brun met her counterpart Tariq Noor in Kesh.\n"
        "Noor said the talks had\nopened a new chapter between the two\ncountries.\n"
        "Asked about the border, he said\nthe matter would go to the experts.\n"
        "''We hope the experts will meet\nsoon after the holidays,'' he added.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Tariq Noor"]


def test_leading_participle_phrase_is_not_the_subject() -> None:
    text = (
        "Special Envoy Rafe Ingram called on President Sela Okoro at the palace.\n"
        "Welcoming the envoy, President Okoro spoke of her last visit to the region.\n"
        "“They want peace and they want it before the rains come,” the president said.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Sela Okoro"]


def test_reported_pronoun_speaker_resolves_by_salience_not_by_the_last_speaker() -> None:
    text = (
        "President Ahmet Kaya said his country would release more river water.\n"
        "In response, Prime Minister Jalal Rasouli thanked Kaya for the decision.\n"
        'He said Ostria has conveyed to Kaya its "wish to deepen ties in every field."\n'
    )
    assert [s for s, _ in quotes(text)] == ["Jalal Rasouli"]


def test_attribution_a_little_after_the_quote_closes_its_sentence() -> None:
    text = (
        "Envoy Sami Halvorsen flew to Tarn to see Foreign Minister Eda Koss.\n"
        "“They say they have no time this week” to meet, Halvorsen said on Friday.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Sami Halvorsen"]


def test_unnamed_spokesperson_speaks_for_the_body() -> None:
    text = (
        "Foreign Minister Pia Lund postponed her trip to Ostberg.\n"
        "“We had to postpone the visit because the summit moved,” said a spokesperson for the"
        " Foreign Office.\n"
    )
    assert quotes(text)[0][0] == "Foreign Office"


def test_document_text_is_not_the_leaders_words() -> None:
    text = (
        "President Ivo Darr spoke with Prime Minister Lena Frost on Monday.\n"
        "The Foreign Ministry released a joint statement after the call.\n"
        "The statement said the leaders “agreed to keep working closely at every level.”\n"
    )
    assert quotes(text)[0][0] == "Foreign Ministry"


def test_quoted_theme_inside_a_sentence_continues_nobody() -> None:
    text = (
        "“We are ready for the talks,” President Ivo Darr said.\n"
        "The summit theme, “Trust Across the Water Now”, was chosen by the hosts.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Ivo Darr"]


def test_role_noun_needs_a_person_who_holds_that_role() -> None:
    text = (
        "Lena Frost, a writer, met President Ivo Darr at the palace.\n"
        "Frost said the palace was full of paintings.\n"
        "“We will open the archives to historians next year,” the president said.\n"
    )
    assert [s for s, _ in quotes(text)] == ["Ivo Darr"]


def test_capitalised_word_before_a_title_is_not_the_speaker() -> None:
    text = "“We are ready to talk at any time,” said Federal Chancellor Karl Brandt.\n"
    assert [s for s, _ in quotes(text)] == ["Karl Brandt"]


def test_statement_quoted_a_name_as_saying() -> None:
    text = "The statement quoted Okafor as saying “the border will reopen next week for all.”\n"
    assert [s for s, _ in quotes(text)] == ["Okafor"]


def test_facts_quote_attributions_agree_with_the_rules_quotes() -> None:
    from briefing.facts import quote_attributions

    text = (
        "Prime Minister Leona Fairweather spoke with President Aldo Prieto on Tuesday.\n"
        "The Foreign Ministry issued a statement after the call.\n"
        "“The leaders discussed how to deepen trade and energy ties,” the statement read.\n"
        "“We will meet again in the spring,” Prieto said.\n"
    )
    found = quote_attributions(text)
    assert [(a.speaker, a.kind, a.how) for a in found] == [
        ("Foreign Ministry", "organisation", "tail"),
        ("Aldo Prieto", "person", "tail"),
    ]
    assert text[found[1].start : found[1].end] == "We will meet again in the spring"


def test_it_said_after_a_press_office_is_the_office_not_a_country_in_the_quote() -> None:
    text = (
        "President Ana Roth met Prime Minister Jon Vik in Oslo.\n"
        "The presidential press office said the visit was useful.\n"
        "“Ostland and Varnia will sign the trade deal in June,” it said.\n"
    )
    assert [s for s, _ in quotes(text)] == ["presidential press office"]
    # with no body named before it, "it" stays unattributed rather than go to a place
    alone = text.replace("The presidential press office said the visit was useful.\n", "")
    assert quotes(alone) == []
