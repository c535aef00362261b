"""The authenticated repository GET reads its branch count with the repository (issue 13): two
statements with a token or with Basic (whose account comes with its login-lock counters, round
eight), where the count was a statement of its own. On
PostgreSQL each statement is a round trip to the server, and under load the round trips are
most of the request (docs/serving.md, "Round seven"). Counted, never timed."""

from __future__ import annotations

import re

import pytest

from plue_core.db import PostgresPool, is_sqlite
from plue_core.testing import basic_auth, make_user, recorded_statements, token_auth


@pytest.fixture
def alice(client, ctx) -> dict:
    """alice's token, her repository ``one`` (a README on ``main``) and her empty ``bare``."""
    make_user(ctx, "alice")
    token = client.simulate_post("/api/v1/users/alice/tokens", headers=basic_auth("alice"),
                                 json={"name": "t", "scopes": ["all"]}).json["sha1"]
    headers = token_auth(token)
    for body in ({"name": "one", "auto_init": True}, {"name": "bare"}):
        result = client.simulate_post("/api/v1/user/repos", headers=headers, json=body)
        assert result.status_code == 201, result.text
    return headers


def _get(client, ctx, path: str, headers: dict) -> tuple[dict, list[str]]:
    with recorded_statements(ctx.db, without_token_touches=True) as statements:
        result = client.simulate_get(path, headers=headers)
    assert result.status_code == 200, result.text
    return result.json, statements


def test_a_repository_get_reads_its_branch_count_with_the_repository(client, ctx, alice):
    _get(client, ctx, "/api/v1/repos/alice/one", alice)  # warm: compiled, prepared
    body, statements = _get(client, ctx, "/api/v1/repos/alice/one", alice)
    # The token with its account; the repository with its owner and its branch count.
    assert len(statements) == 2, "\n".join(statements)
    assert body["branch_count"] == 1
    _get(client, ctx, "/api/v1/repos/alice/one", basic_auth("alice"))  # bcrypt once
    _, basic = _get(client, ctx, "/api/v1/repos/alice/one", basic_auth("alice"))
    assert len(basic) == 2, "\n".join(basic)  # the account by name with its login locks, the repository


def test_the_branch_count_follows_the_branches(client, ctx, alice):
    bare, _ = _get(client, ctx, "/api/v1/repos/alice/bare", alice)
    assert bare["branch_count"] == 0 and bare["empty"] is True
    for name in ("two", "three"):
        created = client.simulate_post("/api/v1/repos/alice/one/branches", headers=alice,
                                       json={"new_branch_name": name, "old_branch_name": "main"})
        assert created.status_code == 201, created.text
    body, _ = _get(client, ctx, "/api/v1/repos/alice/one", alice)
    assert body["branch_count"] == 3
    listed = client.simulate_get("/api/v1/repos/alice/one/branches", headers=alice).json
    assert len(listed) == 3
    # The same count as every other Repository body (a list counts a page's in one query).
    mine = client.simulate_get("/api/v1/user/repos", headers=alice).json
    assert {r["name"]: r["branch_count"] for r in mine} == {"one": 3, "bare": 0}
    deleted = client.simulate_delete("/api/v1/repos/alice/one/branches/two", headers=alice)
    assert deleted.status_code == 204, deleted.text
    assert _get(client, ctx, "/api/v1/repos/alice/one", alice)[0]["branch_count"] == 2


def test_a_private_repository_stays_hidden_from_others(client, ctx, alice):
    make_user(ctx, "mallory")
    client.simulate_patch("/api/v1/repos/alice/one", headers=alice, json={"private": True})
    hidden = client.simulate_get("/api/v1/repos/alice/one", headers=basic_auth("mallory"))
    assert hidden.status_code == 404
    assert client.simulate_get("/api/v1/repos/alice/one", headers=alice).json["private"] is True


