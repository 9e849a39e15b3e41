"""Negations around a meeting that do not make it cancelled, and denials that do not undo a
cancellation, on both paths: the rules extractor's records and the LLM answer checks
(``briefing.checks.status_problem``). Invented articles: newsroom wordings a first reading
of "denied" / "never" / "not" gets wrong."""

from __future__ import annotations

import pytest

from briefing.drafts import ArticleDraft
from briefing.rules.records import extract_records
from briefing.schemas import Article
from briefing.validation import check_answer

LEAD = "KESSIN (KD) - "

CASES = [
    # a denial undone by a negator: the cancellation stands
    ("Officials never denied that Foreign Minister Pell Odum had called off his trip to meet"
     " President Ilse Marrow in Varsk.", ("Pell Odum", "Ilse Marrow"), "cancelled"),
    ("The ministry did not deny that Foreign Minister Pell Odum had cancelled his meeting with"
     " President Ilse Marrow in Varsk.", ("Pell Odum", "Ilse Marrow"), "cancelled"),
    # the reason is denied, not the cancellation
    ("The ministry denied that the meeting between Foreign Minister Pell Odum and President"
     " Ilse Marrow in Varsk was cancelled for political reasons.",
     ("Pell Odum", "Ilse Marrow"), "cancelled"),
    # a denial inside a quotation ends with it; the cancellation told after it stands
    ("\"We deny that anything was cancelled in anger,\" a spokesman said after Foreign Minister"
     " Pell Odum called off his meeting with President Ilse Marrow in Varsk.",
     ("Pell Odum", "Ilse Marrow"), "cancelled"),
    # a denied refusal, and a meeting told in its own clause after it ("the two" names no
    # one: the rules extractor reads on past the trigger's clause, briefing.facts
    # .held_after_denial)
    ("The ministry rejected reports that Prime Minister Hanna Solvik had refused to meet"
     " President Alun Trebbe, and the two met in Ostrava on Friday.",
     ("Hanna Solvik", "Alun Trebbe"), "held"),
    # a denied cancellation, and the meeting told as an event that went ahead
    ("It is not true that the summit between President Alun Trebbe and Prime Minister Hanna"
     " Solvik was cancelled, a spokesman said; it went ahead in Ostrava on Saturday.",
     ("Alun Trebbe", "Hanna Solvik"), "held"),
    ("A spokeswoman denied that Chancellor Edda Brun had called off her visit to President"
     " Alun Trebbe, and the pair met in Lunet on Monday.", ("Edda Brun", "Alun Trebbe"), "held"),
    # a negation of manner: the meeting took place, otherwise
    ("Deputy Minister Oskar Lind did not meet Foreign Minister Bea Hollis in public, but the"
     " two held talks privately in Varsk on Saturday.", ("Oskar Lind", "Bea Hollis"), "held"),
]


def _article(text: str) -> Article:
    return Article(id=Article.make_id(text), path="t.txt", title="t", text=text)


@pytest.mark.parametrize(("sentence", "names", "status"), CASES)
def test_the_rules_extractor_reads_the_status(sentence: str, names: tuple[str, str],
                                              status: str) -> None:
    meetings = extract_records(_article(LEAD + sentence))[0]
    found = [m.status for m in meetings
             if {p.name for p in m.participants} >= set(names)]
    assert found == [status], [(m.participants, m.status) for m in meetings]


@pytest.mark.parametrize(("sentence", "names", "status"), CASES)
def test_the_answer_check_accepts_the_right_status_and_asks_again_for_a_wrong_one(
    sentence: str, names: tuple[str, str], status: str
) -> None:
    text = LEAD + sentence
    item = {"participants": [{"name": n, "kind": "person"} for n in names],
            "passage": text, "status": status}
    models = ArticleDraft.item_models()
    right = check_answer({"meetings": [item]}, _article(text), models)
    assert len(right.valid["meetings"]) == 1, right.invalid
    if status == "cancelled" and " deny " not in text and " denied " not in text:
        return  # no denial: a held answer here is another check's case (test_validation)
    if status == "held" and " in public" in text:
        return  # the checks ask again only for a held answer; a cancelled one is trusted
    wrong = "held" if status == "cancelled" else "cancelled"
    checked = check_answer({"meetings": [dict(item, status=wrong)]}, _article(text), models)
    assert not checked.valid["meetings"]
    assert any(f'Set status to "{status}"' in r for r in checked.invalid[0].reasons)


@pytest.mark.parametrize(
    ("sentence", "status"),
    [
        # a negation of manner keeps the tense: a meeting in private still to come
        ("President Alun Trebbe will not meet Chancellor Edda Brun publicly, his office"
         " said.", "planned"),
        # "in person" is no manner that tells a meeting took place: it will not
        ("President Alun Trebbe will not meet Chancellor Edda Brun in person, his office"
         " said.", "cancelled"),
        ("Talks between President Alun Trebbe and Chancellor Edda Brun never took place in"
         " public.", "held"),
    ],
)
def test_a_negation_of_manner_sets_aside_only_its_negation(sentence: str, status: str) -> None:
    meetings = extract_records(_article(LEAD + sentence))[0]
    assert [m.status for m in meetings] == [status]


@pytest.mark.parametrize(
    "sentence",
    [
        # the words after the denial tell of a plan: the meeting stands, still to come
        "The ministry denied reports that Foreign Minister Pell Odum had called off his meeting"
        " with President Ilse Marrow; it will go ahead on Friday.",
        # ... of a past meeting told as background, not of this one
        "The ministry denied reports that Foreign Minister Pell Odum had called off his meeting"
        " with President Ilse Marrow, and the two last met in 2019.",
    ],
)
def test_a_denied_cancellation_stays_planned_without_a_held_meeting_after_it(
    sentence: str,
) -> None:
    meetings = extract_records(_article(LEAD + sentence))[0]
    assert [m.status for m in meetings] == ["planned"]


@pytest.mark.parametrize(
    ("sentence", "other"),
    [
        # the clause after the denial has its own subject: the denial ends before it
        ("A spokesman denied that Foreign Minister Pell Odum had cancelled his visit to"
         " President Ilse Marrow, and Chancellor Edda Brun met Marrow in Varsk.",
         ("Edda Brun", "Ilse Marrow")),
        # another meeting told after the denial does not make the denied one held
        ("The ministry denied reports that Foreign Minister Pell Odum had called off his"
         " meeting with President Ilse Marrow, and he met Chancellor Edda Brun in Varsk.", None),
    ],
)
def test_a_meeting_after_a_denial_that_names_someone_else_is_not_the_denied_one(
    sentence: str, other: tuple[str, str] | None
) -> None:
    meetings = extract_records(_article(LEAD + sentence))[0]
    status = {frozenset(p.name for p in m.participants): m.status for m in meetings}
    assert status.get(frozenset({"Pell Odum", "Ilse Marrow"})) == "planned", status
    if other is not None:
        assert status.get(frozenset(other)) == "held", status
