"""A hot write's SQL compiled once (``CompiledWrite``, ``create_row``, ``update_row``, and
``insert_rows`` of a few rows): the rows written are those peewee writes — a field's value
converted as peewee converts it (a date, a JSON document, a related row), a model's defaults
filled in — and a second call builds no SQL (issue 13, push-to-pickup: a push's and a claim's
writes). On PostgreSQL they run prepared, a write inside a transaction included."""

from __future__ import annotations

import datetime

import peewee
import pytest

from plue_actions.models import Run, RunAttempt
from plue_core.db import (_COMPILED_INSERT_ROWS, CompiledWrite, connection, create_row,
                          insert_rows, is_sqlite, update_row, write_transaction)
from plue_core.testing import sql_built_by_peewee


@pytest.fixture
def built_by_peewee():
    with sql_built_by_peewee() as built:
        yield built


def _run(number: int, **fields) -> dict:
    return dict(repository_id=1, owner_id=1, number=number, workflow_id="ci.yml", event="push",
                event_payload={"ref": "refs/heads/main", "n": number}, **fields)


def _row(model, row_id) -> dict:
    return dict(model.get_by_id(row_id).__data__)


def test_create_row_writes_what_create_writes_and_builds_its_sql_once(ctx, built_by_peewee):
    when = datetime.datetime(2026, 12, 6, 22, 0, 0, 123456)
    with connection(ctx.db), write_transaction(ctx.db):
        by_peewee = Run.create(**_run(1, started=when))
        built_by_peewee.clear()
        first = create_row(Run, **_run(2, started=when))
        second = create_row(Run, **_run(3, started=when))
        attempt = create_row(RunAttempt, run=second, attempt=1, trigger_user_id=None)
    assert len(built_by_peewee) == 2  # the run's INSERT and the attempt's, built once each
    assert first.id == by_peewee.id + 1 and second.id == first.id + 1
    assert not first._dirty and not second._dirty
    expected = _row(Run, by_peewee.id)
    for row, number in ((first, 2), (second, 3)):
        stored = _row(Run, row.id)
        assert stored["event_payload"] == {"ref": "refs/heads/main", "n": number}  # JSON
        assert stored["started"] == when  # the date as peewee stores it
        assert {k: v for k, v in stored.items() if k not in ("id", "number", "event_payload",
                                                             "created", "updated")} == \
            {k: v for k, v in expected.items() if k not in ("id", "number", "event_payload",
                                                            "created", "updated")}
    assert _row(RunAttempt, attempt.id)["run"] == second.id  # a related row: its id


def test_insert_rows_of_a_few_rows_is_compiled_per_size_and_gives_each_its_id(
        ctx, built_by_peewee):
    with connection(ctx.db), write_transaction(ctx.db):
        first = insert_rows([Run(**_run(n)) for n in (1, 2, 3)])
        again = insert_rows([Run(**_run(n)) for n in (4, 5, 6)])
        many = insert_rows([Run(**_run(n)) for n in range(7, 8 + _COMPILED_INSERT_ROWS)])
        many_again = insert_rows([Run(**_run(n)) for n in range(20, 21 + _COMPILED_INSERT_ROWS)])
    # Three rows: built once. Past the compiled sizes: built by peewee on every call.
    assert len(built_by_peewee) == 3, built_by_peewee
    for run in first + again + many + many_again:
        assert Run.get_by_id(run.id).number == run.number


def test_a_default_the_rows_lack_is_never_frozen_into_compiled_sql(ctx, built_by_peewee):
    # ``__no_default__``: rows without the model's defaults; peewee fills them in per call
    # (``created`` is the clock), so such an insert is not compiled.
    fields = _run(1)
    with connection(ctx.db), write_transaction(ctx.db):
        for number in (1, 2):
            run = Run(__no_default__=True, **{**fields, "number": number})
            insert_rows([run])
    assert len(built_by_peewee) == 2
    assert Run.get_by_id(run.id).created is not None


def test_update_row_changes_one_row_and_says_so(ctx, built_by_peewee):
    when = datetime.datetime(2026, 12, 6, 23, 0, 0)
    with connection(ctx.db), write_transaction(ctx.db):
        one, two = Run.create(**_run(1)), Run.create(**_run(2))
        built_by_peewee.clear()
        assert update_row(Run, one.id, status=6, started=when) == 1
        assert update_row(Run, two.id, started=when, status=5) == 1  # same fields, any order
        assert update_row(Run, 10 ** 6, status=6, started=when) == 0
        assert update_row(Run, two.id, event_payload={"a": [1]}) == 1
    assert len(built_by_peewee) == 2  # one per set of fields changed
    assert (Run.get_by_id(one.id).status, Run.get_by_id(one.id).started) == (6, when)
    assert Run.get_by_id(two.id).status == 5 and Run.get_by_id(two.id).event_payload == {"a": [1]}


