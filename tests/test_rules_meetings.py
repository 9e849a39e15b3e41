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


def test_evidence_ends_at_the_paragraph_after_an_abbreviation() -> None:
    # issue 9, fault 5: "D.C." before a line break used to glue the next paragraph on
    text = (
        "French President Emmanuel Macron met Indian Prime Minister Narendra Modi in "
        "Washington D.C.\nDuring the long winter, trade between the two fell sharply."
    )
    (m,) = meetings(text)
    assert m.evidence[0].text == text.splitlines()[0]
    assert m.location == "Washington D.C."


def test_a_trigger_ending_the_text_is_no_error() -> None:
    assert meetings("Officials from both countries talked") == []


# --- issue 8: kinds of error on real news, each shown with invented names and wording -------


@pytest.mark.parametrize(
    ("text", "expected", "status"),
    [
        # kind 1: meeting wording outside the first trigger list
        (
            "Chilean President Marta Quiroga spoke late on Tuesday with Peruvian President "
            "Tomas Herrera about fishing quotas.",
            {"Marta Quiroga", "Tomas Herrera"},
            "held",
        ),
        (
            "Kenyan President Daniel Omondi telephoned Tanzanian President Halima Juma on Friday.",
            {"Daniel Omondi", "Halima Juma"},
            "held",
        ),
        (
            "Queen Astrid on Thursday received a phone call from Brazilian Foreign Minister "
            "Paulo Ribeiro.",
            {"Astrid", "Paulo Ribeiro"},
            "held",
        ),
        (
            "Ghanaian Prime Minister Kofi Mensah was received warmly by President Idriss Kaboré "
            "on arrival on Saturday.",
            {"Kofi Mensah", "Idriss Kaboré"},
            "held",
        ),
        (
            "Swedish Foreign Minister Lena Holm had an interaction with Indian External Affairs "
            "Minister Arjun Mehta.",
            {"Lena Holm", "Arjun Mehta"},
            "held",
        ),
        (
            "Egyptian President Karim el-Masri will meet in Cairo on Sunday with Sudanese Prime "
            "Minister Omar Bashir al-Tayeb.",
            {"Karim el-Masri", "Omar Bashir al-Tayeb"},
            "planned",
        ),
        # kind 3: honorifics and unlisted role words are not names
        (
            "Thai Prime Minister Anan Chaiyo welcomed Malaysian Foreign Minister Dato' Seri "
            "Rahim Osman in a courtesy call.",
            {"Anan Chaiyo", "Rahim Osman"},
            "held",
        ),
        (
            "Ugandan President Ochieng Mukasa welcomed Hon. Samuel Odera, Chairperson of the "
            "regional commission.",
            {"Ochieng Mukasa", "Samuel Odera"},
            "held",
        ),
        # kind 4: a party named by its role, resolved to the person named before
        (
            "Saudi Foreign Minister Tariq bin Nasser arrived on Sunday.\nIn Baku, the Saudi "
            "minister held talks with his Azerbaijani counterpart Elmar Guliyev.",
            {"Tariq bin Nasser", "Elmar Guliyev"},
            "held",
        ),
        # kind 8: status
        (
            "Foreign Minister Ana Duarte refuses to meet U.N. envoy Lars Berg.",
            {"Ana Duarte", "Lars Berg"},
            "cancelled",
        ),
        (
            "Dutch Prime Minister Jan de Wit has postponed his talks with Belgian Prime "
            "Minister Luc Peeters.",
            {"Jan de Wit", "Luc Peeters"},
            "cancelled",
        ),
        (
            "Nigerian President Musa Bello and Senegalese President Awa Sall agreed to meet "
            "soon in Dakar.",
            {"Musa Bello", "Awa Sall"},
            "planned",
        ),
    ],
)
def test_issue8_meeting_kinds(text: str, expected: set[str], status: str) -> None:
    found = meetings(text)
    assert [parties(m) for m in found] == [expected]
    assert found[0].status == status


def test_a_state_visit_at_the_invitation_of_the_host_is_held() -> None:
    text = (
        "Mongolian President Batbold Ganzorig is on a state visit to Kazakhstan at the "
        "invitation of Kazakh President Nurlan Abenov."
    )
    (m,) = meetings(text)
    assert {"Batbold Ganzorig", "Nurlan Abenov"} <= parties(m)
    assert m.status == "held"


def test_separate_meetings_are_two_meetings() -> None:
    text = (
        "Estonian Foreign Minister Kadri Tamm held separate meetings with Latvian Foreign "
        "Minister Ivars Ozols and Lithuanian Foreign Minister Rasa Petraitis in Riga."
    )
    found = meetings(text)
    assert sorted(sorted(parties(m)) for m in found) == [
        ["Ivars Ozols", "Kadri Tamm"],
        ["Kadri Tamm", "Rasa Petraitis"],
    ]


