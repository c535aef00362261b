"""One-statement SQLite writes of one process take turns (plue_core.sqlite_database): a thread
waits for the one writing, not in SQLite's busy handler, and an INSERT … RETURNING is committed
(its write lock free) by the time execute_sql returns."""

import threading

import pytest

from plue_core.db import open_database
from plue_core.sqlite_database import SqliteDatabase

COUNT_HIT = ("INSERT INTO hits (bucket, n) VALUES (?, 1) ON CONFLICT (bucket) "
             "DO UPDATE SET n = n + 1 RETURNING n")


@pytest.fixture
def db(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'turns.db'}")
    with db.connection_context():
        db.execute_sql("CREATE TABLE hits (bucket TEXT PRIMARY KEY, n INTEGER)")
    yield db
    db.close()


@pytest.fixture(params=[True, False], ids=["turns", "sqlite"])
def turns(request, monkeypatch):
    monkeypatch.setattr(SqliteDatabase, "takes_turns_to_write", request.param)
    return request.param


@pytest.fixture(params=[True, False], ids=["read at once", "read by the caller"])
def read_at_once(request, monkeypatch):
    monkeypatch.setattr(SqliteDatabase, "takes_turns_to_write", False)
    monkeypatch.setattr(SqliteDatabase, "reads_returned_rows_at_once", request.param)
    return request.param


def test_a_returning_write_is_committed_before_its_rows_are_read(db, tmp_path, read_at_once):
    cursor = db.execute_sql(COUNT_HIT, ("user:1",))  # its rows not read yet, as peewee leaves it
    other = open_database(f"sqlite:///{tmp_path / 'turns.db'}")
    other._pragmas = [*other._pragmas, ("busy_timeout", 0)]  # no wait: a taken lock is an error
    try:
        if read_at_once:
            other.execute_sql(COUNT_HIT, ("user:2",))
        else:  # peewee's way: the first write holds SQLite's lock until its rows are read
            with pytest.raises(Exception, match="locked"):
                other.execute_sql(COUNT_HIT, ("user:2",))
    finally:
        other.close()
    assert cursor.fetchone() == (1,)


def test_a_thread_waits_for_the_writing_one_before_its_statement_starts(db, turns):
    """The second writer's statement does not start (so never sleeps in SQLite's busy
    handler) while the first one's is running; it runs once that one is done."""
    writing, finish, started = threading.Event(), threading.Event(), threading.Event()

    def slow(value):  # runs inside the first writer's statement, SQLite's lock taken
        writing.set()
        finish.wait(10)
        return value

    def first():
        db.connection().create_function("slow", 1, slow)
        db.execute_sql("INSERT INTO hits (bucket, n) VALUES ('first', slow(1))")
        db.close()

    def second():
        db.connection().set_trace_callback(lambda statement: started.set())
        db.execute_sql(COUNT_HIT, ("second",)).fetchall()
        db.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert writing.wait(10)
    threads[1].start()
    started_meanwhile = started.wait(0.5)
    finish.set()
    for thread in threads:
        thread.join(10)
    assert started_meanwhile is not turns
    assert started.is_set()
    with db.connection_context():
        assert db.execute_sql("SELECT bucket, n FROM hits ORDER BY bucket").fetchall() == [
            ("first", 1), ("second", 1)]


def test_a_write_inside_a_transaction_does_not_take_a_turn(db):
    """A transaction holds SQLite's lock from its BEGIN IMMEDIATE to its COMMIT: its writes go
    straight to SQLite, so no thread ever holds a turn while it waits for anything else."""
    db._write_turn.acquire()
    try:
        with db.atomic("IMMEDIATE"):
            db.execute_sql(COUNT_HIT, ("in a transaction",))
    finally:
        db._write_turn.release()
    with db.connection_context():
        assert db.execute_sql("SELECT n FROM hits").fetchall() == [(1,)]
