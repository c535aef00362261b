"""On PostgreSQL a compiled hot query runs as psycopg 3's prepared statement, parsed and planned
once per connection (issue 13: planning a wide joined select cost more than running it), then
bound and executed with its values; the answers are the same, a connection the server ended
prepares again, a statement the server cannot prepare runs as plain SQL, and nothing of a
transaction is ever put at risk."""

from __future__ import annotations

import re

import peewee
import psycopg
import pytest

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect, connection
from plue_core.testing import basic_auth, make_user, recorded_statements, token_auth
from tests.core.test_hot_path_query_counts import HOT_PATHS, bench  # noqa: F401 (a fixture)


@pytest.fixture
def sent(ctx, pool):
    """The SQL the driver is given, each statement (below ``execute_sql``), ``prepared …`` when
    it runs as a prepared statement."""
    statements: list[str] = []
    execute_cursor = pool._execute_cursor

    def recording(sql, params, **options):
        statements.append(f"prepared {sql}" if options.get("prepared") else sql)
        return execute_cursor(sql, params, **options)

    pool._execute_cursor = recording
    yield statements
    del pool._execute_cursor


def _token(client, ctx) -> dict:
    make_user(ctx, "alice")
    token = client.simulate_post("/api/v1/users/alice/tokens", headers=basic_auth("alice"),
                                 json={"name": "t", "scopes": ["all"]}).json["sha1"]
    headers = token_auth(token)
    result = client.simulate_post("/api/v1/user/repos", headers=headers, json={"name": "one"})
    assert result.status_code == 201, result.text
    return headers


def _server_prepared(ctx) -> set[str]:
    """The statements this thread's connection has prepared, ``%s`` for each parameter."""
    with connection(ctx.db):
        return {re.sub(r"\$\d+", "%s", statement) for statement, in ctx.db.execute_sql(
            "SELECT statement FROM pg_prepared_statements")}


def test_a_repository_get_runs_its_compiled_queries_prepared(client, ctx, pool, sent):
    headers = _token(client, ctx)
    first = client.simulate_get("/api/v1/repos/alice/one", headers=headers)
    with recorded_statements(ctx.db) as seen:  # what query counters see: the queries' own SQL
        sent.clear()
        again = client.simulate_get("/api/v1/repos/alice/one", headers=headers)
    assert len(seen) == 2 and all(sql.startswith("SELECT") for sql in seen), seen
    assert again.status_code == 200 and again.json == first.json
    # The token with its account, the repository with its owner and its branch count.
    assert [sql.removeprefix("prepared ") for sql in sent] == seen, sent
    assert all(sql.startswith("prepared ") for sql in sent), sent
    assert set(seen) <= _server_prepared(ctx)


def test_prepared_and_plain_statements_answer_alike(client, ctx, pool, bench):  # noqa: F811
    """Every hot path's body, with compiled queries plain, then preparing, then prepared."""
    paths = [path.partition("?") for path in HOT_PATHS]

    def bodies():
        answers = [client.simulate_get(path, query_string=query, headers=bench["headers"])
                   for path, _, query in paths]
        assert [answer.status_code for answer in answers] == [200] * len(paths)
        return [answer.json for answer in answers]

    pool.prepare_statements = False
    plain = bodies()
    pool.prepare_statements = True
    for _ in range(2):  # the first call prepares, the second executes what was prepared
        assert bodies() == plain
    assert len(_server_prepared(ctx)) >= 10


def test_switched_off_nothing_is_prepared(build_app, plue_database_url):
    import falcon.testing

    if plue_database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's prepared statements (tools/with-postgres.sh)")
    app = build_app(database_prepared_statements=False)
    client = falcon.testing.TestClient(app)
    headers = _token(client, app.plue)
    for _ in range(2):
        assert client.simulate_get("/api/v1/repos/alice/one", headers=headers).status_code == 200
    assert _server_prepared(app.plue) == set()


