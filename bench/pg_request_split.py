#!/usr/bin/env python3
"""Where a hot path's time goes on PostgreSQL, per request, in process (falcon.testing).

Part 1, one thread: the request's wall time and this thread's CPU, the part of both spent
inside the driver's ``execute`` (bind, send, wait, receive; the rows' conversion is outside
it, in the fetch), and the server backend's CPU (``/proc/<pid>/stat`` of the pool's
connection).
Part 2, ``--threads`` threads at once (a gthread worker's 8 by default): this process's user
and system CPU and all its backends' CPU per request, the figures that share the machine's
cores. Without ``--database-url`` part 2 runs on SQLite, for the same requests' CPU there.
Part 3 (``--statements``), each statement of a request replayed alone on a connection of its
own, 2,000 times: the driver's CPU in ``execute`` and in the fetch, and the backend's CPU, with
every column the read selects and with its first column alone (same joins and conditions), to
tell what the columns cost from what a round trip costs.
Last, how the server planned each prepared statement (``pg_prepared_statements``: a generic
plan reused, or a custom plan made again on every ``EXECUTE``).
The split is in docs/serving.md ("Round ten: what PostgreSQL adds per request").

Usage: python bench/pg_request_split.py [--database-url postgresql://user@/db?host=/tmp&port=N]
       [--path "repo GET (Basic)"]... [--requests 400] [--rounds 3] [--threads 8] [--statements]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import falcon.testing  # noqa: E402
import peewee  # noqa: E402
import profile_hot_path  # noqa: E402
from pg_transport import backend_cpu  # noqa: E402

from plue_core import create_app  # noqa: E402
from plue_core.testing import (TEST_DATABASE_ENV, fresh_database_url, make_test_config,  # noqa: E402
                               migrate)

DEFAULT_PATHS = ("repo GET (token)", "repo GET (Basic)", "issue GET", "pull GET")
WARM = 20  # requests before measuring: prepared on each connection, rows mapped


class DriverClock:
    """Wall and CPU time spent inside the driver's ``execute`` (and its rows' fetch), summed:
    the pool's ``_execute_cursor``, which every statement goes through."""

    def __init__(self, db):
        clock = self
        self.wall = self.cpu = 0.0
        self.calls = 0
        self.sent: list | None = None  # (sql, params, prepared) of each execute, when a list
        execute_cursor = db._execute_cursor

        def timed(sql, params, **options):
            if clock.sent is not None:
                clock.sent.append((sql, params, bool(options.get("prepared"))))
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return execute_cursor(sql, params, **options)
            finally:
                clock.wall += time.perf_counter() - wall
                clock.cpu += time.thread_time() - cpu
                clock.calls += 1

        db._execute_cursor = timed
        db.close_all()

    def reset(self) -> None:
        self.wall = self.cpu = 0.0
        self.calls = 0


def backend_pids(db) -> list[int]:
    """The server processes of the pool's idle connections (one, for one thread)."""
    return [conn.info.backend_pid for _, _, conn in db._connections]


def plans(db) -> list[tuple]:
    """``pg_prepared_statements`` of this thread's pooled connection: name, generic plans
    and custom plans made so far."""
    with db.connection_context():
        cursor = db.execute_sql(
            "SELECT name, generic_plans, custom_plans, left(statement, 60) "
            "FROM pg_prepared_statements ORDER BY name")
        return cursor.fetchall()


def measure(client, spec: dict, requests: int, clock: DriverClock, db) -> dict:
    spec = dict(spec)
    method = spec.pop("method", "GET")
    for _ in range(WARM):
        assert client.simulate_request(method, **spec).status_code == 200
    pids = backend_pids(db)
    clock.reset()
    server = sum(backend_cpu(pid) for pid in pids)
    wall, cpu = time.perf_counter(), time.thread_time()
    for _ in range(requests):
        client.simulate_request(method, **spec)
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    server = sum(backend_cpu(pid) for pid in pids) - server
    per = 1000 / requests
    return {"wall": wall * per, "cpu": cpu * per, "driver wall": clock.wall * per,
            "driver cpu": clock.cpu * per, "server cpu": server * per,
            "round trips": clock.calls / requests}


