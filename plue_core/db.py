"""The one database: a ``DatabaseProxy`` bound in ``create_app`` from ``database_url``.

``sqlite:///var/plue.db`` (relative) or ``sqlite:////abs/path.db`` is the embedded default,
opened in WAL mode with foreign keys on; ``postgresql://user:pass@host:port/name`` is the
production database, served from a connection pool.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import pathlib
import select
import sys
import threading
import time
import urllib.parse
import weakref
from typing import Any, Callable

import peewee
import psycopg
from playhouse.pool import PooledPostgresqlDatabase

from plue_core.errors import StartupError
from plue_core.private_files import private_sqlite_database
from plue_core.sqlite_database import SqliteDatabase

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


class PostgresPool(PooledPostgresqlDatabase):
    """peewee's pool on psycopg 3, without its round trip at every checkout.

    peewee pings a pooled connection (``SELECT 1``) each time a request checks it out: one of
    the four round trips of a repository GET (issue 13). A connection that was used a moment
    ago needs no ping to be known alive: if the server ended it (a restart, an administrator's
    ``pg_terminate_backend``, ``idle_session_timeout``) it sent its goodbye and closed the
    socket, which is then readable while the connection is idle, and one ``poll`` of the
    socket, no round trip, sees that. Only a connection that is readable (or idle for longer
    than ``PING_AFTER`` seconds, which a silent network drop could have cut) is pinged as
    peewee does; a dead one is discarded and the request gets a fresh connection.

    Statements run as psycopg2 ran them (``ClientCursor``: values bound into the SQL text by
    the client, several statements in one text), except the compiled hot queries
    (:meth:`prepare`), which run as psycopg 3's prepared statements: see :meth:`execute_sql`.
    """

    PING_AFTER = 30.0
    # Statements a connection keeps prepared at most (psycopg deallocates the oldest past it).
    MAX_PREPARED = 500

    def __init__(self, *args, prepare_statements: bool = True, **kwargs):
        super().__init__(*args, prefer_psycopg3=True, **kwargs)
        # Off for a pooler that hands each transaction another server session (PgBouncer's
        # transaction mode): a statement prepared on one is unknown to the next.
        self.prepare_statements = prepare_statements
        self._statements: set[str] = set()  # compiled SQL run prepared
        self._refused: set[str] = set()  # ... that the server could not prepare: run plain
        self._returned_at: dict[int, float] = {}  # connection key -> monotonic check-in time

    def _connect(self):
        conn = super()._connect()
        conn.cursor_factory = psycopg.ClientCursor
        # Only what ``execute(prepare=True)`` asks is prepared, never a query seen n times.
        conn.prepare_threshold = sys.maxsize
        conn.prepared_max = self.MAX_PREPARED
        conn.plue_prepared = set()  # compiled SQL this session prepared (none when new)
        conn.plue_cursors = {}  # compiled SQL -> the cursor that runs it
        return conn

    def cursor(self, named_cursor=None, prepared: str | None = None):
        """A plain cursor; for ``prepared`` (a compiled query's SQL) the connection's cursor
        of that statement, kept: psycopg finds each column's loader once per cursor and query,
        and a fresh cursor doubled a wide read's CPU in the driver (docs/serving.md, "Round
        eleven"). A compiled query's rows are read before it runs again (``CompiledSelect``)."""
        if not prepared:
            return super().cursor(named_cursor)
        conn = self.connection()
        found = conn.plue_cursors.get(prepared)
        if found is None:
            found = conn.plue_cursors[prepared] = _PreparedCursor(conn)
        return found

    def prepare(self, sql: str) -> None:
        """Run ``sql`` (a compiled query's, whose text never changes) as a prepared statement
        from now on: see :meth:`execute_sql`."""
        self._statements.add(sql)

    def execute_sql(self, sql, params=None):
        """A compiled query's SQL runs as a prepared statement of this thread's connection
        through psycopg 3's extended protocol: parsed and planned once per connection instead
        of on every call (planning a wide joined select took 0.3–1 ms, more than running it;
        issue 13), then each call one Bind/Execute with its values, no SQL text to parse and no
        literal to quote (docs/serving.md, "Round eleven"). Callers, query hooks and counters
        see the query's own SQL.

        The first call on a connection sends the ``Parse`` in a round trip of its own. One the
        server refuses (a parameter whose type it cannot infer) runs as plain SQL from then on;
        inside a transaction it is parsed under a savepoint
        (:meth:`_prepare_in_transaction`), so the refusal aborts nothing."""
        if sql not in self._statements or not self.prepare_statements or sql in self._refused:
            return super().execute_sql(sql, params)
        conn = self.connection()
        if sql in conn.plue_prepared:
            return self._execute_cursor(sql, params, prepared=sql)
        if self.in_transaction() or self._adapter.txn_status(conn) != self._adapter.txn_idle:
            return self._prepare_in_transaction(conn, sql, params)
        try:
            cursor = self._execute_cursor(sql, params, prepared=sql)
        except peewee.ProgrammingError as error:  # outside a transaction: nothing else was lost
            if not _refused(error):
                raise
            self._refused.add(sql)
            return super().execute_sql(sql, params)
        conn.plue_prepared.add(sql)
        return cursor

    def _prepare_in_transaction(self, conn, sql, params):
        """A compiled query first met inside a transaction (every write is, and a claim's
        locked reads): prepared and run under a savepoint, so one the server refuses rolls
        back to it and aborts nothing, and runs as plain SQL from then on. Two round trips
        more, once per connection and statement. An error of the statement itself (a unique
        violation) is left to the transaction, as it would be without the savepoint."""
        super().execute_sql("SAVEPOINT plue_prepare", ())
        try:
            cursor = self._execute_cursor(sql, params, prepared=sql)
        except peewee.ProgrammingError as error:
            if not _refused(error):
                raise
            super().execute_sql("ROLLBACK TO SAVEPOINT plue_prepare; "
                                "RELEASE SAVEPOINT plue_prepare", ())
            self._refused.add(sql)
            return super().execute_sql(sql, params)
        super().execute_sql("RELEASE SAVEPOINT plue_prepare", ())
        conn.plue_prepared.add(sql)
        return cursor

    def _is_closed(self, conn):
        if conn.closed:
            return True
        returned = self._returned_at.pop(self.conn_key(conn), None)
        if (returned is not None and time.monotonic() - returned < self.PING_AFTER
                and self._adapter.txn_status(conn) == self._adapter.txn_idle
                and not _readable(conn)):
            return False
        return super()._is_closed(conn)  # peewee's check: rollback or ``SELECT 1``

    def _close(self, conn, close_conn=False):
        with self._pool_lock:
            super()._close(conn, close_conn)
            if not conn.closed:  # back in the pool (a stale or broken one was closed)
                self._returned_at[self.conn_key(conn)] = time.monotonic()

    def _close_raw(self, conn):
        self._returned_at.pop(self.conn_key(conn), None)
        super()._close_raw(conn)


class _PreparedCursor(psycopg.Cursor):
    """psycopg 3's cursor that runs each statement prepared (bound on the server)."""

    def execute(self, query, params=None, **options):
        return super().execute(query, params, prepare=True, **options)

    def close(self):
        """Kept open for its statement's next call (peewee closes a cursor whose rows it has
        read); it ends with its connection."""


def _refused(error: Exception) -> bool:
    """Whether the server refused to parse a statement (class 42: a parameter whose type it
    cannot infer, an operator it cannot choose), which plain SQL with typed literals may
    still run."""
    # peewee raises its own error while handling the driver's: that is its context.
    return (getattr(error.__context__, "sqlstate", None) or "").startswith("42")


def _readable(conn) -> bool:
    """Whether the server sent something to an idle connection (its end, or a notice)."""
    try:
        ready, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(ready)


def open_database(url: str, *, pool_size: int = 20, create: bool = True,
                  prepare_statements: bool = True) -> peewee.Database:
    """A peewee database for ``url``; the error says which URL forms are understood.
    ``create=False`` leaves a missing SQLite file uncreated until something connects;
    ``prepare_statements`` (PostgreSQL) runs compiled queries as prepared statements."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else ""
        if not path:
            raise StartupError(f"database_url {url!r}: use sqlite:///relative.db or sqlite:////abs.db")
        if path != ":memory:" and create:
            private_sqlite_database(pathlib.Path(path))
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    if parsed.scheme in ("postgres", "postgresql"):
        # libpq's ``?host=/run/postgresql``: a server on this machine through its Unix socket
        # directory, no TCP (docs/serving.md, "Round eight: statements").
        given = dict(urllib.parse.parse_qsl(parsed.query))
        try:
            port = int(given["port"]) if "port" in given else parsed.port
        except ValueError:
            raise StartupError(f"database_url {url!r}: the port is not a number") from None
        return PostgresPool(
            parsed.path.lstrip("/"),
            user=urllib.parse.unquote(parsed.username or "") or None,
            password=urllib.parse.unquote(parsed.password or "") or None,
            host=given.get("host") or parsed.hostname or None,
            port=port or None,
            max_connections=pool_size,
            stale_timeout=300,
            timeout=30,
            prepare_statements=prepare_statements,
        )
    raise StartupError(
        f"database_url {url!r}: unsupported scheme {parsed.scheme!r}; "
        "use sqlite:///path.db, postgresql://user:password@host:port/dbname or "
        "postgresql://user@/dbname?host=/socket/directory")


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
                if isinstance(target, PostgresPool):
                    target.prepare(sql)
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
            # A value converted once per statement: a page repeats its people and labels.
            if "_plue_columns" in state:
                wrapper.process_row = functools.partial(_joined_row, wrapper, {})
            elif "_plue_object_columns" in state:
                wrapper.process_row = functools.partial(_object_row, wrapper, {})
        found = list(wrapper)
        if state is None and wrapper.initialized:
            state = {key: value for key, value in vars(wrapper).items()
                     if key not in _PER_CURSOR}
            columns = _direct_columns(wrapper)
            if columns is not None:
                state["_plue_columns"] = columns
                state["_plue_presence"] = _key_presence(wrapper)
            columns = _object_columns(wrapper)
            if columns is not None:
                state["_plue_object_columns"] = columns
            self._row_mapping[target] = state
        return found

    def first(self, *values: Any):
        found = self.rows(*values)
        return found[0] if found else None

    def scalar(self, *values: Any):
        """The first column of the first row (a count), for a query built with ``.tuples()``."""
        found = self.rows(*values)
        return found[0][0] if found else None


def _direct_columns(wrapper) -> tuple | None:
    """For a joined select's rows (peewee's ``ModelCursorWrapper``): each column's position,
    the model it fills (its key, and the key of the instance that takes it: the row's own
    model for a column of none, as peewee falls back), its name, its converter, and whether it
    is a plain field, stored into
    the row's ``__data__`` as the field's own ``__set__`` would (on a fresh instance; peewee
    clears ``_dirty`` after the row anyway). None when peewee is not the version whose
    ``process_row`` :func:`_joined_row` follows: its own is used then."""
    if type(wrapper) is not peewee.ModelCursorWrapper or not all(
            hasattr(wrapper, name) for name in _JOINED_ROW_STATE):
        return None
    plain = (peewee.FieldAccessor, peewee.ForeignKeyAccessor)
    built = {key for key, _, _ in wrapper._constructor_list}
    columns = []
    for idx, key, column, converter in wrapper._row_spec:
        target = key if key in built else wrapper.model
        constructor, is_model = wrapper.key_to_constructor.get(key, (wrapper.model, True))
        accessor = None
        if is_model:
            accessor = next((klass.__dict__[column] for klass in constructor.__mro__
                             if column in klass.__dict__), None)
        direct = type(accessor) in plain and accessor.name == column
        unchanged = _unchanged_types(converter)
        columns.append((idx, key, target, column, _cheaper(converter), unchanged,
                        type(None) in unchanged or _keeps_none(converter), _parsed(converter),
                        direct))
    return tuple(columns)


def _key_presence(wrapper) -> tuple:
    """For :func:`_joined_row`: each model's key with where to see whether the row holds it
    (peewee: any of its columns not NULL) — its primary key's position when every column of
    the key is a field of its model and the key is among them (a joined row present has its
    key, a missing outer row has every column NULL), else all its columns' positions. One
    test per model instead of one per column (3,200 of a 30-run page's 5,400 calls)."""
    positions: dict = {}
    witness: dict = {}
    plain: dict = {}
    for idx, key, _, _ in wrapper._row_spec:
        positions.setdefault(key, []).append(idx)
        field = wrapper.fields[idx]
        if isinstance(field, peewee.FieldAlias):
            field = field.field
        plain[key] = plain.get(key, True) and isinstance(field, peewee.Field)
        if isinstance(field, peewee.Field) and field is field.model._meta.primary_key:
            witness[key] = idx
    return tuple((key, witness[key] if plain[key] and key in witness else tuple(where))
                 for key, where in positions.items())


def _unchanged_types(converter) -> tuple[type, ...]:
    """The types of value a column's converter hands back unchanged: for a field converting
    with peewee's ``Field.python_value``, ``None`` (a NULL: a LEFT JOIN's missing row, an
    unset column) and, for an integer field (or a foreign key to one), ``int``, for a text
    field ``str`` (``adapt`` returns such a value as it is). The drivers hand those columns
    back in that type, so a row skips two calls per column for them (a quarter of an issue
    list's calls, issue 13; a pull GET's outer joins were a tenth of its calls in NULLs)."""
    field = getattr(converter, "__self__", None)
    # A model alias's field converts as its field; a foreign key as the key it refers to (a
    # value of its model aside).
    if isinstance(field, peewee.FieldAlias) and converter == field.python_value:
        field = field.field
        converter = field.python_value
    while type(field) is peewee.ForeignKeyField and converter == field.python_value:
        field, converter = field.rel_field, field.rel_field.python_value
    if not isinstance(field, peewee.Field) or (
            type(field).python_value is not peewee.Field.python_value):
        return ()
    adapt = type(field).adapt
    if adapt is peewee.IntegerField.adapt:
        return (int, type(None))
    if adapt is bool:  # a BooleanField: PostgreSQL's driver hands back a bool
        return (bool, type(None))
    if adapt is peewee._StringField.adapt:
        return (str, type(None))
    return (type(None),)


def _cheaper(converter):
    """A BooleanField's converter is ``bool`` of a value that is not None (its NULLs are
    skipped: ``_unchanged_types``): ``bool`` itself, one call instead of two for each of the
    twenty-odd flags of a repository row with its owner (SQLite hands back 0 or 1)."""
    field = getattr(converter, "__self__", None)
    if isinstance(field, peewee.FieldAlias) and converter == field.python_value:
        field = field.field
        converter = field.python_value
    if (type(field) is peewee.BooleanField and type(field).python_value is peewee.Field.python_value
            and converter == field.python_value):
        return bool
    return converter


def _keeps_none(converter) -> bool:
    """Whether a column's converter hands ``None`` back unchanged (peewee's own
    ``python_value``, a foreign key's included): a NULL then skips it."""
    field = getattr(converter, "__self__", None)
    if not isinstance(field, peewee.Field) or converter != field.python_value:
        return False
    while type(field) is peewee.ForeignKeyField:
        field = field.rel_field
    return type(field).python_value in (peewee.Field.python_value, peewee.UUIDField.python_value)


# Converters that parse text into an immutable value (SQLite's times, UUIDs): one statement's
# rows repeat such values (a page's poster and assignees are the same few people, its labels
# the same few), so each distinct one is parsed once per statement (issue 13).
_PARSING_FIELDS = (peewee.DateTimeField, peewee.DateField, peewee.UUIDField)


def _parsed(converter) -> bool:
    field = getattr(converter, "__self__", None)
    return isinstance(field, _PARSING_FIELDS) and converter == field.python_value and (
        type(field).python_value is peewee.Field.python_value
        or type(field).python_value is peewee.UUIDField.python_value)


_JOINED_ROW_STATE = ("_row_spec", "_constructor_list", "src_to_dest", "_dest_reachable",
                     "key_to_constructor", "fields")


def _joined_row(wrapper, memo, row):
    """peewee's ``ModelCursorWrapper.process_row`` (4.x), with a plain field's value written
    into ``__data__`` instead of through its descriptor: a wide joined row (the token with its
    account, the repository with its owner) cost a third of a repository GET in setattr calls
    (issue 13). The join graph is built exactly as peewee builds it."""
    objects = {}
    model_list = []
    for key, constructor, is_model in wrapper._constructor_list:
        if is_model:
            objects[key] = instance = constructor(__no_default__=True)
            model_list.append(instance)
        else:
            objects[key] = constructor()
    set_keys = set()
    for key, where in wrapper._plue_presence:
        if (row[where] is not None if type(where) is int
                else any(row[idx] is not None for idx in where)):
            set_keys.add(key)
    for idx, key, target, column, converter, unchanged, keeps_none, parsed, direct in (
            wrapper._plue_columns):
        instance = objects[target]
        value = row[idx]
        if value is not None:
            if converter is not None and type(value) not in unchanged:
                if parsed:  # (inline: a function call here cost a single-row read more)
                    found = memo.get((idx, value), memo)
                    if found is memo:
                        found = memo[idx, value] = converter(value)
                    value = found
                else:
                    value = converter(value)
        elif converter is not None and not keeps_none:
            value = converter(value)
        if direct:
            instance.__data__[column] = value
        elif isinstance(instance, dict):
            instance[column] = value
        else:
            setattr(instance, column, value)
    for src, attr, dest, is_dict, is_outer, is_fk in wrapper.src_to_dest:
        instance = objects.get(src)
        joined_instance = objects.get(dest)
        if joined_instance is None and dest not in objects:
            continue
        assign = False
        if dest not in set_keys and dest in wrapper._dest_reachable:
            assign = bool(wrapper._dest_reachable[dest] & set_keys)
        if dest not in set_keys and not assign:
            if is_outer:
                joined_instance = None
            else:
                continue
        if src not in set_keys and dest not in set_keys and is_outer:
            continue
        if is_dict:
            instance[attr] = joined_instance
        elif is_fk and joined_instance is None:
            instance.__rel__[attr] = None
        else:
            setattr(instance, attr, joined_instance)
    for instance in model_list:
        instance._dirty.clear()
    return objects[wrapper.model]


def _object_columns(wrapper) -> tuple | None:
    """For ``.objects()`` rows (peewee's ``ModelObjectCursorWrapper`` building a model): each
    column's position, name, converter and whether it is a plain field, in the order peewee
    sets them (unconverted columns first). None for another wrapper or constructor."""
    if type(wrapper) is not peewee.ModelObjectCursorWrapper or not getattr(
            wrapper, "is_model", False) or not all(
            hasattr(wrapper, name) for name in ("unique_columns", "no_convert", "convert")):
        return None
    plain = (peewee.FieldAccessor, peewee.ForeignKeyAccessor)
    columns = []
    for idx in (*wrapper.no_convert, *wrapper.convert):
        column = wrapper.unique_columns[idx]
        converter = wrapper.converters[idx] if idx in wrapper.convert else None
        accessor = next((klass.__dict__[column] for klass in wrapper.constructor.__mro__
                         if column in klass.__dict__), None)
        direct = type(accessor) in plain and accessor.name == column
        unchanged = _unchanged_types(converter)
        columns.append((idx, column, _cheaper(converter), unchanged,
                        type(None) in unchanged or _keeps_none(converter), _parsed(converter),
                        direct))
    return tuple(columns)


def _object_row(wrapper, memo, row):
    """peewee's ``ModelObjectCursorWrapper.process_row`` without its dict of keyword arguments
    and a descriptor call per column: a page's labels and assignees (``.objects()`` with the
    issue they belong to) cost a fifth of an issue list in ``Model.__init__`` (issue 13)."""
    instance = wrapper.constructor(__no_default__=True)
    data = instance.__data__
    for idx, column, converter, unchanged, keeps_none, parsed, direct in (
            wrapper._plue_object_columns):
        value = row[idx]
        if value is not None:
            if converter is not None and type(value) not in unchanged:
                if parsed:  # (inline: a function call here cost a single-row read more)
                    found = memo.get((idx, value), memo)
                    if found is memo:
                        found = memo[idx, value] = converter(value)
                    value = found
                else:
                    value = converter(value)
        elif converter is not None and not keeps_none:
            value = converter(value)
        if direct:
            data[column] = value
        else:
            setattr(instance, column, value)
    instance._dirty.clear()
    return instance


class CompiledIdsSelect:
    """A :class:`CompiledSelect` whose last argument is a list of ids for an ``IN``: what a
    page prefetches (the labels or assignees of its issues). The SQL of ``IN (?, ?, ...)``
    depends on the list's length, so it is compiled once per size bucket (1, 2, 4 ... 64) and
    a list is padded to its bucket by repeating its last id, which an ``IN`` matches once.
    A longer list is compiled on each call, as peewee does. ``id_kind``: ``str`` for a list
    of names (a commit's status contexts)."""

    BUCKETS = (1, 2, 4, 8, 16, 32, 64)

    def __init__(self, build: Callable[..., peewee.ModelSelect], *kinds: type,
                 id_kind: type = int):
        self._build = build
        fixed = len(kinds)
        self._by_size = {
            size: CompiledSelect(lambda *values: build(*values[:fixed], list(values[fixed:])),
                                 *kinds, *([id_kind] * size))
            for size in self.BUCKETS}

    def rows(self, *values: Any, ids) -> list:
        ids = list(ids)
        if not ids:
            return []
        size = next((size for size in self.BUCKETS if size >= len(ids)), None)
        if size is None:
            return list(self._build(*values, ids))
        return self._by_size[size].rows(*values, *ids, *[ids[-1]] * (size - len(ids)))


class CompiledWrite(CompiledSelect):
    """A hot INSERT, UPDATE or DELETE whose SQL is compiled once per database, as
    :class:`CompiledSelect` compiles a SELECT (and prepared on PostgreSQL like it): peewee
    building a write's SQL cost more than SQLite running it (issue 13: a claim's five writes,
    a push's run, branch and repository rows). ``kinds`` as for ``CompiledSelect``, or a
    model field: the value a call passes goes through that field's ``db_value`` as peewee
    would convert it (a date, a JSON document, a related row), and ``build`` gets a
    placeholder peewee leaves as it is. :meth:`execute` returns the rows changed (an
    ``UPDATE``'s or ``DELETE``'s count); a write built with ``RETURNING`` is read with
    :meth:`rows`, :meth:`first` or :meth:`scalar`."""

    def __init__(self, build: Callable[..., peewee.Query], *kinds: Any):
        self._fields = tuple(isinstance(kind, peewee.Field) for kind in kinds)
        super().__init__(lambda *sentinels: build(*self._placeholders(sentinels)),
                         *(str if field else kind for kind, field in zip(kinds, self._fields)))
        self._converters = tuple(kind.db_value if field else None
                                 for kind, field in zip(kinds, self._fields))

    def _placeholders(self, sentinels) -> list:
        # A field's value is converted by the call (below), not by peewee at compile time.
        return [peewee.Value(sentinel, converter=False, unpack=False) if field else sentinel
                for sentinel, field in zip(sentinels, self._fields)]

    def _converted(self, values) -> list:
        return [value if convert is None else convert(value)
                for value, convert in zip(values, self._converters, strict=True)]

    def rows(self, *values: Any) -> list:
        return super().rows(*self._converted(values))

    def execute(self, *values: Any) -> int:
        """Run the write; the number of rows it changed."""
        target = database.obj if isinstance(database, peewee.DatabaseProxy) else database
        _query, sql, params, slots = self._compile(target)
        values = self._converted(values)
        cursor = target.execute_sql(
            sql, [params[n] if slot is None else values[slot] for n, slot in enumerate(slots)])
        return cursor.rowcount


# Writes compiled once per model and shape, for the helpers below: bounded (a shape is a
# model's set of fields and a number of rows, a handful per hot path).
_COMPILED_WRITES: dict[tuple, CompiledWrite] = {}
_COMPILED_WRITES_MAX = 256
# More rows than this in one INSERT: compiled on each call, as peewee does.
_COMPILED_INSERT_ROWS = 8


def _compiled_write(key: tuple, make: Callable[[], CompiledWrite]) -> CompiledWrite | None:
    found = _COMPILED_WRITES.get(key)
    if found is None and len(_COMPILED_WRITES) < _COMPILED_WRITES_MAX:
        found = _COMPILED_WRITES.setdefault(key, make())
    return found


def _compiled_insert(model, names: tuple, count: int) -> CompiledWrite | None:
    """``INSERT … VALUES (…), … RETURNING id`` of ``count`` rows of ``names``. None (peewee
    builds it) when the model would add a column of its own: a default for a field the rows
    lack would be frozen into the compiled SQL."""
    if count > _COMPILED_INSERT_ROWS or any(
            field.name not in names for field in model._meta.defaults):
        return None
    fields = [model._meta.fields[name] for name in names]

    def build(*values):
        width = len(fields)
        return (model.insert_many([dict(zip(fields, values[row * width:(row + 1) * width]))
                                   for row in range(count)])
                .returning(model._meta.primary_key).tuples())
    return _compiled_write(("insert", model, names, count),
                           lambda: CompiledWrite(build, *fields * count))


def create_row(model, **fields):
    """``model.create(**fields)``, its ``INSERT`` compiled once per set of fields
    (:func:`insert_rows` of one row)."""
    return insert_rows([model(**fields)])[0]


def update_row(model, row_id: int, **changes) -> int:
    """``model.update(**changes).where(model.id == row_id)``, compiled once per set of
    changed fields; the rows changed (0 or 1)."""
    names = tuple(sorted(changes))
    fields = [model._meta.fields[name] for name in names]
    primary = model._meta.primary_key
    write = _compiled_write(("update", model, names), lambda: CompiledWrite(
        lambda row, *values: model.update(dict(zip(fields, values))).where(primary == row),
        int, *fields))
    if write is None:
        return model.update(**changes).where(primary == row_id).execute()
    return write.execute(row_id, *(changes[name] for name in names))


def insert_rows(instances: list, chunk: int = 200) -> list:
    """Insert unsaved model instances of one model, built with the same fields, in one
    statement per ``chunk`` (a run's jobs, a task's steps: one row each, ``create`` was one
    statement each), and give each its new id, as ``create`` would. The ids come back with
    ``RETURNING`` and are matched to the rows in ascending order: SQLite inserts a
    ``VALUES`` list in order under its write lock, and PostgreSQL draws a row's serial in
    that order from a sequence that only ascends, whoever else inserts at the same time.
    Up to eight rows, the statement is compiled once per model, fields and number of rows
    (:class:`CompiledWrite`)."""
    if not instances:
        return instances
    model = type(instances[0])
    primary = model._meta.primary_key
    for start in range(0, len(instances), chunk):
        part = instances[start:start + chunk]
        rows = [instance.__data__ for instance in part]
        if any(row.keys() != rows[0].keys() for row in rows):
            raise ValueError("insert_rows: the rows do not have the same fields")
        names = tuple(rows[0])
        compiled = _compiled_insert(model, names, len(rows))
        if compiled is not None:
            returned = compiled.rows(*(row[name] for row in rows for name in names))
        else:
            returned = model.insert_many(rows).returning(primary).tuples().execute()
        ids = sorted(row[0] for row in returned)
        for instance, new_id in zip(part, ids, strict=True):
            setattr(instance, primary.name, new_id)
            instance._dirty.clear()
    return instances


# --- rows carried by another read, as one JSON value --------------------------------------------


def json_rows(query: peewee.ModelSelect, source) -> peewee.Node:
    """``query``'s rows of ``source`` (a model or an alias of one: every column, in ``query``'s
    order) as one JSON array of arrays: a column of an outer read, so the issue GET reads its
    labels and assignees with the issue (each statement is a round trip on PostgreSQL, issue
    13). :func:`rows_from_json` turns it back into models. SQLite 3.40 has no ORDER BY inside
    an aggregate: its rows come ordered from a subquery; PostgreSQL orders inside ``json_agg``
    (which gives NULL for no rows, SQLite ``[]``). The dialect is the bound database's, as a
    :class:`CompiledSelect` compiles per database."""
    columns = [getattr(source, field.name) for field in _model_of(source)._meta.sorted_fields]
    if is_sqlite(database):
        rows = query.select(peewee.fn.json_array(*columns).alias("json_row")).alias("json_rows")
        return peewee.Select([rows], [peewee.fn.json_group_array(peewee.fn.json(rows.c.json_row))])
    row = peewee.fn.json_build_array(*columns)
    if query._order_by:
        row = peewee.NodeList((row, peewee.SQL("ORDER BY"), peewee.CommaNodeList(query._order_by)))
    return query.select(peewee.fn.json_agg(row)).order_by()


def rows_from_json(value, model) -> list:
    """The ``model`` instances of a :func:`json_rows` column's value (text on SQLite, already
    parsed by psycopg on PostgreSQL), each as a read of its row would have made it. Times
    are ISO text in JSON (``T`` between date and time on PostgreSQL)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    converters = _json_converters(model)
    found = []
    for values in value:
        instance = model(__no_default__=True)
        instance.__data__ = {name: item if item is None or convert is None else convert(item)
                             for (name, convert), item in zip(converters, values, strict=True)}
        found.append(instance)
    return found


def _model_of(source):
    return source.model if isinstance(source, peewee.ModelAlias) else source


@functools.cache
def _json_converters(model) -> tuple:
    """Each column's name and how its JSON value becomes the field's (None: as it is)."""
    converters = []
    for field in model._meta.sorted_fields:
        target = field
        while isinstance(target, peewee.ForeignKeyField):  # holds the key it refers to
            target = target.rel_field
        converters.append((field.name, _json_converter(target)))
    return tuple(converters)


def _json_converter(field):
    if isinstance(field, peewee.DateTimeField):
        return datetime.datetime.fromisoformat
    if isinstance(field, (peewee.IntegerField, peewee._StringField)) and (
            type(field).python_value is peewee.Field.python_value):
        return None  # JSON gives an int, a str
    return field.python_value


@contextlib.contextmanager
def connection(db: peewee.Database = database):
    """Open a connection for work outside a request (CLI, jobs) and close it afterwards."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if opened and not db.is_closed():
            db.close()