def test_process_nouns_are_not_meetings() -> None:
    text = (
        "Norway, with Iceland and Denmark, has been engaged in months of negotiations over quotas."
    )
    assert meetings(text) == []


def test_told_in_a_sentence_about_another_meeting_lends_it_nothing() -> None:
    # issue 9 item 1: the date words of a second meeting stay with that meeting
    text = (
        "Polish Foreign Minister Adam Nowak began a visit to Rome with a meeting with Italian "
        "Foreign Minister Giulia Greco.\nNowak also told Greco about the talks he held over "
        "the weekend with Czech Foreign Minister Petr Dvorak."
    )
    found = {frozenset(parties(m)): m for m in meetings(text)}
    first = found[frozenset({"Adam Nowak", "Giulia Greco"})]
    assert first.date_text is None and len(first.evidence) == 1
    assert found[frozenset({"Adam Nowak", "Petr Dvorak"})].date_text == "over the weekend"


def test_in_a_meeting_with_takes_the_subject_after_the_comma() -> None:
    text = (
        "In a meeting with Peruvian President Tomas Herrera on Monday, Chilean President "
        "Marta Quiroga said ties were strong."
    )
    (m,) = meetings(text)
    assert parties(m) == {"Tomas Herrera", "Marta Quiroga"}


def test_place_from_the_next_sentence_about_the_talks() -> None:
    # kind 6: the venue is named in the sentence after the meeting
    text = (
        "Portuguese Prime Minister Rui Matos met Spanish Prime Minister Elena Ortiz on "
        "Tuesday.\nThe talks took place in Lisbon, officials said."
    )
    (m,) = meetings(text)
    assert m.location == "Lisbon"


def test_the_dateline_fills_a_gap() -> None:
    text = (
        "LISBON (Agency) - Portuguese Prime Minister Rui Matos held talks with Spanish Prime "
        "Minister Elena Ortiz on Tuesday."
    )
    (m,) = meetings(text)
    assert m.location == "Lisbon"


def test_a_city_beats_the_country() -> None:
    text = (
        "Spanish Prime Minister Elena Ortiz met Portuguese Prime Minister Rui Matos in "
        "Portugal on Tuesday.\nThe talks in Lisbon lasted two hours."
    )
    (m,) = meetings(text)
    assert m.location == "Lisbon"


def test_a_phone_call_takes_no_place_from_the_dateline() -> None:
    text = (
        "LISBON (Agency) - Portuguese Prime Minister Rui Matos held a phone call with Spanish "
        "Prime Minister Elena Ortiz on Tuesday."
    )
    (m,) = meetings(text)
    assert m.location is None


def test_plural_counterparts_named_later_are_the_parties() -> None:
    # kind 4/5: a trilateral in the lead, its members named in the next sentence
    text = (
        "OSLO - Foreign Minister Ola Berg met his Danish and Finnish counterparts in Oslo on "
        "Monday.\nThe meeting brought together Mr Berg, Danish Foreign Minister Mette Lund and "
        "Finnish Foreign Minister Aino Virtanen for the first time."
    )
    found = meetings(text)
    assert parties(found[0]) == {"Ola Berg", "Mette Lund", "Aino Virtanen"}
    assert found[0].location == "Oslo"


def test_place_words_stop_before_a_name() -> None:
    text = "In Nairobi Ugandan President Ochieng Mukasa met Kenyan President Daniel Omondi."
    (m,) = meetings(text)
    assert m.location == "Nairobi"


@pytest.mark.parametrize(
    ("text", "expected", "status"),
    [
        # kind 4: a bare role with its state, resolved to the person named before
        (
            "Chisinau, Monday: Moldovan foreign minister Anton Kessel spoke to reporters.\n"
            "Moldovan foreign minister refuses to meet U.N. envoy Mara Quist.",
            {"Anton Kessel", "Mara Quist"},
            "cancelled",
        ),
        # kind 2/4: a visit to a state whose own leader the sentence names: the leader hosts
        (
            "Chilean President Marta Quiroga said Peruvian President Tomas Herrera had accepted "
            "an invitation to visit Chile.",
            {"Tomas Herrera", "Marta Quiroga"},
            "planned",
        ),
        # kind 5: a coordinated title gives the second name its own state
        (
            "Presidents of Kyrgyzstan Nurbek Asanov and Tajikistan Farrukh Nazarov are holding "
            "talks in Dushanbe.",
            {"Nurbek Asanov", "Farrukh Nazarov"},
            "held",
        ),
        # a pronoun subject after a speech report is the person just named, not the speaker
        (
            "Spokesperson Lina Haddad said Ethiopian Prime Minister Dawit Bekele will arrive "
            "on Sunday, when he will meet with Egyptian President Omar Fahmy.",
            {"Dawit Bekele", "Omar Fahmy"},
            "planned",
        ),
    ],
)
def test_issue8_party_resolution(text: str, expected: set[str], status: str) -> None:
    found = [m for m in meetings(text) if len(parties(m)) == len(expected)]
    assert [parties(m) for m in found] == [expected]
    assert found[0].status == status


