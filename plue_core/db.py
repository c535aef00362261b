"""The one database: a ``DatabaseProxy`` bound in ``create_app`` from ``database_url``.

``sqlite:///var/plue.db`` (relative) or ``sqlite:////abs/path.db`` is the embedded default,
opened in WAL mode with foreign keys on; ``postgresql://user:pass@host:port/name`` is the
production database, served from a connection pool.
"""

from __future__ import annotations

import contextlib
import datetime
import pathlib
import urllib.parse

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


@contextlib.contextmanager
def connection(db: peewee.Database = database):
    """Open a connection for work outside a request (CLI, jobs) and close it afterwards."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if opened and not db.is_closed():
            db.close()
