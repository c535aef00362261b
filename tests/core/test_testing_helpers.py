"""The helpers plue_core.testing ships for plugin authors: a per-user API client, an event
recorder, and the statement and compilation recorders that count what a request sends to the
database (the plugins' own tests use them everywhere; these pin what they promise)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import falcon.testing
import peewee
import pytest

from plue_core import hookimpl
from plue_core.accounts.models import Account
from plue_core.db import connection, is_sqlite
from plue_core.events import Event
from plue_core.testing import (TOKEN_TOUCH, EventRecorder, UserApi, compiled_queries, make_user,
                               query_plan, recorded_statements, sql_built_by_peewee)


@dataclasses.dataclass
class World(UserApi):
    client: falcon.testing.TestClient
    default_user = "alice"


def test_user_api_calls_as_the_default_user_a_named_one_a_token_or_nobody(build_app):
    app = build_app()
    make_user(app.plue, "alice")
    make_user(app.plue, "bob")
    world = World(falcon.testing.TestClient(app))

    assert world.get("/user").json["login"] == "alice"
    assert world.get("/user", as_user="bob").json["login"] == "bob"
    assert world.get("/user", as_user=world.token("bob", "read:user")).json["login"] == "bob"
    assert world.get("/user", as_user=None).status_code == 401
    created = world.post("/user/repos", {"name": "demo"})
    assert created.status_code == 201 and created.json["full_name"] == "alice/demo"


@dataclasses.dataclass(frozen=True)
class Knocked(Event):
    name: ClassVar[str] = "probe.knocked"
    door: str


class Publisher:
    PLUE_NAME = "publisher"

    @hookimpl
    def register_events(self):
        return [Knocked]


def test_the_event_recorder_hears_events_filters_them_and_can_refuse_one(build_app):
    recorder = EventRecorder()
    app = build_app(Publisher(), recorder)
    app.plue.events.publish(Knocked(door="front"))
    app.plue.events.publish(Knocked(door="back"))
    assert [e.door for e in recorder.of("probe.knocked")] == ["front", "back"]
    assert [e.door for e in recorder.of("probe.knocked", door="back")] == ["back"]

    recorder.fail_on = "probe.knocked"
    with pytest.raises(RuntimeError, match="listener refuses probe.knocked"):
        app.plue.events.publish(Knocked(door="side"))
    assert len(recorder.events) == 2


def test_the_statement_recorder_records_in_order_then_takes_itself_off(ctx):
    db = ctx.db
    select = f"SELECT 1 WHERE 1 = {db.param}"
    touch = TOKEN_TOUCH + " SET last_used_at = NULL WHERE id = 0"
    with connection(db):
        with recorded_statements(db) as everything, \
                recorded_statements(db, with_params=True, without_token_touches=True) as inner:
            db.execute_sql(select, (1,))
            db.execute_sql(touch)
            make_user(ctx, "alice")
        db.execute_sql(select, (2,))  # after the block: recorded by no one
    assert everything[:2] == [select, touch]
    assert any(sql.startswith('INSERT INTO "account"') for sql in everything[2:]), everything
    assert inner[0] == (select, (1,)) and touch not in [sql for sql, _ in inner]
    assert [sql for sql, _ in inner] == [everything[0]] + everything[2:]
    assert "execute_sql" not in vars(db)  # the database's own method again


def test_the_statement_recorder_is_taken_off_when_the_block_fails(ctx):
    with pytest.raises(RuntimeError), recorded_statements(ctx.db):
        raise RuntimeError("the block failed")
    assert "execute_sql" not in vars(ctx.db)


def test_the_compilation_recorder_sees_what_peewee_compiles_not_what_was_compiled_before(ctx):
    make_user(ctx, "alice")
    with connection(ctx.db), compiled_queries(ctx.db) as compiled:
        assert Account.select().where(Account.lower_name == "alice").count() == 1
        ctx.db.execute_sql("SELECT 1")  # SQL already made: nothing compiled
    assert compiled == [Account]
    assert "execute" not in vars(ctx.db)


def test_the_built_sql_recorder_sees_the_sql_peewee_builds_then_takes_itself_off(ctx):
    building = peewee.Context.query
    with sql_built_by_peewee() as built:
        sql, _ = Account.select().where(Account.lower_name == "alice").sql()
    assert built == [sql] and peewee.Context.query is building


def test_a_query_plan_names_the_index_a_statement_enters_through(ctx):
    if not is_sqlite(ctx.db):
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    make_user(ctx, "alice")
    by_name = Account.select().where(Account.lower_name == "alice")
    sql, params = by_name.sql()
    plan = query_plan(ctx.db, sql, params)
    assert len(plan) == 1 and plan[0].startswith("SEARCH") and "INDEX" in plan[0], plan
    assert query_plan(ctx.db, 'SELECT * FROM "account"') == ["SCAN account"]
