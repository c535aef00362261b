"""Configuration: defaults < plue.toml < environment < explicit overrides; errors name the key."""

from __future__ import annotations

import stat

import pytest

from plue_core.app import build_context
from plue_core.config import ensure_secret_key, load_config
from plue_core.errors import StartupError
from plue_core.testing import make_test_config


@pytest.fixture
def toml(tmp_path):
    def write(text: str):
        path = tmp_path / "plue.toml"
        path.write_text(text)
        return path
    return write


def test_each_layer_overrides_the_one_below(toml):
    path = toml('site_name = "from-toml"\n[server]\nworkers = 3\nthreads = 4\n')
    env = {"PLUE_SITE_NAME": "from-env", "PLUE_SERVER__THREADS": "7"}

    assert load_config(environ={}).site_name == "Plue"
    assert load_config(path, environ={}).site_name == "from-toml"
    assert load_config(path, environ=env).site_name == "from-env"
    assert load_config(path, {"site_name": "from-overrides"}, environ=env).site_name == "from-overrides"

    config = load_config(path, environ=env)
    assert config.server["workers"] == 3  # the file
    assert config.server["threads"] == 7  # the environment, converted to an integer
    assert config.server["bind"] == "127.0.0.1:8000"  # the default


def test_plue_config_names_the_file_and_documented_aliases_apply(toml):
    path = toml('site_name = "chosen"\n')
    config = load_config(environ={"PLUE_CONFIG": str(path), "PLUE_BIND": "0.0.0.0:9000",
                                  "PLUE_WORKERS": "5", "PLUE_DATA_DIR": "/srv/plue"})
    assert config.site_name == "chosen"
    assert config.server["bind"] == "0.0.0.0:9000" and config.server["workers"] == 5
    assert config.data_dir == "/srv/plue"
    assert config.database_url == "sqlite:////srv/plue/plue.db"


def test_lists_arrive_from_the_environment_comma_separated():
    config = load_config(environ={"PLUE_PLUGINS__DISABLED": "hello, issues",
                                  "PLUE_CORS_ORIGINS": "https://a.example,https://b.example"})
    assert config.plugins["disabled"] == ["hello", "issues"]
    assert config.cors_origins == ["https://a.example", "https://b.example"]


def test_plue_variables_that_are_not_config_are_ignored():
    assert load_config(environ={"PLUE_TOKEN": "x", "PLUE_URL": "http://x"}).site_name == "Plue"


def test_a_plugin_section_is_validated_by_its_plugin_and_read_from_the_environment(tmp_path):
    config = load_config(overrides={"data_dir": str(tmp_path)},
                         environ={"PLUE_ACCOUNTS__BCRYPT_ROUNDS": "5", "PLUE_HELLO__GREETING": "Hi"})
    ctx = build_context(config)
    try:
        assert ctx.section("accounts")["bcrypt_rounds"] == 5
        assert ctx.section("accounts")["min_password_length"] == 8  # default
        assert ctx.section("hello")["greeting"] == "Hi"
    finally:
        ctx.close()


@pytest.mark.parametrize("text, key", [
    ('[server]\nworkers = "many"\n', "server.workers"),
    ("[server]\ncolour = 1\n", "server.colour: unknown key"),
    ('log_level = "LOUD"\n', "log_level"),
    ('max_body_size = "big"\n', "max_body_size"),
    ('secret_key = "short"\n', "secret_key"),
    ('[scheduler]\nmode = "sometimes"\n', "scheduler.mode"),
    ('database_url = "mysql://x/y"\n', "database_url"),
])
def test_a_bad_core_value_or_unknown_core_key_is_a_startup_error_naming_the_key(tmp_path, toml, text, key):
    path = toml(text)
    with pytest.raises(StartupError, match=key.replace(".", r"\.")):
        config = load_config(path, {"data_dir": str(tmp_path / "data")}, environ={})
        build_context(config).close()


@pytest.mark.parametrize("text, key", [
    ("bogus = 1\n", "unknown key 'bogus'"),
    ("[accounts]\nbcrypt_rounds = 99\n", "accounts.bcrypt_rounds"),
    ("[accounts]\nnope = 1\n", "accounts.nope: unknown key"),
    ("[hello]\njob_interval_seconds = 0\n", "hello.job_interval_seconds"),
    ("accounts = 3\n", r"\[accounts\] must be a table"),
])
def test_a_bad_plugin_value_or_unknown_key_is_a_startup_error_naming_the_key(tmp_path, toml, text, key):
    path = toml(text)
    config = load_config(path, {"data_dir": str(tmp_path / "data")}, environ={})
    with pytest.raises(StartupError, match=key):
        build_context(config)


def test_the_section_of_a_disabled_plugin_is_tolerated(tmp_path, toml):
    path = toml('[plugins]\ndisabled = ["hello"]\n[hello]\ngreeting = "unused"\n')
    ctx = build_context(load_config(path, {"data_dir": str(tmp_path / "data")}, environ={}))
    try:
        assert "hello" not in ctx.plugins.names
    finally:
        ctx.close()


def test_a_missing_or_broken_config_file_is_a_startup_error_naming_it(tmp_path, toml):
    with pytest.raises(StartupError, match="nowhere.toml not found"):
        load_config(tmp_path / "nowhere.toml", environ={})
    with pytest.raises(StartupError, match="not valid TOML"):
        load_config(toml("site_name = \n"), environ={})


def test_a_secret_key_is_generated_once_into_the_data_dir_readable_only_by_its_owner(tmp_path):
    first = make_test_config(tmp_path, f"sqlite:///{tmp_path}/plue.db")
    key = ensure_secret_key(first)
    key_file = tmp_path / "data" / "secret_key"
    assert len(key) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = make_test_config(tmp_path, f"sqlite:///{tmp_path}/plue.db")
    assert second.secret_key is None
    assert ensure_secret_key(second) == key
    assert ensure_secret_key(make_test_config(tmp_path / "other", "sqlite:///x.db")) != key


def test_a_configured_secret_key_is_used_and_nothing_is_written(tmp_path):
    configured = "k" * 40
    config = make_test_config(tmp_path, f"sqlite:///{tmp_path}/plue.db", secret_key=configured)
    assert ensure_secret_key(config) == configured
    assert not (tmp_path / "data" / "secret_key").exists()


def test_config_show_redacts_secrets_and_the_database_password(tmp_path):
    config = load_config(overrides={"secret_key": "s" * 40,
                                    "database_url": "postgresql://plue:hunter2@db.internal:5432/plue"},
                         environ={})
    shown = config.as_dict(redact=True)
    assert shown["secret_key"] == "***"
    assert shown["database_url"] == "postgresql://***@db.internal:5432/plue"
    assert "hunter2" not in repr(shown) and "s" * 40 not in repr(shown)
