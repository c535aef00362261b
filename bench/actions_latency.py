#!/usr/bin/env python3
"""How fast an idle runner picks up a job, how fast 4 runners drain a queue, and what an idle
runner costs the database.

1. Pickup: real gunicorn (2 workers) on a fresh database; one protocol-level runner (runner.v1
   JSON, as act_runner speaks it) holds a FetchTask; 50 times, a trivial job is queued with a
   REST dispatch (any worker handles it) and we time queue-commit -> FetchTask returning,
   then the runner reports success (end-to-end job time = dispatch sent -> success stored).
2. Throughput: one dispatch queues 200 matrix jobs; 4 runners fetch and finish them; we count
   jobs/s and check that no job was claimed twice.
3. Plain requests: 8 clients each GET a repository (authenticated, one database read) in a
   loop for 10 s, with 4 runners holding FetchTask long-polls meanwhile; requests/s and p95.
4. Idle cost: the app in this process (threaded WSGI server) with a query counter on the
   database: one runner idles for 10 s with the held long-poll, then the same runner polls as
   act_runner does by default (every 2 s, no holding) for comparison.

The baseline is act_runner's default polling (fetch_interval 2 s): about 1 s average pickup.
Usage: python bench/actions_latency.py [--database-url postgresql://...]  (default SQLite)
"""

from __future__ import annotations

import argparse
import base64
import pathlib
import statistics
import sys
import tempfile
import threading
import time
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from plue_core.testing import (  # noqa: E402
    fresh_database_url, free_port, make_test_config, migrate, run_live_server,
)
from plue_actions.testing import ProtocolRunner, transport_for_url  # noqa: E402

BASELINE_PICKUP = 1.0  # seconds: act_runner polling every 2 s waits 1 s on average
PASSWORD = "bench-password-123"
ONE = """on: workflow_dispatch
jobs:
  one:
    runs-on: bench
    steps:
      - run: "true"
"""
WIDE = """on: workflow_dispatch
jobs:
  many:
    runs-on: bench
    strategy:
      matrix:
        n: [%s]
    steps:
      - run: "true"
""" % ", ".join(str(n) for n in range(200))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def prepare(base_url: str, run_cli) -> tuple[requests.Session, str, str]:
    run_cli("admin", "user", "create", "--username", "bench", "--email", "bench@example.com",
            "--password", PASSWORD)
    token = run_cli("admin", "token", "create", "--username", "bench", "--name", "bench").strip()
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"
    api = f"{base_url}/api/v1"
    session.post(f"{api}/user/repos", json={"name": "bench", "auto_init": True}).raise_for_status()
    for name, text in (("one.yml", ONE), ("wide.yml", WIDE)):
        session.post(f"{api}/repos/bench/bench/contents/.gitea/workflows/{name}",
                     json={"content": base64.b64encode(text.encode()).decode(),
                           "message": f"bench workflow {name}"}).raise_for_status()
    registration = session.get(f"{api}/repos/bench/bench/actions/runners/registration-token").json()
    return session, token, registration["token"]


def dispatch(session: requests.Session, base_url: str, wide: bool = False) -> None:
    workflow = "wide.yml" if wide else "one.yml"
    response = session.post(f"{base_url}/api/v1/repos/bench/bench/actions/workflows/{workflow}/dispatches",
                            json={"ref": "main"})
    response.raise_for_status()


def finish_skipped(runner: ProtocolRunner) -> None:
    """Drain anything queued before the measurement starts."""
    while (task := runner.fetch(timeout_ms=1500)) is not None:
        runner.update_task(int(task["id"]), "RESULT_SUCCESS")


