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
    # a denied refusal, and a meeting told in its own clause after it (the rules extractor
    # reads the status in the trigger's clause, and "the two" names no one: planned there)
    pytest.param(
        "The ministry rejected reports that Prime Minister Hanna Solvik had refused to meet"
        " President Alun Trebbe, and the two met in Ostrava on Friday.",
        ("Hanna Solvik", "Alun Trebbe"), "held", id="denied-refusal-then-met"),
    # a denied cancellation, and the meeting told as an event that went ahead
    pytest.param(
        "It is not true that the summit between President Alun Trebbe and Prime Minister Hanna"
        " Solvik was cancelled, a spokesman said; it went ahead in Ostrava on Saturday.",
        ("Alun Trebbe", "Hanna Solvik"), "held", id="denied-cancellation-then-went-ahead"),
    # a negation of manner: the meeting took place, otherwise
    ("Deputy Minister Oskar Lind did not meet Foreign Minister Bea Hollis in public, but the"
     " two held talks privately in Varsk on Saturday.", ("Oskar Lind", "Bea Hollis"), "held"),
]


def _article(text: str) -> Article:
    return Article(id=Article.make_id(text), path="t.txt", title="t", text=text)


# The rules extractor reads a status in its trigger's clause: a meeting told after the
# denial in a clause of its own ("and the two met", "; it went ahead") is not seen there, and
# the meeting told only inside the denied words stays planned (not held, never cancelled).
_CLAUSE_ONLY = pytest.mark.xfail(reason="rules status window is the trigger's clause", strict=True)
RULES_CASES = [
    pytest.param(*c.values, marks=_CLAUSE_ONLY, id=c.id) if isinstance(c, type(CASES[4])) else c
    for c in CASES
]


@pytest.mark.parametrize(("sentence", "names", "status"), RULES_CASES)
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
