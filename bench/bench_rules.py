"""Throughput of the rules backend on the seed articles, on one core.

    PYTHONPATH=. python bench/bench_rules.py [--rounds N] [--json]

Absolute numbers depend on the machine, so each run also times two baselines on the same
texts in the same process and reports the rules backend as a multiple of them:

- ``re-split``: a plain regex sentence split of the text — the floor for any pass over it;
- ``fold``: ``briefing.grounding.fold``, the normalisation every grounding does, uncached (the
  product caches it per text, which would make every round after the first a cache hit).

A benchmark, not a test: nothing here fails; read the ratio when the patterns change.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from briefing.backends.rules import RulesBackend
from briefing.grounding import fold
from briefing.rules.lexicon import lexicon
from briefing.schemas import Article
from briefing.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
_SPLIT = re.compile(r"(?<=[.!?])\s+")


def articles() -> list[Article]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return [Article(id=Article.make_id(t), title="seed", text=t) for t in texts]


def per_second(work: Callable[[Article], object], items: list[Article], rounds: int) -> float:
    """Articles per second, best of three batches (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(rounds):
            for article in items:
                work(article)
        best = min(best, time.perf_counter() - started)
    return rounds * len(items) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    items = articles()
    lexicon()  # built once per process; not part of the per-article cost
    backend = RulesBackend(load_settings({"backend": "rules"}, env={}))
    results = {
        "rules": per_second(backend.extract, items, args.rounds),
        "re-split": per_second(lambda a: _SPLIT.split(a.text), items, args.rounds * 10),
        "fold": per_second(lambda a: fold.__wrapped__(a.text), items, args.rounds),
    }
    chars = sum(len(a.text) for a in items) / len(items)
    report = {
        "articles": len(items),
        "mean_chars": round(chars),
        "articles_per_second": {k: round(v, 1) for k, v in results.items()},
        "rules_cost_vs_re_split": round(results["re-split"] / results["rules"], 1),
        "rules_cost_vs_fold": round(results["fold"] / results["rules"], 1),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{len(items)} seed articles, {report['mean_chars']} characters on average")
    for name, rate in report["articles_per_second"].items():
        print(f"  {name:<9} {rate:>12,.1f} articles/s")
    print(
        f"  rules costs {report['rules_cost_vs_re_split']}x a regex sentence split and "
        f"{report['rules_cost_vs_fold']}x a grounding fold of the same text"
    )


if __name__ == "__main__":
    main()