def test_their_hopes_of_a_dialogue_do_not_make_a_held_meeting_planned() -> None:
    text = (
        "Irish Foreign Minister Sean Byrne and Danish Foreign Minister Gwen Lund said that their "
        "meeting with Norwegian envoy Ewan Dahl and their hopes of a new dialogue were a start."
    )
    found = meetings(text)
    assert found and all(m.status == "held" for m in found)


def test_a_state_telling_states_is_no_meeting() -> None:
    text = "Earlier this week, Tehran told Gulf Arab states it would be unacceptable."
    assert meetings(text) == []


def test_a_spokesperson_is_not_the_host_and_the_place_stops_at_the_comma() -> None:
    text = (
        "Egyptian spokesperson Lina Haddad said Ethiopian Prime Minister Dawit Bekele will "
        "hold talks with President Omar Fahmy in Cairo, Haddad added."
    )
    (m,) = meetings(text)
    assert parties(m) == {"Dawit Bekele", "Omar Fahmy"}
    assert m.location == "Cairo"


def test_a_country_is_no_place() -> None:
    # the brief's place is a city or venue; "in Lebanon" is a topic here, not the venue
    text = "Iranian Foreign Minister Reza Karimi would visit Qatar to discuss a truce in Lebanon."
    (m,) = meetings(text)
    assert m.location is None


def test_a_meeting_told_in_the_first_person_inside_a_quote() -> None:
    # kind 1: the meeting is in the speaker's own words; "I" is the quote's speaker
    text = (
        '"Today I spoke with the President of Chile, Marta Quiroga, and we agreed to meet '
        'soon," Peruvian President Tomas Herrera said on social media.'
    )
    (m,) = meetings(text)
    assert parties(m) == {"Tomas Herrera", "Marta Quiroga"}
    assert m.status == "held"


def test_a_quoted_meeting_noun_is_no_meeting() -> None:
    text = '"The meeting was useful," Peruvian President Tomas Herrera said.'
    assert meetings(text) == []


def test_the_city_beats_the_venue_and_a_venue_beats_nothing() -> None:
    city = (
        "Kenyan President Daniel Omondi will hold talks with Ugandan President Ochieng "
        "Mukasa at the State Lodge in Nairobi on Sunday."
    )
    assert meetings(city)[0].location == "Nairobi"
    venue = (
        "Kenyan President Daniel Omondi sat down with Ugandan President Ochieng Mukasa at "
        "State Lodge."
    )
    assert meetings(venue)[0].location == "State Lodge"


def test_a_refused_meeting_takes_the_dateline() -> None:
    text = (
        "Site menu\nNews\nSTOCKHOLM, Sweden (Agency) -\nLatvian foreign minister Ivars Ozols "
        "refused to meet U.N. envoy Lars Berg on Tuesday."
    )
    (m,) = meetings(text)
    assert m.status == "cancelled" and m.location == "Stockholm"


def test_a_title_with_a_portfolio_or_an_organisation_before_the_name() -> None:
    # kind 3: the role word is followed by its portfolio or organisation, then the name
    text = (
        "President Ama Owusu on Monday received in audience the United Nations "
        "Under-Secretary-General for Political Affairs Henrik Solberg at State House in Accra."
        "\nIn another engagement, President Owusu also received the Regional Director of the "
        "International Organization for Migration Clara Mendes at State House."
    )
    found = [parties(m) for m in meetings(text)]
    assert found == [{"Ama Owusu", "Henrik Solberg"}, {"Ama Owusu", "Clara Mendes"}]


def test_their_visit_names_no_visitor() -> None:
    text = "President Ama Owusu spoke about their last visit to Togo and its lessons."
    assert meetings(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "fmt"),
    [
        (
            "Norwegian Foreign Minister Kari Dahl discussed fishing quotas with Icelandic "
            "Foreign Minister Jon Sigurdsson.",
            {"Kari Dahl", "Jon Sigurdsson"},
            None,
        ),
        (
            "Japanese Prime Minister Taro Ito paid a courtesy call on Indonesian President "
            "Budi Santoso.",
            {"Taro Ito", "Budi Santoso"},
            "visit",  # an in-person call on the host, never a phone call
        ),
        (
            "Qatari envoy Khalid Al-Mansouri undertook a mediation mission between Sudanese "
            "General Omar Hamid and rebel leader Musa Idris.",
            {"Khalid Al-Mansouri", "Omar Hamid", "Musa Idris"},
            "multilateral",
        ),
        # kind 4: no one named for the role: the state stands in, the meeting is kept
        (
            "Sierra Leone President Ama Koroma met his counterpart from Guinea on Friday.",
            {"Ama Koroma", "Guinea"},
            None,
        ),
    ],
)
def test_issue8_more_wordings(text: str, expected: set[str], fmt: str | None) -> None:
    (m,) = meetings(text)
    assert parties(m) == expected and m.format == fmt


