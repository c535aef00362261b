"""The PostgreSQL pool checks a connection out without a round trip (issue 13), and still never
hands out one the server has ended."""

from __future__ import annotations

import psycopg
import pytest

from plue_core.accounts.models import Account
from plue_core.db import PostgresPool
from plue_core.testing import basic_auth, make_user


@pytest.fixture
def round_trips(pool, monkeypatch):
    """peewee's checkout ping (``SELECT 1``), each time the pool runs it."""
    sent: list[str] = []
    adapter = pool._adapter
    check = type(adapter).is_connection_closed

    def is_connection_closed(conn):
        sent.append("ping")
        return check(adapter, conn)

    monkeypatch.setattr(adapter, "is_connection_closed", is_connection_closed)
    return sent


def test_a_connection_used_a_moment_ago_is_checked_out_without_a_ping(client, ctx, pool,
                                                                      round_trips):
    make_user(ctx, "alice")
    for _ in range(3):
        assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 200
    assert round_trips == []


def test_a_connection_idle_for_long_is_pinged_at_checkout(client, ctx, pool, round_trips,
                                                          monkeypatch):
    make_user(ctx, "alice")
    client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    monkeypatch.setattr(PostgresPool, "PING_AFTER", 0.0)
    assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 200
    assert round_trips == ["ping"]


def test_a_connection_the_server_ended_is_discarded_and_the_request_served(
        client, ctx, pool, plue_database_url):
    make_user(ctx, "alice")
    assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 200
    ctx.db.connect()
    backend = ctx.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    ctx.db.close()  # back in the pool, used a moment ago
    admin = psycopg.connect(plue_database_url, autocommit=True)
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", (backend,))
        # The backend is gone once the server no longer lists it.
        for _ in range(100):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,))
            if cursor.fetchone()[0] == 0:
                break
    admin.close()
    result = client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    assert result.status_code == 200, result.text
    ctx.db.connect()
    assert ctx.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0] != backend
    assert Account.select().count() >= 1
    ctx.db.close()
