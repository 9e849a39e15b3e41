"""The lexicon's phrase regexes: one trie-shaped pattern must find exactly what one alternative
per phrase, longest first, finds (``briefing.rules.lexicon.alternation``)."""

from __future__ import annotations

import random
import re

import pytest

from briefing.rules.lexicon import alternation, lexicon


def _one_alternative_per_phrase(phrases: list[str], ignore_case: bool, plural: bool) -> str:
    """The plain form the trie replaces: every phrase its own alternative, longest first."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)
    suffix = "(?:s|es)?" if plural else ""
    return rf"{'(?i)' if ignore_case else ''}(?<![\w.])(?:{body}){suffix}(?![\w])"


def _spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("ignore_case", [False, True])
@pytest.mark.parametrize("plural", [False, True])
def test_random_phrases_match_as_one_alternative_each(ignore_case: bool, plural: bool) -> None:
    rng = random.Random(7)
    letters = "abAB."  # few letters: many phrases are prefixes of others, some end in a dot
    for _ in range(300):
        phrases = [
            " ".join(
                "".join(rng.choice(letters) for _ in range(rng.randint(1, 3)))
                for _ in range(rng.randint(1, 3))
            )
            for _ in range(rng.randint(1, 8))
        ]
        text = "".join(rng.choice(letters + " \n,s") for _ in range(120))
        want = _spans(_one_alternative_per_phrase(phrases, ignore_case, plural), text)
        assert _spans(alternation(phrases, ignore_case=ignore_case, plural=plural), text) == want


def test_longest_phrase_wins_and_whole_words_only() -> None:
    pattern = alternation(["Russia", "Russian", "Russian Federation", "U.S."])
    text = "The Russian  Federation, Russians, Russia and the U.S. met."
    assert [m.group() for m in re.finditer(pattern, text)] == [
        "Russian  Federation", "Russia", "U.S.",
    ]


def test_the_bundled_lexicon_compiles_to_trie_patterns() -> None:
    """Each gazetteer pattern is smaller than its phrases laid end to end (shared prefixes are
    written once), and still finds a two-word title by its plural in any case."""
    lex = lexicon()
    assert len(lex.place_re.pattern) < sum(len(p) + 1 for p in lex.places)
    assert lex.title_re.search("the FOREIGN MINISTERS met") is not None
    assert lex.place_re.search("Russianness") is None
