"""Cron-grade runs (issue 11, items 6-7): the lock, briefs that change together or not at all,
leftovers cleaned, a good brief never replaced by a thinner one, the archive index."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from briefing.outfiles import OutBusy, clean_leftovers, hold, publish
from briefing.pipeline import ExitCode
from tests.conftest import ROOT, SEEDS, run_cli, user_env

DAY = "2026-11-21"


def cli(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env, timeout=timeout)


def brief_files(out: Path) -> dict[str, str]:
    return {
        fmt: (out / f"brief-{DAY}.{fmt}").read_text(encoding="utf-8")
        for fmt in ("md", "html", "json")
    }


def run_ids(files: dict[str, str]) -> set[str]:
    ids = {json.loads(files["json"])["run"]["run_id"]}
    ids |= set(re.findall(r"Run `([^`]+)`", files["md"]))
    ids |= set(re.findall(r"Run <code>([^<]+)</code>", files["html"]))
    return ids


def test_a_second_run_on_a_held_out_exits_5_naming_the_holder(tmp_path):
    out = tmp_path / "out"
    with hold(out, what="test holder"):
        done = cli("run", str(SEEDS), "--out", str(out), "--date", DAY)
    assert done.returncode == ExitCode.LOCKED
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"briefing: error: {out} is in use by test holder (pid {os.getpid()}")
    assert not (out / f"brief-{DAY}.md").exists()


def test_wait_waits_for_the_holder(tmp_path):
    out = tmp_path / "out"
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with hold(out):
            held.set()
            release.wait(30)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    try:
        try:
            with hold(out, wait=0.2):
                raise AssertionError("the lock was taken twice")
        except OutBusy as exc:
            assert "is in use by briefing run" in str(exc)
        threading.Timer(0.5, release.set).start()
        started = time.monotonic()
        with hold(out, wait=20):
            waited = time.monotonic() - started
    finally:
        release.set()
        thread.join()
    assert waited >= 0.3


def test_a_thinner_run_keeps_the_days_brief_unless_forced(tmp_path):
    out, empty = tmp_path / "out", tmp_path / "empty"
    empty.mkdir()
    assert cli("run", str(SEEDS), "--out", str(out), "--date", DAY).returncode == ExitCode.OK
    before = brief_files(out)
    done = cli("run", str(empty), "--out", str(out), "--date", DAY)
    assert done.returncode == ExitCode.NOTHING
    assert "no article to extract in the inputs" in done.stderr
    assert f"kept the brief already on disk for {DAY}" in done.stderr
    assert brief_files(out) == before
    forced = cli("run", str(empty), "--out", str(out), "--date", DAY, "--force")
    assert forced.returncode == ExitCode.NOTHING
    after = brief_files(out)
    assert json.loads(after["json"])["articles"] == []
    assert len(run_ids(after)) == 1


def test_a_dead_endpoint_keeps_the_days_good_brief(tmp_path):
    out, article = tmp_path / "out", tmp_path / "a.md"
    article.write_text(
        "Norwegian Foreign Minister Halvard Lind met Chilean Foreign Minister Rosa Ibarra in "
        "Oslo on Friday, the ministry said.\n", encoding="utf-8")
    assert cli("run", str(article), "--out", str(out), "--date", DAY).returncode == ExitCode.OK
    before = brief_files(out)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    done = cli("run", str(article), "--out", str(out), "--date", DAY, "--base-url",
               f"http://127.0.0.1:{port}/v1", "--model", "m", env={"OPENAI_API_KEY": "sk-test"})
    assert done.returncode == ExitCode.NOTHING
    assert f"kept the brief already on disk for {DAY}" in done.stderr
    assert brief_files(out) == before


def test_a_killed_run_leaves_the_old_set_or_the_new_one_and_no_leftovers(tmp_path):
    out = tmp_path / "out"
    assert cli("run", str(SEEDS), "--out", str(out), "--date", DAY).returncode == ExitCode.OK
    env = user_env()
    for trial in range(6):  # bounded: six kills at staggered moments
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "briefing",
                "run",
                str(SEEDS),
                "--out",
                str(out),
                "--date",
                DAY,
                "--force",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0 + 0.35 * trial)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        files = brief_files(out)
        assert len(run_ids(files)) == 1, (trial, run_ids(files))
    done = cli("run", str(SEEDS), "--out", str(out), "--date", DAY, "--force")
    assert done.returncode == ExitCode.OK, done.stderr
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert len(list((out / ".briefs").iterdir())) == 2  # the day's link and its one version


def test_leftovers_are_cleaned(tmp_path):
    out = tmp_path / "out"
    day = __import__("datetime").date(2026, 11, 21)
    publish(out, day, "r1", {"md": "one", "json": "{}"}, ["md"])
    (out / ".brief-2026-11-21.md.abc.tmp").write_text("half", encoding="utf-8")
    (out / "cache").mkdir()
    (out / "cache" / ".x.body.123.tmp").write_bytes(b"half")
    (out / ".briefs" / "brief-2026-11-21.r0").mkdir()  # a version a killed run never switched to
    removed = clean_leftovers(out)
    assert len(removed) == 3
    assert (out / "brief-2026-11-21.md").read_text(encoding="utf-8") == "one"


def test_an_unwritable_out_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    done = cli("run", str(SEEDS), "--out", str(blocker / "out"), "--date", DAY)
    assert done.returncode == ExitCode.USAGE
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"briefing: error: cannot write to --out {blocker / 'out'}")


def test_index_lists_every_brief_newest_first(tmp_path):
    out = tmp_path / "out"
    for day in ("2026-11-20", "2026-11-22", "2026-11-21"):
        done = cli("run", str(SEEDS), "--out", str(out), "--date", day, "--format", "md,html")
        # the seeds are briefed on the first day; later days hold none, and are listed all the same
        assert done.returncode in (ExitCode.OK, ExitCode.NOTHING), done.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    days = re.findall(r'<a href="brief-(\d{4}-\d{2}-\d{2})\.html">', index)
    assert days == ["2026-11-22", "2026-11-21", "2026-11-20"]
    assert 'href="brief-2026-11-22.md"' in index and ".json" not in index