def test_discussing_something_with_a_body_later_in_the_clause_is_no_meeting() -> None:
    text = (
        "The two secretaries discussed the importance of reaching a settlement with the "
        "European Union on trade."
    )
    assert meetings(text) == []


def test_a_title_case_headline_verb_is_no_name() -> None:
    # kind 9: headline capitals; the refusal word is a cue, never a party
    text = "Danish Foreign Minister Postpones Visit to Chile"
    found = meetings(text)
    assert all("Postpones" not in parties(m) for m in found)
    assert all(m.status == "cancelled" for m in found)


def test_talks_someone_wants_to_facilitate_are_not_held() -> None:
    # kind 8: an aim or a proposal is not a meeting that took place
    text = "Swiss officials want to facilitate dialogue between Armenia and Azerbaijan."
    assert [m.status for m in meetings(text)] == ["planned"]


# --- meetings that did not happen, background, non-events (tester's report, kinds 1, 2, 5) ---

_PAIR = {"Mirela Vasko", "Oskar Trell"}


@pytest.mark.parametrize(
    "text",
    [
        "President Mirela Vasko did not meet President Oskar Trell in Pernau on Tuesday.",
        "President Mirela Vasko will not meet President Oskar Trell, her spokesman said.",
        "President Mirela Vasko said she would not meet President Oskar Trell until the "
        "border is reopened.",
        "President Mirela Vasko denied that she had met President Oskar Trell in Pernau.",
        "A meeting between President Mirela Vasko and President Oskar Trell in Pernau on "
        "Tuesday was cancelled.",
        "President Mirela Vasko had been expected to meet President Oskar Trell in Pernau, "
        "but the talks were called off.",
        "A tabloid claimed President Mirela Vasko met President Oskar Trell in Pernau on "
        "Tuesday. Her office denied the report.",
    ],
)
def test_a_negated_or_denied_meeting_is_never_held(text: str) -> None:
    found = meetings(text)
    assert [parties(m) for m in found] == [_PAIR]
    assert [m.status for m in found] == ["cancelled"]


def test_a_negated_status_is_decided_in_facts_for_both_paths() -> None:
    from briefing.facts import meeting_status

    text = "Mirela Vasko did not meet Oskar Trell."
    assert meeting_status(text, 0, len(text)) == "cancelled"
    other = "Mirela Vasko did not represent her party when she met Oskar Trell."
    # the negation belongs to another verb: the meeting itself was held
    assert meeting_status(other, other.index("she met"), len(other)) == "held"


@pytest.mark.parametrize(
    "text",
    [
        "President Mirela Vasko last met President Oskar Trell in Pernau in 2017.",
        "President Oskar Trell, who met President Mirela Vasko last year, will travel to "
        "Kessel on Monday.",
        "President Mirela Vasko has not visited Pernau since the war.",
        "There are no plans for President Mirela Vasko and President Oskar Trell to meet.",
    ],
)
def test_background_and_absent_meetings_are_not_the_news(text: str) -> None:
    assert [m for m in meetings(text) if m.status != "planned"] == []
    assert all(_PAIR - parties(m) for m in meetings(text))


def test_a_past_meeting_does_not_merge_into_the_meeting_of_the_day() -> None:
    text = (
        "President Mirela Vasko met President Oskar Trell in Pernau on Tuesday. The two "
        "leaders last met in Kessel in 2017."
    )
    (m,) = meetings(text)
    assert m.status == "held" and m.location == "Pernau" and len(m.evidence) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Minister Ilse Marr spoke about fuel prices on Monday.\n\nRelated articles\n"
        "- President Mirela Vasko meets President Oskar Trell in Pernau\n"
        "- President Oskar Trell hosts President Mirela Vasko in Kessel\n",
        "Minister Ilse Marr spoke about fuel prices on Monday.\n\nPhoto: President Mirela "
        "Vasko met President Oskar Trell in Pernau. (Pernau Courier/Archive)\n",
        "Minister Ilse Marr spoke about fuel prices on Monday.\n\nFile photo: President "
        "Mirela Vasko and President Oskar Trell at the Pernau summit.\n",
        "President Mirela Vasko told President Oskar Trell: 'We will not give up the port.'",
    ],
)
def test_captions_link_lists_and_addressed_words_are_no_meeting(text: str) -> None:
    assert meetings(text) == []


def test_a_bullet_line_of_the_article_itself_still_counts() -> None:
    text = "Key points:\n* President Mirela Vasko met President Oskar Trell in Pernau on Tuesday\n"
    assert [(parties(m), m.status) for m in meetings(text)] == [(_PAIR, "held")]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "President Mirela Vasko met President Oskar Trell in St. Anselm on Tuesday.",
            "St. Anselm",
        ),
        (
            "President Mirela Vasko will meet President Oskar Trell in Port Vell D.C. on Tuesday.",
            "Port Vell D.C.",
        ),
    ],
)
def test_places_keep_their_abbreviations(text: str, place: str) -> None:
    (m,) = meetings(text)
    assert m.location == place