def test_a_connection_the_server_ended_prepares_again(client, ctx, pool, sent,
                                                      plue_database_url):
    headers = _token(client, ctx)
    assert client.simulate_get("/api/v1/repos/alice/one", headers=headers).status_code == 200
    with connection(ctx.db):
        backend = ctx.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    admin = psycopg.connect(plue_database_url, autocommit=True)
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", (backend,))
        for _ in range(100):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (backend,))
            if cursor.fetchone()[0] == 0:
                break
    admin.close()
    sent.clear()
    result = client.simulate_get("/api/v1/repos/alice/one", headers=headers)
    assert result.status_code == 200, result.text
    assert len(sent) == 2 and all(sql.startswith("prepared ") for sql in sent), sent
    assert {sql.removeprefix("prepared ") for sql in sent} <= _server_prepared(ctx)  # anew


def _untyped():
    """``WHERE $1 IS NOT NULL``: PostgreSQL cannot infer the parameter's type, so it refuses
    to prepare it (run plain, the value is a typed literal)."""
    return CompiledSelect(lambda value: Account.select(Account.name)
                          .where(peewee.Value(value).is_null(False)).tuples(), str)


def test_a_statement_the_server_cannot_prepare_runs_as_plain_sql(ctx, pool, sent):
    untyped = _untyped()
    make_user(ctx, "alice")
    sent.clear()
    with connection(ctx.db):
        assert untyped.rows("x") == [("alice",)]
        assert untyped.rows("y") == [("alice",)]
    # Tried once (refused), then plain: the refusal is remembered.
    assert [sql.split()[0] for sql in sent] == ["prepared", "SELECT", "SELECT"], sent


def test_inside_a_transaction_a_statement_is_prepared_under_a_savepoint(ctx, pool, sent):
    # Every write runs inside a transaction (issue 13: a claim's and a push's writes), so a
    # compiled query is prepared there too; one the server refuses rolls back to the
    # savepoint and aborts nothing of the transaction. (A literal ``%`` survives: psycopg
    # turns the ``%%`` into ``%``, prepared or bound by the client.)
    untyped = _untyped()
    by_name = CompiledSelect(lambda name: Account.select().where(
        (Account.name == name) & peewee.SQL("length('%%') = 1")), str)
    make_user(ctx, "alice")
    sent.clear()
    with connection(ctx.db):
        with ctx.db.atomic():
            Account.update(full_name="Alice A.").where(Account.name == "alice").execute()
            assert untyped.rows("x") == [("alice",)]  # refused: the transaction goes on
            assert by_name.first("alice").full_name == "Alice A."
            assert by_name.first("alice").full_name == "Alice A."
        assert Account.get(Account.name == "alice").full_name == "Alice A."
        assert untyped.rows("y") == [("alice",)]  # the refusal is remembered
        with ctx.db.atomic():  # and once prepared, executed
            assert by_name.first("alice").name == "alice"
    kinds = [sql.split()[0] for sql in sent if not sql.startswith(("BEGIN", "COMMIT"))]
    assert kinds == ["UPDATE", "SAVEPOINT", "prepared", "ROLLBACK", "SELECT",
                     "SAVEPOINT", "prepared", "RELEASE", "prepared", "SELECT", "SELECT",
                     "prepared"], sent


def test_an_id_past_32_bits_finds_nothing(client, ctx, pool, sent):
    # A prepared statement's parameter once took the type of the column it met (a ``serial``
    # id is ``integer``), so a larger id failed (a 500) where plain SQL found no row; psycopg
    # sends an ``int8`` for it, which the server compares with the column.
    headers = _token(client, ctx)
    assert client.simulate_get("/api/v1/repos/alice/one", headers=headers).status_code == 200
    for repository_id in (2 ** 31, 2 ** 63 - 1):
        sent.clear()
        missing = client.simulate_get(f"/api/v1/repositories/{repository_id}", headers=headers)
        assert missing.status_code == 404, missing.text
        assert any(sql.startswith("prepared SELECT") and 'FROM "repository"' in sql
                   for sql in sent), sent
    found = client.simulate_get("/api/v1/repositories/1", headers=headers)
    assert found.status_code == 200 and found.json["full_name"] == "alice/one"
