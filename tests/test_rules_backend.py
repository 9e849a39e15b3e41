"""The rules backend on the seeds: grounded, deterministic, keyed, and above the pinned
quality bar against the gold set."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.backends import get_backend
from briefing.backends.rules import RulesBackend
from briefing.errors import ExtractionFailed
from briefing.evaluate import evaluate
from briefing.schemas import Article
from briefing.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "fixtures" / "gold"


def load(path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    return Article(id=Article.make_id(text), path=str(path), title=path.stem, text=text)


@pytest.fixture(scope="module")
def backend() -> RulesBackend:
    chosen = get_backend(load_settings({"backend": "rules"}, env={}))
    assert isinstance(chosen, RulesBackend)
    return chosen


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_span_is_its_source_slice(backend: RulesBackend, path: Path) -> None:
    article = load(path)
    result = backend.extract(article)
    records = [*result.meetings, *result.positions, *result.claims]
    assert records
    for record in records:
        for ev in record.evidence:
            assert ev.article_id == article.id
            assert article.text[ev.start : ev.end] == ev.text


def test_same_output_twice(backend: RulesBackend) -> None:
    for path in SEEDS:
        article = load(path)
        assert backend.extract(article).model_dump() == backend.extract(article).model_dump()


def test_identity_and_prompt_version(backend: RulesBackend) -> None:
    assert (backend.name, backend.model) == ("rules", "rules-v1")
    assert backend.prompt_version.startswith("rules-v1.1+")
    assert backend.prompt_version == RulesBackend(backend.settings).prompt_version


def test_failure_becomes_extraction_failed(backend: RulesBackend, monkeypatch) -> None:
    def broken(article: Article) -> None:
        raise IndexError("boom")

    monkeypatch.setattr("briefing.backends.rules.extract_records", broken)
    with pytest.raises(ExtractionFailed, match="boom"):
        backend.extract(load(SEEDS[0]))


@pytest.mark.skipif(not any(GOLD.glob("*.json")), reason="no gold set")
def test_quality_gate_on_the_seeds(backend: RulesBackend) -> None:
    """Pinned scores: lower them only on purpose, with the reason in the commit."""
    report = evaluate(backend, [load(p) for p in SEEDS], GOLD)
    assert report.grounded_share == 1.0
    for score in (report.meetings, report.quotes):
        assert score.precision >= 0.85 and score.recall >= 0.85
    assert report.quotes.precision == 1.0  # a direct quote is verbatim and its speaker's
    assert report.positions.precision >= 0.8 and report.positions.recall >= 0.8