def test_an_appositive_name_after_a_role_is_the_party() -> None:
    text = (
        "Today's meeting between the Latvian prime minister, Elsa Dorn, and the Latvian "
        "military commander, Commodore Piet Olm, was constructive, officials said."
    )
    assert [parties(m) for m in meetings(text)] == [{"Elsa Dorn", "Piet Olm"}]


def test_a_bare_head_role_keeps_the_body_it_heads() -> None:
    # issue 9, fault 4: "head" alone lost the Security Council in the brief
    text = (
        "Turkish Foreign Minister Hakan Demir met Lars Odegaard, the head of Norway's "
        "Security Council, in Oslo on Monday."
    )
    (m,) = meetings(text)
    titles = {p.name: p.title for p in m.participants}
    assert titles["Lars Odegaard"] == "head of the Security Council"


# --- a visit whose meetings did not take place (review leftover from issue 8) -----------------


@pytest.mark.parametrize(
    "text",
    [
        # the next sentence says the visit's meetings were cancelled
        "Norwegian envoy Ingrid Solvang travelled to Ghana on Monday to seek talks with the "
        "government. The meetings were cancelled at the last minute, Solvang said.",
        # the same sentence, another clause
        "Swedish envoy Lars Nyquist said he had travelled to Ghana three times this year and "
        "had yet to meet President Kobina Asare.",
        # the visitor says so in a quote two sentences on
        "Dutch minister Anna Veldkamp flew to Kenya on Tuesday. She had asked for talks on "
        "the port dispute. “We came in good faith, and we could not meet anyone,” Veldkamp "
        "said.",
        # requests for meetings that were not granted
        "Austrian envoy Petra Lindqvist arrived in Nairobi on Sunday. Her requests were "
        "turned down by the foreign ministry, officials said.",
        # a contrast in the visit's own sentence, with any cancellation cue
        "Belgian envoy Jan Peeters visited Niger on Tuesday, but the junta did not receive "
        "him.",
        "Belgian envoy Jan Peeters visited Niger on Tuesday, but his meeting with the junta "
        "did not take place.",
        # a later sentence opening on the visit's own talks
        "Polish minister Ewa Nowicka arrived in Minsk on Monday. Her talks with officials "
        "were called off at the last minute.",
    ],
)
def test_a_visit_whose_meetings_did_not_happen_is_not_held(text: str) -> None:
    found = meetings(text)
    visits = [m for m in found if m.format == "visit"]
    assert visits, found  # the trip is still reported, and still visible
    assert all(m.status == "cancelled" for m in visits), [(parties(m), m.status) for m in found]
    assert all(m.status != "held" for m in found)


@pytest.mark.parametrize(
    "text",
    [
        # the visitor met the host: another meeting's cancellation does not undo the visit
        "Danish minister Ole Bergholm travelled to Peru on Monday and met President Rosa "
        "Quintana. His other meetings were cancelled because of the floods.",
        # words about other parties' meeting nearby
        "Danish minister Ole Bergholm visited Chile on Monday. Bolivian President Luis Mamani "
        "has yet to meet Argentine President Tomas Ferreyra.",
        # the cancelled meetings are another actor's
        "Danish minister Ole Bergholm visited Chile on Monday. Separately, a Peruvian "
        "delegation's meetings were cancelled.",
        # a cancellation in the same sentence with no contrast: another event
        "Danish minister Ole Bergholm visited Chile on Monday, days after a summit was "
        "postponed.",
        # the words come too late to be about this visit
        "Danish minister Ole Bergholm visited Chile on Monday. He discussed copper exports. "
        "He praised the port reform. He spoke about fisheries. He said little about trade. "
        "The meetings were cancelled, a Peruvian source said of another delegation.",
        # another trip's cancellation, then words that go on about that trip (breaker, s14)
        "Danish minister Ole Bergholm visited Chile on Monday. Meanwhile, a separate visit by "
        "a Peruvian trade envoy to Bolivia was called off. His meetings were postponed until "
        "January.",
        # the visitor's talks called off on an earlier trip, told as background
        "Danish minister Ole Bergholm visited Chile on Monday. Last year his talks were "
        "cancelled because of a storm.",
        "Danish minister Ole Bergholm visited Chile on Monday. His last visit was cut short "
        "and the meetings were cancelled in 2019.",
        # nobody of one group only: the visit's other meetings may have taken place
        "Danish minister Ole Bergholm visited Chile on Monday. He did not meet anyone from the "
        "opposition.",
        "Danish minister Ole Bergholm visited Chile on Monday. Reporters waiting at the airport "
        "met nobody from his delegation.",
        # the cancellation is denied or a rumour
        "Danish minister Ole Bergholm visited Chile on Monday. He denied reports that his "
        "meetings were cancelled.",
        "Danish minister Ole Bergholm visited Chile on Monday. Rumours that the talks were "
        "cancelled proved false.",
    ],
)
def test_a_visit_stays_held_when_the_cancellation_is_not_its_own(text: str) -> None:
    found = meetings(text)
    visits = [m for m in found if m.format == "visit"]
    # a trip whose sentence names the person met is that meeting (status16, gap 4)
    host = "Rosa Quintana" if "met President Rosa Quintana" in text else None
    assert [(parties(m), m.status) for m in visits] == [
        ({"Ole Bergholm", host or ("Chile" if "Chile" in text else "Peru")}, "held")
    ]


