"""Consolidation: each event once with all its sources, disagreements reported, order stable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.actors import ActorRegistry, fold_name
from briefing.consolidate import consolidate, resolve_date, weekday_in
from briefing.evaluate import load_gold
from briefing.grounding import ground
from briefing.ingest import load_article
from briefing.render import render
from briefing.schemas import (
    Actor,
    Article,
    ArticleExtraction,
    Brief,
    Claim,
    Failure,
    Meeting,
    Position,
    RunInfo,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "fixtures" / "gold"
XI_SHOIGU = ("000_2db41fe9ed575a35", "001_d85049abae734bae")
RUN = RunInfo(run_id="test", backend="test", model="none", prompt_version="none",
              started=dt.datetime(2025, 3, 15, 8, 0))
DAY = dt.date(2025, 3, 15)  # a Saturday
REGISTRY = ActorRegistry.load()


# ----------------------------------------------------------------------------- helpers


def seed(stem: str) -> Article:
    """A seed as ingest reads it (outlet from the dateline where there is one), titled by stem."""
    path = SEEDS / f"{stem}.txt"
    return load_article(path).model_copy(update={"title": path.stem})


def article(text: str, *, outlet: str | None = None, published: dt.date | None = None) -> Article:
    return Article(id=Article.make_id(text), title=text[:20], text=text, outlet=outlet,
                   published=published)


def person(name: str, **kw: Any) -> Actor:
    return Actor(name=name, kind="person", **kw)


def meeting(a: Article, passage: str, *parties: str | Actor, **kw: Any) -> Meeting:
    actors = [p if isinstance(p, Actor) else person(p) for p in parties]
    return Meeting(participants=actors, evidence=[ground(passage, a)], **kw)


def quote(a: Article, speaker: str, words: str, kind: str = "direct-quote") -> Claim:
    evidence = ground(words, a, fuzzy=False)
    text = evidence.text if kind == "direct-quote" else words
    return Claim(speaker=person(speaker), kind=kind, text=text, evidence=[evidence])  # type: ignore[arg-type]


def position(a: Article, passage: str, actor: str, topic: str, stance: str) -> Position:
    return Position(actor=person(actor), topic=topic, stance=stance,  # type: ignore[arg-type]
                    evidence=[ground(passage, a)])


def extraction(a: Article, *items: Meeting | Position | Claim) -> ArticleExtraction:
    return ArticleExtraction(
        article_id=a.id, backend="test", model="none", prompt_version="none",
        meetings=[i for i in items if isinstance(i, Meeting)],
        positions=[i for i in items if isinstance(i, Position)],
        claims=[i for i in items if isinstance(i, Claim)],
    )


def brief(*pairs: tuple[Article, ArticleExtraction], registry: ActorRegistry = REGISTRY,
          failures: Sequence[Failure] = ()) -> Brief:
    return consolidate([a for a, _ in pairs], [x for _, x in pairs], list(failures), RUN, DAY,
                       registry=registry)


def gold_extraction(a: Article) -> ArticleExtraction:
    return load_gold(GOLD / f"{a.title}.json", a)


def rules_extraction(a: Article) -> ArticleExtraction:
    """The rules backend, chosen by name as the pipeline chooses it."""
    from briefing.backends import get_backend
    from briefing.settings import Settings

    return get_backend(Settings(backend="rules")).extract(a)


EXTRACTORS = [
    pytest.param(gold_extraction, id="gold"),
    pytest.param(rules_extraction, id="rules"),
]


def ids(actors: Sequence[Actor]) -> set[str]:
    return {a.id for a in actors}


# ----------------------------------------------------------------------------- the seeds


@pytest.mark.parametrize("extract", EXTRACTORS)
def test_seed_xi_shoigu_meeting_appears_once_with_both_sources(extract: Any) -> None:
    articles = [seed(s) for s in XI_SHOIGU]
    out = brief(*((a, extract(a)) for a in articles))
    found = [m for m in out.meetings
             if {"xi-jinping", "sergei-shoigu"} <= ids(m.participants) and m.status == "held"]
    assert len(found) == 1, [(m.id, [p.name for p in m.participants]) for m in found]
    (xi_shoigu,) = found
    assert set(xi_shoigu.sources) == {a.id for a in articles}
    assert xi_shoigu.corroboration == 2
    assert "beijing" in fold_name(xi_shoigu.location or "")
    assert {e.article_id for e in xi_shoigu.evidence} == {a.id for a in articles}


@pytest.mark.parametrize("extract", EXTRACTORS)
def test_seed_brief_has_one_shoigu_and_one_wang_yi(extract: Any) -> None:
    articles = [seed(p.stem) for p in sorted(SEEDS.glob("*.txt"))]
    out = brief(*((a, extract(a)) for a in articles))
    shoigus = [a for a in out.actors if any("sho" in fold_name(s) for s in [a.name, *a.aliases])]
    wangs = [a for a in out.actors if any(fold_name(s).startswith("wang") for s in a.aliases)]
    assert [a.name for a in shoigus] == ["Sergei Shoigu"]
    assert [a.name for a in wangs] == ["Wang Yi"]


def test_seed_gold_actors_in_full() -> None:
    articles = [seed(p.stem) for p in sorted(SEEDS.glob("*.txt"))]
    out = brief(*((a, gold_extraction(a)) for a in articles))
    shoigu = next(a for a in out.actors if a.id == "sergei-shoigu")
    assert {"Sergey Shoygu", "Sergey Shoigu"} <= set(shoigu.aliases)
    wang = next(a for a in out.actors if a.id == "wang-yi")
    assert {"Foreign Minister", "China's top diplomat"} <= set(wang.titles)
    patrushev = next(a for a in out.actors if a.id == "nikolai-patrushev")
    assert set(patrushev.aliases) == {"Nikolay Patrushev", "Nikolai Patrushev"}
    assert any(a.id == "volodymyr-zelensky" and "Selenskyi" in a.aliases for a in out.actors)


def test_every_spelling_of_shoigu_in_the_seeds_is_one_actor() -> None:
    a0, a1 = seed(XI_SHOIGU[0]), seed(XI_SHOIGU[1])
    x0 = extraction(
        a0,
        meeting(a0, "Xi made these comments during a meeting with visiting Russian Security "
                "Council’s Secretary Sergey Shoygu", "Xi", "Sergey Shoygu", location="Beijing"),
        quote(a0, "Xi", "China and Russia are friendly neighbors and true friends"),
        position(a0, "Shoygu, for his part, said China has been", "Shoygu",
                 "Ukraine peace process", "welcomes"),
        meeting(a0, "“China and Russia are friendly neighbors and true friends,” Xi told Shougu.",
                "Xi", "Shougu"),
    )
    x1 = extraction(
        a1,
        meeting(a1, "Chinese President Xi Jinping met with Sergey Shoigu", "Xi Jinping",
                "Sergey Shoigu", location="Beijing", date_text="on Friday"),
        quote(a1, "Shoigu", "According to TASS, this was Shoigu’s second visit", "paraphrase"),
    )
    no_people = ActorRegistry([e for e in REGISTRY.entries if e.kind != "person"],
                              title_words=REGISTRY.title_words)
    for registry in (REGISTRY, no_people):
        out = brief((a0, x0), (a1, x1), registry=registry)
        shoigus = [a for a in out.actors if "sho" in fold_name(a.name)]
        assert len(shoigus) == 1
        assert set(shoigus[0].aliases) == {"Sergey Shoygu", "Shoygu", "Shougu", "Sergey Shoigu",
                                           "Shoigu"}
        assert len(out.meetings) == 1 and out.meetings[0].corroboration == 2


def test_wang_yi_under_every_title_is_one_actor() -> None:
    a0, a2 = seed("000_2db41fe9ed575a35"), seed("002_be366cde38887e44")
    x0 = extraction(a0, position(
        a0, "Separately, Chinese Foreign Minister Wang Yi said during his meeting with Shoygu",
        "Chinese Foreign Minister Wang Yi", "strategic security", "calls-for"))
    x2 = extraction(
        a2,
        meeting(a2, "In his meeting with China's top diplomat Wang Yi in Moscow on Wednesday",
                "China's top diplomat Wang Yi", "Vladimir Putin", location="Moscow"),
        quote(a2, "Wang", "often face crisis and chaos, but there are always opportunities"),
    )
    out = brief((a0, x0), (a2, x2))
    wangs = [a for a in out.actors if "wang" in fold_name(a.name)]
    assert [w.name for w in wangs] == ["Wang Yi"]
    assert out.positions[0].actor.title == "Chinese Foreign Minister"  # per mention
    assert next(p for p in out.meetings[0].participants if p.id == "wang-yi").title == (
        "China's top diplomat"
    )
    assert out.claims[0].speaker.id == "wang-yi"


# ----------------------------------------------------------------------------- meetings

GENEVA = "Foreign Minister Ana Example met Bo Sample in Geneva on 3 March 2025 to discuss grain."
VIENNA = "Ana Example held talks with Bo Sample in Vienna on 3 March 2025 about grain exports."


def test_two_places_for_the_same_meeting_is_a_divergence() -> None:
    a1, a2 = article(GENEVA, outlet="Wire One"), article(VIENNA, outlet="Wire Two")
    date = dt.date(2025, 3, 3)
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", location="Geneva",
                                date=date))
    x2 = extraction(a2, meeting(a2, VIENNA, "Ana Example", "Bo Sample", location="Vienna",
                                date=date))
    out = brief((a1, x1), (a2, x2))
    assert len(out.meetings) == 1
    (div,) = out.divergences
    assert (div.item_id, div.item_kind, div.field) == ("m1", "meeting", "location")
    assert div.values == {"Geneva": [a1.id], "Vienna": [a2.id]}
    assert out.meetings[0].location == "Geneva"  # first source wins, the divergence says so


def test_different_places_on_unknown_dates_are_different_meetings() -> None:
    a1, a2 = article(GENEVA), article(VIENNA)
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", location="Geneva"))
    x2 = extraction(a2, meeting(a2, VIENNA, "Ana Example", "Bo Sample", location="Vienna"))
    out = brief((a1, x1), (a2, x2))
    assert len(out.meetings) == 2 and not out.divergences


def test_dates_a_day_apart_at_one_place_are_a_date_divergence() -> None:
    a1, a2 = article(GENEVA), article(VIENNA)
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", location="Geneva",
                                date=dt.date(2025, 3, 3)))
    x2 = extraction(a2, meeting(a2, VIENNA, "Ana Example", "Bo Sample", location="Geneva",
                                date=dt.date(2025, 3, 4)))
    out = brief((a1, x1), (a2, x2))
    assert len(out.meetings) == 1
    assert [(d.field, d.values) for d in out.divergences] == [
        ("date", {"2025-03-03": [a1.id], "2025-03-04": [a2.id]})
    ]


def test_a_place_inside_another_is_not_a_divergence() -> None:
    a0 = seed("000_2db41fe9ed575a35")
    a1 = seed("001_d85049abae734bae")
    x0 = extraction(a0, meeting(a0, "Russia and the US engaged in two rounds of talks",
                                Actor(name="Russia", kind="state"), Actor(name="US", kind="state"),
                                location="Istanbul"))
    x1 = extraction(a1, meeting(a1, "a six-hour meeting between US and Russian delegations",
                                Actor(name="US", kind="state"), Actor(name="Russia", kind="state"),
                                location="US General Consulate in Istanbul"))
    out = brief((a0, x0), (a1, x1))
    assert len(out.meetings) == 1 and not out.divergences


def test_a_vague_report_does_not_absorb_a_specific_meeting() -> None:
    """Issue 9, fault 2: no place and no date is not evidence for the Tuesday talks in Velmora;
    both stay, the vague one marked as possibly the same."""
    vague = "Norvaland and Castamere have engaged in several rounds of talks this year."
    specific = "Norvaland and Castamere delegations met in Velmora on Tuesday for six hours."
    a1, a2 = article(vague, outlet="Wire One"), article(specific, outlet="Wire Two")
    states = (Actor(name="Norvaland", kind="state"), Actor(name="Castamere", kind="state"))
    x1 = extraction(a1, meeting(a1, vague, *states))
    x2 = extraction(a2, meeting(a2, specific, *states, location="Velmora", date_text="on Tuesday"))
    out = brief((a1, x1), (a2, x2))
    assert [(m.id, m.location, m.corroboration, m.possibly_same_as) for m in out.meetings] == [
        ("m1", None, 1, ["m2"]), ("m2", "Velmora", 1, ["m1"])
    ]
    assert not out.divergences


def test_specific_details_on_different_sides_do_not_tie_two_reports() -> None:
    a1 = article("Ana Example met Bo Sample in Geneva.", outlet="Wire One")
    a2 = article("Ana Example and Bo Sample held talks on 3 March 2025.", outlet="Wire Two")
    x1 = extraction(a1, meeting(a1, a1.text, "Ana Example", "Bo Sample", location="Geneva"))
    x2 = extraction(a2, meeting(a2, a2.text, "Ana Example", "Bo Sample",
                                date=dt.date(2025, 3, 3)))
    out = brief((a1, x1), (a2, x2))
    assert len(out.meetings) == 2
    assert [m.possibly_same_as for m in out.meetings] == [["m2"], ["m1"]]


def test_a_shared_place_ties_a_dated_and_an_undated_report() -> None:
    a1 = article("Ana Example met Bo Sample in Geneva.", outlet="Wire One")
    a2 = article(GENEVA, outlet="Wire Two")
    x1 = extraction(a1, meeting(a1, a1.text, "Ana Example", "Bo Sample", location="Geneva"))
    x2 = extraction(a2, meeting(a2, GENEVA, "Ana Example", "Bo Sample", location="Geneva",
                                date=dt.date(2025, 3, 3)))
    out = brief((a1, x1), (a2, x2))
    (m,) = out.meetings
    assert m.corroboration == 2 and m.possibly_same_as == []


def test_planned_and_held_meetings_stay_apart() -> None:
    a1 = article("Ana Example met Bo Sample in Geneva. Bo Sample will visit Ana Example in Oslo.")
    x1 = extraction(
        a1,
        meeting(a1, "Ana Example met Bo Sample in Geneva.", "Ana Example", "Bo Sample"),
        meeting(a1, "Bo Sample will visit Ana Example in Oslo.", "Bo Sample", "Ana Example",
                status="planned"),
    )
    out = brief((a1, x1))
    assert [m.status for m in out.meetings] == ["held", "planned"]


def test_a_phone_call_and_a_visit_stay_apart() -> None:
    a1 = article("Ana Example phoned Bo Sample. Later Ana Example visited Bo Sample.")
    x1 = extraction(
        a1,
        meeting(a1, "Ana Example phoned Bo Sample.", "Ana Example", "Bo Sample", format="phone"),
        meeting(a1, "Later Ana Example visited Bo Sample.", "Ana Example", "Bo Sample",
                format="visit"),
    )
    assert len(brief((a1, x1)).meetings) == 2


CALL = "Foreign Minister Ana Example spoke by phone with Bo Sample on 3 March 2025."
TALKS = "Ana Example met Bo Sample in Geneva on 3 March 2025 to discuss grain."


def test_a_call_and_a_meeting_in_a_city_on_the_same_day_are_two_events() -> None:
    a1, a2 = article(CALL, outlet="Wire One"), article(TALKS, outlet="Wire Two")
    date = dt.date(2025, 3, 3)
    x1 = extraction(a1, meeting(a1, CALL, "Ana Example", "Bo Sample", date=date, format="phone"))
    # no format given: the place says the two were in one room
    x2 = extraction(a2, meeting(a2, TALKS, "Ana Example", "Bo Sample", date=date,
                                location="Geneva"))
    out = brief((a1, x1), (a2, x2))
    found = sorted((str(m.format), str(m.location), m.corroboration) for m in out.meetings)
    assert found == [("None", "Geneva", 1), ("phone", "None", 1)]
    assert not out.divergences


@pytest.mark.parametrize(
    "texts",
    [
        # two outlets
        ("Estonian Foreign Minister Mara Ilves spoke by phone with her Finnish counterpart "
         "Tomas Bergqvist on Friday.",
         "Estonian Foreign Minister Mara Ilves met Finnish Foreign Minister Tomas Bergqvist in "
         "Valmora on Friday."),
        # one article: the rules extractor keeps them apart too
        ("Estonian Foreign Minister Mara Ilves spoke by phone with her Finnish counterpart "
         "Tomas Bergqvist on Friday. On Friday evening, Ilves also met Bergqvist in Valmora.",),
    ],
)
def test_the_rules_path_keeps_a_call_and_a_meeting_apart(texts: tuple[str, ...]) -> None:
    arts = [article(t, outlet=f"Wire {n}") for n, t in enumerate(texts)]
    out = brief(*((a, rules_extraction(a)) for a in arts))
    assert sorted(str(m.format) for m in out.meetings) == ["None", "phone"]
    in_person = next(m for m in out.meetings if m.format != "phone")
    assert in_person.location == "Valmora"
    assert all("phone" not in ev.text for ev in in_person.evidence)


HELD = "Ana Example met Bo Sample in Geneva on 3 March 2025 to discuss grain."
OFF = "A meeting of Ana Example and Bo Sample in Geneva on 3 March 2025 was cancelled."


@pytest.mark.parametrize("other", ["cancelled", "planned"])
def test_sources_that_disagree_on_status_show_a_divergence(other: str) -> None:
    a1, a2 = article(HELD, outlet="Wire One"), article(OFF, outlet="Wire Two")
    date = dt.date(2025, 3, 3)
    x1 = extraction(a1, meeting(a1, HELD, "Ana Example", "Bo Sample", date=date,
                                location="Geneva"))
    x2 = extraction(a2, meeting(a2, OFF, "Ana Example", "Bo Sample", date=date,
                                location="Geneva", status=other))
    out = brief((a1, x1), (a2, x2))
    # neither record is given the other's status: each keeps its own sources
    assert [(m.id, m.status, m.sources, m.possibly_same_as) for m in out.meetings] == [
        ("m1", "held", [a1.id], ["m2"]), ("m2", other, [a2.id], ["m1"])
    ]
    (div,) = out.divergences
    assert (div.item_id, div.field, div.values) == (
        "m1", "status", {"held": [a1.id], other: [a2.id]}
    )
    text = render(out, "md")
    assert "**Status** of the meeting of Ana Example and Bo Sample: “held” [1] vs " in text
    assert text.count("different statuses (see Divergences), so they are not merged") == 2
    assert "nothing ties" not in text  # they share the day and the place
    assert "different statuses (see <a href=\"#divergences\">" in render(out, "html")


@pytest.mark.parametrize(
    ("second", "date", "location"),
    [
        # another day: a meeting called off after an earlier one took place
        (OFF.replace("3 March", "9 March"), dt.date(2025, 3, 9), "Geneva"),
        # another city on the same day: not the same meeting
        (OFF.replace("Geneva", "Vienna"), dt.date(2025, 3, 3), "Vienna"),
        # no day given: nothing ties them
        (OFF.replace(" on 3 March 2025", ""), None, "Geneva"),
    ],
)
def test_a_status_divergence_needs_the_same_day(
    second: str, date: dt.date | None, location: str
) -> None:
    a1, a2 = article(HELD, outlet="Wire One"), article(second, outlet="Wire Two")
    x1 = extraction(a1, meeting(a1, HELD, "Ana Example", "Bo Sample",
                                date=dt.date(2025, 3, 3), location="Geneva"))
    x2 = extraction(a2, meeting(a2, second, "Ana Example", "Bo Sample", date=date,
                                location=location, status="cancelled"))
    out = brief((a1, x1), (a2, x2))
    assert [m.status for m in out.meetings] == ["held", "cancelled"]
    assert not [d for d in out.divergences if d.field == "status"]


def test_one_text_that_reports_a_meeting_and_its_cancellation_is_no_divergence() -> None:
    text = HELD + " " + OFF
    a1 = article(text)
    date = dt.date(2025, 3, 3)
    x1 = extraction(
        a1,
        meeting(a1, HELD, "Ana Example", "Bo Sample", date=date, location="Geneva"),
        meeting(a1, OFF, "Ana Example", "Bo Sample", date=date, location="Geneva",
                status="cancelled"),
    )
    assert not brief((a1, x1)).divergences


def test_visit_and_host_are_one_format_other_formats_diverge() -> None:
    a1, a2, a3 = article(GENEVA), article(VIENNA), article(GENEVA + " More.")
    date = dt.date(2025, 3, 3)
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", date=date, format="visit"))
    x2 = extraction(a2, meeting(a2, VIENNA, "Ana Example", "Bo Sample", date=date, format="host"))
    assert not brief((a1, x1), (a2, x2)).divergences
    x3 = extraction(a3, meeting(a3, GENEVA, "Ana Example", "Bo Sample", date=date,
                                format="sidelines"))
    (div,) = brief((a1, x1), (a3, x3)).divergences
    assert div.field == "format" and div.values == {"visit": [a1.id], "sidelines": [a3.id]}


def test_a_person_and_the_state_they_represent_are_one_party() -> None:
    a1, a2 = article(GENEVA, outlet="Wire One"), article(VIENNA, outlet="Wire Two")
    ana = person("Ana Example", country="ESP")
    x1 = extraction(a1, meeting(a1, GENEVA, ana, "Bo Sample", Actor(name="Spain", kind="state",
                                                                    country="ESP")))
    x2 = extraction(a2, meeting(a2, VIENNA, ana, "Bo Sample"))
    out = brief((a1, x1), (a2, x2))
    assert len(out.meetings) == 1 and out.meetings[0].corroboration == 2


def test_an_extra_attendee_on_the_same_day_and_place_is_a_divergence() -> None:
    a1, a2 = article(GENEVA), article(VIENNA)
    date = dt.date(2025, 3, 3)
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", location="Geneva",
                                date=date))
    x2 = extraction(a2, meeting(a2, VIENNA, "Ana Example", "Bo Sample", "Cy Third",
                                location="Geneva", date=date))
    out = brief((a1, x1), (a2, x2))
    assert len(out.meetings) == 1
    assert [p.name for p in out.meetings[0].participants] == ["Ana Example", "Bo Sample",
                                                               "Cy Third"]
    (div,) = out.divergences
    assert div.field == "participants"
    assert div.values == {"Ana Example, Bo Sample": [a1.id],
                          "Ana Example, Bo Sample, Cy Third": [a2.id]}


def test_an_extra_attendee_is_not_forced_onto_one_of_two_meetings() -> None:
    a1, a2 = article(GENEVA), article(VIENNA)
    date = dt.date(2025, 3, 3)
    kw = {"location": "Geneva", "date": date}
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", **kw),
                    meeting(a1, GENEVA, "Cy Third", "Bo Sample", **kw))
    x2 = extraction(a2, meeting(a2, VIENNA, "Ana Example", "Bo Sample", "Cy Third", **kw))
    assert len(brief((a1, x1), (a2, x2)).meetings) == 3


def test_given_name_transliterations_make_one_meeting() -> None:
    """Issue 9, fault 6: Yelena in one outlet and Elena in another are one minister."""
    t1 = "Foreign Minister Yelena Varkova met Bo Sample in Geneva on 3 March 2025."
    t2 = "Bo Sample received Elena Varkova, the foreign minister, in Geneva on 3 March 2025."
    a1, a2 = article(t1, outlet="Wire One"), article(t2, outlet="Wire Two")
    kw = {"location": "Geneva", "date": dt.date(2025, 3, 3)}
    x1 = extraction(a1, meeting(a1, t1, "Yelena Varkova", "Bo Sample", **kw))
    x2 = extraction(a2, meeting(a2, t2, "Bo Sample", "Elena Varkova", **kw))
    out = brief((a1, x1), (a2, x2))
    (m,) = out.meetings
    assert m.corroboration == 2
    assert sorted(a.name for a in out.actors) == ["Bo Sample", "Yelena Varkova"]


def test_two_people_sharing_a_surname_are_not_merged() -> None:
    text = ("Anna Kovacs met Bo Sample in Geneva. Peter Kovacs met Bo Sample in Geneva. "
            "Kovacs said talks went well.")
    a1 = article(text)
    x1 = extraction(
        a1,
        meeting(a1, "Anna Kovacs met Bo Sample in Geneva.", "Anna Kovacs", "Bo Sample"),
        meeting(a1, "Peter Kovacs met Bo Sample in Geneva.", "Peter Kovacs", "Bo Sample"),
        quote(a1, "Kovacs", "Kovacs said talks went well.", "paraphrase"),
    )
    out = brief((a1, x1))
    assert len(out.meetings) == 2
    kovacs = {a.name: a.id for a in out.actors if "Kovacs" in a.name}
    assert set(kovacs) == {"Anna Kovacs", "Peter Kovacs", "Kovacs"}
    assert len(set(kovacs.values())) == 3


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "published", "status", "expected"),
    [
        ("on Friday", DAY, "held", dt.date(2025, 3, 14)),
        ("on Saturday", DAY, "held", DAY),
        ("Wednesday evening", DAY, "held", dt.date(2025, 3, 12)),
        ("on Thursday", DAY, "held", dt.date(2025, 3, 13)),
        ("on Friday", DAY, "planned", dt.date(2025, 3, 21)),
        ("yesterday", DAY, "held", dt.date(2025, 3, 14)),
        ("today", DAY, "held", DAY),
        ("on 3 March", DAY, "held", dt.date(2025, 3, 3)),
        ("on December 30", DAY, "held", dt.date(2024, 12, 30)),
        ("on March 3, 2024", None, "held", dt.date(2024, 3, 3)),
        ("2025-02-28", None, "held", dt.date(2025, 2, 28)),
        ("on Friday", None, "held", None),
        ("on 3 March", None, "held", None),
        ("last week", DAY, "held", None),
        ("last Friday", DAY, "held", None),
        ("on Friday last week", DAY, "held", None),
        ("in March", DAY, "held", None),
        ("on Monday and Tuesday", DAY, "held", None),
        (None, DAY, "held", None),
    ],
)
def test_resolve_date(text: str | None, published: dt.date | None, status: str,
                      expected: dt.date | None) -> None:
    assert resolve_date(text, published, status) == expected  # type: ignore[arg-type]


def test_weekday_in() -> None:
    assert weekday_in("on Wednesday evening") == 2
    assert weekday_in("last Friday") == 4
    assert weekday_in("in March") is None


def test_relative_dates_in_the_brief_with_and_without_published() -> None:
    a1 = article(GENEVA, published=DAY)
    a2 = article(VIENNA)
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", date_text="on Friday"))
    x2 = extraction(a2, meeting(a2, VIENNA, "Cy Third", "Bo Sample", date_text="on Friday"))
    out = brief((a1, x1), (a2, x2))
    dated = {tuple(sorted(ids(m.participants))): m for m in out.meetings}
    with_pub = dated[("ana-example", "bo-sample")]
    without = dated[("bo-sample", "cy-third")]
    assert (with_pub.date, with_pub.date_text) == (dt.date(2025, 3, 14), "on Friday")
    assert (without.date, without.date_text) == (None, "on Friday")


def test_weekdays_compare_with_resolved_dates() -> None:
    a1, a2 = article(GENEVA, published=DAY), article(VIENNA)
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", date_text="on Friday"))
    x2 = extraction(a2, meeting(a2, VIENNA, "Ana Example", "Bo Sample", date_text="Friday"))
    out = brief((a1, x1), (a2, x2))
    assert len(out.meetings) == 1 and not out.divergences
    a3 = article(VIENNA + " Again.")
    x3 = extraction(a3, meeting(a3, VIENNA, "Ana Example", "Bo Sample", date_text="on Thursday"))
    assert len(brief((a1, x1), (a3, x3)).meetings) == 2  # a day apart, place unknown: two
    x1 = extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample", date_text="on Friday",
                                location="Geneva"))
    x3 = extraction(a3, meeting(a3, VIENNA, "Ana Example", "Bo Sample", date_text="on Thursday",
                                location="Geneva"))
    out = brief((a1, x1), (a3, x3))
    assert len(out.meetings) == 1
    (div,) = out.divergences
    assert div.field == "date" and div.values == {"2025-03-14": [a1.id], "on Thursday": [a3.id]}


# ----------------------------------------------------------------------------- claims, positions


def test_the_same_quote_from_two_outlets_is_one_claim_with_two_sources() -> None:
    words = "We will keep working for a just peace in the region"
    a1 = article(f"“{words},” Ana Example told reporters.", outlet="Wire One")
    a2 = article(f"Ana Example said: \"{words.lower()}.\" She left.", outlet="Wire Two")
    x1 = extraction(a1, quote(a1, "Ana Example", words))
    x2 = extraction(a2, quote(a2, "Example", words.lower()))
    out = brief((a1, x1), (a2, x2))
    (claim,) = out.claims
    assert claim.sources == [a1.id, a2.id] and claim.corroboration == 2
    assert claim.id == "c1" and not out.divergences


def test_a_paraphrase_stays_apart_from_the_direct_quote() -> None:
    a0, a1 = seed("000_2db41fe9ed575a35"), seed("001_d85049abae734bae")
    x0 = extraction(a0, quote(a0, "Xi", "China and Russia are friendly neighbors and true friends"))
    x1 = extraction(a1, quote(a1, "Xi", "China and Russia are friendly neighbors and true friends",
                              "paraphrase"))
    out = brief((a0, x0), (a1, x1))
    assert sorted(c.kind for c in out.claims) == ["direct-quote", "paraphrase"]


def test_a_quote_worded_differently_is_a_text_divergence() -> None:
    a1 = article("He said “we want close cooperation at all levels with Moscow” and left.",
                 outlet="Wire One")
    a2 = article("He said “we seek close communication at all levels with Moscow” and left.",
                 outlet="Wire Two")
    x1 = extraction(a1, quote(a1, "Ana Example", a1.text[9:60]))
    x2 = extraction(a2, quote(a2, "Ana Example", a2.text[9:62]))
    out = brief((a1, x1), (a2, x2))
    (claim,) = out.claims
    assert claim.corroboration == 2
    (div,) = out.divergences
    assert (div.item_kind, div.field) == ("claim", "text")
    assert {tuple(v) for v in div.values.values()} == {(a1.id,), (a2.id,)}


def test_different_speakers_saying_the_same_are_two_claims() -> None:
    words = "We will keep working for a just peace in the region"
    a1 = article(f"“{words},” Ana Example said. “{words},” Bo Sample agreed.")
    x1 = extraction(a1, quote(a1, "Ana Example", words), quote(a1, "Bo Sample", words))
    assert len(brief((a1, x1)).claims) == 2


def test_positions_merge_only_within_one_statement() -> None:
    """The same stance on the same topic from two occasions is history, not corroboration; the
    same statement carried by two outlets is one position with two sources."""
    said = "Ana Example said the grain corridor must stay open through the winter months."
    a1 = article("At talks in Geneva on Monday, " + said, outlet="Wire One")
    a2 = article("Speaking in Oslo, far from the talks. " + said + " She left.", outlet="Wire Two")
    a3 = article("In a speech in May, Ana Example said the grain corridor mattered to everyone.",
                 outlet="Wire Three")
    x1 = extraction(a1, position(a1, said, "Ana Example", "grain corridor", "supports"))
    x2 = extraction(a2, position(a2, said, "Ana Example", "Grain corridor", "supports"),
                    position(a2, said, "Ana Example", "grain corridor", "calls-for"))
    x3 = extraction(a3, position(a3, a3.text, "Ana Example", "grain corridors", "supports"),
                    position(a3, a3.text, "Bo Sample", "grain corridor", "supports"))
    out = brief((a1, x1), (a2, x2), (a3, x3))
    assert [(p.id, p.actor.id, p.stance, p.corroboration, p.sources, p.history)
            for p in out.positions] == [
        ("p1", "ana-example", "supports", 2, [a1.id, a2.id], ["p3"]),
        ("p2", "ana-example", "calls-for", 1, [a2.id], []),
        ("p3", "ana-example", "supports", 1, [a3.id], ["p1"]),
        ("p4", "bo-sample", "supports", 1, [a3.id], []),
    ]


def test_seed_positions_from_different_meetings_are_not_corroboration() -> None:
    """Issue 9, fault 3: a stance repeated in articles about different events stays apart."""
    articles = [seed(p.stem) for p in sorted(SEEDS.glob("*.txt"))]
    out = brief(*((a, rules_extraction(a)) for a in articles))
    for p in out.positions:
        assert p.corroboration == 1 or len({e.text for e in p.evidence}) == 1 or all(
            fold_name(e.text)[:40] == fold_name(p.evidence[0].text)[:40] for e in p.evidence
        ), (p.actor.name, p.topic, [e.text for e in p.evidence])


# ----------------------------------------------------------------------------- corroboration


def test_corroboration_counts_outlets_not_articles() -> None:
    texts = [GENEVA, VIENNA, "Ana Example and Bo Sample talked about grain in Geneva at length.",
             "Grain exports were on the table when Bo Sample received Ana Example in Geneva."]
    a1, a2 = article(texts[0], outlet="Wire One"), article(texts[1], outlet="wire one")
    a3, a4 = article(texts[2]), article(texts[3])
    pairs = [(a, extraction(a, meeting(a, a.text[:40], "Ana Example", "Bo Sample")))
             for a in (a1, a2, a3, a4)]
    out = brief(*pairs[:2])
    assert len(out.meetings[0].sources) == 2 and out.meetings[0].corroboration == 1
    out = brief(*pairs)
    # Wire One, and the two articles without an outlet together: 2 independent sources.
    assert len(out.meetings[0].sources) == 4 and out.meetings[0].corroboration == 2


def test_copies_count_once_with_all_their_outlets() -> None:
    """Issue 9, fault 6: the same article three times with one word changed is one source."""
    base = (GENEVA + " The two ministers agreed to meet again before the summer and asked "
            "their deputies to prepare a joint statement on grain exports and port fees.")
    copies = [article(base.replace("summer", word), outlet=outlet)
              for word, outlet in (("summer", None), ("autumn", "Wire One"), ("winter", None))]
    pairs = [(a, extraction(a, meeting(a, GENEVA, "Ana Example", "Bo Sample", location="Geneva",
                                       date=dt.date(2025, 3, 3)),
                            position(a, GENEVA, "Ana Example", "grain", "supports")))
             for a in copies]
    out = brief(*pairs)
    (m,) = out.meetings
    (p,) = out.positions
    assert len(m.sources) == 3 and m.corroboration == 1
    assert len(p.sources) == 3 and p.corroboration == 1


# ----------------------------------------------------------------------------- the brief


def test_order_ids_and_pass_through() -> None:
    a1 = article(GENEVA, outlet="Wire One")
    a2 = article(VIENNA, outlet="Wire Two")
    a3 = article("Cy Third will meet Dee Fourth in Oslo. Cy Third met Eve Fifth in Rome.")
    pairs = [
        (a3, extraction(
            a3,
            meeting(a3, "Cy Third will meet Dee Fourth in Oslo.", "Cy Third", "Dee Fourth",
                    status="planned"),
            meeting(a3, "Cy Third met Eve Fifth in Rome.", "Cy Third", "Eve Fifth"),
        )),
        (a1, extraction(a1, meeting(a1, GENEVA, "Ana Example", "Bo Sample"))),
        (a2, extraction(a2, meeting(a2, VIENNA, "Ana Example", "Bo Sample"))),
    ]
    failure = Failure(article_id="zzz", reason="model gave up", attempts=3)
    out = brief(*pairs, failures=[failure])
    # held before planned; more sources first; then first appearance
    assert [(m.id, sorted(ids(m.participants))) for m in out.meetings] == [
        ("m1", ["ana-example", "bo-sample"]),
        ("m2", ["cy-third", "eve-fifth"]),
        ("m3", ["cy-third", "dee-fourth"]),
    ]
    assert [a.id for a in out.articles] == [a3.id, a1.id, a2.id]
    assert out.extractions == [x for _, x in pairs]
    assert out.failures == [failure] and out.run == RUN and out.date == DAY
    again = brief(*pairs, failures=[failure])
    assert again.model_dump() == out.model_dump()


def test_meetings_of_the_same_rank_are_newest_first() -> None:
    a1 = article("Ana Example met Bo Sample. Ana Example met Cy Third.")
    x1 = extraction(
        a1,
        meeting(a1, "Ana Example met Bo Sample.", "Ana Example", "Bo Sample",
                date=dt.date(2025, 3, 1)),
        meeting(a1, "Ana Example met Cy Third.", "Ana Example", "Cy Third",
                date=dt.date(2025, 3, 10)),
    )
    out = brief((a1, x1))
    assert [m.date for m in out.meetings] == [dt.date(2025, 3, 10), dt.date(2025, 3, 1)]


def test_a_meeting_naming_one_person_twice_is_left_out_with_a_notice() -> None:
    a0 = seed("000_2db41fe9ed575a35")
    x0 = extraction(a0, meeting(a0, "Shoygu’s trip to Beijing", "Shoygu", "Sergey Shoygu"))
    out = brief((a0, x0))
    assert out.meetings == []
    assert any("one party twice" in n for n in out.run.notices)


def test_window_follows_publication_dates() -> None:
    a1 = article(GENEVA, published=dt.date(2025, 3, 14))
    a2 = article(VIENNA, published=dt.date(2025, 3, 12))
    out = brief((a1, extraction(a1)), (a2, extraction(a2)))
    assert (out.window_start, out.window_end) == (dt.date(2025, 3, 12), dt.date(2025, 3, 14))


def test_empty_run() -> None:
    out = consolidate([], [], [], RUN, DAY)
    assert out.meetings == out.positions == out.claims == out.divergences == out.actors == []


# ----------------------------------------------------------------------------- property


_BODIES = [
    "Ana Example met Bo Sample in Geneva on 3 March 2025 to discuss grain and port fees.",
    "In Geneva, Bo Sample and Ana Example spent the day of 3 March 2025 on grain exports.",
    "Talks on grain: Ana Example received Bo Sample at the Geneva villa on 3 March 2025.",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["Wire One", "wire one", "Wire Two",
                                                                "Wire Three", None])),
                min_size=1, max_size=7))
def test_corroboration_never_exceeds_the_independent_outlets_cited(reports) -> None:
    """Whatever mix of copies and outlets report one meeting, the count shown is at most the
    distinct outlets cited (all unknown outlets being one) and at most the distinct texts."""
    pairs = []
    for n, (body, outlet) in enumerate(reports):
        text = f"{_BODIES[body]} Filed as item {n}."
        a = article(text, outlet=outlet)
        pairs.append((a, extraction(a, meeting(a, _BODIES[body], "Ana Example", "Bo Sample",
                                               location="Geneva", date=dt.date(2025, 3, 3)))))
    out = brief(*pairs)
    by_id = {a.id: a for a, _ in pairs}
    for m in out.meetings:
        cited = [by_id[i] for i in m.sources]
        outlets = {fold_name(a.outlet) if a.outlet else None for a in cited}
        texts = {a.text.split(" Filed")[0] for a in cited}
        assert 1 <= m.corroboration <= min(len(outlets), len(texts))
