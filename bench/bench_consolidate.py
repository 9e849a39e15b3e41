"""Scale curve: generated seed-like articles through rules extraction, consolidation and
rendering, at growing sizes, one process, one core.

    PYTHONPATH=. python bench/bench_consolidate.py [--sizes 100,1000,10000] [--json]

For each size it reports seconds per stage, milliseconds per article (flat = linear), the
ratio of each size's total to the smallest size's, and the rendered brief's sizes. Absolute
times depend on the machine; the per-article cost and the ratios are what to read. A benchmark,
not a test: nothing here fails. The articles are invented (``bench/generate.py``), about a tenth
of them syndicated copies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from typing import Any

from bench.generate import articles
from briefing.backends.rules import RulesBackend
from briefing.consolidate import consolidate
from briefing.render import render
from briefing.rules.lexicon import lexicon
from briefing.schemas import RunInfo
from briefing.settings import load_settings
from briefing.syndication import copy_groups

RUN = RunInfo(run_id="bench", backend="rules", model="rules", prompt_version="bench",
              started=dt.datetime(2025, 3, 15, 8, 0))


def one_size(n: int, backend: RulesBackend) -> dict[str, Any]:
    items = articles(n)
    timings: dict[str, float] = {}

    def timed(name: str, work: Any) -> Any:
        started = time.perf_counter()
        result = work()
        timings[name] = time.perf_counter() - started
        return result

    extractions = timed("extract", lambda: [backend.extract(a) for a in items])
    timed("copy_groups", lambda: copy_groups(items))
    brief = timed("consolidate", lambda: consolidate(items, extractions, [], RUN,
                                                     dt.date(2025, 3, 15)))
    sizes = {fmt: len(timed(f"render_{fmt}", lambda f=fmt: render(brief, f)).encode("utf-8"))
             for fmt in ("md", "html", "json")}
    total = sum(v for k, v in timings.items() if k != "copy_groups")  # consolidate runs it too
    return {
        "articles": n,
        "seconds": {k: round(v, 3) for k, v in timings.items()},
        "total_seconds": round(total, 3),
        "ms_per_article": round(1000 * total / n, 3),
        "records": {"meetings": len(brief.meetings), "positions": len(brief.positions),
                    "claims": len(brief.claims)},
        "bytes": sizes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    lexicon()  # built once per process; not part of the per-article cost
    backend = RulesBackend(load_settings({"backend": "rules"}, env={}))
    results = [one_size(int(n), backend) for n in args.sizes.split(",")]
    base = results[0]["total_seconds"]
    for r in results:
        r["ratio_to_smallest"] = round(r["total_seconds"] / base, 2)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        s = r["seconds"]
        print(f"{r['articles']:>6} articles: {r['total_seconds']:8.2f} s total "
              f"({r['ms_per_article']:.2f} ms/article, x{r['ratio_to_smallest']} the smallest) "
              f"extract {s['extract']:.2f} s, consolidate {s['consolidate']:.2f} s "
              f"(copy groups {s['copy_groups']:.2f} s), render md {s['render_md']:.2f} s, "
              f"html {s['render_html']:.2f} s, json {s['render_json']:.2f} s")
        b = r["bytes"]
        print(f"        brief: md {b['md'] / 1024:,.0f} KB, html {b['html'] / 1024:,.0f} KB, "
              f"json {b['json'] / 1024:,.0f} KB; records {r['records']}")


if __name__ == "__main__":
    main()