def test_an_unmet_visit_is_decided_in_facts() -> None:
    from briefing.facts import visit_unmet

    text = "Well, we came and we couldn’t meet anybody."
    assert visit_unmet(text, 0, len(text)) == "couldn’t meet anybody"  # as written
    assert visit_unmet("They met the president.", 0, 23) is None


# --- a denied cancellation, a meeting that never took place (status16, gaps 1 and 2) --------

_BERGVARGA = {"Ole Bergholm", "Rosa Varga"}


@pytest.mark.parametrize(
    "text",
    [
        "The Danish ministry said reports that Foreign Minister Ole Bergholm had cancelled "
        "his trip to Chile were false.",
        "The Danish ministry denied reports that Foreign Minister Ole Bergholm had called off "
        "his visit to Chile.",
        "It is not true that Danish Foreign Minister Ole Bergholm called off his trip to "
        "Chile, the ministry said.",
        "Danish Foreign Minister Ole Bergholm's visit to Chile has not been cancelled, the "
        "ministry said.",
        "Danish Foreign Minister Ole Bergholm will visit Chile next week. His office dismissed "
        "reports that he had cancelled the trip.",
        'The Danish ministry rejected as "baseless" reports that Foreign Minister Ole '
        "Bergholm had called off his visit to Chile.",
        "Reports that Danish Foreign Minister Ole Bergholm had postponed his visit to Chile "
        "were dismissed by officials.",
        "The Danish government denied Foreign Minister Ole Bergholm's trip to Chile had been "
        "cancelled.",
        "The ministry said there was no truth to reports that Danish Foreign Minister Ole "
        "Bergholm had postponed his visit to Chile.",
        "Danish Foreign Minister Ole Bergholm's office called reports that his visit to Chile "
        "had been cancelled fake news.",
    ],
)
def test_a_denied_cancellation_is_no_cancellation(text: str) -> None:
    found = meetings(text)
    assert [(parties(m), m.status) for m in found] == [({"Ole Bergholm", "Chile"}, "planned")]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # the meeting itself is denied: still cancelled
        ("Danish Foreign Minister Ole Bergholm denied reports that he had met Chilean "
         "President Rosa Varga.", "cancelled"),
        # the denial is of something else: the cancellation stands
        ("Danish Foreign Minister Ole Bergholm cancelled his meeting with Chilean President "
         "Rosa Varga, denying reports that he was ill.", "cancelled"),
        # a held meeting whose cancellation is denied stays held
        ("Danish Foreign Minister Ole Bergholm met Chilean President Rosa Varga in Lunet on "
         "Monday, dismissing reports that the talks had been cancelled.", "held"),
        ("Danish Foreign Minister Ole Bergholm denied that he had cancelled his meeting with "
         "Chilean President Rosa Varga.", "planned"),
        ("Reports that Danish Foreign Minister Ole Bergholm had met Chilean President Rosa "
         "Varga were denied by officials.", "cancelled"),
    ],
)
def test_a_denial_reverses_only_the_words_it_covers(text: str, status: str) -> None:
    assert [(parties(m), m.status) for m in meetings(text)] == [(_BERGVARGA, status)]


@pytest.mark.parametrize(
    "text",
    [
        "The planned talks between Danish Foreign Minister Ole Bergholm and Chilean President "
        "Rosa Varga never took place.",
        "The meeting between Danish Foreign Minister Ole Bergholm and Chilean President Rosa "
        "Varga never happened.",
        "Talks between Danish Foreign Minister Ole Bergholm and Chilean President Rosa Varga "
        "that never happened had been meant to settle the fishing dispute.",
        "Talks between Danish Foreign Minister Ole Bergholm and Chilean President Rosa Varga "
        "were never held.",
        "A meeting between Danish Foreign Minister Ole Bergholm and Chilean President Rosa "
        "Varga did not go ahead.",
        # the plan in one sentence, its end in the next
        "Danish Foreign Minister Ole Bergholm was to meet Chilean President Rosa Varga in "
        "Lunet on Friday. The meeting did not take place.",
        "Danish Foreign Minister Ole Bergholm is due to meet Chilean President Rosa Varga in "
        "Lunet. But the planned talks were called off.",
        "Danish Foreign Minister Ole Bergholm was scheduled to meet Chilean President Rosa "
        "Varga on Friday. The talks fell through.",
        "Danish Foreign Minister Ole Bergholm was scheduled to meet Chilean President Rosa "
        "Varga on Friday. The meeting failed to take place.",
        # the plan and its end in one sentence, after a contrast
        "Danish Foreign Minister Ole Bergholm and Chilean President Rosa Varga were due to "
        "meet on Friday, but the meeting did not take place.",
        "No meeting between Danish Foreign Minister Ole Bergholm and Chilean President Rosa "
        "Varga took place.",
    ],
)
def test_a_meeting_that_never_took_place_is_cancelled(text: str) -> None:
    assert [(parties(m), m.status) for m in meetings(text)] == [(_BERGVARGA, "cancelled")]


