"""Paraphrase and reported claims from reported speech, on made-up sentences of the shapes
news uses (none of these names is in the seeds)."""

from __future__ import annotations

import pytest

from briefing.rules.records import extract_records
from briefing.schemas import Article, Claim

LEAD = (
    "Indian Foreign Minister Subrahmanyam Jaishankar met Brazilian Foreign Minister Mauro "
    "Vieira in New Delhi on Monday.\n"
)


def article(text: str) -> Article:
    return Article(id=Article.make_id(text), path="t.txt", title="t", text=text)


def claims(text: str, kind: str | None = None) -> list[Claim]:
    found = extract_records(article(text))[2]
    return [c for c in found if kind is None or c.kind == kind]


def statements(text: str) -> list[tuple[str, str, str]]:
    """(speaker, kind, text) of every claim that is not a direct quote."""
    return [(c.speaker.name, c.kind, c.text) for c in claims(text) if c.kind != "direct-quote"]


@pytest.mark.parametrize(
    ("sentence", "speaker", "text"),
    [
        (
            "Jaishankar emphasized that India and Brazil are natural partners.",
            "Subrahmanyam Jaishankar",
            "India and Brazil are natural partners.",
        ),
        (  # "that" left out
            "Vieira said the two countries would sign a trade deal by the end of the year.",
            "Mauro Vieira",
            "The two countries would sign a trade deal by the end of the year.",
        ),
        (  # the person addressed is not part of the clause
            "Vieira told Jaishankar the talks had been frank and useful.",
            "Mauro Vieira",
            "The talks had been frank and useful.",
        ),
        (  # a phrase of time or place before "that" is left out
            "Jaishankar stated during the press conference with Vieira that India would host "
            "the next round of talks.",
            "Subrahmanyam Jaishankar",
            "India would host the next round of talks.",
        ),
        (  # the clause before the speaker
            "New Delhi and Brasilia will double their trade by 2030, Vieira said.",
            "Mauro Vieira",
            "New Delhi and Brasilia will double their trade by 2030.",
        ),
        (  # ... and its parts in quote marks lose them
            'The talks were "very productive" and "long overdue", Vieira said.',
            "Mauro Vieira",
            "The talks were very productive and long overdue.",
        ),
        (
            "Vieira said this was the most productive visit in years.",
            "Mauro Vieira",
            "This was the most productive visit in years.",
        ),
        (  # nor is a time phrase right after the verb
            "Vieira said on Thursday the two countries would sign a trade deal.",
            "Mauro Vieira",
            "The two countries would sign a trade deal.",
        ),
        (  # a time phrase before "that" is not the clause
            "Vieira said this week that Brazil would join the initiative.",
            "Mauro Vieira",
            "Brazil would join the initiative.",
        ),
        (
            "According to Vieira, the two ministers discussed climate finance.",
            "Mauro Vieira",
            "The two ministers discussed climate finance.",
        ),
        (  # "expressed hope that" keeps its frame: the clause alone would state a fact
            "Vieira expressed hope that the trade deal would be signed soon.",
            "Mauro Vieira",
            "Expressed hope that the trade deal would be signed soon.",
        ),
    ],
)
def test_paraphrase_shapes(sentence: str, speaker: str, text: str) -> None:
    assert statements(LEAD + sentence) == [(speaker, "paraphrase", text)]


def test_pronoun_speakers_resolve_to_the_last_speaker() -> None:
    text = (
        LEAD + "Vieira said Brazil wanted closer ties with India.\n"
        "According to him, the two ministers also discussed climate finance."
    )
    assert [s for s, _, _ in statements(text)] == ["Mauro Vieira", "Mauro Vieira"]


def test_evidence_is_the_whole_sentence() -> None:
    text = LEAD + "Jaishankar emphasized that India and Brazil are natural partners."
    (claim,) = claims(text, "paraphrase")
    ev = claim.evidence[0]
    assert ev.text == text.splitlines()[1]
    assert text[ev.start : ev.end] == ev.text


@pytest.mark.parametrize(
    ("sentence", "outlet", "text"),
    [
        (
            "The Japanese news agency Kyodo reported that the two ministers would meet again "
            "in Tokyo.",
            "Kyodo",
            "The two ministers would meet again in Tokyo.",
        ),
        (
            "According to Reuters, the talks lasted three hours.",
            "Reuters",
            "The talks lasted three hours.",
        ),
        (
            "The ministers will meet again in Tokyo, a report in the Hindustan Times said.",
            "Hindustan Times",
            "The ministers will meet again in Tokyo.",
        ),
    ],
)
def test_an_outlet_makes_a_reported_claim(sentence: str, outlet: str, text: str) -> None:
    assert statements(LEAD + sentence) == [(outlet, "reported", text)]


def test_the_statement_is_the_last_body_that_spoke() -> None:
    text = (
        "Brazil's Foreign Ministry said the visit would strengthen ties with India.\n"
        "The ministers signed two agreements.\n"
        "Vieira also invited Jaishankar to Brasilia, the statement said."
    )
    speakers = [(s, k) for s, k, _ in statements(text)]
    assert speakers == [("Brazilian Foreign Ministry", "paraphrase")] * 2


def test_one_claim_per_speaker_and_sentence() -> None:
    text = LEAD + "Vieira said that the talks went well and said that more would follow."
    assert len(statements(text)) == 1


# --- negative cases --------------------------------------------------------------------------


def test_no_paraphrase_where_a_direct_quote_of_the_speaker_covers_it() -> None:
    text = LEAD + "Vieira said Brazil was “ready to work with everyone on this.”"
    found = claims(text)
    assert [(c.kind, c.speaker.name) for c in found] == [("direct-quote", "Mauro Vieira")]
    assert found[0].text == "ready to work with everyone on this."


