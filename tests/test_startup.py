"""Issue 12, fixed start-up cost: a plain ``briefing run --backend openai`` imports only what it
uses. Modules that only another command (``eval``) or a rare path (an answer cut at max_tokens)
needs are imported where they are used. These are behaviours, not timings: ``bench/`` measures
the CPU.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from briefing.pipeline import ExitCode
from briefing.testing.fake_openai import FakeOpenAI, Reply
from tests.conftest import GOLD, ROOT, SEEDS, run_cli, seed_key, user_env

# The CLI's own entry point, then every module loaded by the end of the run, one a line.
LOADED = (
    "import atexit, sys\n"
    "listing = sys.argv[1]\n"
    "atexit.register(lambda: open(listing, 'w').write('\\n'.join(sorted(sys.modules))))\n"
    "from briefing.cli import main\n"
    "main(sys.argv[2:])\n"
)


def loaded_by_run(fake: FakeOpenAI, tmp_path: Path) -> set[str]:
    """The modules a five-seed ``run --backend openai`` against ``fake`` has loaded at exit."""
    for seed in sorted(SEEDS.glob("*.txt")):
        gold = json.loads((GOLD / f"{seed.stem}.json").read_text(encoding="utf-8"))
        fake.script_for(seed_key(seed), Reply.answer(gold))
    listing = tmp_path / "modules.txt"
    done = subprocess.run(
        [sys.executable, "-c", LOADED, str(listing), "run", str(SEEDS), "--backend", "openai",
         "--base-url", fake.base_url, "--model", "m", "--out", str(tmp_path / "out"),
         "--date", "2026-11-27", "--quiet"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env=user_env({"OPENAI_API_KEY": "sk-test-startup"}),
    )  # fmt: skip
    assert done.returncode == ExitCode.OK, done.stderr
    return set(listing.read_text(encoding="utf-8").split())


def test_a_plain_openai_run_loads_neither_eval_nor_the_cut_answer_parser(fake, tmp_path):
    loaded = loaded_by_run(fake, tmp_path)
    assert "briefing.backends.openai_compat" in loaded and len(fake.chat_requests) == 5
    assert "briefing.evaluate" not in loaded  # `briefing eval` only
    assert "ijson" not in loaded  # read_cut, for an answer cut at max_tokens only


def test_the_lazily_built_eval_command_is_listed_named_and_suggested():
    listed = run_cli("--help", env={"COLUMNS": "200"})
    assert listed.returncode == 0 and "│ eval " in listed.stdout and "│ run " in listed.stdout
    assert listed.stdout.index("│ run ") < listed.stdout.index("│ eval ")  # the order they had
    helped = run_cli("eval", "--help", env={"COLUMNS": "200"})
    assert helped.returncode == 0 and "--fail-under" in helped.stdout
    typo = run_cli("evl")
    assert typo.returncode == ExitCode.USAGE
    assert "No such command 'evl'. Did you mean 'eval'?" in typo.stderr


def test_the_bundled_registry_is_read_once_and_shared(tmp_path):
    from briefing.actors import ActorRegistry
    from briefing.checks import registry

    assert ActorRegistry.load() is ActorRegistry.load(None) is registry()
    own = tmp_path / "actors.toml"
    own.write_text('[[actor]]\nname = "Elena Varga"\ncountry = "VLD"\n', encoding="utf-8")
    first, second = ActorRegistry.load(own), ActorRegistry.load(own)
    assert first is not second  # a user's file is read as it is now, every time
    assert [e.name for e in first.entries] == ["Elena Varga"]


# get_backend in a fresh process: the client stack's objects frozen (or not), the GC as it was.
FROZEN = (
    "import gc, sys\n"
    "from briefing import backends\n"
    "from briefing.settings import load_settings\n"
    "backends.FREEZE_IMPORTS = sys.argv[1] == 'batch'\n"
    "before = gc.get_freeze_count()\n"
    "settings = load_settings({'backend': 'openai', 'base_url': 'http://127.0.0.1:9/v1',\n"
    "                          'model': 'm'}, env={'OPENAI_API_KEY': 'sk-test'})\n"
    "backends.get_backend(settings).close()\n"
    "chat = 'openai.resources.chat' in sys.modules\n"
    "print(gc.isenabled(), gc.get_freeze_count() - before, chat)\n"
)


def test_the_console_script_imports_the_client_stack_outside_the_gc():
    def frozen(mode: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", FROZEN, mode], capture_output=True,
                              text=True, cwd=ROOT, timeout=60, env=user_env())
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    enabled, frozen_objects, chat = frozen("batch")  # what briefing.cli.main sets
    assert enabled == "True" and int(frozen_objects) > 50_000 and chat == "True"
    enabled, frozen_objects, _ = frozen("library")  # a library caller's GC is left alone
    assert enabled == "True" and frozen_objects == "0"