@pytest.mark.parametrize(
    "text",
    [
        # a denial of something else, then the cancellation: it stands
        "Chile denied Danish Foreign Minister Ole Bergholm permission to land, and his visit "
        "to Chile was cancelled.",
        "The junta denied the envoy Ole Bergholm a visa and his visit to Chile was postponed.",
    ],
)
def test_a_denial_of_something_else_leaves_the_cancellation(text: str) -> None:
    assert [m.status for m in meetings(text) if "Chile" in parties(m)] == ["cancelled"]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # never arranged: no meeting at all
        ("Danish Foreign Minister Ole Bergholm and Chilean President Rosa Varga have never "
         "met.", None),
        ("Talks between Danish Foreign Minister Ole Bergholm and Chilean President Rosa Varga "
         "have not taken place since the war.", None),
        # a later sentence about another meeting, or about its agenda
        ("Danish Foreign Minister Ole Bergholm will meet Chilean President Rosa Varga in Lunet "
         "on Friday. The meeting of Peruvian ministers was postponed.", "planned"),
        ("Danish Foreign Minister Ole Bergholm will meet Chilean President Rosa Varga in Lunet "
         "on Friday. The talks will not cover fishing.", "planned"),
        ("Danish Foreign Minister Ole Bergholm will meet Chilean President Rosa Varga in Lunet "
         "on Friday, but the talks will not cover fishing.", "planned"),
        ("Danish Foreign Minister Ole Bergholm met Chilean President Rosa Varga in Lunet on "
         "Friday. No talks with the opposition took place.", "held"),
        # a held meeting: a later postponement may be of the next round
        ("Danish Foreign Minister Ole Bergholm met Chilean President Rosa Varga in Lunet on "
         "Friday. The talks were postponed until spring.", "held"),
    ],
)
def test_a_later_sentence_cancels_only_its_own_plan(text: str, status: str | None) -> None:
    found = [m.status for m in meetings(text) if parties(m) == _BERGVARGA]
    assert found == ([] if status is None else [status])


# --- envoy met envoy (status16, gap 4) ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The Danish envoy met his Chilean counterpart in Geneva on Monday.",
        "The Danish envoy met the Chilean envoy in Geneva on Monday.",
        "Denmark's envoy met Chile's envoy in Geneva on Monday.",
        "Denmark's envoy met his Chilean counterpart in Geneva on Monday.",
        # the posting is no party: not a meeting of the UN
        "The Danish ambassador to the UN met the Chilean ambassador in Geneva on Monday.",
        # one role noun of two states
        "The Danish and Chilean envoys met in Geneva on Monday.",
        "The Danish and Chilean envoys held talks in Geneva on Monday.",
    ],
)
def test_an_envoy_meeting_an_envoy_is_a_meeting_of_their_states(text: str) -> None:
    found = meetings(text)
    assert [(parties(m), m.status, m.location) for m in found] == [
        ({"Denmark", "Chile"}, "held", "Geneva")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chile's envoy Rosa Varga met Danish Foreign Minister Ole Bergholm in Geneva on "
         "Monday.", [{"Rosa Varga", "Ole Bergholm"}]),
        ("Chilean Foreign Minister Rosa Varga landed in Lunet. Danish Foreign Minister Ole "
         "Bergholm met Chile's foreign minister on Monday.", [{"Rosa Varga", "Ole Bergholm"}]),
        ("Chile's envoy told reporters in Geneva that the talks had been useful.", []),
        ("Denmark's envoy said the talks in Geneva had been useful.", []),
    ],
)
def test_a_states_role_noun_stands_for_the_state_only_when_no_one_is_named(
    text: str, expected: list[set[str]]
) -> None:
    assert [parties(m) for m in meetings(text)] == expected


