"""Test helpers that ship with Plue, for its own tests and for third-party plugin authors.

Use as a pytest plugin (``pytest_plugins = ["plue_core.testing"]``) to get the fixtures:

* ``plue_config`` - a :class:`Config` on a fresh database: a temporary SQLite file, or, when
  ``PLUE_TEST_DATABASE_URL`` points at a PostgreSQL server, a fresh database created on it.
* ``plue_app`` / ``client`` - the migrated app and a ``falcon.testing.TestClient`` over it.
* ``build_app(*plugin_objects, **config_overrides)`` - more apps, with extra plugins or settings.
* ``live_server`` - the real gunicorn server on a free port (end-to-end tests); its
  ``.url``, ``.config_path`` and ``.data_dir``.

* ``docker_engine`` (session) - the real Docker engine with :data:`BUSYBOX_IMAGE`; skips, saying
  so loudly, where no engine can be started.

Plain helpers: :func:`make_user`, :func:`basic_auth`, :func:`token_auth`,
:func:`pilot_bearer`,
:func:`assert_migrations_match_models` (the migrated tables are what the models declare),
:class:`EventRecorder` (a plugin that records the events published), :class:`UserApi` (API
calls as a named user), :func:`recorded_statements` (the SQL a block sends, to count it),
:func:`compiled_queries` (what peewee compiles while a block runs), :func:`sql_built_by_peewee`
(the SQL texts it builds), :func:`query_plan`
(SQLite's plan of a statement), :func:`interleave_transactions` (two transactions overlapping),
:func:`service_pass_throughs` (a service's methods that only hand their arguments on).
"""

from __future__ import annotations

import ast
import base64
import contextlib
import dataclasses
import inspect
import os
import pathlib
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.parse
import urllib.request
import uuid
from typing import Any, Iterator

import pytest

from plue_core import hookimpl
from plue_core.config import Config, load_config

TEST_DATABASE_ENV = "PLUE_TEST_DATABASE_URL"
# A directory where each test process notes the test modules that asked for the database
# server (tools/run-tests.sh: the PostgreSQL run is of those modules).
DATABASE_READERS_ENV = "PLUE_TEST_DATABASE_READERS"
DEFAULT_PASSWORD = "correct-horse-battery"
# The tiny image the container tests run (tools/docker-test-engine.sh builds it with
# `docker import` from Debian's busybox-static: no registry is needed).
BUSYBOX_IMAGE = "plue-busybox:latest"
_DOCKER_SETUP = pathlib.Path(__file__).resolve().parents[1] / "tools" / "docker-test-engine.sh"


def test_database_server() -> str | None:
    """The PostgreSQL server the tests run on (``PLUE_TEST_DATABASE_URL``), None for SQLite.
    Every test asks here — it is the one way a test's behaviour depends on the database run —
    so a module that never asks behaves the same in both runs: `make test` runs on PostgreSQL
    only the modules that asked during the SQLite run (noted under ``DATABASE_READERS_ENV``)."""
    readers = os.environ.get(DATABASE_READERS_ENV)
    if readers:
        _note_reader(pathlib.Path(readers))
    return os.environ.get(TEST_DATABASE_ENV) or None


# Not a test, though test modules import it by this name.
test_database_server.__test__ = False


def _note_reader(directory: pathlib.Path) -> None:
    """The asking test's module (pytest's current test, or at import time the test module
    being imported), one line in this process's file."""
    current = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[0]
    if not current:
        frame = sys._getframe(2)
        while frame is not None and not pathlib.Path(frame.f_code.co_filename).name.startswith("test_"):
            frame = frame.f_back
        if frame is None:
            return
        current = os.path.relpath(frame.f_code.co_filename)
    with open(directory / f"{os.getpid()}.txt", "a") as noted:
        noted.write(current + "\n")


