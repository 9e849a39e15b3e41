"""Defects a tester found in the CLI (issue 10 follow-up): credentials inside ``--base-url``
must reach no sink, malformed cassettes and unwritable ``--record`` targets are one-line
settings errors, ``eval`` with nothing to score never passes, and usage errors are one line.

Each test drives the real CLI in a subprocess, against ``briefing.testing.fake_openai`` on
loopback where an endpoint is needed. Every article here is invented.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from briefing.pipeline import ExitCode
from briefing.redact import REDACTED, add_secrets_from_url, redact
from briefing.testing.fake_openai import Reply
from tests.conftest import run_against as run_briefing_against
from tests.conftest import run_cli, user_env, write_article

ARTICLE = """---
title: Envoys confer in Morvik
outlet: Harbour Post
published: 2026-11-27
---
Ostrian envoy Tamsin Quell met Brevarian envoy Oskar Lind in Morvik on Wednesday.
"""
PASSWORD = "Pw-userinfo-7788-zz"
QUERY_TOKEN = "qtok-SECFIX-445566"


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env={"COLUMNS": "200"}, timeout=timeout)


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == ExitCode.USAGE, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "╭" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("briefing: error: "), line
    return line


@pytest.fixture
def article(tmp_path: Path) -> Path:
    return write_article(tmp_path, ARTICLE, "morvik.md")


def run_against(base_url: str, article: Path, out: Path, *flags: str):
    return run_briefing_against(
        base_url, article, out, "--max-attempts", "1", *flags, env={"COLUMNS": "200"}
    )


# --- 13: credentials inside --base-url ----------------------------------------------------------


def test_url_credentials_are_registered_but_not_ordinary_parameters():
    add_secrets_from_url(
        "http://analyst:p%40ss-Word-991@127.0.0.1:9/v1?api-version=2026-11-01&Api-Key=k%2Bey-123456"
    )
    text = "p@ss-Word-991 p%40ss-Word-991 k+ey-123456 k%2Bey-123456 api-version=2026-11-01"
    assert redact(text) == f"{' '.join([REDACTED] * 4)} api-version=2026-11-01"
    add_secrets_from_url("https://TOKEN-as-user-5151@example.invalid/v1")  # token as the user name
    assert redact("TOKEN-as-user-5151") == REDACTED
    add_secrets_from_url("http://briefdesk@127.0.0.1:9/v1")  # a plain user name is no secret
    assert redact("the briefdesk said") == "the briefdesk said"
    add_secrets_from_url("not a url ::: [")  # never raises: the settings check reports bad URLs


def test_a_userinfo_password_is_not_printed_with_verbose(fake, article, tmp_path):
    fake.default = Reply.status(400, message="bad request")
    host = fake.base_url.split("://", 1)[1]
    out, tape = tmp_path / "out", tmp_path / "tape.jsonl"
    done = run_against(
        f"http://analyst:{PASSWORD}@{host}", article, out, "-v", "--record", str(tape)
    )
    assert fake.requests, done.stderr
    assert "HTTP Request: POST http://analyst:[REDACTED]@" in done.stderr  # -v logged it
    written = [p for p in out.rglob("*") if p.is_file()] + [tape]
    assert {p.suffix for p in written} >= {".md", ".html", ".json", ".sqlite", ".jsonl"}
    for path in written:
        assert PASSWORD.encode() not in path.read_bytes(), path
    assert PASSWORD not in done.stdout + done.stderr


def test_a_query_token_echoed_by_the_server_reaches_no_sink(fake, article, tmp_path):
    out, tape = tmp_path / "out", tmp_path / "tape.jsonl"
    # the fake answers an unknown path with a 404 that names the path, query string included
    done = run_against(
        f"{fake.base_url}/?api-key={QUERY_TOKEN}", article, out, "-v", "--record", str(tape)
    )
    assert any(QUERY_TOKEN in r.path for r in fake.requests), "the token was sent"
    assert done.returncode == ExitCode.NOTHING, done.stderr
    brief = json.loads((out / "brief-2026-11-27.json").read_text(encoding="utf-8"))
    (failure,) = brief["failures"]
    assert "404" in failure["reason"] and REDACTED in failure["reason"]
    written = [p for p in out.rglob("*") if p.is_file()] + [tape]
    assert {p.suffix for p in written} >= {".md", ".html", ".json", ".sqlite", ".jsonl"}
    for path in written:
        assert QUERY_TOKEN.encode() not in path.read_bytes(), path
    assert REDACTED in tape.read_text(encoding="utf-8")
    assert QUERY_TOKEN not in done.stdout + done.stderr and REDACTED in done.stderr


# --- 8: malformed cassettes and --record targets ----------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary", "not a cassette (not UTF-8 text)"),
        (b'{"type": "header", "source": "hand-written"}\n[1, 2]\n', "2: not a cassette line"),
        (b'{"type": "header"}\n{"request_hash": "abc"}\n', "2: not a recorded exchange"),
        (b'{"request_hash": "abc", "response": {"status": "teapot"}}\n', "1: not a recorded"),
    ],
    ids=["binary", "json-array-line", "no-response", "bad-status"],
)
def test_a_malformed_cassette_is_one_line_naming_it(article, tmp_path, content, reason):
    tape = tmp_path / "bad.jsonl"
    tape.write_bytes(content)
    done = cli("run", str(article), "--backend", "replay", "--cassette", str(tape),
               "--out", str(tmp_path / "out"), "--date", "2026-11-27")  # fmt: skip
    line = one_error_line(done)
    assert line.startswith(f"briefing: error: {tape}") and reason in line, line


def test_record_onto_a_folder_or_under_a_file_is_one_line(fake, article, tmp_path):
    folder = tmp_path / "tapes"
    folder.mkdir()
    done = run_against(fake.base_url, article, tmp_path / "out", "--record", str(folder))
    assert (
        one_error_line(done)
        == f"briefing: error: --record {folder}: is a folder; give a cassette file"
    )
    blocker = tmp_path / "plain.txt"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    done = run_against(
        fake.base_url, article, tmp_path / "out", "--record", str(blocker / "x.jsonl")
    )
    assert one_error_line(done).startswith(
        f"briefing: error: --record {blocker / 'x.jsonl'}: cannot write"
    )
    assert not fake.requests  # refused before any article was sent


def test_record_into_a_new_folder_creates_it(fake, article, tmp_path):
    fake.default = Reply.answer({"meetings": [], "positions": [], "claims": []})
    tape = tmp_path / "new" / "deeper" / "tape.jsonl"
    done = run_against(fake.base_url, article, tmp_path / "out", "--record", str(tape))
    assert done.returncode == ExitCode.OK, done.stderr
    lines = [json.loads(line) for line in tape.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["type"] == "header" and len(lines) == 2


# --- 11: eval with nothing to score -----------------------------------------------------------


def test_eval_with_no_gold_for_any_input_never_passes(article, tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    done = cli("eval", str(article.parent), "--gold", str(gold), "--backend", "rules",
               "--fail-under", "0.99")  # fmt: skip
    line = one_error_line(done)
    assert "nothing to score" in line and str(gold) in line and "morvik.md" in line
    assert "1.000" not in done.stdout


# --- 12: usage errors are one line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (["--date", "2026-13-01"], "--date: not a date (YYYY-MM-DD): '2026-13-01'"),
        (["--date", "yesterday"], "'yesterday'"),
        (["--format", "pdf"], "--format: unknown format 'pdf'"),
        (["--bogus"], "No such option: --bogus"),
        (["--max-attempts", "many"], "Invalid value for '--max-attempts'"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(article, tmp_path, flags, says):
    done = cli("run", str(article), "--out", str(tmp_path / "out"), *flags)
    line = one_error_line(done)
    assert says in line and line.endswith("(see 'briefing run --help')"), line
    assert not (tmp_path / "out").exists()


def test_help_and_a_bare_command_still_show_the_help():
    for args in (["--help"], ["run", "--help"], ["eval", "--help"]):
        done = cli(*args)
        assert done.returncode == ExitCode.OK and "Usage" in done.stdout, (args, done.stderr)
    bare = cli()
    assert "Usage" in bare.stdout and "run" in bare.stdout
    assert cli("--version").stdout.startswith("briefing ")


# --- a ledger that is not a database (breaker, s14) ---------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_ledger_is_one_line_naming_it(article, tmp_path, damage):
    # Before: "briefing: internal error: DatabaseError: file is not a database", exit 1 (a
    # bug), naming neither the file nor what to do; a cron job failed the same way every day.
    out = tmp_path / "out"
    first = cli("run", str(article), "--out", str(out), "--date", "2026-11-27")
    assert first.returncode == ExitCode.OK, first.stderr
    ledger = out / "ledger.sqlite"
    if damage == "garbage":
        ledger.write_bytes(b"not a database at all " * 300)
    else:
        with ledger.open("r+b") as handle:  # a disk that filled up mid-write
            handle.truncate(5000)
    done = cli("run", str(article), "--out", str(out), "--date", "2026-11-27")
    line = one_error_line(done)
    assert str(ledger) in line and "move it aside" in line, line


def test_a_reader_that_went_away_keeps_the_runs_exit_code(tmp_path):
    """`briefing run … | head -0`: stdout's reader is gone before the paths are printed. The
    brief is written, so the exit code is the run's (0), not an internal error (1), and the
    summary line still reaches stderr."""
    import os
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "morvik.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    read, write = os.pipe()
    os.close(read)  # nobody will read what the run prints
    clean = user_env()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "briefing", "run", str(folder), "--out", str(out),
             "--date", "2026-11-27"],
            stdout=write, stderr=subprocess.PIPE, text=True, env=clean, timeout=120,
            check=False,
        )  # fmt: skip
    finally:
        os.close(write)
    assert done.returncode == ExitCode.OK, done.stderr
    assert "internal error" not in done.stderr and "Broken pipe" not in done.stderr
    assert "briefing: 1 article, " in done.stderr, done.stderr
    assert (out / "brief-2026-11-27.md").is_file()


def test_eval_whose_reader_went_away_keeps_its_exit_code(tmp_path):
    """`briefing eval … | head -0`: rich's console exits 1 (the code of a bug) on a broken
    pipe; the table is lost, but the exit code is eval's own (0, or 6 below the gate)."""
    import os
    import sys

    read, write = os.pipe()
    os.close(read)
    clean = user_env()
    codes = []
    try:
        for gate in ([], ["--fail-under", "0.999"]):
            done = subprocess.run(
                [sys.executable, "-m", "briefing", "eval", "seeds/", *gate],
                stdout=write, stderr=subprocess.PIPE, text=True, env=clean, timeout=120,
                check=False, cwd=Path(__file__).resolve().parent.parent,
            )  # fmt: skip
            codes.append((done.returncode, done.stderr))
    finally:
        os.close(write)
    assert [c for c, _ in codes] == [ExitCode.OK, ExitCode.QUALITY], codes


def test_the_progress_bar_draws_on_a_terminal_only(monkeypatch, capsys):
    """rich loads lazily for the bar; on a terminal it still draws, elsewhere nothing does."""
    import io
    import sys

    from briefing.cli import progress_display

    with progress_display(3) as bar:  # pytest's captured stderr is no terminal
        assert bar is None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with progress_display(3) as bar:
        task = bar.add_task("extract", total=3)
        bar.advance(task)
        bar.refresh()
    assert "extracting" in screen.getvalue()
