"""Which backend runs, in each environment: --backend > BRIEFING_BACKEND > config > an endpoint
in the environment > rules."""

from __future__ import annotations

import pytest

from briefing.errors import ConfigError
from briefing.settings import load_settings


def settings(flags=None, env=None, config=None):
    return load_settings(flags or {}, env=env or {}, config=config)


def test_nothing_configured_means_rules():
    s = settings()
    assert (s.backend, s.backend_source) == ("rules", "default (no model configured)")


@pytest.mark.parametrize("var", ["OPENAI_API_KEY", "BRIEFING_API_KEY"])
def test_a_key_in_the_environment_means_openai(var):
    s = settings(env={var: "sk-x"})
    assert s.backend == "openai" and s.api_key_value() == "sk-x"


def test_a_base_url_in_the_environment_means_openai():
    s = settings(env={"BRIEFING_BASE_URL": "http://127.0.0.1:8080/v1"})
    assert (s.backend, s.backend_source) == ("openai", "BRIEFING_BASE_URL")


def test_a_base_url_flag_means_openai():
    assert settings({"base_url": "http://127.0.0.1:1/v1"}).backend == "openai"


def test_a_model_path_means_local():
    assert settings({"model_path": "m.gguf"}).backend == "local"


def test_config_beats_the_environment_guess(tmp_path):
    config = tmp_path / "briefing.toml"
    config.write_text('[briefing]\nbackend = "replay"\nconcurrency = 2\n', encoding="utf-8")
    s = settings(env={"OPENAI_API_KEY": "sk-x"}, config=config)
    assert (s.backend, s.backend_source, s.concurrency) == ("replay", "config", 2)


def test_environment_backend_beats_config(tmp_path):
    config = tmp_path / "briefing.toml"
    config.write_text('backend = "replay"\n', encoding="utf-8")
    s = settings(env={"BRIEFING_BACKEND": "rules"}, config=config)
    assert (s.backend, s.backend_source) == ("rules", "BRIEFING_BACKEND")


def test_flag_beats_everything(tmp_path):
    config = tmp_path / "briefing.toml"
    config.write_text('backend = "replay"\n', encoding="utf-8")
    s = settings(
        {"backend": "rules"},
        env={"BRIEFING_BACKEND": "openai", "OPENAI_API_KEY": "k"},
        config=config,
    )
    assert (s.backend, s.backend_source) == ("rules", "--backend")


def test_bad_values_are_one_line_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="max_attempts"):
        settings({"max_attempts": 0})
    with pytest.raises(ConfigError, match="config file not found"):
        settings(config=tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("backend = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read config"):
        settings(config=broken)


def test_the_key_never_shows_in_the_settings_repr():
    s = settings(env={"OPENAI_API_KEY": "sk-very-secret-value"})
    assert "sk-very-secret-value" not in repr(s) and "sk-very-secret-value" not in str(
        s.model_dump()
    )