def database_reading_modules(directory: pathlib.Path) -> list[str]:
    """The test modules the processes noted under ``directory``, once each, sorted."""
    found = set()
    for noted in directory.glob("*.txt"):
        found.update(line for line in noted.read_text().splitlines() if line)
    return sorted(found)


@contextlib.contextmanager
def fresh_database_url(tmp_path: pathlib.Path, *, create: bool = True) -> Iterator[str]:
    """A database URL nobody else uses, dropped afterwards (PostgreSQL) or in ``tmp_path``.
    ``create=False`` (PostgreSQL) only names the database: whoever first needs it creates it
    (:meth:`MigratedTemplates.create`), and it is dropped afterwards if it was."""
    server = test_database_server()
    if not server:
        yield f"sqlite:///{tmp_path}/plue.db"
        return
    import psycopg

    name = f"plue_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(server, autocommit=True)
    if create:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    parsed = urllib.parse.urlparse(server)
    try:
        yield urllib.parse.urlunparse(parsed._replace(path=f"/{name}"))
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def testing_overrides(tmp_path: pathlib.Path, database_url: str, **extra: Any) -> dict:
    """Config overrides for tests: cheap bcrypt, scheduler and daemons off (no listener such as
    the SSH server unless a test asks for it), only built-in plugins."""
    overrides: dict[str, Any] = {
        "data_dir": str(tmp_path / "data"),
        "database_url": database_url,
        "scheduler": {"mode": "off"},
        "daemons": {"mode": "off"},
        "accounts": {"bcrypt_rounds": 4},
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(overrides.get(key), dict):
            overrides[key] = {**overrides[key], **value}
        else:
            overrides[key] = value
    return overrides


def make_test_config(tmp_path: pathlib.Path, database_url: str, **extra: Any) -> Config:
    return load_config(overrides=testing_overrides(tmp_path, database_url, **extra), environ={})


def migrate(app_or_ctx) -> None:
    from plue_core import migrations
    from plue_core.db import connection

    ctx = getattr(app_or_ctx, "plue", app_or_ctx)
    with connection(ctx.db):
        migrations.migrate(ctx.db, ctx.plugins.migration_sources(), report=lambda _: None)


class MigratedTemplates:
    """Migrating a test's empty database costs a second on PostgreSQL (hundreds of DDL
    statements) and a third of one on SQLite; copying a migrated one costs milliseconds. The
    first app of each set of migration scripts is migrated as usual and its database kept as a
    template (``CREATE DATABASE ... TEMPLATE`` / SQLite's backup); the next empty database of
    the same scripts is made a copy of it before :func:`migrate` runs (and finds nothing to do).
    Anything unusual (a database already holding tables, a connection in the way) falls back to
    migrating: the copy is only ever what migrating would have built."""

    def __init__(self, directory: pathlib.Path):
        self.directory = directory  # SQLite's templates
        self.templates: dict[tuple, str] = {}  # (server, scripts) -> template database
        # PostgreSQL test databases only named so far (``plue_database_url`` when nothing but
        # plue_app/build_app uses it): created by the first app that needs them, straight
        # from its template: one CREATE DATABASE instead of an empty one, a DROP and a copy.
        self.uncreated: set[str] = set()

    def migrate(self, app) -> None:
        ctx = app.plue
        url = ctx.config.database_url
        if url.startswith("sqlite:") and not _sqlite_path(url).startswith("/"):
            migrate(app)  # in memory, or a relative path: not a file of this test's own
            return
        key = (_server_of(url), tuple(map(tuple, ctx.plugins.migration_sources())))
        template = self.templates.get(key)
        if url in self.uncreated:
            empty = not self.create(url, template)
        else:
            empty = _is_empty(url)
            if template and empty:
                _restore(ctx.db, template, url)
        migrate(app)
        # Only what migrating built from nothing is a template: a database that held an
        # earlier app's tables (another set of plugins) would hand them to the next test.
        if template is None and empty:
            kept = _keep_as_template(ctx.db, url, self.directory)
            if kept:  # else someone was connected: the next app of these scripts tries again
                self.templates[key] = kept

    def create(self, url: str, template: str | None = None) -> bool:
        """Create the database of ``url`` if it is only named yet: a copy of ``template``, or
        else empty. True when it is now such a copy."""
        if url not in self.uncreated:
            return False
        self.uncreated.discard(url)
        name = _database_name(url)
        with _admin(_server_of(url)) as admin:
            if template:
                try:
                    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                    return True
                except Exception:  # noqa: BLE001 - someone is connected to it: migrate as usual
                    pass
            admin.execute(f'CREATE DATABASE "{name}"')
        return False

    def drop(self) -> None:
        for (server, _), template in self.templates.items():
            if template and server != "sqlite":
                with _admin(server) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        self.templates.clear()


def _server_of(url: str) -> str:
    if url.startswith("sqlite:"):
        return "sqlite"
    parsed = urllib.parse.urlparse(url)
    return urllib.parse.urlunparse(parsed._replace(path="/postgres"))


def _sqlite_path(url: str) -> str:
    return url[len("sqlite:///"):]


def _database_name(url: str) -> str:
    return urllib.parse.urlparse(url).path.lstrip("/")


@contextlib.contextmanager
def _admin(server_url: str):
    import psycopg

    admin = psycopg.connect(server_url, autocommit=True)
    try:
        with admin.cursor() as cursor:
            yield cursor
    finally:
        admin.close()


def _is_empty(url: str) -> bool:
    if url.startswith("sqlite:"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(_sqlite_path(url))) as conn:
            return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    with _admin(url) as cursor:
        cursor.execute("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                       " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
                       " AND n.nspname NOT LIKE 'pg_toast%'")
        return cursor.fetchone()[0] == 0


def _restore(db, template: str, url: str) -> None:
    """Make the (empty) database of ``url`` a copy of ``template``, or leave it as it was."""
    if url.startswith("sqlite:"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(template)) as source, \
                contextlib.closing(sqlite3.connect(_sqlite_path(url))) as target:
            source.backup(target)
        return
    if not db.is_closed():
        db.close()
    if hasattr(db, "close_all"):
        db.close_all()
    name = _database_name(url)
    with _admin(_server_of(url)) as admin:
        try:
            admin.execute(f'DROP DATABASE "{name}"')  # refused while anyone is connected
        except Exception:  # noqa: BLE001 - then migrate as usual
            return
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _keep_as_template(db, url: str, directory: pathlib.Path) -> str:
    """A copy of the just-migrated database of ``url``: a file path or a database name."""
    if url.startswith("sqlite:"):
        import sqlite3

        path = str(directory / f"template-{uuid.uuid4().hex[:12]}.db")
        with contextlib.closing(sqlite3.connect(_sqlite_path(url))) as source, \
                contextlib.closing(sqlite3.connect(path)) as target:
            source.backup(target)
        return path
    if not db.is_closed():
        db.close()
    if hasattr(db, "close_all"):
        db.close_all()
    name = f"plue_template_{uuid.uuid4().hex[:12]}"
    with _admin(_server_of(url)) as admin:
        try:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_database_name(url)}"')
        except Exception:  # noqa: BLE001 - someone is connected: no template for these scripts
            return ""
    return name


