#!/usr/bin/env python3
"""What the API hot path costs under ``make serve``, next to its baselines, in the same run.

Three servers run at once with the same gunicorn settings (2 gthread workers x 8 threads, the
access log written as Plue's is): Plue (``plue serve``), a bare Falcon app (the ceiling of
this machine and server) and a lean Falcon + peewee app doing the work of an authenticated
repository GET (``bench/baselines/lean_repo.py``), issue list (a page of 30), pull request GET
and RunnerHub ``/api/jobs`` (``bench/baselines/lean_paths.py``) on Plue's own database. wrk (2 threads,
32 connections) drives one at a time, interleaved round by round, so the load other people
put on the machine falls on every side alike; the ratios are what count.

Part 1, the hot paths: req/s, p50, p99 and the ratios to bare Falcon and to the lean app.
Part 2, lists (``limit=30``) on 100 and on 10,000 rows: issues, action runs, action jobs, a
user's repositories, ``/user/repos``, ``/repos/search`` and RunnerHub's ``/api/jobs?sort=status``,
each asked by a user who sees exactly those rows; the ratio 10,000 / 100 (the target is a page
that costs the same on any table).

Usage: python bench/api_hot_path.py [--postgres] [--seconds 5] [--rounds 2] [--skip-lists]
``--postgres`` starts a throwaway cluster (tools/postgres-test-cluster.sh); without it SQLite.
Plue and the lean apps reach it through its Unix socket (``--transport tcp``: 127.0.0.1).
The load comes from bench/load.py: wrk when installed (or installable), else a Python
generator. ``rows()`` gives ``make bench`` (bench/run_all.py) the table's rows of targets 1-3.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
import typing
import urllib.request

import requests

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load, table  # noqa: E402
from bench.profile_hot_path import seed_tracker  # noqa: E402
from plue_core.testing import free_port, run_live_server  # noqa: E402

PASSWORD = "bench-password-123"
WORKERS, THREADS = 2, 8
CONNECTIONS = load.CONNECTIONS
WORKFLOW = """on: workflow_dispatch
jobs:
  one:
    runs-on: nowhere
    steps:
      - run: "true"
