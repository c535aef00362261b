"""A ``plue`` command that needs the database, run without the server's data dir or before
``plue migrate``, says in one line which database it looked at and why it cannot use it:
never a traceback, and never an empty database (or secret key) left behind."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from plue_core.db import open_database

COMMANDS = [
    ("admin", "user", "create", "--username", "alice", "--email", "alice@example.com",
     "--password", "a-long-password"),
    ("admin", "token", "create", "--username", "alice"),
    ("actions", "queue"),
    ("scheduler",),
    ("serve",),
]


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_command_run_away_from_the_servers_data_dir_names_it_and_creates_nothing(tmp_path,
                                                                                    command):
    elsewhere = tmp_path / "second-terminal"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
    result = subprocess.run([sys.executable, "-m", "plue_core.cli", *command], cwd=elsewhere,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert line.startswith("error: there is no database")
    assert f"data dir {elsewhere / 'var'}" in line
    assert "database_url sqlite:///var/plue.db" in line and "plue migrate" in line
    assert "PLUE_DATA_DIR" in line
    assert list(elsewhere.iterdir()) == []  # no var/, no plue.db, no secret_key


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_command_on_an_unmigrated_database_names_the_pending_migrations_and_writes_nothing(
        plue, plue_database_url, command):
    if plue_database_url.startswith("sqlite:///"):
        open_database(plue_database_url).connect()  # an empty file, as an old bug left behind
    result = plue(*command, check=False)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert "the database has" in line and "pending migration(s) (first: core/0001_scheduler" in line
    assert f"data dir {plue.data_dir}" in line and f"config file {plue.config_path}" in line
    assert "run `plue migrate` first" in line
    db = open_database(plue_database_url)
    try:
        assert db.get_tables() == []  # not even the migration history table
    finally:
        db.close()


def test_an_unreachable_postgresql_database_is_one_line_without_its_password(plue):
    plue.configure(database_url="postgresql://plue:hunter2@127.0.0.1:9/plue")
    result = plue("admin", "token", "create", "--username", "alice", check=False)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert line.startswith("error: cannot open the database")
    assert "database_url postgresql://***@127.0.0.1:9/plue" in line and "hunter2" not in line


def test_migrate_still_creates_the_database_and_then_the_commands_work(plue):
    assert "database is up to date" in plue("migrate").stdout
    created = plue("admin", "user", "create", "--username", "alice", "--email",
                   "alice@example.com", "--password", "a-long-password")
    assert "successfully created" in created.stdout


def test_a_database_error_during_a_command_is_one_line_naming_the_database(plue,
                                                                           plue_database_url):
    plue("migrate")
    db = open_database(plue_database_url)
    try:
        db.execute_sql("DROP TABLE access_token")  # the schema changed under the command
    finally:
        db.close()
    plue("admin", "user", "create", "--username", "alice", "--email", "alice@example.com",
         "--password", "a-long-password")
    result = plue("admin", "token", "create", "--username", "alice", check=False)
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert line.startswith("error: database error:") and "access_token" in line
    assert f"data dir {plue.data_dir}" in line


INSPECTION_COMMANDS = [("config", "show"), ("plugins", "list"), ("plugins", "list", "--json")]


@pytest.mark.parametrize("command", INSPECTION_COMMANDS, ids=" ".join)
def test_a_command_that_only_describes_the_setup_creates_nothing_where_it_runs(tmp_path, command):
    """`plue config show` and `plue plugins list` answer from anywhere (they read no database)
    and leave no var/, secret_key or empty plue.db behind them."""
    elsewhere = tmp_path / "second-terminal"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
    result = subprocess.run([sys.executable, "-m", "plue_core.cli", *command], cwd=elsewhere,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert ("git_hosting" in result.stdout) if command[0] == "plugins" else ('"data_dir"' in result.stdout)
    assert list(elsewhere.iterdir()) == []


def test_config_show_reads_the_stored_secret_key_without_replacing_it_or_printing_it(plue):
    """Inspecting a real data dir reads its key (never replaces it) and prints it redacted."""
    plue("migrate")
    key_file = plue.data_dir / "secret_key"
    before = key_file.read_text()
    result = plue("config", "show")
    assert key_file.read_text() == before
    assert before.strip() not in result.stdout
    assert '"secret_key": "***"' in result.stdout