def assert_migrations_match_models(app_or_ctx) -> None:
    """Fail, listing every difference (table, column or index, what the model says, what the
    migrations built), unless the migrated database holds exactly the tables the app's models
    declare: catches a model that gained a field, index or foreign key without a migration."""
    from plue_core.db import connection
    from plue_core.schema_check import app_schema_differences, describe

    ctx = getattr(app_or_ctx, "plue", app_or_ctx)
    with connection(ctx.db):
        differences = app_schema_differences(ctx)
    assert not differences, ("the migrations did not build what the models declare:\n"
                             + describe(differences))


def make_user(ctx, username: str, *, password: str = DEFAULT_PASSWORD, admin: bool = False,
              email: str | None = None, **fields):
    """Create a user directly through the accounts service (no HTTP)."""
    from plue_core.accounts import users
    from plue_core.db import connection

    with connection(ctx.db):
        return users.create_user(ctx.section("accounts"), username=username,
                                 email=email or f"{username}@example.com", password=password,
                                 is_admin=admin, **fields)


def basic_auth(username: str, password: str = DEFAULT_PASSWORD) -> dict[str, str]:
    encoded = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def token_auth(token: str) -> dict[str, str]:
    return {"Authorization": f"token {token}"}


def pilot_bearer(client, username: str, password: str = DEFAULT_PASSWORD) -> dict[str, str]:
    """Log ``username`` in through Runner Pilot's ``/auth/login`` (its email is
    ``<username>@example.com``, as :func:`make_user` makes it): the ``Bearer`` header."""
    response = client.simulate_post("/auth/login", json={"email": f"{username}@example.com",
                                                         "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json['access_token']}"}


_DEFAULT_USER = object()


class UserApi:
    """API calls as a named user, mixed into a test world that has a ``client`` (a
    ``falcon.testing.TestClient``): ``world.get("/user", as_user="bob")``. ``as_user`` is a
    username (HTTP Basic with :data:`DEFAULT_PASSWORD`), ``"token:<sha1>"`` (an access token) or
    None (anonymous); left out, it is ``default_user``. Paths are below ``api_prefix``."""

    api_prefix = "/api/v1"
    default_user: str | None = None

    def auth(self, name: str | None) -> dict[str, str]:
        if name is None:
            return {}
        if name.startswith("token:"):
            return token_auth(name.removeprefix("token:"))
        return basic_auth(name)

    def request(self, method: str, path: str, body=None, as_user: Any = _DEFAULT_USER, **kwargs):
        user = self.default_user if as_user is _DEFAULT_USER else as_user
        headers = {**self.auth(user), **kwargs.pop("headers", {})}
        return self.client.simulate_request(method, f"{self.api_prefix}{path}", json=body,
                                            headers=headers, **kwargs)

    def get(self, path: str, as_user: Any = _DEFAULT_USER, **kwargs):
        return self.request("GET", path, as_user=as_user, **kwargs)

    def post(self, path: str, body=None, as_user: Any = _DEFAULT_USER, **kwargs):
        return self.request("POST", path, body, as_user=as_user, **kwargs)

    def put(self, path: str, body=None, as_user: Any = _DEFAULT_USER, **kwargs):
        return self.request("PUT", path, body, as_user=as_user, **kwargs)

    def patch(self, path: str, body=None, as_user: Any = _DEFAULT_USER, **kwargs):
        return self.request("PATCH", path, body, as_user=as_user, **kwargs)

    def delete(self, path: str, body=None, as_user: Any = _DEFAULT_USER, **kwargs):
        return self.request("DELETE", path, body, as_user=as_user, **kwargs)

    def token(self, user: str, *scopes: str) -> str:
        """A new access token of ``user`` with ``scopes``, as an ``as_user`` value."""
        response = self.post(f"/users/{user}/tokens", {"name": f"t-{len(scopes)}-{'-'.join(scopes)}",
                                                       "scopes": list(scopes)}, as_user=user)
        assert response.status_code == 201, response.text
        return "token:" + response.json["sha1"]


class EventRecorder:
    """A plugin that records every event published: ``create_app(config, plugins=[recorder])``,
    then ``recorder.of("issue_opened", number=1)``. Set ``fail_on`` to an event name to make it
    raise on that event (to prove the event shares the transaction of its cause)."""

    PLUE_NAME = "event_recorder"

    def __init__(self):
        self.events: list = []
        self.fail_on: str | None = None

    @hookimpl
    def on_event(self, ctx, event):
        if event.name == self.fail_on:
            raise RuntimeError(f"listener refuses {event.name}")
        self.events.append(event)

    def of(self, name: str, **fields) -> list:
        return [e for e in self.events if e.name == name
                and all(getattr(e, k) == v for k, v in fields.items())]


# An access token's ``last_used_at`` touch: written at most once a minute per token, so a test
# that counts statements sees it only when a slow run happens to cross a minute.
TOKEN_TOUCH = 'UPDATE "access_token"'


@contextlib.contextmanager
def recorded_statements(db, *, with_params: bool = False,
                        without_token_touches: bool = False) -> Iterator[list]:
    """The SQL statements sent to ``db`` (``ctx.db``) while the block runs, in order, to count
    them (never time them): ``with recorded_statements(ctx.db) as statements: ...``.

    Every query reaches the database through ``db.execute_sql``, peewee's own and the ones
    compiled once alike, so that is what is recorded: each statement's text, or with
    ``with_params`` a ``(sql, params tuple)`` pair. ``without_token_touches`` leaves out
    :data:`TOKEN_TOUCH`. The recorder is taken off when the block ends; recorders nest."""
    statements: list = []
    own = vars(db).get("execute_sql")  # an outer recorder's, if any
    send = db.execute_sql

    def recording(sql, params=None, *rest, **kwargs):
        if not (without_token_touches and sql.startswith(TOKEN_TOUCH)):
            statements.append((sql, tuple(params or ())) if with_params else sql)
        return send(sql, params, *rest, **kwargs)

    db.execute_sql = recording
    try:
        yield statements
    finally:
        if own is None:
            del db.execute_sql
        else:
            db.execute_sql = own


@contextlib.contextmanager
def compiled_queries(db) -> Iterator[list]:
    """What peewee compiles while the block runs: the model of each query handed to
    ``db.execute`` (the query itself when it has none). A query compiled once
    (``plue_core.db.CompiledSelect`` and its kin) goes straight to ``execute_sql`` and is not
    in the list: ``assert Issue not in compiled`` shows a path compiles nothing per request."""
    compiled: list = []
    own = vars(db).get("execute")
    execute = db.execute

    def compiling(query, *args, **kwargs):
        compiled.append(getattr(query, "model", query))
        return execute(query, *args, **kwargs)

    db.execute = compiling
    try:
        yield compiled
    finally:
        if own is None:
            del db.execute
        else:
            db.execute = own


@contextlib.contextmanager
def sql_built_by_peewee() -> Iterator[list[str]]:
    """Every SQL text peewee builds while the block runs (``peewee.Context.query``: from a
    query it runs, or one compiled for later), in any thread: a write compiled once
    (``plue_core.db.create_row`` and its kin) builds its SQL on its first call only."""
    import peewee

    built: list[str] = []
    query = peewee.Context.query

    def building(context):
        sql, params = query(context)
        built.append(sql)
        return sql, params

    peewee.Context.query = building
    try:
        yield built
    finally:
        peewee.Context.query = query


def query_plan(db, sql: str, params=()) -> list[str]:
    """SQLite's plan of ``sql`` with ``params`` (``EXPLAIN QUERY PLAN``): each step's detail,
    parents before their children (``SEARCH t1 USING INDEX ...``, ``SCAN t2``, ``USE TEMP
    B-TREE FOR ORDER BY``), to show a list query enters through an index on any number of rows."""
    from plue_core.db import connection

    with connection(db):
        return [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]


def interleave_transactions(db, first, second, *, hold: float = 0.5) -> None:
    """Run ``first`` in a write transaction and keep it open; meanwhile start ``second`` in its
    own; commit ``first`` after ``hold`` seconds. Re-raises either side's error. Shows that two
    requests racing for the same rows are serialised (the second sees the first's commit)."""
    from plue_core.db import connection, write_transaction

    first_done, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def in_transaction(work, before_commit=None):
        try:
            with connection(db), write_transaction(db):
                work()
                if before_commit is not None:
                    before_commit()
        except BaseException as error:  # surfaced in the test thread below
            errors.append(error)
            first_done.set()

    def hold_open():
        first_done.set()
        release.wait(10)

    one = threading.Thread(target=in_transaction, args=(first, hold_open))
    one.start()
    assert first_done.wait(10)
    two = threading.Thread(target=in_transaction, args=(second,))
    two.start()
    time.sleep(hold)  # without serialisation the second one finishes in here, blind to the first
    release.set()
    one.join(20)
    two.join(20)
    assert not errors, errors


def service_pass_throughs(cls) -> list[str]:
    """The methods of service class ``cls`` whose whole body (docstring aside) returns
    ``module.function(<its own parameters, in order>)``, or that in a ``list()``, adding
    nothing of the service: docs/plugins.md ("Services") wants the module's function named
    as an attribute instead."""
    names = vars(inspect.getmodule(cls))
    found = []
    for node in ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body:
        if not isinstance(node, ast.FunctionDef):
            continue
        body = [stmt for stmt in node.body
                if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]
        if len(body) != 1 or not isinstance(body[0], ast.Return):
            continue
        call = body[0].value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) \
                and call.func.id == "list" and len(call.args) == 1:
            call = call.args[0]  # list(f(...)) adds a list, nothing of the service
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) \
                or not isinstance(call.func.value, ast.Name) \
                or not inspect.ismodule(names.get(call.func.value.id)):
            continue  # a method of self, of a model class (a query of its own)...
        given = [arg.id for arg in call.args if isinstance(arg, ast.Name)] + \
            [kw.value.id for kw in call.keywords if isinstance(kw.value, ast.Name)]
        own = [arg.arg for arg in node.args.args[1:] + node.args.kwonlyargs]
        if given == own and "self" not in ast.unparse(call):
            found.append(node.name)
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclasses.dataclass
class LiveServer:
    url: str
    config_path: pathlib.Path
    data_dir: pathlib.Path
    env: dict[str, str]
    process: subprocess.Popen

    def plue(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        """Run the ``plue`` CLI against this server's config."""
        return subprocess.run([sys.executable, "-m", "plue_core.cli", *args], env=self.env,
                              input=input, capture_output=True, text=True, check=True)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_toml(path: pathlib.Path, overrides: dict) -> None:
    lines = [f"{k} = {_toml_value(v)}" for k, v in overrides.items() if not isinstance(v, dict)]
    for section, values in overrides.items():
        if isinstance(values, dict):
            lines.append(f"\n[{section}]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n")


@contextlib.contextmanager
def run_live_server(tmp_path: pathlib.Path, database_url: str, *, workers: int = 2,
                    **extra: Any) -> Iterator[LiveServer]:
    """Migrate, then start ``plue serve`` (real gunicorn) and wait until /health answers.
    ``base_url=None`` leaves it out of the config, to be derived from the bind address."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    overrides = testing_overrides(tmp_path, database_url, **{"base_url": url, **extra})
    if overrides["base_url"] is None:
        del overrides["base_url"]
    config_path = tmp_path / "plue.toml"
    write_toml(config_path, overrides)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
    env.update(PLUE_CONFIG=str(config_path), PLUE_BIND=f"127.0.0.1:{port}",
               PLUE_WORKERS=str(workers), PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "-m", "plue_core.cli", "migrate"], env=env, check=True,
                   capture_output=True)
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "plue_core.cli", "serve"], env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("plue serve did not start:\n" + (tmp_path / "server.log").read_text())
            time.sleep(0.1)
        # The app is preloaded: the first worker answers while gunicorn still forks the others.
        while _worker_count(process.pid) < workers and time.monotonic() < deadline:
            time.sleep(0.05)
        yield LiveServer(url, config_path, pathlib.Path(overrides["data_dir"]), env, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _worker_count(master_pid: int) -> int:
    import psutil

    count = 0
    for child in psutil.Process(master_pid).children():
        try:
            count += "scheduler" not in " ".join(child.cmdline())
        except psutil.Error:  # gone meanwhile
            pass
    return count


# --- pytest fixtures -------------------------------------------------------------------------


# plue_core.testing's fixtures that create the test's database when they first need it.
_CREATING_FIXTURES = ("plue_app", "build_app")


def _database_used_before_migrating(item) -> bool:
    """Whether something other than ``plue_app``/``build_app`` (which create the test's
    database when they migrate it) may use its URL: the test asking for ``plue_database_url``
    or ``plue_config`` itself, or any fixture of its that does (a live server, a CLI, a world
    of its own), ``plue_config`` overrides aside (they only build a Config). Decided from the
    test's fixture closure; the database is then created empty at once, as it always was."""
    info = getattr(item, "_fixtureinfo", None)  # pytest's record of the test's fixture closure
    used = {"plue_database_url", "plue_config"}
    if info is None or used & set(info.initialnames):
        return True
    for name, definitions in info.name2fixturedefs.items():
        for definition in definitions:
            creating = name in _CREATING_FIXTURES and getattr(definition.func, "__module__", "") == __name__
            if used & set(definition.argnames) and not creating and name != "plue_config":
                return True
    return False


@pytest.fixture
def plue_database_url(request, tmp_path, migrated_templates):
    named_only = bool(test_database_server()) and \
        not _database_used_before_migrating(request.node)
    with fresh_database_url(tmp_path, create=not named_only) as url:
        if named_only:
            migrated_templates.uncreated.add(url)
        yield url
        migrated_templates.uncreated.discard(url)


@pytest.fixture
def plue_config(tmp_path, plue_database_url) -> Config:
    return make_test_config(tmp_path, plue_database_url)


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory):
    """This test process's :class:`MigratedTemplates`, dropped when the session ends."""
    templates = MigratedTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.drop()