"""


# --- servers ---------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(module: str, tmp: pathlib.Path, env: dict) -> "Baseline":
    """A baseline app under Plue's gunicorn settings; yields its URL and master's pid.
    Plue's worker class, so the baselines accept connections as Plue does."""
    port = free_port()
    log = open(tmp / f"{module.rsplit('.', 1)[-1]}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "plue_hosts.worker.PlueWorker",
         "-w", str(WORKERS),
         "--threads", str(THREADS), "-b", f"127.0.0.1:{port}", "--access-logfile", "-",
         "--keep-alive", "5", f"{module}:app"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/", timeout=1).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{module} did not start") from None
                time.sleep(0.1)
        yield Baseline(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


class Baseline(typing.NamedTuple):
    url: str
    pid: int


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


# --- Plue's data -------------------------------------------------------------------------------


def prepare(server) -> dict:
    """A user, a token, a repository with a file, an issue, a pull, a run and an idle runner;
    the issue list's 30 issues (``seed_tracker``)."""
    server.plue("admin", "user", "create", "--username", "bench", "--email", "bench@example.com",
                "--password", PASSWORD)
    token = server.plue("admin", "token", "create", "--username", "bench",
                        "--name", "bench").stdout.strip()
    api = f"{server.url}/api/v1"
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"

    def call(method, path, **kwargs):
        response = session.request(method, f"{api}{path}", **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    call("POST", "/user/repos", json={"name": "bench", "auto_init": True})
    call("POST", "/repos/bench/bench/contents/.gitea/workflows/one.yml",
         json={"content": base64.b64encode(WORKFLOW.encode()).decode(), "message": "workflow"})
    call("POST", "/repos/bench/bench/contents/small.txt",
         json={"content": base64.b64encode(b"a small file\n").decode(), "message": "small",
               "new_branch": "topic"})
    pull = call("POST", "/repos/bench/bench/pulls",
                json={"head": "topic", "base": "main", "title": "a pull"})
    issue = call("POST", "/repos/bench/bench/issues", json={"title": "an issue", "body": "text"})
    call("POST", "/repos/bench/bench/actions/workflows/one.yml/dispatches", json={"ref": "main"})
    registration = call("GET", "/repos/bench/bench/actions/runners/registration-token")["token"]
    from plue_actions.testing import ProtocolRunner, transport_for_url

    runner = ProtocolRunner(transport_for_url(server.url))
    runner.register(registration, name="idle", labels=("elsewhere",))
    runner.fetch(timeout_ms=0)
    seed_tracker(lambda method, path, body: call(method, path, json=body))
    return {"token": token, "pull": pull["number"], "issue": issue["number"], "runner": runner,
            "session": session}


def hot_paths(data: dict) -> dict[str, dict]:
    token = {"Authorization": f"token {data['token']}"}
    basic = {"Authorization": "Basic " + base64.b64encode(f"bench:{PASSWORD}".encode()).decode()}
    runner = data["runner"]
    fetch = {"method": "POST", "body": '{"tasksVersion":"%d"}' % runner.tasks_version,
             "headers": {**runner.headers, "Content-Type": "application/json",
                         "Connect-Timeout-Ms": "0"}}
    repo = "/api/v1/repos/bench/bench"
    return {
        "repo GET (token)": {"path": repo, "headers": token, "lean": True},
        "repo GET (Basic)": {"path": repo, "headers": basic, "lean": True},
        "/api/v1/user": {"path": "/api/v1/user", "headers": token},
        "issue list": {"path": "/api/v1/repos/bench/tracker/issues?limit=30", "headers": token,
                       "lean": True},
        "issue GET": {"path": f"{repo}/issues/{data['issue']}", "headers": token},
        "pull GET": {"path": f"{repo}/pulls/{data['pull']}", "headers": token, "lean": True},
        "contents GET": {"path": f"{repo}/contents/small.txt?ref=topic", "headers": token},
        "actions run list": {"path": f"{repo}/actions/runs?limit=30", "headers": token},
        "RunnerHub /api/jobs": {"path": "/api/jobs", "headers": token, "lean": True},
        "FetchTask (idle)": {"path": "/api/actions/runner.v1.RunnerService/FetchTask", **fetch},
    }


# --- part 2: lists on 100 and 10,000 rows --------------------------------------------------------


def seed_lists(server, data: dict, sizes=(100, 10_000)) -> dict[str, dict[int, tuple]]:
    """Repositories ``list<N>`` (private) holding N issues, N runs (one job each, their
    statuses cycling through every status); users ``many<N>`` owning N private repositories
    and sharing ``list<N>`` as collaborators. Each list is asked by whom sees exactly its N
    rows: ``bench`` for the issues, runs and jobs of ``list<N>``, ``many<N>`` for the
    repository lists and RunnerHub's jobs. Rows are copied from ones made through the API, in
    bulk. Returns ``{label: {size: (path, headers)}}``."""
    from plue_core.app import build_context
    from plue_core.config import load_config
    from plue_core.db import connection
    from plue_workflows.statuses import Status

    session = data["session"]
    api = f"{server.url}/api/v1"
    ctx = build_context(load_config(path=server.config_path, environ={}))
    models = {table: model for table, (_, model) in ctx.models.items()}
    Issue, Run, Attempt, Job, Repository = (models["issue"], models["action_run"],
                                            models["action_run_attempt"], models["action_run_job"],
                                            models["repository"])
    statuses = [int(status) for status in Status]
    bench = {"Authorization": f"token {data['token']}"}
    paths: dict[str, dict[int, tuple]] = {label: {} for label in (
        "issues", "runs", "jobs", "repos", "user repos", "repo search", "hub jobs by status")}
    with connection(ctx.db):
        template_issue = Issue.select().order_by(Issue.id).first().__data__
        template_run = Run.select().order_by(Run.id).first()
        template_attempt = Attempt.select().where(Attempt.run == template_run.id).first().__data__
        template_job = Job.select().where(Job.run == template_run.id).first().__data__
        template_run = template_run.__data__
        for size in sizes:
            name, owner = f"list{size}", f"many{size}"
            server.plue("admin", "user", "create", "--username", owner, "--email",
                        f"{owner}@example.com", "--password", PASSWORD)
            many = {"Authorization": "token " + server.plue(
                "admin", "token", "create", "--username", owner, "--name", "bench").stdout.strip()}
            repo = session.post(f"{api}/user/repos", json={"name": name, "private": True}).json()
            session.put(f"{api}/repos/bench/{name}/collaborators/{owner}",
                        json={"permission": "read"}).raise_for_status()
            issues = [{**_row(template_issue), "repository": repo["id"], "number": n,
                       "title": f"issue {n}", "created_at": template_issue["created_at"]
                       + datetime.timedelta(seconds=n)} for n in range(1, size + 1)]
            with ctx.db.atomic():
                for chunk in range(0, size, 500):
                    Issue.insert_many(issues[chunk:chunk + 500]).execute()
                for number in range(1, size + 1):
                    run = Run.insert({**_row(template_run), "repository_id": repo["id"],
                                      "number": number}).execute()
                    Attempt.insert({**_row(template_attempt), "run": run}).execute()
                    Job.insert({**_row(template_job), "run": run, "repository_id": repo["id"],
                                "status": statuses[number % len(statuses)]}).execute()
            paths["issues"][size] = (f"/api/v1/repos/bench/{name}/issues?limit=30&state=all",
                                     bench)
            paths["runs"][size] = (f"/api/v1/repos/bench/{name}/actions/runs?limit=30", bench)
            paths["jobs"][size] = (f"/api/v1/repos/bench/{name}/actions/jobs?limit=30", bench)
            template_repo = _row(Repository.get(Repository.id == repo["id"]).__data__)
            owner_id = ctx.services["accounts"].find_user(owner).id
            with ctx.db.atomic():
                rows = [{**template_repo, "owner": owner_id, "name": f"r{n}",
                         "lower_name": f"r{n}", "is_private": True} for n in range(size)]
                for chunk in range(0, size, 500):
                    Repository.insert_many(rows[chunk:chunk + 500]).execute()
            paths["repos"][size] = (f"/api/v1/users/{owner}/repos?limit=30", many)
            paths["user repos"][size] = ("/api/v1/user/repos?limit=30", many)
            paths["repo search"][size] = ("/api/v1/repos/search?limit=30", many)
            paths["hub jobs by status"][size] = ("/api/jobs?limit=30&sort=status", many)
    return paths


def _row(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "id"}


# --- the run -------------------------------------------------------------------------------------

RATIO_TO_BARE, RATIO_TO_LEAN, P99_MS, LIST_GROWTH = 0.25, 0.8, 25.0, 1.5


def run(database: str, *, seconds: float, rounds: int, only: str | None = None,
        hot: bool = True, lists: bool = True, connections: int = CONNECTIONS,
        threads: int = THREADS, transport: str = "socket") -> dict:
    """Measure on one database; prints each figure as it comes and returns them all:
    ``{"paths": {label: {"bare", "lean", "plue"}}, "lists": {label: {100: rate, 10000: rate}}}``."""
    results: dict = {"paths": {}, "lists": {}}
    with tempfile.TemporaryDirectory(prefix="plue-bench-") as name, contextlib.ExitStack() as stack:
        tmp = pathlib.Path(name)
        database_url = stack.enter_context(table.database_url(database, tmp))
        reached = ""
        if database != "sqlite":
            # A local server is reached through its Unix socket, as an installation on one
            # machine would be (docs/serving.md, "Round eight: statements"); Plue and the lean
            # apps alike.
            socket = table.socket_url(database_url) if transport == "socket" else None
            database_url = socket or database_url
            reached = " over its Unix socket" if socket else " over TCP"
        server = stack.enter_context(run_live_server(
            tmp, database_url, workers=WORKERS, server={"threads": threads},
            accounts={"bcrypt_rounds": 10},
            # The limiter still counts every RunnerHub request; it must not refuse the bench.
            monitoring={"rate_limit_general": 1_000_000_000}))
        data = prepare(server)
        bare = stack.enter_context(gunicorn("bench.baselines.bare_falcon", tmp, {}))
        lean = stack.enter_context(gunicorn("bench.baselines.lean_paths", tmp, {
            "LEAN_DATABASE_URL": database_url, "LEAN_BASE_URL": server.url,
            "LEAN_REPOS_DIR": str(server.data_dir / "repos")}))
        print(f"# {table.label(database)}{reached} (Plue and the lean app); gunicorn {WORKERS} gthread workers x {threads} "
              f"threads; {load.generator()}, {connections} connections, {seconds:g} s x "
              f"{rounds} rounds (medians)\n")
        if hot:
            print(f"{'path':22} {'bare req/s':>10} {'lean req/s':>10} {'Plue req/s':>10} "
                  f"{'p50 ms':>7} {'p99 ms':>7} {'/bare':>6} {'/lean':>6} {'errors':>6} "
                  f"{'bare p50/p99 ms':>16} {'CPU ms/req lean, Plue':>22} {'/lean CPU':>9}")
        for label, spec in hot_paths(data).items() if hot else ():
            if only and not any(part in label for part in only.split(",")):
                continue
            runs: dict[str, list[dict]] = {"bare": [], "lean": [], "plue": []}
            for _ in range(rounds):
                for side, (base, pid) in (("bare", bare), ("lean", lean),
                                          ("plue", (server.url, server.process.pid))):
                    if side == "lean" and not spec.get("lean"):
                        continue
                    runs[side].append(load.measured(pid, base + spec["path"], seconds=seconds,
                                                    headers=spec["headers"],
                                                    connections=connections,
                                                    method=spec.get("method", "GET"),
                                                    body=spec.get("body")))
            found = {side: median_of(found) if found else None for side, found in runs.items()}
            found["plue"]["errors"] = sum(run["errors"] for run in runs["plue"])
            results["paths"][label] = found
            b, p, lean_found = found["bare"], found["plue"], found["lean"]
            print(f"{label:22} {b['rate']:10.0f} {lean_found['rate'] if lean_found else 0:10.0f} "
                  f"{p['rate']:10.0f} {p['p50']:7.1f} {p['p99']:7.1f} {p['rate'] / b['rate']:6.3f} "
                  + (f"{p['rate'] / lean_found['rate']:6.2f}" if lean_found else f"{'-':>6}")
                  + f" {p['errors']:6d} {b['p50']:7.1f} {b['p99']:8.1f}"
                  + (f" {lean_found['cpu_ms']:10.2f} {p['cpu_ms']:10.2f} "
                     f"{lean_found['cpu_ms'] / p['cpu_ms']:9.2f}" if lean_found
                     else f" {'-':>10} {p['cpu_ms']:10.2f} {'-':>9}"), flush=True)
        if not lists:
            return results
        paths = seed_lists(server, data)
        # Beside each rate, the workers' CPU per request: what a larger table costs Plue
        # itself (on SQLite its statements run in the workers too), which the machine's
        # load moves far less than the rates (docs/serving.md, round eight).
        print(f"\n{'list, limit=30':22} {'100 rows':>10} {'10,000':>10} {'ratio':>6}  (req/s)"
              f"   {'CPU ms/req: 100':>15} {'10,000':>8} {'ratio':>6}")
        for label, by_size in paths.items():
            if only and not any(part in label for part in only.split(",")):
                continue
            runs = {size: [] for size in by_size}
            for _ in range(rounds):
                for size, (path, headers) in by_size.items():
                    runs[size].append(load.measured(server.process.pid, server.url + path,
                                                    seconds=seconds, headers=headers))
            small, big = median_of(runs[100]), median_of(runs[10_000])
            results["lists"][label] = {100: small["rate"], 10_000: big["rate"],
                                       "cpu_ms": {100: small["cpu_ms"], 10_000: big["cpu_ms"]}}
            print(f"{label:22} {small['rate']:10.0f} {big['rate']:10.0f} "
                  f"{small['rate'] / big['rate']:6.2f}   {small['cpu_ms']:15.2f} "
                  f"{big['cpu_ms']:8.2f} {big['cpu_ms'] / small['cpu_ms']:6.2f}", flush=True)
    return results


def rows() -> list[table.Row]:
    """Targets 1-3 of issue 13 for ``make bench``: each hot path's ratio to bare Falcon (and
    to the lean app where it does the same work: the repository GET, the issue list, the pull
    request GET and RunnerHub's jobs), the repository GET's p99, and the lists."""
    found: list[table.Row] = []
    for database in table.databases():
        results = run(database, seconds=table.seconds(), rounds=table.rounds())
        db = table.label(database)
        for label, sides in results["paths"].items():
            bare, lean, plue = sides["bare"], sides["lean"], sides["plue"]
            ratio = plue["rate"] / bare["rate"]
            errors = f", {plue['errors']} errors" if plue["errors"] else ""
            found.append(table.Row(
                f"{label} ≥ {RATIO_TO_BARE}× bare Falcon", f"{ratio:.3f}× ({plue['rate']:,.0f} "
                f"req/s{errors})", f"bare {bare['rate']:,.0f} req/s",
                ratio >= RATIO_TO_BARE and not plue["errors"], db))
            if lean:
                to_lean = plue["rate"] / lean["rate"]
                found.append(table.Row(
                    f"{label} ≥ {RATIO_TO_LEAN}× lean app",
                    f"{to_lean:.2f}× (CPU {lean['cpu_ms'] / plue['cpu_ms']:.2f}×)",
                    f"lean {lean['rate']:,.0f} req/s", to_lean >= RATIO_TO_LEAN, db))
            if label.startswith("repo GET"):  # target 1's p99 is the repository GET's
                found.append(table.Row(
                    f"{label} p99 ≤ {P99_MS:g} ms (32 connections)",
                    f"p99 {plue['p99']:.0f} ms, p50 {plue['p50']:.0f} ms",
                    f"bare p99 {bare['p99']:.0f} ms", plue["p99"] <= P99_MS, db))
        for label, rates in results["lists"].items():
            growth = rates[100] / rates[10_000]
            cpu = rates["cpu_ms"][10_000] / rates["cpu_ms"][100]
            found.append(table.Row(
                f"{label} list, limit=30, 10,000 rows ≤ {LIST_GROWTH}× 100 rows",
                f"{growth:.2f}× ({rates[10_000]:,.0f} req/s; CPU {cpu:.2f}×)",
                f"100 rows {rates[100]:,.0f} req/s", growth <= LIST_GROWTH, db))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-lists", action="store_true")
    parser.add_argument("--lists-only", action="store_true")
    parser.add_argument("--only", help="a substring of the hot paths to run (several: "
                        "comma-separated)")
    parser.add_argument("--connections", type=int, default=CONNECTIONS,
                        help="concurrent connections (the targets are set at 32)")
    parser.add_argument("--threads", type=int, default=THREADS,
                        help="Plue's threads per worker (the baselines keep 8)")
    parser.add_argument("--transport", choices=("socket", "tcp"), default="socket",
                        help="PostgreSQL: its Unix socket when local (default), or TCP")
    args = parser.parse_args()
    run("postgresql" if args.postgres else "sqlite", seconds=max(1, int(args.seconds)),
        rounds=args.rounds, only=args.only, hot=not args.lists_only, lists=not args.skip_lists,
        connections=args.connections, threads=args.threads, transport=args.transport)


if __name__ == "__main__":
    main()
