"""Copies of one text are one source: near-duplicate groups and independent-source counts."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.schemas import Article
from briefing.syndication import SourceCounter, copy_groups, is_copy, shingles

# Invented wire story (no real article's wording).
STORY = (
    "Foreign Minister Talvi Oskarsen of Norvaland met her Castamere counterpart Ruben Idrissi in "
    "the port city of Velmora on Tuesday, the ministry said. The two discussed fishing quotas in "
    "the northern strait, a new ferry line and the release of three detained trawler crews. "
    "Oskarsen told reporters that the talks had been frank and that a second round would follow "
    "before the end of the season. Idrissi said his government was ready to return the crews "
    "once the paperwork was complete, and thanked the harbour authorities for their patience."
)
OTHER = (
    "Premier Anselm Vukovar of Ostrelia flew to Drummond for a summit on river shipping, where "
    "he and the Drummond chancellor signed a memorandum on dredging the lower delta. Officials "
    "said the agreement would cut freight costs and that engineers would begin surveys in "
    "spring. Opposition deputies in Ostrelia criticised the cost of the visit and asked for the "
    "memorandum to be published in full before any money is spent."
)


def art(text: str, outlet: str | None = None, tag: str = "") -> Article:
    return Article(id=Article.make_id(text + tag), title=text[:20], text=text, outlet=outlet)


def one_word_changed(text: str, n: int) -> str:
    words = text.split()
    words[7 + 11 * n] = f"changed{n}"
    return " ".join(words)


def test_one_word_changed_copies_are_one_group():
    copies = [art(one_word_changed(STORY, n)) for n in range(3)]
    other = art(OTHER)
    groups = copy_groups([copies[0], other, copies[1], copies[2]])
    assert groups == [[copies[0].id, copies[1].id, copies[2].id], [other.id]]


def test_new_headline_byline_and_closing_line_still_a_copy():
    rerun = art("Talks in Velmora\nBy Staff Reporter\n" + STORY + " Reporting by the desk.")
    original = art(STORY)
    assert copy_groups([original, rerun]) == [[original.id, rerun.id]]


def test_a_different_report_of_the_same_event_is_not_a_copy():
    own = art(
        "Norvaland's Talvi Oskarsen and Castamere's Ruben Idrissi held talks in Velmora on "
        "Tuesday about fishing quotas and detained trawler crews. Idrissi promised the crews "
        "would be home soon; Oskarsen called the meeting frank and said more talks were planned."
    )
    original = art(STORY)
    assert copy_groups([original, own]) == [[original.id], [own.id]]


def test_short_and_empty_texts_are_copies_only_when_equal():
    a, b, c, empty = art("Talks held."), art("talks   held"), art("Talks failed."), art("")
    assert copy_groups([a, b, c, empty]) == [[a.id, b.id], [c.id], [empty.id]]


def test_same_id_twice_is_one_article():
    a = art(STORY)
    assert copy_groups([a, a]) == [[a.id]]


def test_many_copies_and_many_distinct_texts_stay_apart():
    rng = random.Random(7)
    words = (STORY + " " + OTHER).split()
    distinct = [art(" ".join(rng.sample(words, 60))) for _ in range(200)]
    copies = [art(one_word_changed(STORY, n % 5), tag=str(n)) for n in range(50)]
    groups = copy_groups(distinct + copies)
    assert len(groups) == 201
    assert sorted(len(g) for g in groups)[-1] == 50


def test_a_small_batch_is_checked_exactly_with_the_same_groups_as_lsh(monkeypatch):
    from bench.generate import articles

    batch = articles(60, seed=3, copy_share=0.3)
    exact = copy_groups(batch)
    assert any(len(g) > 1 for g in exact) and len(exact) < len(batch)
    monkeypatch.setattr("briefing.syndication.EXACT_UP_TO", 0)  # force MinHash LSH
    assert copy_groups(batch) == exact


def test_a_small_batch_never_loads_datasketch():
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = (
        "import sys; from bench.generate import articles; "
        "from briefing.syndication import copy_groups; copy_groups(articles(60)); "
        "print('datasketch' in sys.modules, 'scipy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)
    assert done.stdout.split() == ["False", "False"], done.stderr


def test_copies_across_outlets_count_once():
    a = art(STORY, outlet="Harbour Wire")
    b = art(one_word_changed(STORY, 1), outlet="Velmora Daily")
    c = art(OTHER, outlet="Ostrelia Post")
    sources = SourceCounter([a, b, c])
    assert sources.count([a.id, b.id]) == 1
    assert sources.count([a.id, b.id, c.id]) == 2
    assert sources.copies_of(b.id) == [a.id, b.id]


def test_unknown_outlets_together_are_one_source():
    a, b = art(STORY), art(OTHER)
    c = art(STORY + " Extra words about the weather in the strait today.", outlet="Harbour Wire")
    sources = SourceCounter([a, b, c])
    assert sources.count([a.id, b.id]) == 1
    d = art(OTHER + " And an entirely fresh paragraph.", outlet="Velmora Daily", tag="d")
    sources = SourceCounter([a, b, d])
    # d copies b (unknown outlet): a, b and d are one source together.
    assert sources.count([a.id, d.id]) == 1


def test_same_outlet_twice_is_one_source():
    a, b = art(STORY, outlet="Harbour Wire"), art(OTHER, outlet="harbour wire")
    assert SourceCounter([a, b]).count([a.id, b.id]) == 1


def test_deterministic_shingles():
    assert shingles(STORY) == shingles(STORY.upper())
    assert is_copy(shingles(STORY), shingles(one_word_changed(STORY, 2)))


@settings(max_examples=60, deadline=None)
@given(
    outlets=st.lists(st.sampled_from(["A", "B", "C", None]), min_size=1, max_size=8),
    texts=st.lists(st.sampled_from([0, 1, 2, 3]), min_size=8, max_size=8),
    cited=st.lists(st.integers(0, 7), min_size=1, max_size=8),
)
def test_count_never_exceeds_distinct_independent_outlets(outlets, texts, cited):
    bodies = [STORY, OTHER, one_word_changed(STORY, 3), OTHER[::-1]]
    articles = [art(bodies[texts[i]], outlet=o, tag=str(i)) for i, o in enumerate(outlets)]
    ids = [articles[i % len(articles)].id for i in cited]
    sources = SourceCounter(articles)
    known = {a.outlet for a in articles if a.id in ids}
    assert 1 <= sources.count(ids) <= len(known)
    # copies never add a source
    groups = {tuple(sources.copies_of(i)) for i in ids}
    assert sources.count(ids) <= len(groups)