@pytest.fixture
def plue_app(plue_config, migrated_templates):
    from plue_core import create_app

    app = create_app(plue_config)
    migrated_templates.migrate(app)
    yield app
    app.plue.close()


@pytest.fixture
def build_app(tmp_path, plue_database_url, migrated_templates):
    """``build_app(*plugin_objects, migrate_db=True, **config_overrides)``: a fresh app on this
    test's database, with extra plugin objects (an :class:`EventRecorder`, a test plugin) and
    settings; closed after the test. Apps are built one after another (the database proxy is
    process-wide): building the next closes the previous one."""
    from plue_core import create_app

    apps = []

    def build(*plugins, migrate_db: bool = True, **overrides):
        for app in apps:
            app.plue.close()
        app = create_app(make_test_config(tmp_path, plue_database_url, **overrides), plugins=plugins)
        apps.append(app)
        if migrate_db:
            migrated_templates.migrate(app)
        else:
            migrated_templates.create(plue_database_url)  # empty, as the test asked
        return app

    yield build
    for app in apps:
        app.plue.close()


@pytest.fixture
def client(plue_app):
    import falcon.testing

    return falcon.testing.TestClient(plue_app)


@pytest.fixture
def ctx(plue_app):
    return plue_app.plue


@pytest.fixture(scope="session")
def docker_engine():
    """The real Docker engine (a ``docker.DockerClient``) with :data:`BUSYBOX_IMAGE`, set up by
    tools/docker-test-engine.sh in a Plue checkout. Skips, loudly, only when no engine can be
    started on this machine."""
    import docker

    said = ""
    if _DOCKER_SETUP.exists():
        setup = subprocess.run([str(_DOCKER_SETUP)], capture_output=True, text=True, check=False)
        said = f"; tools/docker-test-engine.sh said: {setup.stderr.strip()[-300:]}"
    try:
        client = docker.from_env()
        client.ping()
        client.images.get(BUSYBOX_IMAGE)
    except Exception as exc:  # noqa: BLE001 - any failure means: no engine here
        pytest.skip(f"DOCKER IS UNAVAILABLE - the tests that run containers did NOT run: {exc}{said}")
    return client


@pytest.fixture
def live_server(tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url) as server:
        yield server