def measure_threads(client, spec: dict, requests: int, threads: int, db) -> dict:
    """CPU per request with ``threads`` threads sending ``requests`` each: this process's user
    and system time, and (PostgreSQL) the pool's backends' time."""
    spec = dict(spec)
    method = spec.pop("method", "GET")

    def work(count: int) -> None:
        for _ in range(count):
            client.simulate_request(method, **spec)

    def run(count: int) -> None:
        workers = [threading.Thread(target=work, args=(count,)) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    run(WARM)  # every thread's connection opened, every statement prepared on it
    pids = backend_pids(db) if isinstance(db, peewee.PostgresqlDatabase) else []
    server, before, wall = sum(backend_cpu(pid) for pid in pids), os.times(), time.perf_counter()
    run(requests)
    after, wall = os.times(), time.perf_counter() - wall
    server = sum(backend_cpu(pid) for pid in pids) - server
    per = 1000 / (requests * threads)
    return {"user": (after.user - before.user) * per, "sys": (after.system - before.system) * per,
            "server cpu": server * per, "wall": wall * per, "backends": len(pids)}


def print_threads(label: str, found: list[dict]) -> None:
    med = {key: statistics.median(run[key] for run in found) for key in found[0]}
    total = med["user"] + med["sys"] + med["server cpu"]
    print(f"{label:18} {med['user']:6.3f} {med['sys']:6.3f} {med['server cpu']:11.3f} "
          f"{total:6.3f} {med['wall']:6.3f} {med['backends']:8.0f}", flush=True)


def first_column_only(sql: str) -> str:
    """``SELECT a, b, … FROM …`` with its select list cut to ``a``: the same joins, conditions
    and plan shape, one column."""
    body = sql.removeprefix("SELECT ")
    depth = 0
    for end, char in enumerate(body):
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            first = body[:end]
            break
    rest = body[end:]
    depth = 0
    for start, char in enumerate(rest):
        depth += (char == "(") - (char == ")")
        if depth == 0 and rest.startswith(" FROM ", start):
            return f"SELECT {first}{rest[start:]}"
    raise ValueError(f"no FROM in {sql[:80]}")


def statements(client, spec: dict, db, clock: DriverClock, url: str, times: int = 2000) -> None:
    """Part 3: each statement the request sends, alone (module docstring)."""
    import psycopg

    spec = dict(spec)
    method = spec.pop("method", "GET")
    clock.sent = []
    client.simulate_request(method, **spec)
    sent, clock.sent = clock.sent, None
    connection = psycopg.connect(url, autocommit=True)
    cursor = psycopg.Cursor(connection)
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
    for number, (sql, params, prepared) in enumerate(sent, 1):
        if not prepared:  # a write now and then (a token's last use)
            print(f"  not prepared: {sql[:60]}")
            continue
        name = f"read {number}"
        variants = [("all columns", sql)]
        try:
            cursor.execute(first_column_only(sql), params, prepare=True)
            variants.append(("first column", first_column_only(sql)))
        except psycopg.ProgrammingError:  # a parameter only the cut columns gave a type
            print(f"  {name:9} first column: the server cannot type its parameters alone")
        for label, text in variants:
            execute = fetch = 0.0
            server = backend_cpu(pid)
            for _ in range(times):
                started = time.thread_time()
                cursor.execute(text, params, prepare=True)
                fetched = time.thread_time()
                cursor.fetchall()
                execute, fetch = execute + fetched - started, fetch + time.thread_time() - fetched
            server = backend_cpu(pid) - server
            per = 1e6 / times
            print(f"  {name:9} {label:12} {len(cursor.description):7} {execute * per:12.1f} "
                  f"{fetch * per:10.1f} {server * per:11.1f}", flush=True)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (without: SQLite, part 2)")
    parser.add_argument("--path", action="append", help="a hot path's label (repeatable)")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--statements", action="store_true",
                        help="PostgreSQL: each statement replayed alone, all columns and one")
    args = parser.parse_args()
    if args.database_url:
        os.environ[TEST_DATABASE_ENV] = args.database_url
    with tempfile.TemporaryDirectory(prefix="plue-split-") as name, \
            fresh_database_url(pathlib.Path(name)) as database_url:
        app = create_app(make_test_config(pathlib.Path(name), database_url))
        migrate(app)
        client = falcon.testing.TestClient(app)
        db = app.plue.db.obj if isinstance(app.plue.db, peewee.DatabaseProxy) else app.plue.db
        paths = profile_hot_path.hot_paths(profile_hot_path.prepare(client, app.plue))
        chosen = args.path or DEFAULT_PATHS
        postgres = isinstance(db, peewee.PostgresqlDatabase)
        if postgres:
            clock = split(client, db, paths, chosen, args)
            if args.statements:
                print("\n# each statement alone, 2,000 times; µs per statement")
                print(f"  {'statement':9} {'select list':12} {'columns':>7} {'execute CPU':>12} "
                      f"{'fetch CPU':>10} {'backend CPU':>11}")
                for label in chosen:
                    print(label)
                    statements(client, paths[label], db, clock, database_url)
        print(f"\n# {args.threads} threads at once, {'PostgreSQL' if postgres else 'SQLite'}, "
              f"{args.requests // args.threads} requests each x {args.rounds} rounds "
              "(medians); CPU ms per request")
        print(f"{'path':18} {'user':>6} {'sys':>6} {'backend cpu':>11} {'total':>6} {'wall':>6} "
              f"{'backends':>8}")
        for label in chosen:
            print_threads(label, [measure_threads(client, paths[label],
                                                  args.requests // args.threads, args.threads, db)
                                  for _ in range(args.rounds)])
        if postgres:
            print("\n# pg_prepared_statements: name, generic plans, custom plans, statement")
            for row in plans(db):
                print(*row, sep="  ")
            db.close_all()
        else:
            db.close()


def split(client, db, paths: dict, chosen, args) -> DriverClock:
    """Part 1: one thread, the driver's part and the backend's."""
    clock = DriverClock(db)
    print(f"# one thread, PostgreSQL, {args.requests} requests x {args.rounds} rounds "
          "(medians); ms per request")
    print(f"{'path':18} {'round trips':>11} {'wall':>6} {'cpu':>6} {'driver wall':>11} "
          f"{'driver cpu':>10} {'server cpu':>10} {'outside driver cpu':>18}")
    for label in chosen:
        found = [measure(client, paths[label], args.requests, clock, db)
                 for _ in range(args.rounds)]
        med = {key: statistics.median(run[key] for run in found) for key in found[0]}
        print(f"{label:18} {med['round trips']:11.1f} {med['wall']:6.3f} {med['cpu']:6.3f} "
              f"{med['driver wall']:11.3f} {med['driver cpu']:10.3f} "
              f"{med['server cpu']:10.3f} {med['cpu'] - med['driver cpu']:18.3f}",
              flush=True)
    return clock


if __name__ == "__main__":
    main()
