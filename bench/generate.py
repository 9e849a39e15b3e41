"""Seed-like invented articles for the scale benchmarks: invented people, states, cities and
outlets (no real article's wording), the kinds of sentence the seeds have (meetings with a day
and a place, quotes, stances, background), and a share of syndicated copies.

    from bench.generate import articles
    articles(1000, seed=1)  # deterministic for the same arguments
"""

from __future__ import annotations

import datetime as dt
import random

from briefing.schemas import Article

_GIVEN = ["Talvi", "Ruben", "Ansel", "Mirela", "Oskar", "Ilse", "Dario", "Nadia", "Teodor",
          "Lusia", "Kasimir", "Elva", "Bruno", "Sanna", "Petar", "Yelena", "Iurii", "Aleksandr",
          "Marek", "Ines", "Viktor", "Hana", "Jonas", "Rada", "Emil", "Zora", "Felix", "Dunja"]
_FAMILY = ["Oskarsen", "Idrissi", "Vukovar", "Lindqvist", "Marchetti", "Halvorsen", "Brankovic",
           "Delacroix", "Szabados", "Kovalenko", "Ferreira", "Nakashima", "Ostrowski", "Albescu",
           "Petrakis", "Gundersen", "Moravec", "Castellan", "Rautio", "Benedek", "Lazaridis",
           "Okonkwo", "Varga", "Sorensen", "Tamminen", "Orlov", "Quintero", "Hadzic"]
_STATES = ["Norvaland", "Castamere", "Ostrelia", "Drummond", "Valdoria", "Kestria", "Morvania",
           "Lusitra", "Bregovia", "Tarnland", "Selvaria", "Imbria", "Quessa", "Ardenia"]
_CITIES = ["Velmora", "Kastrup", "Ondrava", "Belgrast", "Tirnova", "Port Alric", "Mesada",
           "Lindholm", "Varosh", "Calvena", "Doria", "Estmark", "Rovigo Nuevo", "Sandhaven"]
_TITLES = ["Foreign Minister", "President", "Prime Minister", "Defence Minister",
           "Deputy Foreign Minister", "Trade Minister"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_TOPICS = ["fishing quotas", "the ferry line", "grain exports", "the river border",
           "energy prices", "port fees", "the rail corridor", "visa rules"]
_OUTLETS = [f"{w} {k}" for w in ("Harbour", "Northern", "Capital", "Evening", "Coastal", "Daily")
            for k in ("Wire", "Post", "Herald", "Times", "Ledger")]


def _person(rng: random.Random, not_family: str = "") -> tuple[str, str, str]:
    family = rng.choice([f for f in _FAMILY if f != not_family])
    return (f"{rng.choice(_GIVEN)} {family}", rng.choice(_TITLES), rng.choice(_STATES))


def _body(rng: random.Random) -> str:
    a, ta, sa = _person(rng)
    b, tb, sb = _person(rng, a.split()[-1])
    city, day, topic = rng.choice(_CITIES), rng.choice(_DAYS), rng.choice(_TOPICS)
    other, other_topic = _person(rng), rng.choice(_TOPICS)
    while other[0].split()[-1] in (a.split()[-1], b.split()[-1]):
        other = _person(rng)
    fa, fb = a.split()[-1], b.split()[-1]
    paragraphs = [
        f"{ta} {a} met with {tb} {b} in {city} on {day}, the governments of {sa} and {sb} "
        f"said.",
        f"The talks covered {topic} and {other_topic}, officials told reporters after the meeting.",
        f"“We have agreed to keep talking about {topic} until every question is settled,” {fa} "
        f"told reporters after the talks.",
        f"{fb} said {sb} supports closer ties with {sa} and wants a new agreement on {topic}.",
        f"{sa} and {sb} have held several rounds of talks this year without a final deal.",
        f"Earlier this month {other[1]} {other[0]} of {other[2]} visited {rng.choice(_CITIES)}, "
        f"where {other[0].split()[-1]} called for an end to the dispute over {other_topic}.",
        f"“The region needs calm and a fair settlement on {other_topic},” "
        f"{other[0].split()[-1]} said at the time.",
        f"Analysts said the meeting in {city} was the most important contact between the two "
        f"sides since the crisis over {rng.choice(_TOPICS)} began two years ago.",
        f"{fa} is expected to travel to {rng.choice(_CITIES)} next month for a summit on "
        f"{rng.choice(_TOPICS)}.",
        f"{fb} warned that the dispute over {other_topic} could damage trade between the "
        f"two countries if it dragged on.",
    ]
    rng.shuffle(paragraphs[3:])
    return "\n".join(paragraphs)


def articles(n: int, seed: int = 1, copy_share: float = 0.1,
             published: dt.date = dt.date(2025, 3, 14), stories: int = 1) -> list[Article]:
    """``n`` invented articles; about ``copy_share`` of them re-run an earlier one under
    another outlet with one word changed. Each article tells ``stories`` stories one after
    the other (one: ~240 tokens of text; two: ~480, the seeds' median size)."""
    rng = random.Random(seed)
    out: list[Article] = []
    for i in range(n):
        if out and rng.random() < copy_share:
            text = rng.choice(out).text.replace(" said", " stated", 1)
        else:
            text = "\n".join(_body(rng) for _ in range(stories))
        text = f"{text}\nReference {i}."  # distinct ids even for verbatim copies
        out.append(Article(id=Article.make_id(text), title=f"generated {i}", text=text,
                           outlet=rng.choice(_OUTLETS), published=published))
    return out
