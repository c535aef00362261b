"""The database side of the hot path (issue 13): hot SELECTs compiled once, and on SQLite one
connection per request thread, opened (and its PRAGMAs set) once."""

from __future__ import annotations

import peewee
import pytest

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect, connection, is_sqlite
from plue_core.testing import basic_auth, make_user


def test_a_compiled_select_answers_as_the_query_it_compiles(ctx):
    make_user(ctx, "alice")
    make_user(ctx, "bob")
    by_name = CompiledSelect(lambda name: Account.select().where(Account.lower_name == name), str)
    with connection(ctx.db):
        for name in ("alice", "bob", "nobody"):
            expected = Account.get_or_none(Account.lower_name == name)
            found = by_name.first(name)
            assert (found and found.__data__) == (expected and expected.__data__)
        assert [a.name for a in by_name.rows("bob")] == ["bob"]


def test_a_compiled_select_compiles_once_per_database(ctx, monkeypatch):
    make_user(ctx, "alice")
    by_id = CompiledSelect(lambda id_: Account.select().where(Account.id == id_).limit(1), int)
    compiled = []
    sql = peewee.ModelSelect.sql
    monkeypatch.setattr(peewee.ModelSelect, "sql", lambda self: compiled.append(1) or sql(self))
    with connection(ctx.db):
        alice = Account.get(Account.lower_name == "alice")
        compiled.clear()
        for _ in range(3):
            assert by_id.first(alice.id).name == "alice"
    assert len(compiled) == 1


def test_a_compiled_select_refuses_a_parameter_it_does_not_use(ctx):
    unused = CompiledSelect(lambda name: Account.select().where(Account.id == 1), str)
    with connection(ctx.db), pytest.raises(RuntimeError, match="parameter is missing"):
        unused.first("alice")


def test_a_request_thread_keeps_its_sqlite_connection(client, ctx):
    if not is_sqlite(ctx.db):
        pytest.skip("PostgreSQL connections go back to the pool after each request")
    make_user(ctx, "alice")
    client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    first = ctx.db.connection()
    client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    assert ctx.db.connection() is first


def test_a_leaked_transaction_is_rolled_back_and_its_connection_closed(client, ctx, plue_app):
    """A responder that leaves a transaction open never commits it, and the next request on
    the thread starts outside any transaction."""
    make_user(ctx, "alice")

    class Leaky:
        def on_post(self, req, resp):
            ctx.db.atomic().__enter__()  # never exited
            Account.update(full_name="leaked").where(Account.lower_name == "alice").execute()
            resp.media = {}

    plue_app.add_route("/leaky", Leaky())
    assert client.simulate_post("/leaky").status_code == 200
    assert ctx.db.is_closed()
    client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    assert not ctx.db.in_transaction()
    with connection(ctx.db):
        assert Account.get(Account.lower_name == "alice").full_name != "leaked"
