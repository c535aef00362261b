"""The ``plue`` command, run for real in a subprocess against a config file."""

from __future__ import annotations

import importlib.metadata
import json

import click.testing
import falcon.testing

from plue_core import create_app, hookimpl
from plue_core.cli import _Lazy, plugins_list
from plue_core.config import load_config
from plue_core.plugins import DEFAULT_PLUGINS
from plue_core.scheduler import ScheduledJob
from plue_core.testing import token_auth


def test_version_prints_the_installed_version(plue):
    assert plue("version").stdout.strip() == importlib.metadata.version("plue")


def test_migrate_applies_everything_once_and_then_nothing(plue):
    first = plue("migrate").stdout
    assert "applied core/0001_scheduler" in first and "applied accounts/0001_initial" in first
    second = plue("migrate").stdout
    assert "applied " not in second.replace("migration(s) applied", "")
    assert second.startswith("0 migration(s) applied; database is up to date")


def test_plugins_list_shows_every_builtin_plugin_enabled(plue):
    rows = {row["name"]: row for row in json.loads(plue("plugins", "list", "--json").stdout)}
    for name, _ in DEFAULT_PLUGINS:
        assert rows[name]["enabled"] is True, name
    assert "register_routes" in rows["meta"]["hooks"]
    assert "/api/v1/version" in rows["meta"]["routes"]
    text = plue("plugins", "list").stdout
    assert all(line.split()[2] == "enabled" for line in text.splitlines())


def test_plugins_list_shows_a_disabled_plugin_as_disabled(plue):
    plue.configure(plugins={"disabled": ["hello"]})
    rows = {row["name"]: row for row in json.loads(plue("plugins", "list", "--json").stdout)}
    assert rows["hello"]["enabled"] is False and rows["accounts"]["enabled"] is True


class NightlyReports:
    """A plugin whose job id does not start with its name."""

    PLUE_NAME = "reports"

    @staticmethod
    @hookimpl
    def register_jobs(ctx):
        return [ScheduledJob("nightly-report", lambda ctx: None, "interval", {"hours": 24})]


def test_plugins_list_names_the_plugin_that_contributed_each_job_whatever_its_id(build_app):
    ctx = build_app(NightlyReports(), migrate_db=False).plue
    lazy = _Lazy(None)
    lazy._ctx = ctx
    result = click.testing.CliRunner().invoke(plugins_list, ["--json"], obj=lazy)
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["reports"]["jobs"] == ["nightly-report"]
    assert "git_hosting.tidy_trash" in rows["git_hosting"]["jobs"]
    assert ctx.job_plugins["nightly-report"] == "reports"
    listed = {entry["name"]: entry for entry in
              falcon.testing.TestClient(build_app(NightlyReports())).simulate_get("/-/plugins").json}
    assert listed["reports"]["jobs"] == ["nightly-report"]


def test_config_show_redacts_the_secret_key_and_the_database_password(plue):
    plue.configure(database_url="postgresql://plue:hunter2@127.0.0.1:9/plue")
    plue.data_dir.mkdir()
    secret = "a-stored-secret-key-that-is-long-enough-0123456789"
    (plue.data_dir / "secret_key").write_text(secret)
    output = plue("config", "show").stdout
    shown = json.loads(output)
    assert secret not in output and "hunter2" not in output
    assert shown["secret_key"] == "***"
    assert shown["database_url"] == "postgresql://***@127.0.0.1:9/plue"
    assert shown["accounts"]["bcrypt_rounds"] == 4 and shown["server"]["workers"] == 2


def test_admin_user_create_reads_the_password_from_stdin_and_a_token_then_works(plue):
    plue("migrate")
    created = plue("admin", "user", "create", "--username", "alice", "--email", "alice@example.com",
                   "--admin", input="a-long-password\n")
    assert "New user 'alice' has been successfully created!" in created.stdout
    assert "a-long-password" not in created.stdout + created.stderr
    token = plue("admin", "token", "create", "--username", "alice", "--name", "ci").stdout.strip()
    assert len(token) == 40

    app = create_app(load_config(plue.config_path, environ={}))
    try:
        me = falcon.testing.TestClient(app).simulate_get("/api/v1/user", headers=token_auth(token))
        assert me.status_code == 200
        assert me.json["login"] == "alice" and me.json["is_admin"] is True
    finally:
        app.plue.close()


def test_admin_user_create_with_a_bad_password_fails_with_one_clear_line(plue):
    plue("migrate")
    result = plue("admin", "user", "create", "--username", "bob", "--email", "bob@example.com",
                  "--password", "short", check=False)
    assert result.returncode == 1
    assert "password must be at least 8 characters" in result.stderr
    assert "Traceback" not in result.stderr


def test_admin_token_create_for_an_unknown_user_names_the_user(plue):
    plue("migrate")
    result = plue("admin", "token", "create", "--username", "nobody", check=False)
    assert result.returncode == 1 and "'nobody'" in result.stderr


def test_a_config_error_is_one_line_naming_the_key_not_a_traceback(plue):
    plue.configure(server={"workers": "many"})
    result = plue("migrate", check=False)
    assert result.returncode == 1
    assert "server.workers" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_to_start_without_a_migrated_database(plue):
    result = plue("serve", check=False)
    assert result.returncode == 1
    assert ("there is no database" in result.stderr or "pending migration(s)" in result.stderr)
    assert "plue migrate" in result.stderr and "Traceback" not in result.stderr


def test_help_lists_the_core_commands_and_the_plugin_commands(plue):
    output = plue("--help").stdout
    for command in ("serve", "migrate", "scheduler", "plugins", "config", "admin", "version", "hello"):
        assert f"  {command} " in output or f"  {command}\n" in output, command