def test_a_compiled_write_counts_its_rows_and_returns_what_it_returns(ctx):
    close = CompiledWrite(lambda status, number: Run.update(status=status).where(
        (Run.number <= number) & (Run.status != status)), int, int)
    stamped = CompiledWrite(lambda run_id, when: Run.update(stopped=when).where(
        Run.id == run_id).returning(Run.stopped).tuples(), int, Run.stopped)
    when = datetime.datetime(2026, 1, 2, 3, 4, 5)
    with connection(ctx.db), write_transaction(ctx.db):
        runs = [Run.create(**_run(n)) for n in (1, 2, 3)]
        assert close.execute(6, 2) == 2
        assert close.execute(6, 3) == 1
        assert close.execute(6, 3) == 0
        returned = stamped.scalar(runs[0].id, when)
    assert returned == when or returned == str(when)  # SQLite returns the stored text
    assert Run.get_by_id(runs[0].id).stopped == when


def test_a_failed_compiled_write_leaves_the_transaction_as_peewee_does(ctx):
    with connection(ctx.db):
        Run.create(**_run(1))
        with pytest.raises(peewee.IntegrityError):
            with write_transaction(ctx.db):
                create_row(Run, **_run(2))
                create_row(Run, **_run(1))  # the repository's number 1 again
        assert [run.number for run in Run.select()] == [1]  # nothing of it stayed
        with write_transaction(ctx.db):
            create_row(Run, **_run(2))  # and the compiled insert still works
        assert sorted(run.number for run in Run.select()) == [1, 2]


def test_on_postgresql_a_write_in_a_transaction_runs_prepared(ctx):
    if is_sqlite(ctx.db):
        pytest.skip("PostgreSQL's prepared statements (tools/with-postgres.sh)")
    target = ctx.db.obj if hasattr(ctx.db, "obj") else ctx.db
    sent: list[str] = []
    execute_cursor = target._execute_cursor
    target._execute_cursor = lambda sql, params, **options: (
        sent.append(f"prepared {sql}" if options.get("prepared") else sql)
        or execute_cursor(sql, params, **options))
    try:
        with connection(ctx.db):
            with pytest.raises(RuntimeError), ctx.db.atomic():
                create_row(Run, **_run(1))
                raise RuntimeError("rolled back after the statement was prepared")
            assert Run.select().count() == 0
            with ctx.db.atomic():  # known to prepare: no savepoint again
                create_row(Run, **_run(2))
                assert update_row(Run, Run.get().id, status=6) == 1
    finally:
        del target._execute_cursor
    assert Run.get().status == 6
    writes = [sql for sql in sent if "action_run" in sql or "SAVEPOINT" in sql]
    # Prepared under a savepoint; after the rollback run prepared at once.
    assert [sql.split()[0] for sql in writes] == [
        "SAVEPOINT", "prepared", "RELEASE", "SELECT", "prepared", "SELECT",
        "SAVEPOINT", "prepared", "RELEASE"], sent


def test_on_postgresql_a_write_whose_first_call_failed_is_executed_prepared_after(ctx):
    # Its first call outside a transaction was prepared and then failed (a unique violation):
    # an error of the statement, not the server refusing to prepare it, so the next call
    # prepares it again and it runs prepared from then on.
    if is_sqlite(ctx.db):
        pytest.skip("PostgreSQL's prepared statements (tools/with-postgres.sh)")
    target = ctx.db.obj if hasattr(ctx.db, "obj") else ctx.db
    with connection(ctx.db):
        Run.create(**_run(1))
        with pytest.raises(peewee.IntegrityError):
            create_row(Run, **_run(1))
        assert create_row(Run, **_run(2)).number == 2
        assert create_row(Run, **_run(3)).number == 3
    inserts = [sql for sql in target._statements if sql.startswith('INSERT INTO "action_run"')]
    assert len(inserts) == 1 and inserts[0] not in target._refused
    assert sorted(run.number for run in Run.select()) == [1, 2, 3]