@pytest.fixture
def round_trips(ctx):
    """Every statement the PostgreSQL driver is given (each a round trip, ``prepared …`` when it
    runs as a prepared statement), and the pool's checkout pings."""
    if is_sqlite(ctx.db):
        pytest.skip("PostgreSQL's round trips (tools/with-postgres.sh)")
    pool = ctx.db.obj if hasattr(ctx.db, "obj") else ctx.db
    assert isinstance(pool, PostgresPool)
    sent: list[str] = []
    execute_cursor, check = pool._execute_cursor, type(pool._adapter).is_connection_closed
    pool._execute_cursor = lambda sql, params, **options: (
        sent.append(f"prepared {sql}" if options.get("prepared") else sql)
        or execute_cursor(sql, params, **options))
    pool._adapter.is_connection_closed = lambda conn: sent.append("ping") or check(
        pool._adapter, conn)
    yield sent
    del pool._execute_cursor, pool._adapter.is_connection_closed


@pytest.mark.parametrize("path, basic, expected", [
    ("/api/v1/repos/alice/one", False, 2),  # the token with its account, the repository (+ count)
    ("/api/v1/repos/alice/one", True, 2),   # the account with its login locks, the repository
    ("/api/v1/user", False, 1),             # the token with its account, nothing more
])
def test_postgresql_sends_the_request_s_own_statements_and_nothing_else(
        client, ctx, alice, round_trips, path, basic, expected):
    """No BEGIN or COMMIT around an autocommit read, no SET, no checkout ping, nothing
    prepared twice: each round trip runs one of the request's reads, prepared."""
    headers = basic_auth("alice") if basic else alice
    for _ in range(2):  # the first request on a connection prepares its statements
        client.simulate_get(path, headers=headers)
    round_trips.clear()
    for _ in range(3):
        assert client.simulate_get(path, headers=headers).status_code == 200
    assert len(round_trips) == 3 * expected, round_trips
    assert all(sql.startswith("prepared SELECT") for sql in round_trips), round_trips


def test_postgresql_sends_an_issue_get_s_three_reads_and_nothing_else(
        client, ctx, alice, round_trips):
    """The issue GET too (docs/serving.md, "Round ten"): the token, the repository, the issue
    with its parts (labels, assignees and its files, Gitea's ``assets``); no transaction, SET
    or ping around them."""
    created = client.simulate_post("/api/v1/repos/alice/one/issues", headers=alice,
                                   json={"title": "one", "assignees": ["alice"]})
    assert created.status_code == 201, created.text
    path = f"/api/v1/repos/alice/one/issues/{created.json['number']}"
    for _ in range(2):
        client.simulate_get(path, headers=alice)
    round_trips.clear()
    for _ in range(3):
        assert client.simulate_get(path, headers=alice).status_code == 200
    assert len(round_trips) == 9, round_trips
    assert all(sql.startswith("prepared SELECT") for sql in round_trips), round_trips


def test_postgresql_plans_each_hot_read_once_and_reuses_it(client, ctx, alice, round_trips):
    """The server plans a prepared read for its first five executions (custom plans), then
    keeps one generic plan: a read whose parameters made it plan every time again would cost
    a plan per request (round five measured 0.3-1 ms a plan on the wide joined reads)."""
    for _ in range(12):
        assert client.simulate_get("/api/v1/repos/alice/one", headers=alice).status_code == 200
    reads = {sql.removeprefix("prepared ") for sql in round_trips}
    assert len(reads) == 2 and all(sql.startswith("prepared ") for sql in round_trips), round_trips
    with ctx.db.connection_context():  # the server holds each as psycopg sent it: $1 for %s
        plans = ctx.db.execute_sql(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements").fetchall()
    plans = [plan for plan in plans if _with_percent_s(plan[0]) in reads]
    assert len(plans) == 2 and all(generic >= 6 and custom <= 5 for _, generic, custom in plans), \
        plans


def _with_percent_s(statement: str) -> str:
    return re.sub(r"\$\d+", "%s", statement)
