"""The hand-written reference annotations in fixtures/gold/ hold to the same contract as a model.

Each gold file must validate as an ``ArticleDraft`` against its seed, with every passage copied
verbatim (an ``exact`` alignment, not merely a near one), every direct quote grounded where the
article prints it inside quotation marks, and the counts in ``fixtures/gold/README.md`` in step
with the files.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from briefing.drafts import ArticleDraft
from briefing.grounding import align
from briefing.schemas import Article, ArticleExtraction, Evidence

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "fixtures" / "gold"
SEED_PATHS = sorted(SEEDS.glob("*.txt"))
OPENING = '\u201c"'
CLOSING = '\u201d"'


def _article(path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    return Article(id=Article.make_id(text), path=str(path), title=path.stem, text=text)


def _gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
    return data


def _extraction(path: Path) -> tuple[Article, dict[str, Any], ArticleExtraction]:
    article = _article(path)
    data = _gold(path)
    draft = ArticleDraft.model_validate(data, context={"article": article})
    meta = {"backend": "gold", "model": "reference", "prompt_version": "gold"}
    extraction = draft.to_extraction(article, **meta)
    return article, data, extraction


def _evidence(extraction: ArticleExtraction) -> list[Evidence]:
    items = [*extraction.meetings, *extraction.positions, *extraction.claims]
    return [e for item in items for e in item.evidence]


def test_exactly_one_gold_file_per_seed() -> None:
    assert len(SEED_PATHS) == 5
    assert sorted(p.stem for p in GOLD.glob("*.json")) == [p.stem for p in SEED_PATHS]


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda p: p.stem)
def test_gold_validates_and_grounds(path: Path) -> None:
    article, data, extraction = _extraction(path)
    assert "hand-written" in data["_source"] and "not a model output" in data["_source"]
    assert extraction.meetings, "every seed reports at least one meeting"
    for ev in _evidence(extraction):
        assert ev.article_id == article.id
        assert ev.text == article.text[ev.start : ev.end]
    for claim in extraction.claims:
        if claim.kind == "direct-quote":
            assert claim.evidence[0].match in ("exact", "normalised")


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda p: p.stem)
def test_gold_passages_are_verbatim(path: Path) -> None:
    article, data, _ = _extraction(path)
    for key in ("meetings", "positions", "claims"):
        for item in data[key]:
            span = align(item["passage"], article.text)
            assert span is not None and span.match == "exact", item["passage"]
    for claim in data["claims"]:
        if claim["kind"] == "direct-quote":
            assert claim["text"] in claim["passage"]  # the quote, or the sentence carrying it
            span = align(claim["text"], article.text, fuzzy=False)
            assert span is not None and span.match == "exact", claim["text"]


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda p: p.stem)
def test_direct_quotes_are_the_words_inside_quotation_marks(path: Path) -> None:
    """Convention: a quote is everything between its marks, and its evidence lands on the
    quoted occurrence even where the same words occur unquoted earlier (003)."""
    article, _, extraction = _extraction(path)
    for claim in extraction.claims:
        if claim.kind != "direct-quote":
            continue
        ev = claim.evidence[0]
        if ev.text[0] in OPENING and ev.text[-1] in CLOSING:
            continue
        assert article.text[ev.start - 1] in OPENING, ev.text
        assert article.text[ev.end] in CLOSING, ev.text


@pytest.mark.parametrize("path", SEED_PATHS, ids=lambda p: p.stem)
def test_one_position_per_actor_and_topic(path: Path) -> None:
    _, _, extraction = _extraction(path)
    keys = Counter((p.actor.name, p.topic) for p in extraction.positions)
    assert [k for k, n in keys.items() if n > 1] == []


def _counts(extraction: ArticleExtraction) -> list[int]:
    kinds = Counter(c.kind for c in extraction.claims)
    statuses = Counter(m.status for m in extraction.meetings)
    return [
        len(extraction.meetings),
        statuses["held"],
        statuses["planned"],
        kinds["direct-quote"],
        kinds["paraphrase"],
        kinds["reported"],
        len(extraction.positions),
    ]


def test_readme_counts_match_the_files() -> None:
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): [int(n) for n in re.findall(r"\d+", m.group(2))]
        for m in re.finditer(r"^\| `(\d{3}_[0-9a-f]{16})` \|(.*)\|\s*$", readme, re.M)
    }
    assert sorted(rows) == [p.stem for p in SEED_PATHS]
    for path in SEED_PATHS:
        assert rows[path.stem] == _counts(_extraction(path)[2]), path.stem