def test_an_outlet_cited_as_the_channel_gives_no_claim() -> None:
    text = LEAD + "According to Reuters, Vieira said the talks had been frank and useful."
    assert statements(text) == [
        ("Mauro Vieira", "paraphrase", "The talks had been frank and useful.")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The two ministers signed two agreements on energy and trade.",
        "An aide to Vieira said that the talks had been frank and useful.",
        "Jaishankar told reporters about the talks.",
        "Vieira said in a statement on Monday.",
        "Officials said the talks would resume in March.",
    ],
)
def test_no_claim_without_a_named_speaker_and_a_clause(sentence: str) -> None:
    assert statements(LEAD + sentence) == []


def test_direct_quotes_are_untouched_by_paraphrases() -> None:
    text = (
        LEAD + "“We will keep talking to everyone,” Vieira said.\n"
        "Jaishankar emphasized that India and Brazil are natural partners."
    )
    quotes = claims(text, "direct-quote")
    assert [(c.speaker.name, c.text) for c in quotes] == [
        ("Mauro Vieira", "We will keep talking to everyone")
    ]
    assert quotes[0].evidence[0].text == quotes[0].text


def test_time_and_that_after_a_bare_verb_stay_out_of_the_claim() -> None:
    from briefing.rules.records import extract_records
    from briefing.schemas import Article

    text = (
        "Foreign Minister Ada Stroud said Tuesday that her country would reopen the border.\n"
        "A spokesman told Radio Free Ostland on Thursday that the envoy's trip was off.\n"
    )
    art = Article(id=Article.make_id(text), path="t.txt", title="t", text=text)
    texts = [c.text for c in extract_records(art)[2] if c.kind != "direct-quote"]
    assert texts[0] == "Her country would reopen the border."
    assert all(not t.startswith(("Tuesday", "Thursday", "Ostland")) for t in texts)


def test_headlines_give_no_paraphrase() -> None:
    from briefing.rules.records import extract_records
    from briefing.schemas import Article

    text = (
        "Ostland Foreign Minister Says Intends To Invite Varga To Visit\n"
        "Foreign Minister Ada Stroud said her country would reopen the border.\n"
    )
    art = Article(id=Article.make_id(text), path="t.txt", title="t", text=text)
    texts = [c.text for c in extract_records(art)[2] if c.kind != "direct-quote"]
    assert texts == ["Her country would reopen the border."]


# Unnamed speakers a tester found given to a nearby person, on invented articles.
def test_the_ministry_said_is_never_a_person_in_the_sentence() -> None:
    text = (
        "Foreign Minister Tomas Vell held talks with Ms. Ilse Varga in Dorn on Saturday,"
        " the ministry said.\n"
    )
    assert [s for s, _, _ in statements(text)] == []
    named = text.replace("the ministry said", "the Tessland foreign ministry said")
    found = statements(named)
    assert [s for s, _, _ in found] == ["Tessland foreign ministry"]


def test_officials_said_gives_no_speaker() -> None:
    text = (
        "Prime Minister Ilse Varga and President Aram Osk will hold talks in Dorn next"
        " Tuesday, officials said.\n"
    )
    assert statements(text) == []


def test_a_dateline_is_no_part_of_the_statement() -> None:
    text = (
        "DORN, Tessland (TW) - Foreign Minister Tomas Vell held talks with Ms. Ilse Varga"
        " in Dorn on Saturday, the Tessland foreign ministry said.\n"
    )
    found = statements(text)
    assert len(found) == 1
    assert found[0][2].startswith("Foreign Minister Tomas Vell held talks")


def test_a_bare_ministry_speaks_for_the_state_the_sentence_opens_with() -> None:
    text = (
        "Norway opposes the trip of envoy Ilse Varga to Dorn next week, the Foreign Ministry"
        " said."
    )
    assert [s for s, _, _ in statements(text)] == ["Norway"]


DENIER = "Trade Minister Jonas Velde met Tarskan Ambassador Rita Sorn in Kessin on Monday.\n"


@pytest.mark.parametrize(
    "sentence",
    [
        "Velde on Sunday denied reports that he had accepted gifts from a shipping firm.",
        "Velde dismissed unconfirmed claims that his ministry had leaked the tariff list.",
        "Velde, asked about media reports that the ferry deal was dead, smiled.",
        "Velde rejects the reports that his aide had resigned over the tariff row.",
    ],
)
def test_a_report_noun_is_no_report_of_the_subject(sentence: str) -> None:
    """'reports'/'claims' after a verb, a determiner or an -ed adjective is the noun: the
    subject denied or mentioned those words, he did not say them (a paraphrase would tell
    the brief's reader the opposite of what he said)."""
    assert statements(DENIER + sentence) == []


def test_a_report_verb_after_its_subject_is_still_a_report() -> None:
    found = statements(DENIER + "Velde reports that the ferry talks will resume in March.")
    assert found == [("Jonas Velde", "paraphrase", "The ferry talks will resume in March.")]


@pytest.mark.parametrize("owner", ["Velde", "Sorn"])
def test_someone_of_a_named_person_is_not_a_person_named_before(owner: str) -> None:
    """'…, Velde's spokesman said': an unnamed aide speaks; the claim goes to no one named
    (before, it went to the last person of the sentence, who may be the other party)."""
    sentence = (f"The tariff talks between Velde and Sorn will resume in March, {owner}'s"
                " spokesman said.")
    assert statements(DENIER + sentence) == []
