#!/usr/bin/env python3
"""Profile the hot paths in process (falcon.testing): ms, statements and Python function calls
per request, and with ``--path`` cProfile's top functions. The headlines are in docs/serving.md.

Usage: python bench/profile_hot_path.py                 one headline per hot path
       python bench/profile_hot_path.py --path "issue GET" [--top 25]   the profile of one
       [--requests 500] [--database-url postgresql://...]   (default SQLite; on PostgreSQL a
       throwaway database is created on that server and dropped afterwards)
       --database-url postgresql://... --compare-prepared   compiled queries unprepared and
       prepared, alternated

Besides ms, statements (through peewee) and function calls, it counts what reaches the driver:
statements the server receives (on PostgreSQL each is a round trip), transaction statements
(``BEGIN``/``COMMIT``/``ROLLBACK``), those run as prepared statements, pool checkouts and new
connections, per request.

Function calls are the figure the load of a shared machine does not move; ms are what a
request costs one thread with nothing else running in its process.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import os
import pathlib
import pstats
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import falcon.testing  # noqa: E402
import peewee  # noqa: E402

from plue_core import create_app  # noqa: E402
from plue_core.testing import (TEST_DATABASE_ENV, basic_auth, fresh_database_url,  # noqa: E402
                               make_test_config, make_user, migrate)

WORKFLOW = """on: workflow_dispatch
jobs:
  one:
    runs-on: nowhere
    steps:
      - run: "true"
"""


ISSUES_ON_A_PAGE = 30


def seed_tracker(call) -> None:
    """The issue list's repository ``bench/tracker``: a page of 30 open issues, each with its
    poster, two of three labels, an assignee and one of two milestones (what a page of a
    working tracker shows). ``call(method, path, body)`` sends an API request as ``bench``."""
    call("POST", "/user/repos", {"name": "tracker"})
    repo = "/repos/bench/tracker"
    labels = [call("POST", f"{repo}/labels", {"name": name, "color": color,
                                               "description": f"{name} issues"})["id"]
              for name, color in (("bug", "#ee0701"), ("feature", "#84b6eb"), ("docs", "#cccccc"))]
    milestones = [call("POST", f"{repo}/milestones",
                       {"title": f"v{n}", "description": "next"})["id"] for n in (1, 2)]
    for n in range(ISSUES_ON_A_PAGE):
        call("POST", f"{repo}/issues", {
            "title": f"issue {n}: something to do", "body": "what is wrong, and how to see it " * 4,
            "labels": [labels[n % 3], labels[(n + 1) % 3]], "assignees": ["bench"],
            "milestone": milestones[n % 2]})


def prepare(client, ctx) -> dict:
    """What bench/api_hot_path.py prepares: a user with a token, a repository with a small
    file on a branch, a pull request, an issue, a workflow run, an idle runner, and the
    issue list's repository (:func:`seed_tracker`)."""
    from plue_actions.testing import ProtocolRunner, transport_for_client

    make_user(ctx, "bench")
    token = client.simulate_post("/api/v1/users/bench/tokens", headers=basic_auth("bench"),
                                 json={"name": "bench", "scopes": ["all"]}).json["sha1"]
    headers = {"Authorization": f"token {token}"}

    def call(method, path, **body):
        result = client.simulate_request(method, f"/api/v1{path}", headers=headers, json=body)
        assert result.status_code < 300, result.text
        return result.json

    call("POST", "/user/repos", name="bench", auto_init=True)
    call("POST", "/repos/bench/bench/contents/.gitea/workflows/one.yml",
         content=base64.b64encode(WORKFLOW.encode()).decode(), message="workflow")
    call("POST", "/repos/bench/bench/contents/small.txt",
         content=base64.b64encode(b"a small file\n").decode(), message="small",
         new_branch="topic")
    pull = call("POST", "/repos/bench/bench/pulls", head="topic", base="main", title="a pull")
    issue = call("POST", "/repos/bench/bench/issues", title="an issue", body="text")
    call("POST", "/repos/bench/bench/actions/workflows/one.yml/dispatches", ref="main")
    registration = call("GET", "/repos/bench/bench/actions/runners/registration-token")["token"]
    runner = ProtocolRunner(transport_for_client(client))
    runner.register(registration, name="idle", labels=("elsewhere",))
    runner.fetch(timeout_ms=0)
    seed_tracker(lambda method, path, body: call(method, path, **body))
    return {"token": headers, "basic": basic_auth("bench"), "pull": pull["number"],
            "issue": issue["number"], "runner": runner}


