"""The two text folds against their one-character-at-a-time definitions.

``grounding.fold`` and ``actors.fold_name`` fold a whole article for every answer checked, so
they work a run of characters at a time; these tests hold them to the plain definitions on
random text built from the characters that matter (white space of several kinds, invisible
characters, combining marks, ligatures, letters NFKD leaves whole, apostrophes)."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from briefing.actors import _join_initials, fold_name
from briefing.grounding import _FOLD, _INVISIBLE, fold

ALPHABET = (
    "aZ09 ,.'s-\n\t\x01\x7f\u00a0\u2003\u3000\u200b\u00ad\ufeff\u2026\u2019\u2018`\u00b4\u201c"
    "\u0131\u00f8\u0142\u0111\u00e6\u0153\u00c6\u00e9\u0301\ufb01\u00bd\u0130\u00df\u1e9e\u00c5"
    + "".join(chr(c) for c in _FOLD)  # every quote, dash and space grounding.fold maps
)


def _texts(seed: int, n: int = 3000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def _fold_by_character(text: str) -> tuple[str, tuple[int, ...]]:
    text = text.translate(_FOLD)
    out: list[str] = []
    index: list[int] = []
    prev_space = True
    for i, ch in enumerate(text):
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                index.append(i)
                prev_space = True
            continue
        if ch in _INVISIBLE:
            continue
        if ch == "\u2026":
            folded = "..."
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        if folded:
            out.extend(folded)
            index.extend([i] * len(folded))
            prev_space = False
    return "".join(out), tuple(index)


def _fold_name_by_character(text: str) -> str:
    special = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe",
                             "’": "'", "‘": "'", "`": "'", "´": "'"})
    text = unicodedata.normalize("NFKD", text.casefold().translate(special))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", re.sub(r"'s\b", "", text)).split()
    return " ".join(_join_initials(words))  # unchanged by the run-based fold: not redefined


@pytest.mark.parametrize("seed", [1, 2])
def test_fold_is_the_character_by_character_fold(seed: int) -> None:
    for text in _texts(seed):
        assert fold.__wrapped__(text) == _fold_by_character(text), repr(text)


@pytest.mark.parametrize("seed", [3, 4])
def test_fold_name_is_the_character_by_character_fold(seed: int) -> None:
    for text in _texts(seed):
        assert fold_name.__wrapped__(text) == _fold_name_by_character(text), repr(text)


def test_fold_keeps_offsets_into_the_source() -> None:
    text = "Ms\u00a0 Ærø\u200b said:\n\n\u201cYes\u2026\u201d"
    folded, index = fold(text)
    assert folded == 'ms ærø said: "yes..."'  # ø has no decomposition
    assert [text[i] for i in index[:3]] == ["M", "s", "\u00a0"]
