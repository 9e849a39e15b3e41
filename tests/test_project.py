"""The promises the README makes about set-up stay true."""

from __future__ import annotations

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_setup_commands():
    assert (ROOT / "README.md").read_text(encoding="utf-8").startswith("```sh\n")
    main, tests = readme_commands()
    assert "briefing run seeds/" in main
    assert "pytest" in tests


def test_ci_runs_the_readme_commands_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in readme_commands():
        assert command in ci, f".ci/run no longer runs the README command: {command}"


def test_readme_tests_need_no_local_extra_and_ci_still_runs_the_llama_tests():
    _, tests = readme_commands()
    assert "local" not in tests and '-m "not llama"' in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    llama = [line for line in ci.splitlines() if "-m llama" in line]
    assert llama, ".ci/run no longer runs the llama tests"
    assert "'.[dev,local]'" in llama[0] and "BRIEFING_REQUIRE_LLAMA=1" in llama[0]
    assert "BRIEFING_REQUIRE_BROWSER=1" in ci


def test_the_installed_version_is_the_one_the_package_reports():
    """pyproject.toml takes the version from ``briefing/__init__.py`` (no importlib.metadata
    lookup at start-up); the installed metadata must say the same."""
    from importlib.metadata import version

    import briefing

    assert version("briefing") == briefing.__version__
