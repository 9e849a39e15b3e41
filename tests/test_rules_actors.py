"""Actors: titles, countries and demonyms, organisations, short names and role nouns."""

from __future__ import annotations

import pytest

from briefing.rules.discourse import read


def people(text: str) -> dict[str, tuple[str | None, str]]:
    doc = read(text)
    return {a.name: (a.country, a.role) for a in doc.table.actors if a.kind == "person"}


def test_title_country_and_name() -> None:
    found = people("Chinese Foreign Minister Wang Yi arrived. China’s President Xi Jinping spoke.")
    assert found == {"Wang Yi": ("CHN", "foreign-minister"), "Xi Jinping": ("CHN", "head-of-state")}


def test_appositive_titles() -> None:
    text = (
        "Sergey Shoigu, the Secretary of the Russian Security Council, landed. "
        "The President of Kazakhstan, Kassem-Jomart Tokayev, said so."
    )
    found = people(text)
    assert found["Sergey Shoigu"] == ("RUS", "head-of-body")
    assert found["Kassem-Jomart Tokayev"] == ("KAZ", "head-of-state")


def test_short_and_variant_names_are_one_actor() -> None:
    text = (
        "Russian Security Council Secretary Sergey Shoygu arrived. Shoygu met Xi. "
        "Xi told Shougu that all is well."
    )
    doc = read(text)
    names = [a.name for a in doc.table.actors if a.kind == "person"]
    assert names.count("Sergey Shoygu") == 1 and "Shougu" not in names


def test_states_organisations_and_bodies() -> None:
    doc = read("Russia’s Foreign Ministry said the SCO and BRICS matter to Beijing.")
    kinds = {(a.name, a.kind, a.country) for a in doc.table.actors}
    assert ("Russian Foreign Ministry", "organisation", "RUS") in kinds
    assert ("Shanghai Cooperation Organisation", "organisation", None) in kinds
    assert ("China", "state", "CHN") in kinds


def test_role_noun_resolves_to_the_fitting_person() -> None:
    text = (
        "Chinese Foreign Minister Wang Yi met Russian President Vladimir Putin. "
        "The top Chinese diplomat said little. The Russian leader said more."
    )
    doc = read(text)
    resolved = {
        text[doc.items[m.first].start : doc.items[m.last - 1].end]: doc.table.actors[m.actor].name
        for m in doc.mentions
        if m.kind == "nominal" and m.actor is not None
    }
    assert resolved == {
        "The top Chinese diplomat": "Wang Yi",
        "The Russian leader": "Vladimir Putin",
    }


def test_bylines_and_agencies_are_not_people_in_records() -> None:
    doc = read("By Elena Teslova\nTasnim News Agency reported the Munich Security Conference.")
    assert all(a.kind != "person" for a in doc.table.actors)


def test_counterpart_resolves_an_actor_but_is_not_their_title():
    from briefing.backends.rules import RulesBackend
    from briefing.ingest import article_from_text
    from briefing.settings import load_settings

    text = (
        "Indian Prime Minister Narendra Modi held talks with his French counterpart "
        "Emmanuel Macron in Paris on Tuesday."
    )
    backend = RulesBackend(load_settings({"backend": "rules"}, env={}))
    (meeting,) = backend.extract(article_from_text(text)).meetings
    titles = {p.name: p.title for p in meeting.participants}
    assert titles.get("Emmanuel Macron") != "counterpart", titles
    assert titles.get("Narendra Modi") == "Prime Minister", titles



@pytest.mark.parametrize(
    "text",
    [
        "Danish army chief Gen Tomas Marrow landed in Lunet. Gen Marrow said the talks went well.",
        "Gen. Tomas Marrow landed in Lunet. Gen. Marrow said the talks went well.",
        "Lt Gen Tomas Marrow landed in Lunet. Marrow said the talks went well.",
        "Lt. Gen. Tomas Marrow landed in Lunet. Tomas Marrow said the talks went well.",
        "Maj Gen Tomas Marrow landed in Lunet. Maj Gen Marrow said the talks went well.",
        "Adm Tomas Marrow landed in Lunet. Adm. Marrow said the talks went well.",
        "Col. Tomas Marrow landed in Lunet. Colonel Marrow said the talks went well.",
        "Gen Marrow landed in Lunet. Tomas Marrow said the talks went well.",
    ],
)
def test_a_military_rank_is_a_title_not_part_of_the_name(text: str) -> None:
    # status16, gap 3: "Gen Marrow" and "Tomas Marrow" are one person, a soldier
    found = people(text)
    assert list(found) == ["Tomas Marrow"]
    assert found["Tomas Marrow"][1] == "military"


def test_a_given_name_after_an_office_is_no_rank() -> None:
    found = people("Danish Defence Minister Gen Halvorsen landed in Lunet.")
    assert found == {"Gen Halvorsen": ("DNK", "minister")}


@pytest.mark.parametrize(
    "text",
    [
        "The Danish special envoy for the Arctic met Foreign Minister Pell Odum in Varsk.",
        "The Danish special envoy for the Arctic said the ice shelf was shrinking.",
        "The EU special representative for the Sahel met President Ilse Marrow on Monday.",
        "The EU commissioner for Trade met President Ilse Marrow on Monday.",
        "Brekk, the envoy for Arctic Affairs, said the talks had gone well.",
    ],
)
def test_a_portfolio_after_for_is_not_a_person(text: str) -> None:
    found = people(text)
    assert not {"Arctic", "Sahel", "Trade", "Arctic Affairs"} & set(found), found


def test_a_name_set_off_after_a_portfolio_takes_the_title() -> None:
    found = people("The special envoy for the Arctic, Tove Brekk, met President Ilse Marrow.")
    assert found["Tove Brekk"] == (None, "envoy")


def test_a_spokesman_for_a_person_keeps_the_person() -> None:
    assert "Alun Trebbe" in people("A spokesman for Alun Trebbe said the talks went well.")


# breaker17: a name right after a one-word portfolio the lexicon does not know as a place
_PORTFOLIO_THEN_NAME = [
    "Special Envoy for the Arctic Tove Brekk said the ice shelf was shrinking.",
    "UN Special Envoy for Kaldoria Tove Brekk met President Ilse Marrow in Varsk on Monday.",
]


@pytest.mark.parametrize("text", _PORTFOLIO_THEN_NAME)
def test_a_portfolio_run_on_into_a_name_makes_no_person_of_the_run(text: str) -> None:
    # The capitalised run "Kaldoria Tove Brekk" is read as one portfolio: no wrong person
    # ("Kaldoria Tove Brekk", "Arctic Tove Brekk") comes of it.
    assert not [n for n in people(text) if "Kaldoria" in n or "Arctic" in n]


@pytest.mark.xfail(
    strict=True,
    reason="the run after 'envoy for (the)' is one portfolio name item: where the portfolio"
    " ends and the person starts is unknown without a given-name list, so Tove Brekk is missed",
)
@pytest.mark.parametrize("text", _PORTFOLIO_THEN_NAME)
def test_a_name_right_after_a_portfolio_is_the_envoy(text: str) -> None:
    assert people(text).get("Tove Brekk") == (None, "envoy")