def hot_paths(data: dict) -> dict[str, dict]:
    """The requests of issue 13's targets 1 and 2 (simulate_request keyword arguments)."""
    repo = "/api/v1/repos/bench/bench"
    runner = data["runner"]
    return {
        "repo GET (token)": {"path": repo, "headers": data["token"]},
        "repo GET (Basic)": {"path": repo, "headers": data["basic"]},
        "/api/v1/user": {"path": "/api/v1/user", "headers": data["token"]},
        "issue list": {"path": "/api/v1/repos/bench/tracker/issues", "query_string": "limit=30",
                       "headers": data["token"]},
        "issue GET": {"path": f"{repo}/issues/{data['issue']}", "headers": data["token"]},
        "pull GET": {"path": f"{repo}/pulls/{data['pull']}", "headers": data["token"]},
        "contents GET": {"path": f"{repo}/contents/small.txt", "query_string": "ref=topic",
                         "headers": data["token"]},
        "actions run list": {"path": f"{repo}/actions/runs", "query_string": "limit=30",
                             "headers": data["token"]},
        "RunnerHub /api/jobs": {"path": "/api/jobs", "headers": data["token"]},
        "FetchTask (idle)": {
            "method": "POST", "path": "/api/actions/runner.v1.RunnerService/FetchTask",
            "json": {"tasksVersion": str(runner.tasks_version)},
            "headers": {**runner.headers, "Connect-Timeout-Ms": "0"}},
    }


class RoundTrips:
    """What reaches the database driver, counted below peewee: every statement the server
    receives (on PostgreSQL each is a round trip: the request's own, ``BEGIN``/``COMMIT``/
    ``ROLLBACK``, a pool's ``SELECT 1``), those that ran a prepared statement, and the pool's
    checkouts and new connections.
    SQLite reports its statements through ``set_trace_callback``; PostgreSQL's connections
    are reopened with a counting cursor class."""

    TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")

    def __init__(self, db):
        self.db = db
        self.statements = 0
        self.transaction = 0
        self.prepared = 0
        self.checkouts = 0
        self.connects = 0
        self.counting = False
        self.postgres = not isinstance(db, peewee.SqliteDatabase)
        counter = self

        def seen(sql: str) -> None:
            if counter.counting:
                counter.statements += 1
                head = sql.lstrip()[:10].upper()
                if head.startswith(self.TRANSACTION):
                    counter.transaction += 1

        self.seen = seen
        if self.postgres:
            import psycopg

            class CountingCursor(psycopg.ClientCursor):
                def execute(self, sql, params=None, **options):
                    seen(sql if isinstance(sql, str) else str(sql))
                    return super().execute(sql, params, **options)

            raw_connect, execute_cursor = db._connect, db._execute_cursor

            def counting_connect():
                conn = raw_connect()
                conn.cursor_factory = CountingCursor
                return conn

            def counting_execute_cursor(sql, params, **options):
                if options.get("prepared"):  # its own cursor: one prepared statement
                    seen(sql)
                    if counter.counting:
                        counter.prepared += 1
                return execute_cursor(sql, params, **options)

            db._connect, db._execute_cursor = counting_connect, counting_execute_cursor
            db.close_all()  # connections made before counting lack the cursor class
        connect = db.connect

        def counted_connect(*args, **kwargs):
            opened = connect(*args, **kwargs)
            if opened and counter.counting:
                counter.checkouts += 1
            return opened

        db.connect = counted_connect
        if self.postgres:  # a new server connection, not one taken from the pool
            adapter_connect = db._adapter.connect

            def counted_adapter_connect(*args, **kwargs):
                if counter.counting:
                    counter.connects += 1
                return adapter_connect(*args, **kwargs)

            db._adapter.connect = counted_adapter_connect
        else:
            driver_connect = db._connect

            def traced_connect():
                conn = driver_connect()
                if counter.counting:
                    counter.connects += 1
                conn.set_trace_callback(seen)
                return conn

            db._connect = traced_connect
            db.close()  # the request thread's kept connection, reopened with the trace

    def reset(self) -> None:
        self.statements = self.transaction = self.prepared = self.checkouts = self.connects = 0


