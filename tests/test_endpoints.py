"""Issue 10: real endpoints misbehave. One loopback test (or a few) per kind of misbehaviour,
driving the real CLI or library through ``briefing.testing.fake_openai``.

Every article here is invented (names, places and wording); none comes from the dev set.
"""

from __future__ import annotations

import os
import subprocess
import sys

from briefing.pipeline import ExitCode
from tests.conftest import GOLD, ROOT, SEEDS

KEY = "sk-live-ENDP10-never-in-output-51c0ffee77"

ARTICLE = """---
title: Ministers meet in Tarsk
outlet: Northern Wire
published: 2026-11-27
---
Valdorian Foreign Minister Elena Varga met Ostmark's Foreign Minister Piet Holm in Tarsk on
Thursday.
"""


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**clean, **(env or {})},
        timeout=timeout,
        check=False,
    )


# --- kind 11: eval errors and exit codes ------------------------------------------------------


def test_eval_without_its_gold_folder_is_one_line_and_exit_2(tmp_path):
    done = cli("eval", "seeds/", "--gold", str(tmp_path / "nowhere"), "--backend", "rules")
    assert done.returncode == ExitCode.USAGE
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line == f"briefing: error: gold folder not found: {tmp_path / 'nowhere'}"


def test_eval_traceback_only_with_briefing_debug(tmp_path):
    done = cli(
        "eval", "seeds/", "--gold", str(tmp_path / "nowhere"), env={"BRIEFING_DEBUG": "1"}
    )
    assert done.returncode != ExitCode.OK and "Traceback" in done.stderr


def test_a_quality_gate_miss_has_its_own_documented_code():
    seed = sorted(SEEDS.glob("*.txt"))[0]
    gate = ("eval", str(seed), "--gold", str(GOLD), "--backend", "rules", "--fail-under")
    done = cli(*gate, "1.01")
    assert done.returncode == ExitCode.QUALITY == 5, done.stderr
    assert "meetings" in done.stdout
    passed = cli(*gate, "0")
    assert passed.returncode == ExitCode.OK, passed.stderr
    for command in ("run", "eval"):
        shown = cli(command, "--help", env={"COLUMNS": "400"}).stdout
        assert "5 eval scored below --fail-under" in shown
    assert "| 5 |" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_briefing_error_reaching_run_is_one_line_and_exit_2(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[briefing]\nmax_attempts = 99\n", encoding="utf-8")
    done = cli("run", "seeds/", "--config", str(config), "--out", str(tmp_path / "o"))
    assert done.returncode == ExitCode.USAGE
    assert done.stderr.strip().splitlines()[-1].startswith("briefing: error: invalid setting")
    assert "Traceback" not in done.stderr
