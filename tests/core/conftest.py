"""Fixtures shared by the core tests: test clients of apps with extra plugins (``build_app`` is
plue_core.testing's), the real ``plue`` command, and the PostgreSQL pool."""

from __future__ import annotations

import os
import subprocess
import sys

import falcon.testing
import pytest

from plue_core.db import PostgresPool, is_sqlite
from plue_core.testing import testing_overrides, write_toml


@pytest.fixture
def pool(ctx):
    """The app's ``PostgresPool``; skips on SQLite (tools/with-postgres.sh runs these tests)."""
    if is_sqlite(ctx.db):
        pytest.skip("PostgreSQL's pool (tools/with-postgres.sh)")
    assert isinstance(ctx.db, PostgresPool)
    return ctx.db


@pytest.fixture
def build_client(build_app):
    def build(*plugins, **overrides) -> falcon.testing.TestClient:
        return falcon.testing.TestClient(build_app(*plugins, **overrides))
    return build


class PlueCommand:
    """The ``plue`` console command run in a subprocess against a config file."""

    def __init__(self, tmp_path, database_url):
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.config_path = tmp_path / "plue.toml"
        self.configure()

    def configure(self, **overrides) -> None:
        """Rewrite plue.toml: the test defaults plus ``overrides``."""
        database_url = overrides.pop("database_url", self.database_url)
        write_toml(self.config_path, testing_overrides(self.tmp_path, database_url, **overrides))

    @property
    def data_dir(self):
        return self.tmp_path / "data"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
        env["PLUE_CONFIG"] = str(self.config_path)
        return env

    def __call__(self, *args: str, input: str = "", check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "plue_core.cli", *args], env=self.env(),
                                input=input, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"plue {' '.join(args)} exited {result.returncode}:\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result


@pytest.fixture
def plue(tmp_path, plue_database_url) -> PlueCommand:
    return PlueCommand(tmp_path, plue_database_url)