def measure_pickup(base_url: str, session, registration: str, count: int = 50) -> dict:
    runner = ProtocolRunner(transport_for_url(base_url))
    runner.register(registration, name="pickup", labels=("bench",))
    finish_skipped(runner)
    pickups, end_to_end = [], []
    for _ in range(count):
        got = {}

        def fetch():
            got["task"] = runner.fetch(timeout_ms=30000)
            got["at"] = time.monotonic()

        thread = threading.Thread(target=fetch)
        thread.start()
        time.sleep(0.25)  # the runner is idle and held
        sent = time.monotonic()
        dispatch(session, base_url)
        committed = time.monotonic()
        thread.join(30)
        if got.get("task") is None:
            raise RuntimeError("the held runner got no task")
        pickups.append(got["at"] - committed)
        runner.update_task(int(got["task"]["id"]), "RESULT_SUCCESS")
        end_to_end.append(time.monotonic() - sent)
    return {"p50": statistics.median(pickups), "p95": percentile(pickups, 0.95),
            "max": max(pickups), "job_p50": statistics.median(end_to_end),
            "job_p95": percentile(end_to_end, 0.95)}


def measure_throughput(base_url: str, session, registration: str, runners: int = 4) -> dict:
    clients = []
    for index in range(runners):
        client = ProtocolRunner(transport_for_url(base_url))
        client.register(registration, name=f"drain-{index}", labels=("bench",))
        clients.append(client)
    claimed: list[int] = []
    lock = threading.Lock()

    def drain(client):
        while (task := client.fetch(timeout_ms=2000)) is not None:
            with lock:
                claimed.append(task["id"])
            client.update_task(int(task["id"]), "RESULT_SUCCESS")

    dispatch(session, base_url, wide=True)
    started = time.monotonic()
    threads = [threading.Thread(target=drain, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    elapsed = time.monotonic() - started - 2.0  # the last empty held fetch is not work
    jobs = session.get(f"{base_url}/api/v1/repos/bench/bench/actions/jobs",
                       params={"status": "success", "limit": 1}).headers.get("X-Total-Count")
    return {"jobs": len(claimed), "unique": len(set(claimed)), "seconds": elapsed,
            "per_second": len(claimed) / elapsed, "successful_jobs_listed": jobs}


def measure_plain_requests(base_url: str, token: str, registration: str, clients: int = 8,
                           seconds: float = 10.0) -> dict:
    """Ordinary API requests while runners hold long-polls, as on a real deployment."""
    holders = []
    for index in range(4):
        runner = ProtocolRunner(transport_for_url(base_url))
        runner.register(registration, name=f"holder-{index}", labels=("idle",))
        holders.append(threading.Thread(target=runner.fetch, kwargs={"timeout_ms": int(seconds * 1000) + 3000},
                                        daemon=True))
    for holder in holders:
        holder.start()
    time.sleep(0.5)
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        session = requests.Session()
        session.headers["Authorization"] = f"token {token}"
        mine = []
        while time.monotonic() < deadline:
            started = time.monotonic()
            session.get(f"{base_url}/api/v1/repos/bench/bench").raise_for_status()
            mine.append(time.monotonic() - started)
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"requests": len(latencies), "per_second": len(latencies) / elapsed,
            "p50": statistics.median(latencies), "p95": percentile(latencies, 0.95)}


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def measure_idle_queries(database_url: str, tmp: pathlib.Path, seconds: float = 10.0) -> dict:
    from plue_core import create_app
    from plue_core.accounts import users
    from plue_core.db import connection

    app = create_app(make_test_config(tmp, database_url))
    migrate(app)
    ctx = app.plue
    counter = {"queries": 0}
    original = ctx.db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        kind = "watcher" if threading.current_thread().name == "plue-actions-wakeups" else "queries"
        counter[kind] = counter.get(kind, 0) + 1
        return original(sql, params, *args, **kwargs)

    ctx.db.execute_sql = counting
    port = free_port()
    server = make_server("127.0.0.1", port, app, server_class=_ThreadingServer, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{port}"
    with connection(ctx.db):
        users.create_user(ctx.section("accounts"), username="idle", email="idle@example.com",
                          password=PASSWORD)
    session = requests.Session()
    session.auth = ("idle", PASSWORD)
    session.post(f"{base_url}/api/v1/user/repos", json={"name": "idle"}).raise_for_status()
    registration = session.get(f"{base_url}/api/v1/repos/idle/idle/actions/runners/registration-token").json()["token"]
    runner = ProtocolRunner(transport_for_url(base_url))
    runner.register(registration, labels=("bench",))
    runner.fetch(timeout_ms=500)

    def idle(fetch_timeout_ms: int, pause: float) -> tuple[float, float, int]:
        counter.update(queries=0, watcher=0)
        calls = 0
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            runner.fetch(timeout_ms=fetch_timeout_ms)
            calls += 1
            time.sleep(pause)
        elapsed = time.monotonic() - started
        return counter["queries"] / elapsed, counter["watcher"] / elapsed, calls

    held_qps, watcher_qps, held_calls = idle(60000, 0.0)
    ctx.services["actions"].settings["long_poll_timeout"] = 0.0
    polling_qps, _, polling_calls = idle(5000, 2.0)
    server.shutdown()
    ctx.close()
    return {"held_qps": held_qps, "watcher_qps": watcher_qps, "held_calls": held_calls, "polling_qps": polling_qps,
            "polling_calls": polling_calls, "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server URL (a fresh database is made)")
    args = parser.parse_args()
    import os

    if args.database_url:
        os.environ["PLUE_TEST_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("PLUE_TEST_DATABASE_URL", None)
    kind = "PostgreSQL" if args.database_url else "SQLite"
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch:
        tmp = pathlib.Path(scratch)
        with fresh_database_url(tmp / "live") as url, \
                run_live_server((tmp / "live").mkdir() or tmp / "live", url, workers=2) as server:
            session, token, registration = prepare(server.url, lambda *a: server.plue(*a).stdout)
            pickup = measure_pickup(server.url, session, registration)
            throughput = measure_throughput(server.url, session, registration)
            plain = measure_plain_requests(server.url, token, registration)
        (tmp / "idle").mkdir()
        with fresh_database_url(tmp / "idle") as url:
            idle = measure_idle_queries(url, tmp / "idle")
    print(f"# actions latency ({kind}, gunicorn 2 workers, protocol-level runners)")
    print(f"pickup (queue commit -> FetchTask returns), 50 jobs: p50 {pickup['p50'] * 1000:.1f} ms, "
          f"p95 {pickup['p95'] * 1000:.1f} ms, max {pickup['max'] * 1000:.1f} ms")
    print(f"  vs act_runner 2 s polling (~{BASELINE_PICKUP:.1f} s average): "
          f"{BASELINE_PICKUP / pickup['p50']:.0f}x faster at p50, "
          f"{BASELINE_PICKUP / pickup['p95']:.0f}x at p95")
    print(f"trivial job end to end (dispatch sent -> success stored): p50 "
          f"{pickup['job_p50'] * 1000:.1f} ms, p95 {pickup['job_p95'] * 1000:.1f} ms")
    print(f"throughput, 4 runners, 200 queued jobs: {throughput['jobs']} claimed, "
          f"{throughput['unique']} distinct, {throughput['per_second']:.1f} jobs/s "
          f"({throughput['seconds']:.1f} s); claimed twice: {throughput['jobs'] - throughput['unique']}")
    print(f"plain requests, 8 clients, GET a repository while 4 runners hold long-polls: "
          f"{plain['per_second']:.1f} requests/s, p50 {plain['p50'] * 1000:.1f} ms, "
          f"p95 {plain['p95'] * 1000:.1f} ms ({plain['requests']} requests)")
    print(f"idle runner, {idle['seconds']:.0f} s: held long-poll {idle['held_qps']:.2f} request "
          f"queries/s ({idle['held_calls']} FetchTask call(s)) + {idle['watcher_qps']:.2f} queries/s "
          f"of the per-process wake-up watcher; act_runner-style 2 s polling without holding "
          f"{idle['polling_qps']:.2f} queries/s ({idle['polling_calls']} calls)")
    return 0 if throughput["jobs"] == throughput["unique"] == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