def test_a_trip_whose_sentence_names_the_people_met_is_that_meeting() -> None:
    text = (
        "On Wednesday, Denmark's top diplomat Ole Bergholm will travel to Chile, where he will "
        "meet President Rosa Varga and Prime Minister Ines Soto."
    )
    found = meetings(text)
    assert [(parties(m), m.status, m.format) for m in found] == [
        ({"Ole Bergholm", "Rosa Varga", "Ines Soto"}, "planned", "visit")
    ]
    # a trip that took place when its meeting did not stays a record of its own
    text = (
        "Danish envoy Ole Bergholm said he had travelled to Chile four times and had yet to "
        "meet President Rosa Varga."
    )
    assert sorted(sorted(parties(m)) for m in meetings(text)) == [
        ["Chile", "Ole Bergholm"], ["Ole Bergholm", "Rosa Varga"]
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Danish envoy met the envoy of the European Union in Varsk on Monday.",
         {"Denmark", "European Union"}),
        ("The EU special representative for the Sahel met President Ilse Marrow in Varsk.",
         {"European Union", "Ilse Marrow"}),
        ("President Ilse Marrow met the UN envoy in Varsk on Monday.",
         {"United Nations", "Ilse Marrow"}),
    ],
)
def test_an_organisations_envoy_stands_for_the_organisation(text: str, expected: set[str]) -> None:
    found = [parties(m) for m in meetings(text)]
    assert any(expected <= names for names in found), found


@pytest.mark.parametrize(
    "text",
    [
        "President Ilse Marrow met a former UN official in Varsk on Monday.",
        "President Ilse Marrow met a UN official in Varsk on Monday.",
    ],
)
def test_a_former_or_mere_official_of_an_organisation_is_not_the_organisation(text: str) -> None:
    assert meetings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "President Ilse Marrow met Tarskan Foreign Minister Odd Vang in Varsk on Monday.",
        "Tarskan Foreign Minister Odd Vang met President Ilse Marrow in Varsk on Monday.",
        "President Ilse Marrow met his Tarskan counterpart, Odd Vang, in Varsk on Monday.",
        "President Ilse Marrow met his Tarskan counterpart Odd Vang in Varsk on Monday.",
    ],
)
def test_an_unknown_demonym_before_a_title_keeps_the_named_party(text: str) -> None:
    (meeting,) = meetings(text)
    assert parties(meeting) == {"Ilse Marrow", "Odd Vang"}
    assert all(p.country is None for p in meeting.participants)  # no state made up


def test_an_unknown_demonyms_role_noun_alone_is_no_party() -> None:
    # the state of "the Tarskan foreign minister" is unknown: no record rather than a guess
    assert meetings("The Tarskan foreign minister met President Ilse Marrow in Varsk.") == []


# --- breaker17: a no-break or thin space inside a name ------------------------------------


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009"])
def test_a_no_break_space_inside_a_name_keeps_the_whole_name(space: str) -> None:
    # A web page's "Piet&nbsp;Halvorsen" gave a meeting with a person "Piet" (a wrong
    # participant); the name is one name however the space between its words is typed.
    found = meetings(
        "Velmoran Foreign Minister Anika Doral met her Tarskian counterpart "
        f"Piet{space}Halvorsen in Brenholm on Sunday."
    )
    assert [parties(m) for m in found] == [{"Anika Doral", "Piet Halvorsen"}]


def test_a_no_break_space_after_a_title_keeps_the_meeting() -> None:
    found = meetings(
        "Foreign\u00a0Minister Anika\u00a0Doral met Prime Minister Piet\u202fHalvorsen in "
        "Brenholm on Sunday."
    )
    assert [parties(m) for m in found] == [{"Anika Doral", "Piet Halvorsen"}]


# --- breaker17: a second predicate after "and"/"but" keeps the sentence's subject ----------

_STRICT_XFAIL = pytest.mark.xfail(
    strict=True,
    reason="'(, )and (then) met Z' after a refusal or denial: the refusal's objects run on to Z"
    " (one cancelled meeting of three), or its cue makes the held meeting with Z cancelled",
)


@pytest.mark.parametrize(
    "text",
    [
        "Foreign Minister Anika Doral refused to meet Prime Minister Piet Halvorsen but met"
        " President Lene Varr on Monday.",
        pytest.param(
            "Foreign Minister Anika Doral refused to meet Prime Minister Piet Halvorsen and then"
            " met President Lene Varr on Monday.",
            marks=_STRICT_XFAIL,
        ),
        pytest.param(
            "Foreign Minister Anika Doral refused to meet Prime Minister Piet Halvorsen, and met"
            " President Lene Varr on Monday.",
            marks=_STRICT_XFAIL,
        ),
        pytest.param(
            "Foreign Minister Anika Doral denied meeting Prime Minister Piet Halvorsen, and met"
            " President Lene Varr instead on Monday.",
            marks=_STRICT_XFAIL,
        ),
    ],
    ids=["but-met", "and-then-met", "and-met", "denied-and-met"],
)
def test_the_one_refused_is_not_the_subject_of_the_next_meeting(text: str) -> None:
    # "Doral refused to meet Halvorsen but met Varr" gave a held meeting of Halvorsen and
    # Varr: the nearest name before "met" is the object of the first verb, not who met Varr.
    found = meetings(text)
    with_varr = [(m.status, parties(m)) for m in found if "Lene Varr" in parties(m)]
    assert with_varr in ([], [("held", {"Anika Doral", "Lene Varr"})]), with_varr
