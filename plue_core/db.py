"""The one database: a ``DatabaseProxy`` bound in ``create_app`` from ``database_url``.

``sqlite:///var/plue.db`` (relative) or ``sqlite:////abs/path.db`` is the embedded default,
opened in WAL mode with foreign keys on; ``postgresql://user:pass@host:port/name`` is the
production database, served from a connection pool.
"""

from __future__ import annotations

import contextlib
import datetime
import pathlib
import threading
import urllib.parse
import weakref
from typing import Any, Callable

import peewee
from playhouse.pool import PooledPostgresqlDatabase

from plue_core.errors import StartupError
from plue_core.private_files import private_sqlite_database

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
}


def utcnow() -> datetime.datetime:
    """The one clock: naive UTC, as stored in every DateTimeField."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class BaseModel(peewee.Model):
    """Base of every Plue model, bound late to the app's database."""

    class Meta:
        database = database
        legacy_table_names = False


def open_database(url: str, *, pool_size: int = 20) -> peewee.Database:
    """A peewee database for ``url``; the error says which URL forms are understood."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
        if not path:
            raise StartupError(f"database_url {url!r}: use sqlite:///relative.db or sqlite:////abs.db")
        if path != ":memory:":
            private_sqlite_database(pathlib.Path(path))
        return peewee.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    if parsed.scheme in ("postgres", "postgresql"):
        return PooledPostgresqlDatabase(
            parsed.path.lstrip("/"),
            user=urllib.parse.unquote(parsed.username or "") or None,
            password=urllib.parse.unquote(parsed.password or "") or None,
            host=parsed.hostname or None,
            port=parsed.port or None,
            max_connections=pool_size,
            stale_timeout=300,
            timeout=30,
        )
    raise StartupError(
        f"database_url {url!r}: unsupported scheme {parsed.scheme!r}; "
        "use sqlite:///path.db or postgresql://user:password@host:port/dbname")


def is_sqlite(db: peewee.Database) -> bool:
    db = db.obj if isinstance(db, peewee.DatabaseProxy) else db
    return isinstance(db, peewee.SqliteDatabase)


def write_transaction(db: peewee.Database = database):
    """A transaction that takes the write lock up front on SQLite (``BEGIN IMMEDIATE``), so
    read-then-write sequences such as per-repository counters never deadlock or interleave."""
    if is_sqlite(db):
        target = db.obj if isinstance(db, peewee.DatabaseProxy) else db
        if not target.in_transaction():
            return target.atomic("IMMEDIATE")
    return db.atomic()


# What a peewee cursor wrapper holds for one cursor; the rest is the row mapping.
_PER_CURSOR = frozenset({"cursor", "count", "index", "initialized", "populated", "row_cache"})


class CompiledSelect:
    """A hot SELECT whose SQL is compiled once per database; each call binds new values.

    peewee turns a query into SQL on every execution, and for a wide joined select that costs
    more than running it (issue 13: 46 % of an authenticated repository GET). ``build`` gets
    one placeholder per parameter (``str`` or ``int``, as ``kinds`` says) and returns the
    query; the placeholders' positions in the compiled parameters are remembered, and later
    calls run the same SQL with their own values, turning rows into models as peewee would.
    """

    _INT_SENTINEL = -7_318_406_219_137_000  # + position: a value no hot query holds

    def __init__(self, build: Callable[..., peewee.ModelSelect], *kinds: type):
        self._build = build
        self._kinds = kinds
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._row_mapping: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _sentinel(self, position: int) -> Any:
        if self._kinds[position] is int:
            return self._INT_SENTINEL + position
        return f"\0plue-parameter-{position}\0"

    def _compile(self, target: peewee.Database):
        with self._lock:
            found = self._compiled.get(target)
            if found is None:
                sentinels = [self._sentinel(n) for n in range(len(self._kinds))]
                query = self._build(*sentinels)
                sql, params = query.sql()
                slots = [sentinels.index(p) if p in sentinels else None for p in params]
                if {s for s in slots if s is not None} != set(range(len(sentinels))):
                    raise RuntimeError(f"CompiledSelect: a parameter is missing from {sql}")
                found = self._compiled[target] = (query, sql, params, slots)
        return found

    def rows(self, *values: Any) -> list:
        target = database.obj if isinstance(database, peewee.DatabaseProxy) else database
        query, sql, params, slots = self._compile(target)
        bound = [params[n] if slot is None else values[slot] for n, slot in enumerate(slots)]
        wrapper = query._get_cursor_wrapper(target.execute_sql(sql, bound))
        # How columns map to models and converters depends on the SQL only: work it out on
        # the first rows and reuse it (it cost as much as the query for a wide join).
        state = self._row_mapping.get(target)
        if state is not None:
            wrapper.__dict__.update(state)
            wrapper.initialized = True
        found = list(wrapper)
        if state is None and wrapper.initialized:
            self._row_mapping[target] = {key: value for key, value in vars(wrapper).items()
                                         if key not in _PER_CURSOR}
        return found

    def first(self, *values: Any):
        found = self.rows(*values)
        return found[0] if found else None

    def scalar(self, *values: Any):
        """The first column of the first row (a count), for a query built with ``.tuples()``."""
        found = self.rows(*values)
        return found[0][0] if found else None


@contextlib.contextmanager
def connection(db: peewee.Database = database):
    """Open a connection for work outside a request (CLI, jobs) and close it afterwards."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if opened and not db.is_closed():
            db.close()
