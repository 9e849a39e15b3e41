"""Actor resolution: one actor per person whatever the spelling, and never two people as one."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.actors import (
    ActorIndex,
    ActorRegistry,
    Mention,
    fold_name,
    resolve_actors,
    same_person,
    skeleton,
    split_title,
)
from briefing.errors import ConfigError
from briefing.schemas import Actor

REGISTRY = ActorRegistry.load()
EMPTY = ActorRegistry()
# The bundled states, organisations and title words, but none of the people: names must then be
# resolved by fuzzy matching within the brief.
NO_PEOPLE = ActorRegistry(
    [e for e in REGISTRY.entries if e.kind != "person"], title_words=REGISTRY.title_words
)


def _resolve(mentions: list[tuple[str, str]], registry: ActorRegistry = REGISTRY) -> ActorIndex:
    return resolve_actors([Mention(a, n) for a, n in mentions], registry)


def _id(index: ActorIndex, article: str, name: str) -> str:
    return index.resolve(article, Actor(name=name)).id


# ----------------------------------------------------------------------------- folding


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Erdoğan", "erdogan"),
        ("China’s", "china"),
        ("U.S.", "us"),
        ("Washington D.C.", "washington dc"),
        ("S. Shoigu", "s shoigu"),
        ("Kassem-Jomart  Tokayev", "kassem jomart tokayev"),
    ],
)
def test_fold_name(text: str, folded: str) -> None:
    assert fold_name(text) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [("Shoygu", "Shoigu"), ("Sergey", "Sergei"), ("Nikolay", "Nikolai"),
     ("Zelensky", "Selenskyi"), ("Zelenskyy", "Zelenskiy"), ("Selenskyj", "Zelensky"),
     ("Yelena", "Elena"), ("Yuri", "Iurii"), ("Yevgeny", "Evgeny"), ("Alexei", "Aleksei")],
)
def test_transliteration_variants_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


def test_given_name_transliterations_are_one_person_under_the_surname_guard() -> None:
    assert same_person(skeleton("Yelena Varkova"), skeleton("Elena Varkova"))
    assert same_person(skeleton("Yuri Tamrov"), skeleton("Iurii Tamrov"))
    assert same_person(skeleton("Aleksandr Dubenko"), skeleton("Alexander Dubenko"))
    assert not same_person(skeleton("Yelena Varkova"), skeleton("Elena Marchuk"))
    assert not same_person(skeleton("Yana Varkova"), skeleton("Anna Varkova"))


def test_same_person_needs_compatible_given_names() -> None:
    assert same_person(skeleton("Sergey Shoygu"), skeleton("Sergei Shoigu"))
    assert same_person(skeleton("S. Shoigu"), skeleton("Sergei Shoigu"))
    assert same_person(skeleton("Tayyip Erdogan"), skeleton("Recep Tayyip Erdoğan"))
    assert not same_person(skeleton("Joe Biden"), skeleton("Hunter Biden"))
    assert not same_person(skeleton("Wang Yi"), skeleton("Wang Wenbin"))
    assert not same_person(skeleton("Xi Jinping"), skeleton("Xi Mingze"))


# ----------------------------------------------------------------------------- the registry


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Shoygu", "Sergei Shoigu"), ("Shoigu", "Sergei Shoigu"), ("Shougu", "Sergei Shoigu"),
        ("Sergey Shoygu", "Sergei Shoigu"), ("Sergey Shougu", "Sergei Shoigu"),
        ("Selenskyi", "Volodymyr Zelensky"), ("Zelenskyy", "Volodymyr Zelensky"),
        ("Nikolay Patrushev", "Nikolai Patrushev"), ("Erdogan", "Recep Tayyip Erdoğan"),
        ("Kassem-Jomart Tokayev", "Kassym-Jomart Tokayev"), ("Xi", "Xi Jinping"),
        ("Beijing", "China"), ("PRC", "China"), ("China's", "China"), ("Kremlin", "Russia"),
        ("Moscow", "Russia"), ("U.S.", "United States"), ("Washington", "United States"),
        ("SCO", "Shanghai Cooperation Organisation"),
        ("Shanghai Cooperation Organization", "Shanghai Cooperation Organisation"),
        ("BRICS", "BRICS"), ("NATO", "NATO"), ("EU", "European Union"), ("UN", "United Nations"),
    ],
)
def test_registry_knows_the_seeds_and_common_actors(name: str, canonical: str) -> None:
    entry = REGISTRY.lookup(name)
    assert entry is not None and entry.name == canonical


def test_registry_does_not_guess_a_common_surname_or_a_relative() -> None:
    assert REGISTRY.lookup("Wang") is None  # resolved from the article, never from the registry
    assert REGISTRY.lookup("Hunter Biden") is None


def test_registry_entries_carry_country_and_kind() -> None:
    shoigu = REGISTRY.lookup("Shoigu")
    china = REGISTRY.lookup("China")
    assert shoigu is not None and (shoigu.country, shoigu.kind) == ("RUS", "person")
    assert china is not None and (china.country, china.kind) == ("CHN", "state")


def test_bundled_file_documents_its_format() -> None:
    text = Path(__file__).resolve().parents[1].joinpath("briefing/data/actors.toml").read_text()
    head = text.split("[titles]")[0]
    for key in ("name", "kind", "country", "title", "aliases", "demonyms", "[[place]]"):
        assert key in head


def test_load_a_user_registry(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[actor]]\nname = "Ana Example"\ncountry = "ESP"\naliases = ["Example"]\n', "utf-8"
    )
    registry = ActorRegistry.load(path)
    entry = registry.lookup("Example")
    assert entry is not None and entry.name == "Ana Example"
    assert registry.lookup("Shoigu") is None  # a user file replaces the bundled one


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[actor]]\nkind = 'person'\n", "needs a name"),
        ("[[actor]]\nname = 'X'\nkind = 'robot'\n", "kind must be"),
        ("[[actor]]\nname = 'X'\ncountry = 'Russia'\n", "alpha-3"),
        ("[[actor]]\nname = 'X'\nnick = 'Y'\n", "unknown keys"),
        ("[[actor]\n", "not valid TOML"),
    ],
)
def test_a_broken_registry_is_a_config_error(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml, "utf-8")
    with pytest.raises(ConfigError, match=message):
        ActorRegistry.load(path)


def test_a_missing_registry_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        ActorRegistry.load(tmp_path / "none.toml")


# ----------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("raw", "name", "title"),
    [
        ("Chinese Foreign Minister Wang Yi", "Wang Yi", "Chinese Foreign Minister"),
        ("China’s top diplomat Wang Yi", "Wang Yi", "China’s top diplomat"),
        ("US President Donald Trump", "Donald Trump", "US President"),
        ("Sergey Shoigu, the Secretary of the Russian Security Council", "Sergey Shoigu",
         "the Secretary of the Russian Security Council"),
        ("Wang Yi", "Wang Yi", None),
        ("President", "President", None),
    ],
)
def test_titles_are_split_off_names(raw: str, name: str, title: str | None) -> None:
    assert split_title(raw, "person", REGISTRY) == (name, title)


def test_organisation_names_keep_their_nationality() -> None:
    assert split_title("Russian Foreign Ministry", "organisation", REGISTRY)[0] == (
        "Russian Foreign Ministry"
    )


# ----------------------------------------------------------------------------- resolution


@pytest.mark.parametrize("registry", [REGISTRY, NO_PEOPLE], ids=["registry", "no-people"])
def test_every_spelling_of_shoigu_is_one_actor(registry: ActorRegistry) -> None:
    names = [("a0", "Sergey Shoygu"), ("a0", "Shoygu"), ("a0", "Shougu"),
             ("a1", "Sergey Shoigu"), ("a1", "Shoigu")]
    index = _resolve(names, registry)
    assert len({_id(index, a, n) for a, n in names}) == 1
    (shoigu,) = index.actors
    assert set(shoigu.aliases) == {"Sergey Shoygu", "Shoygu", "Shougu", "Sergey Shoigu", "Shoigu"}


@pytest.mark.parametrize("registry", [REGISTRY, NO_PEOPLE], ids=["registry", "no-people"])
def test_wang_yi_with_titles_and_bare_surname_is_one_actor(registry: ActorRegistry) -> None:
    names = [("a0", "Chinese Foreign Minister Wang Yi"), ("a2", "China's top diplomat Wang Yi"),
             ("a2", "Wang"), ("a4", "China’s Wang Yi"), ("a4", "Wang")]
    index = _resolve(names, registry)
    assert {_id(index, a, n) for a, n in names} == {"wang-yi"}
    (wang,) = index.actors
    assert wang.name == "Wang Yi"
    assert wang.titles[:2] == ["Chinese Foreign Minister", "China's top diplomat"]
    # the title stays with its mention
    assert index.resolve("a2", Actor(name="China's top diplomat Wang Yi")).title == (
        "China's top diplomat"
    )


def test_bare_surname_resolves_in_its_own_article_first() -> None:
    index = _resolve([("a1", "Pavel Novak"), ("a2", "Jan Novak"), ("a2", "Novak")], EMPTY)
    assert _id(index, "a2", "Novak") == _id(index, "a2", "Jan Novak")
    assert _id(index, "a1", "Pavel Novak") != _id(index, "a2", "Jan Novak")


def test_bare_surname_ambiguous_in_its_article_is_not_merged() -> None:
    index = _resolve([("a1", "Wang Yi"), ("a1", "Wang Wenbin"), ("a1", "Wang")], REGISTRY)
    ids = {_id(index, "a1", n) for n in ("Wang Yi", "Wang Wenbin", "Wang")}
    assert len(ids) == 3


def test_bare_surname_ambiguous_in_the_brief_is_not_merged() -> None:
    index = _resolve([("a1", "Anna Kovacs"), ("a2", "Peter Kovacs"), ("a3", "Kovacs")], EMPTY)
    assert len({_id(index, a, n) for a, n in
                [("a1", "Anna Kovacs"), ("a2", "Peter Kovacs"), ("a3", "Kovacs")]}) == 3


def test_bare_surname_unique_in_the_brief_is_merged() -> None:
    index = _resolve([("a1", "Anna Kovacs"), ("a2", "Kovacs")], EMPTY)
    assert _id(index, "a2", "Kovacs") == _id(index, "a1", "Anna Kovacs")


def test_two_people_sharing_a_surname_stay_two() -> None:
    names = [("a1", "Joe Biden"), ("a2", "Hunter Biden"), ("a3", "Anna Kovacs"),
             ("a3", "Peter Kovacs")]
    for registry in (REGISTRY, EMPTY):
        index = _resolve(names, registry)
        assert len({_id(index, a, n) for a, n in names}) == 4


def test_different_registry_entries_never_merge() -> None:
    registry = ActorRegistry.from_toml(
        '[[actor]]\nname = "Sergei Ivanov"\n[[actor]]\nname = "Sergey Ivanov"\n'
    )
    index = _resolve([("a1", "Sergei Ivanov"), ("a2", "Sergey Ivanov")], registry)
    assert _id(index, "a1", "Sergei Ivanov") != _id(index, "a2", "Sergey Ivanov")


def test_unexplained_bare_surnames_are_not_merged_across_articles() -> None:
    index = _resolve([("a1", "Ivanova"), ("a2", "Ivanova")], EMPTY)
    first, second = _id(index, "a1", "Ivanova"), _id(index, "a2", "Ivanova")
    assert first != second and {first, second} == {"ivanova", "ivanova-2"}


def test_initials_match_given_names() -> None:
    index = _resolve([("a1", "Sergei Shoigu"), ("a2", "S. Shoigu")], EMPTY)
    assert _id(index, "a1", "Sergei Shoigu") == _id(index, "a2", "S. Shoigu")


def test_states_and_organisations_resolve_by_alias() -> None:
    index = resolve_actors(
        [Mention("a1", "Beijing", kind="state"), Mention("a2", "China", kind="state"),
         Mention("a3", "SCO", kind="organisation"),
         Mention("a4", "Shanghai Cooperation Organization", kind="organisation")],
        REGISTRY,
    )
    assert [(a.name, a.kind, a.country) for a in index.actors] == [
        ("China", "state", "CHN"), ("Shanghai Cooperation Organisation", "organisation", None)
    ]


def test_unregistered_person_gets_country_from_title() -> None:
    index = resolve_actors(
        [Mention("a1", "Ivan Petrovsky", title="Russian Deputy Prime Minister")], REGISTRY
    )
    assert index.actors[0].country == "RUS"


def test_resolution_is_deterministic() -> None:
    names = [("a1", "Joe Biden"), ("a2", "Biden"), ("a3", "Xi"), ("a3", "Xi Jinping")]
    first = [a.model_dump() for a in _resolve(names).actors]
    assert first == [a.model_dump() for a in _resolve(names).actors]
    assert [a["id"] for a in first] == ["joe-biden", "xi-jinping"]
