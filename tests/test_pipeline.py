"""End to end through the real CLI: seeds → three brief files, failures that lose nothing,
exit codes, and keys that never land."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from briefing.ledger import Ledger
from briefing.pipeline import ExitCode
from briefing.testing.fake_openai import FakeOpenAI, Reply
from tests.conftest import GOLD, SEEDS, run_cli, seed_key

KEY = "sk-test-NEVER-IN-OUTPUT-9f8e7d6c5b4a"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env, timeout=300)


def load_brief(out: Path, date: str = "2026-11-21") -> dict:
    return json.loads((out / f"brief-{date}.json").read_text(encoding="utf-8"))


def assert_spans_match(brief: dict) -> None:
    texts = {a["id"]: a["text"] for a in brief["articles"]}
    items = [*brief["meetings"], *brief["positions"], *brief["claims"]]
    spans = [ev for item in items for ev in item["evidence"]]
    assert spans
    for ev in spans:
        assert texts[ev["article_id"]][ev["start"] : ev["end"]] == ev["text"]


def test_replay_of_the_seeds_writes_three_files_and_grounds_everything(tmp_path):
    done = cli(
        "run", "seeds/", "--backend", "replay", "--out", str(tmp_path), "--date", "2026-11-21"
    )
    assert done.returncode == ExitCode.OK, done.stderr
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert names == [
        "brief-2026-11-21.html",
        "brief-2026-11-21.json",
        "brief-2026-11-21.md",
        "index.html",
        "ledger.sqlite",
    ]
    brief = load_brief(tmp_path)
    assert len(brief["articles"]) == 5 and not brief["failures"]
    for article in brief["articles"]:
        assert any(article["id"] in m["sources"] for m in brief["meetings"]), article["path"]
    assert_spans_match(brief)
    assert "backend replay (reference)" in done.stderr
    assert "hand-written reference answers" in done.stderr


def gold_reply(seed: Path) -> Reply:
    return Reply.answer(json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8")))


def hallucinated_reply() -> Reply:
    return Reply.answer(
        {
            "meetings": [
                {
                    "participants": [{"name": "Xi"}, {"name": "Putin"}],
                    "status": "held",
                    "passage": "Xi met Putin on Mars.",
                }
            ]
        }
    )


def test_an_article_that_keeps_failing_is_listed_and_the_others_survive(tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    with FakeOpenAI() as fake:
        for seed in seeds[1:]:
            fake.script_for(seed_key(seed), gold_reply(seed))
        # answers that cannot be read at all: one bad item alone no longer fails an article
        unreadable = Reply.content("Sorry, I cannot extract anything from this article.")
        first_line = seed_key(seeds[0])
        fake.script_for(first_line, *[unreadable] * 3)
        done = cli(
            "run",
            "seeds/",
            "--base-url",
            fake.base_url,
            "--model",
            "fake",
            "--out",
            str(tmp_path),
            "--date",
            "2026-11-21",
            "--concurrency",
            "3",
            env={"OPENAI_API_KEY": KEY},
        )
    assert done.returncode == ExitCode.PARTIAL, done.stderr
    brief = load_brief(tmp_path)
    (failure,) = brief["failures"]
    assert failure["path"].endswith(seeds[0].name)
    assert "no valid answer after 3 attempts" in failure["reason"]
    assert f"{seeds[0]}" in done.stderr or seeds[0].name in done.stderr
    assert len(brief["articles"]) == 5
    extracted = {e["article_id"] for e in brief["extractions"]}
    assert len(extracted) == 4
    assert_spans_match(brief)
    assert "Failures" in (tmp_path / "brief-2026-11-21.md").read_text(encoding="utf-8")
    rows = Ledger(tmp_path / "ledger.sqlite").attempts(article_id=failure["article_id"])
    assert [r.outcome for r in rows] == ["invalid"] * 3
    for path in (p for p in tmp_path.rglob("*") if p.is_file()):
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in done.stdout + done.stderr


def test_bad_files_get_one_line_each_and_lose_nothing(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEEDS / "000_2db41fe9ed575a35.txt", inputs / "good.txt")
    (inputs / "empty.txt").write_text("  \n", encoding="utf-8")
    (inputs / "binary.txt").write_bytes(b"\x89PNG\r\n\x00\x00\x00IHDR")
    (inputs / "latin1.txt").write_bytes("Lavrov met Wang in Moscow. Caf\xe9".encode("latin-1"))
    (inputs / "huge.txt").write_text("Talks. " * 400_000, encoding="utf-8")
    out = tmp_path / "out"
    done = cli("run", str(inputs), "--backend", "replay", "--out", str(out), "--date", "2026-11-21")
    assert done.returncode == ExitCode.PARTIAL, done.stderr
    lines = done.stderr.splitlines()
    for name, reason in [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file"),
        ("huge.txt", "too large"),
    ]:
        assert any(name in line and reason in line for line in lines), (name, done.stderr)
    brief = load_brief(out)
    # Latin-1 is read (its encoding detected); replay has no recording of it, so it fails there
    assert [f["stage"] for f in brief["failures"]] == ["ingest"] * 3 + ["extract"]
    paths = [a["path"] for a in brief["articles"]]
    assert paths == [str(inputs / "good.txt"), str(inputs / "latin1.txt")]
    latin1 = next(a for a in brief["articles"] if a["path"].endswith("latin1.txt"))
    assert latin1["text"].endswith("Café")
    assert brief["meetings"]


def test_a_cassette_miss_names_the_article_and_the_hash(tmp_path):
    article = tmp_path / "new.txt"
    article.write_text(
        "Lavrov met Wang Yi in Moscow on Monday, the ministry said.\n", encoding="utf-8"
    )
    done = cli("run", str(article), "--backend", "replay", "--out", str(tmp_path / "o"))
    assert done.returncode == ExitCode.NOTHING
    assert "new.txt" in done.stderr and "no recording of request r" in done.stderr


def test_usage_errors_exit_2(tmp_path):
    assert cli("run", "does-not-exist/", "--out", str(tmp_path)).returncode == ExitCode.USAGE
    assert (
        cli("run", "seeds/", "--format", "pdf", "--out", str(tmp_path)).returncode == ExitCode.USAGE
    )
    assert (
        cli("run", "seeds/", "--backend", "nope", "--out", str(tmp_path)).returncode
        == ExitCode.USAGE
    )
    bad_date = cli("run", "seeds/", "--date", "21/11/2026", "--out", str(tmp_path))
    assert bad_date.returncode == ExitCode.USAGE


def test_help_documents_the_exit_codes():
    done = cli("run", "--help")
    assert "Exit codes" in done.stdout and "3 brief written" in done.stdout


def test_output_order_does_not_depend_on_concurrency(tmp_path):
    shapes = []
    for concurrency in ("1", "5"):
        out = tmp_path / concurrency
        done = cli(
            "run",
            "seeds/",
            "--backend",
            "replay",
            "--out",
            str(out),
            "--date",
            "2026-11-21",
            "--concurrency",
            concurrency,
            "--format",
            "json",
        )
        assert done.returncode == 0, done.stderr
        brief = load_brief(out)
        brief.pop("run")
        shapes.append(json.dumps(brief, sort_keys=True))
    assert shapes[0] == shapes[1]