def measure(client, ctx, spec: dict, requests: int, trips: RoundTrips,
            profile: cProfile.Profile | None = None):
    """(ms, statements through peewee, and ``trips`` counted) over ``requests`` requests."""
    spec = dict(spec)
    method = spec.pop("method", "GET")
    statements = {"count": 0}
    execute_sql = ctx.db.execute_sql

    def counting(sql, params=None, *rest, **kwargs):
        statements["count"] += 1
        return execute_sql(sql, params, *rest, **kwargs)

    result = client.simulate_request(method, **spec)
    assert result.status_code == 200, (spec["path"], result.status_code, result.text[:300])
    ctx.db.execute_sql = counting
    trips.reset()
    trips.counting = True
    try:
        started = time.perf_counter()
        if profile:
            profile.enable()
        for _ in range(requests):
            client.simulate_request(method, **spec)
        if profile:
            profile.disable()
        elapsed = time.perf_counter() - started
    finally:
        del ctx.db.execute_sql
        trips.counting = False
    return elapsed / requests * 1000, statements["count"] / requests


def compare_prepared(client, ctx, chosen: dict, requests: int, trips: RoundTrips) -> None:
    """ms per request with ``database_prepared_statements`` off and on, alternated round by
    round so the machine's load falls on both alike."""
    if not trips.postgres:
        sys.exit("--compare-prepared needs PostgreSQL (--database-url)")
    print(f"{'path':22} {'unprepared ms':>13} {'prepared ms':>11} {'ratio':>6}")
    for label, spec in chosen.items():
        times: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(5):
            for prepared in (False, True):
                trips.db.prepare_statements = prepared
                times[prepared].append(measure(client, ctx, spec, requests, trips)[0])
        off, on = (statistics.median(times[key]) for key in (False, True))
        print(f"{label:22} {off:13.2f} {on:11.2f} {on / off:6.2f}", flush=True)
    trips.db.prepare_statements = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", help="a hot path's label (or a part of it): print its profile")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument("--compare-prepared", action="store_true",
                        help="PostgreSQL: ms per request with compiled queries unprepared and "
                             "prepared, alternated (medians of 5 rounds)")
    args = parser.parse_args()
    if args.database_url:
        os.environ[TEST_DATABASE_ENV] = args.database_url
    with tempfile.TemporaryDirectory(prefix="plue-profile-") as name, \
            fresh_database_url(pathlib.Path(name)) as database_url:
        tmp = pathlib.Path(name)
        app = create_app(make_test_config(tmp, database_url))
        migrate(app)
        client = falcon.testing.TestClient(app)
        ctx = app.plue
        paths = hot_paths(prepare(client, ctx))
        chosen = {label: spec for label, spec in paths.items()
                  if not args.path or args.path in label}
        if not chosen:
            sys.exit(f"no hot path matches {args.path!r}; they are: {', '.join(paths)}")
        kind = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        print(f"# in process, {kind}, {args.requests} requests each")
        trips = RoundTrips(ctx.db.obj if isinstance(ctx.db, peewee.DatabaseProxy) else ctx.db)
        if args.compare_prepared:
            compare_prepared(client, ctx, chosen, args.requests, trips)
            chosen = {}
        else:
            print(f"{'path':22} {'ms/req':>7} {'statements':>10} {'driver':>6} {'txn':>5} "
                  f"{'prep':>5} {'checkouts':>9} {'connects':>8} {'calls/req':>9}")
        for label, spec in chosen.items():
            n = args.requests
            ms, statements = measure(client, ctx, spec, n, trips)
            counted = (trips.statements / n, trips.transaction / n, trips.prepared / n,
                       trips.checkouts / n, trips.connects / n)
            profile = cProfile.Profile()
            measure(client, ctx, spec, n, trips, profile)
            stats = pstats.Stats(profile)
            print(f"{label:22} {ms:7.2f} {statements:10.1f} {counted[0]:6.1f} {counted[1]:5.1f} "
                  f"{counted[2]:5.1f} {counted[3]:9.2f} {counted[4]:8.2f} "
                  f"{stats.total_calls / n:9.0f}", flush=True)
            if args.path:
                stats.sort_stats("tottime").print_stats(args.top)
                stats.sort_stats("cumulative").print_stats(args.top)
        app.plue.db.close()


if __name__ == "__main__":
    main()
