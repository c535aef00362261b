"""The SQLite database Plue opens: peewee's, with one-statement writes of a process taking turns.

SQLite lets one connection write at a time. A connection that finds the write lock taken does
not wait for it to be released: its busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50,
50, 100 ms between tries (``busy_timeout``), whether the lock came free after 50 µs or not. A
write every request makes, such as RunnerHub's rate-limit count, meets that under load: the
count itself took 0.09 ms at p50 and 219 ms at p99 with 16 request threads writing one row
(bench/tail.py, docs/serving.md "Round nine: the tail"). Here the threads of one process queue
on a lock for a write outside a transaction instead, and the next one runs as soon as the last
is done; SQLite's sleeps are left for writers of other processes. A write that returns rows
(``INSERT … RETURNING``) has them read before its turn ends: SQLite commits, and lets the
next writer in, only then.

Only single statements in autocommit mode: the lock is held while SQLite runs that one statement
and never while a thread waits for anything else, so it cannot deadlock. Transactions
(``write_transaction``'s ``BEGIN IMMEDIATE``) take SQLite's lock as before.
"""

from __future__ import annotations

import threading

import peewee

# How a write statement peewee (or a compiled write) builds starts; reads never do.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class SqliteDatabase(peewee.SqliteDatabase):
    # One writer at a time per process for statements outside a transaction (see above); off,
    # every thread goes to SQLite's lock and its busy handler's sleeps as peewee's does.
    takes_turns_to_write = True
    # A write's RETURNING rows read inside execute_sql, so SQLite commits it at once; off, when
    # the caller reads them, as peewee does.
    reads_returned_rows_at_once = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._write_turn = threading.Lock()
        # No longer than SQLite itself would wait for its lock: then the same error.
        self._turn_timeout = dict(self._pragmas or ()).get("busy_timeout", 5000) / 1000

    def execute_sql(self, sql, params=None):
        if not sql.startswith(_WRITES) or self.in_transaction():
            return super().execute_sql(sql, params)
        if not self.takes_turns_to_write:
            return self._write(sql, params)
        if not self._write_turn.acquire(timeout=self._turn_timeout):
            raise peewee.OperationalError("database is locked")
        try:
            return self._write(sql, params)
        finally:
            self._write_turn.release()

    def _write(self, sql, params):
        cursor = super().execute_sql(sql, params)
        # SQLite commits an INSERT … RETURNING when its rows have been read: read them now,
        # or the write lock stays taken while the caller's Python waits for the GIL.
        if self.reads_returned_rows_at_once and " RETURNING " in sql:
            return _ReadCursor(cursor)
        return cursor


class _ReadCursor:
    """A cursor whose rows were all read (what peewee's cursor wrappers use of a cursor)."""

    def __init__(self, cursor):
        self._rows = iter(cursor.fetchall())
        # Counted by sqlite3 once the statement is done, so read after its rows.
        self.description, self.rowcount = cursor.description, cursor.rowcount
        self.lastrowid = cursor.lastrowid

    def fetchone(self):
        return next(self._rows, None)

    def fetchall(self) -> list:
        return list(self._rows)

    def __iter__(self):
        return self._rows

    def close(self) -> None:
        self._rows = iter(())

