"""`make test` runs on PostgreSQL only the test modules that asked for the database server
during the SQLite run (tools/run-tests.sh): ``plue_core.testing.test_database_server`` is the
one place a test learns which database it runs on, and notes the asking module."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

from plue_core.testing import (
    DATABASE_READERS_ENV, TEST_DATABASE_ENV, database_reading_modules, test_database_server,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_a_test_that_asks_is_noted_by_its_module(tmp_path, monkeypatch):
    monkeypatch.setenv(DATABASE_READERS_ENV, str(tmp_path))
    test_database_server()
    test_database_server()
    assert database_reading_modules(tmp_path) == ["tests/core/test_database_readers.py"]


def test_a_module_asking_at_import_time_is_noted(tmp_path):
    probe = tmp_path / "tests" / "test_probe.py"
    probe.parent.mkdir()
    probe.write_text("from plue_core.testing import test_database_server\n"
                     "test_database_server()\n")
    readers = tmp_path / "readers"
    readers.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTEST_CURRENT_TEST", TEST_DATABASE_ENV)}
    env.update({DATABASE_READERS_ENV: str(readers), "PYTHONPATH": str(ROOT)})
    subprocess.run([sys.executable, str(probe)], cwd=tmp_path, env=env, check=True)
    assert database_reading_modules(readers) == ["tests/test_probe.py"]


def test_nothing_is_noted_unless_asked_to(tmp_path, monkeypatch):
    monkeypatch.delenv(DATABASE_READERS_ENV, raising=False)
    test_database_server()
    assert database_reading_modules(tmp_path) == []


def test_no_test_reads_the_database_server_around_the_one_accessor():
    """A module reading ``PLUE_TEST_DATABASE_URL`` itself would behave differently on
    PostgreSQL without being noted, and be left out of that run."""
    reading = re.compile(r"environ[^\n]*(TEST_DATABASE_ENV|PLUE_TEST_DATABASE_URL)")
    found = [str(path.relative_to(ROOT)) for folder in ("tests", "plue_core", "plugins", "docs")
             for path in (ROOT / folder).rglob("*.py") if reading.search(path.read_text())
             and path != pathlib.Path(__file__)]
    assert found == ["plue_core/testing.py"]
