#!/usr/bin/env python3
"""Profile the hot paths in process (falcon.testing): ms, statements and Python function calls
per request, and with ``--path`` cProfile's top functions. The headlines are in docs/serving.md.

Usage: python bench/profile_hot_path.py                 one headline per hot path
       python bench/profile_hot_path.py --path "issue GET" [--top 25]   the profile of one
       [--requests 500] [--database-url postgresql://...]   (default SQLite; on PostgreSQL a
       throwaway database is created on that server and dropped afterwards)

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
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import falcon.testing  # noqa: E402

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


def prepare(client, ctx) -> dict:
    """What bench/api_hot_path.py prepares: a user with a token, a repository with a small
    file on a branch, a pull request, an issue, a workflow run, an idle runner."""
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
        "issue list": {"path": f"{repo}/issues", "query_string": "limit=30",
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


def measure(client, ctx, spec: dict, requests: int, profile: cProfile.Profile | None = None):
    """(ms per request, statements per request) over ``requests`` requests."""
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
    return elapsed / requests * 1000, statements["count"] / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", help="a hot path's label (or a part of it): print its profile")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
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
        print(f"{'path':22} {'ms/req':>7} {'statements':>10} {'calls/req':>9}")
        for label, spec in chosen.items():
            ms, statements = measure(client, ctx, spec, args.requests)
            profile = cProfile.Profile()
            measure(client, ctx, spec, args.requests, profile)
            stats = pstats.Stats(profile)
            print(f"{label:22} {ms:7.2f} {statements:10.1f} "
                  f"{stats.total_calls / args.requests:9.0f}", flush=True)
            if args.path:
                stats.sort_stats("tottime").print_stats(args.top)
                stats.sort_stats("cumulative").print_stats(args.top)
        app.plue.db.close()


if __name__ == "__main__":
    main()
