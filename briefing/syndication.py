"""Copies: articles that are one text (a wire story re-run by several outlets, a page saved twice
with a word changed), and the count of *independent* sources that follows from them.

Corroboration is what an analyst reads first, and copies inflate it: the same agency story
carried by three sites is one report, not three. This module finds near-duplicate groups in
linear-ish time and counts sources with copies folded together.

How copies are found (``copy_groups``):

1. Each article's text is case-folded into words (punctuation, quote and dash styles dropped); its
   set of word 4-grams ("shingles") is hashed with CRC-32 (stable across processes, so a run is
   reproducible).
2. A MinHash signature of each set (``datasketch``, 128 permutations, fixed seed) goes into a
   MinHash LSH index tuned for Jaccard 0.7: only articles sharing an LSH band become
   candidates, so the cost grows with the number of articles, not its square.
3. Every candidate pair is checked exactly on the shingle sets: a copy when the smaller set is
   at least ``COPY_CONTAINMENT`` inside the larger (so a copy with a changed headline, byline
   or closing line, or a few words changed, still counts) and the smaller has at least
   ``MIN_SHINGLES`` shingles (shorter texts are copies only when their folded words are equal).
4. Copies are joined transitively (a copy of a copy is in the group). Once an article joined a
   group it is not indexed itself, so a thousand copies of one story cost one comparison each.

Limits: an excerpt much shorter than its source, or a copy with much added text (Jaccard well
under 0.7), is not found; a
rewritten story with the same facts is not a copy (it is an independent report).

How sources are counted (``SourceCounter``): a record's citations are articles; two articles are
one source when they are copies of each other or carry the same outlet; every article without a
known outlet is, together with all the others without one, a single source ("an unknown outlet is
not an independent source by itself": two outlet-less files may be the same outlet's).
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from briefing.actors import fold_name
from briefing.schemas import Article

if TYPE_CHECKING:
    from datasketch import MinHash

# Words per shingle: long enough that two different stories rarely share many, short enough
# that one changed word spoils only a few.
SHINGLE_WORDS = 4
# The share of the smaller text's shingles that must appear in the larger one for a copy.
COPY_CONTAINMENT = 0.8
# Below this many shingles a text is too short to compare by overlap (equal words only).
MIN_SHINGLES = 8
# MinHash LSH: candidates are pairs whose estimated Jaccard similarity passes this. Copies with a
# word or a headline changed are well above it; at 0.5, articles written from one template
# (the bench's generated ones, agency house style) flood the exact check with candidates.
LSH_THRESHOLD = 0.7
# Missing a copy costs more than an extra exact check: the bands are chosen with false negatives
# weighted 7:3 (with 128 permutations, 16 bands of 8 rows: a pair at Jaccard 0.83 is a candidate
# 98% of the time, at 0.9 99.99%, at 0.5 6%, at 0.3 0.1%).
LSH_WEIGHTS = (0.3, 0.7)
NUM_PERM = 128
# Up to this many texts each one is checked exactly against every earlier group's first text
# (a few milliseconds for a day's news, and no LSH misses); above it MinHash LSH keeps the
# cost linear. datasketch, which imports scipy (half a second), is then loaded only for
# large batches.
EXACT_UP_TO = 100
_SEED = 1

_WORD = re.compile(r"\w+")


def shingles(text: str) -> frozenset[int]:
    """The article's word 4-grams, folded and hashed (CRC-32, so stable across runs); a text of
    fewer words is one shingle."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        return frozenset({zlib.crc32(" ".join(words).encode("utf-8"))})
    return frozenset(
        zlib.crc32(" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8"))
        for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def is_copy(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two shingle sets are one text: the smaller mostly inside the larger."""
    small, large = sorted((a, b), key=len)
    if len(small) < MIN_SHINGLES:
        return a == b
    return len(small & large) >= COPY_CONTAINMENT * len(small)


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


@functools.cache
def _permutations() -> Any:
    from datasketch import MinHash  # datasketch imports scipy (~0.5 s): only when comparing

    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme="affine32").permutations


def _signature(shingle_set: frozenset[int]) -> MinHash:
    # The shingles are already 32-bit hashes: MinHash takes them as they are. The permutations
    # are drawn once (the same ``seed`` gives the same ones), not once per article.
    from datasketch import MinHash

    signature = MinHash(
        num_perm=NUM_PERM, hashfunc=int, permutations=_permutations(), scheme="affine32"
    )
    signature.update_batch(sorted(shingle_set))
    return signature


def copy_groups(articles: Sequence[Article]) -> list[list[str]]:
    """Near-duplicate groups of ``articles``: a list of groups, each a list of article ids in
    input order, groups ordered by their first member; every article is in exactly one group
    (singletons included), so ``len(result)`` is the number of distinct texts.

    Deterministic for the same input. Cost: up to ``EXACT_UP_TO`` articles, one exact check
    against each earlier group; above, one shingling and one MinHash per article plus one
    exact check per LSH candidate (linear in practice; see the module docstring). Never raises
    for any text, including an empty one. Articles with the same ``id`` are one article.
    """
    texts = {a.id: a.text for a in articles}
    ids = list(texts)
    sets = [shingles(texts[i]) for i in ids]
    union = _Union(len(ids))
    index = _ExactIndex() if len(ids) <= EXACT_UP_TO else _LshIndex(sets)
    for n, shingle_set in enumerate(sets):
        for key in index.candidates(n):
            if union.find(key) != union.find(n) and is_copy(sets[key], shingle_set):
                union.join(key, n)
        if union.find(n) == n:
            index.keep(n)
    groups: dict[int, list[str]] = {}
    for n, article_id in enumerate(ids):
        groups.setdefault(union.find(n), []).append(article_id)
    return list(groups.values())


class _ExactIndex:
    """Every group's first article is a candidate: exact, and cheaper than MinHash for a
    small batch (no datasketch/scipy import)."""

    def __init__(self) -> None:
        self.kept: list[int] = []

    def candidates(self, n: int) -> list[int]:
        return self.kept

    def keep(self, n: int) -> None:
        self.kept.append(n)


class _LshIndex:
    """Only articles sharing an LSH band with ``sets[n]`` are candidates."""

    def __init__(self, sets: Sequence[frozenset[int]]) -> None:
        from datasketch import MinHashLSH

        self.sets = sets
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
        self.signatures: dict[int, MinHash] = {}

    def candidates(self, n: int) -> list[int]:
        self.signatures[n] = _signature(self.sets[n])
        return sorted(self.lsh.query(self.signatures[n]))

    def keep(self, n: int) -> None:
        self.lsh.insert(n, self.signatures.pop(n))


class SourceCounter:
    """Counts independent sources among cited articles, for one brief's articles.

    Built once per brief (it runs ``copy_groups``); ``count`` is then cheap. Articles it was not
    given count as one unknown source together.
    """

    _UNKNOWN = "unknown outlet"

    def __init__(self, articles: Sequence[Article], groups: list[list[str]] | None = None) -> None:
        self.groups = groups if groups is not None else copy_groups(articles)
        self._group_of = {aid: n for n, group in enumerate(self.groups) for aid in group}
        outlets = {a.id: outlet_key(a.outlet) for a in articles}
        self._outlet = outlets
        # The outlets of each copy group: a copy carried by two outlets ties them.
        self._group_outlets: list[set[str]] = [
            {outlets.get(aid) or self._UNKNOWN for aid in group} for group in self.groups
        ]

    def copies_of(self, article_id: str) -> list[str]:
        """The article's copy group (itself included; itself alone when unknown)."""
        n = self._group_of.get(article_id)
        return list(self.groups[n]) if n is not None else [article_id]

    def outlet(self, article_id: str) -> str | None:
        return self._outlet.get(article_id)

    def count(self, article_ids: Iterable[str]) -> int:
        """Independent sources among ``article_ids``: the connected parts of "is a copy of" and
        "has the same outlet" (all unknown outlets being one); at least 1."""
        ids = list(dict.fromkeys(article_ids))
        if len(ids) <= 1:
            return 1
        parts: list[set[str]] = []
        for aid in ids:
            n = self._group_of.get(aid)
            keys = set(self._group_outlets[n]) if n is not None else {self._UNKNOWN}
            keys.add(f"group:{n}" if n is not None else self._UNKNOWN)
            touching = [p for p in parts if p & keys]
            for p in touching:
                keys |= p
                parts.remove(p)
            parts.append(keys)
        return len(parts)


def outlet_key(outlet: str | None) -> str | None:
    """An outlet's comparable name (case and punctuation folded); None when unknown or blank."""
    folded = fold_name(outlet or "")
    return folded or None
