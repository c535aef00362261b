"""A PostgreSQL on the same machine reached through its Unix socket directory, libpq's
``postgresql://user@/dbname?host=/run/postgresql`` (no TCP: docs/serving.md, "Round eight:
statements")."""

from __future__ import annotations

import pathlib
import urllib.parse

import pytest

from plue_core.db import PostgresPool, connection, open_database
from plue_core.errors import StartupError


def test_a_socket_directory_and_port_are_read_from_the_query():
    db = open_database("postgresql://plue:pw@/plue?host=/run/postgresql&port=5433")
    assert isinstance(db, PostgresPool)
    assert db.database == "plue"
    assert db.connect_params["host"] == "/run/postgresql"
    assert db.connect_params["port"] == 5433
    assert db.connect_params["user"] == "plue" and db.connect_params["password"] == "pw"


def test_a_host_and_port_in_the_authority_are_read_as_before():
    db = open_database("postgresql://plue@db.internal:5432/plue")
    assert (db.connect_params["host"], db.connect_params["port"]) == ("db.internal", 5432)


def test_a_port_that_is_not_a_number_is_a_startup_error():
    with pytest.raises(StartupError, match="port"):
        open_database("postgresql://plue@/plue?host=/run/postgresql&port=fifty")


def test_a_request_runs_on_postgresql_reached_through_its_socket(plue_database_url, tmp_path):
    """The throwaway cluster (tools/postgres-test-cluster.sh) listens on its socket in /tmp
    as well as on 127.0.0.1: the same database, reached both ways."""
    parsed = urllib.parse.urlparse(plue_database_url)
    if parsed.scheme != "postgresql":
        pytest.skip("PostgreSQL only (tools/with-postgres.sh)")
    directory = next((d for d in ("/tmp", "/run/postgresql", "/var/run/postgresql")
                      if pathlib.Path(d, f".s.PGSQL.{parsed.port}").exists()), None)
    if directory is None:
        pytest.skip("the server has no socket this test can find")
    user = f"{parsed.username}:{parsed.password}@" if parsed.password else f"{parsed.username}@"
    url = f"postgresql://{user}{parsed.path}?host={directory}&port={parsed.port}"
    db = open_database(url)
    with connection(db):
        address = db.execute_sql("SELECT inet_server_addr(), current_database()").fetchone()
    assert address == (None, parsed.path.lstrip("/"))  # NULL: a Unix-socket connection
    db.close_all()
