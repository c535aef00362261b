#!/usr/bin/env python3
"""Idle memory of the default server tree, and a worker's memory under requests (issue 13,
target 4).

Starts ``plue serve`` as ``make serve`` runs it (2 gthread workers x 8 threads, the
``plue daemons --with-scheduler`` child: the SSH listener and the scheduled jobs), waits until
every process is up and idle, and sums the RSS of the whole tree (master, workers, that child;
psutil), and their PSS (a page shared by processes forked from one
another, counted once in RSS per process, is divided between them). Then sends the hot paths'
authenticated requests in turn (``MIX``: the repository, the user, the issue list, an issue, a
file's contents; 1,000 to warm up over ``WARM_CONNECTIONS``, so that every request thread of
both workers has started, then ``--requests``, default 10,000, ``--rounds`` times,
default 4) and prints each worker's RSS after the warm-up and after each round, and what each
round added: a worker that keeps something per request grows with every round, while a one-time
warm-up (request threads and their database connections started, caches filled up to their
bounds, the allocator settling) stops, so the last rounds add ≈ 0.

The child beside the workers is forked from the master after preloading (plue_hosts.background):
RSS counts the master's pages in every process that maps them, PSS divides them, USS is what a
process alone holds (what ending it would free). Each process's three are printed.

The tree is the default one: the built-in plugins only (``plugins.load_entrypoints = false``),
as ``make serve`` runs it once it has removed the example plugin ``make test`` installs.

Usage: python bench/memory.py [--postgres] [--requests 10000] [--rounds 4]
``rows()`` gives ``make bench`` (bench/run_all.py) its rows.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import http.client
import pathlib
import re
import sys
import tempfile
import time
import urllib.parse

import psutil

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import table  # noqa: E402
from plue_core.testing import free_port, run_live_server  # noqa: E402

IDLE_TARGET_MB = 250
ROUNDS = 4
# "Flat": a round of 10,000 requests after the first ones adds less than this to a worker (a
# page or two of the allocator moves either way).
FLAT_MB = 1
# Connections of the warm-up: more than the request threads of both workers (2 x 8).
WARM_CONNECTIONS = 32
# Authenticated GETs of the hot paths (issue 13 items 1-2), each in turn.
MIX = ("/api/v1/repos/bench/bench", "/api/v1/user", "/api/v1/repos/bench/bench/issues?limit=30",
       "/api/v1/repos/bench/bench/issues/1", "/api/v1/repos/bench/bench/contents/README.md")
MB = 1024 * 1024


def tree(root: psutil.Process, log: pathlib.Path) -> dict[str, list[psutil.Process]]:
    """The server's processes by role: the master logs the pid of the child it starts beside
    its workers (``plue daemons --with-scheduler`` by default: hosts/gunicorn.conf.py)."""
    started = {int(pid) for pid in re.findall(r"started [a-z -]+ process (\d+)", log.read_text())}
    roles: dict[str, list[psutil.Process]] = {"master": [root], "workers": [], "background": []}
    for child in root.children():
        roles["background" if child.pid in started else "workers"].append(child)
    return roles


def rss(processes: list[psutil.Process]) -> float:
    return sum(p.memory_info().rss for p in processes) / MB


def pss(processes: list[psutil.Process]) -> float:
    """Proportional set size: pages shared between processes (after a fork) counted once."""
    return sum(p.memory_full_info().pss for p in processes) / MB


def each_process(roles: dict[str, list[psutil.Process]]) -> list[tuple[str, float, float, float]]:
    """``(role, RSS, PSS, USS)`` in MB of every process of the tree."""
    found = []
    for role, processes in roles.items():
        for process in processes:
            full = process.memory_full_info()
            found.append((role, full.rss / MB, full.pss / MB, full.uss / MB))
    return found


def settled_tree(root: psutil.Process, log: pathlib.Path, workers: int,
                 timeout: float = 60) -> dict:
    """The tree once every worker and the background child (daemons, scheduler) are up and
    their RSS stopped moving."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        roles = tree(root, log)
        if len(roles["workers"]) == workers and roles["background"]:
            total = rss([p for group in roles.values() for p in group])
            if last is not None and abs(total - last) < 1:
                return roles
            last = total
        time.sleep(1.5)
    raise RuntimeError(f"the server tree did not settle: {tree(root, log)}")


def hammer(url: str, headers: dict, count: int, connections: int = 8) -> int:
    """``count`` GETs of the paths of ``MIX`` in turn over keep-alive connections; returns how
    many failed."""
    parts = urllib.parse.urlsplit(url)

    def some(share: int) -> int:
        failed = 0
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        for number in range(share):
            try:
                connection.request("GET", MIX[number % len(MIX)], headers=headers)
                response = connection.getresponse()
                response.read()
                failed += response.status != 200
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
        connection.close()
        return failed

    shares = [count // connections + (i < count % connections) for i in range(connections)]
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        return sum(pool.map(some, shares))


def measure(database: str, requests: int, rounds: int = 1) -> dict:
    with tempfile.TemporaryDirectory(prefix="plue-memory-") as name, \
            contextlib.ExitStack() as stack:
        tmp = pathlib.Path(name)
        database_url = stack.enter_context(table.database_url(database, tmp))
        # As `make serve`: the scheduler and the daemons (the SSH listener) run as the master's
        # children.
        server = stack.enter_context(run_live_server(
            tmp, database_url, workers=2, scheduler={"mode": "serve"},
            daemons={"mode": "serve"}, ssh={"bind": f"127.0.0.1:{free_port()}"},
            plugins={"load_entrypoints": False}))
        root = psutil.Process(server.process.pid)
        roles = settled_tree(root, tmp / "server.log", workers=2)
        idle = {role: rss(processes) for role, processes in roles.items()}
        idle_pss = pss([p for processes in roles.values() for p in processes])
        processes = each_process(roles)
        server.plue("admin", "user", "create", "--username", "bench", "--email",
                    "bench@example.com", "--password", "bench-password-123")
        token = server.plue("admin", "token", "create", "--username", "bench",
                            "--name", "bench").stdout.strip()
        headers = {"Authorization": f"token {token}"}
        http_session = __import__("requests").Session()
        http_session.post(f"{server.url}/api/v1/user/repos", headers=headers,
                          json={"name": "bench", "auto_init": True}).raise_for_status()
        http_session.post(f"{server.url}/api/v1/repos/bench/bench/issues", headers=headers,
                          json={"title": "a bench issue", "body": "text"}).raise_for_status()
        # The warm-up starts every request thread of both workers (each with its database
        # connection): WARM_CONNECTIONS at once, more than both pools hold.
        warm_failed = hammer(server.url, headers, 1000, WARM_CONNECTIONS)
        before = {p.pid: p.memory_info().rss / MB for p in roles["workers"]}
        threads = [{p.pid: p.num_threads() for p in roles["workers"]}]
        failed, each_round = 0, []
        for _ in range(rounds):
            failed += hammer(server.url, headers, requests)
            each_round.append({p.pid: p.memory_info().rss / MB for p in roles["workers"]})
            threads.append({p.pid: p.num_threads() for p in roles["workers"]})
        return {"idle": idle, "total": sum(idle.values()), "pss": idle_pss,
                "processes": processes, "before": before,
                "rounds": each_round, "threads": threads, "failed": warm_failed + failed,
                "requests": requests}


def report(database: str, found: dict) -> None:
    idle = found["idle"]
    print(f"# {table.label(database)}: idle RSS of the server tree {found['total']:.0f} MB "
          f"(master {idle['master']:.0f}, workers {idle['workers']:.0f}, "
          f"daemons and scheduler {idle['background']:.0f}); PSS {found['pss']:.0f} MB")
    for role, rss_mb, pss_mb, uss_mb in found["processes"]:
        print(f"  {role:<10} RSS {rss_mb:5.1f}  PSS {pss_mb:5.1f}  USS {uss_mb:5.1f} MB (idle)")
    for pid, before in found["before"].items():
        sizes = [before] + [each[pid] for each in found["rounds"]]
        print(f"  worker {pid}: {before:.1f} MB after 1,000 requests, then after each "
              f"{found['requests']:,} more: " + ", ".join(f"{size:.1f}" for size in sizes[1:])
              + " MB; each round added "
              + ", ".join(f"{b - a:+.1f}" for a, b in zip(sizes, sizes[1:])) + " MB; threads "
              + ", ".join(str(each[pid]) for each in found["threads"]))
    print(f"  failed requests: {found['failed']}", flush=True)


def growth(found: dict) -> float:
    """The most a worker grew over all the rounds, after its 1,000 warm-up requests."""
    return max(found["rounds"][-1][pid] - before for pid, before in found["before"].items())


def last_round_growth(found: dict) -> float:
    """The most a worker grew in the last round: ≈ 0 once the warm-up is over."""
    rounds = [found["before"]] + found["rounds"]
    return max(rounds[-1][pid] - rounds[-2][pid] for pid in found["before"])


def rows() -> list[table.Row]:
    found_rows = []
    for database in table.databases():
        found = measure(database, 10_000, ROUNDS)
        report(database, found)
        idle, db = found["idle"], table.label(database)
        found_rows.append(table.Row(
            f"idle RSS of the server tree ≤ {IDLE_TARGET_MB} MB", f"{found['total']:.0f} MB",
            f"master {idle['master']:.0f} + workers {idle['workers']:.0f} + daemons and "
            f"scheduler {idle['background']:.0f} MB", found["total"] <= IDLE_TARGET_MB, db))
        # RSS counts a page shared by forked processes once per process; PSS divides it.
        found_rows.append(table.Row(
            f"idle PSS of the server tree ≤ {IDLE_TARGET_MB} MB (shared pages counted once)",
            f"{found['pss']:.0f} MB", "", found["pss"] <= IDLE_TARGET_MB, db))
        last = last_round_growth(found)
        found_rows.append(table.Row(
            f"a worker's RSS flat: the last of {ROUNDS} rounds of 10,000 requests adds "
            f"< {FLAT_MB} MB", f"{last:+.1f} MB",
            f"+{growth(found):.1f} MB over all {ROUNDS} rounds, after 1,000 warm-up requests",
            last < FLAT_MB and not found["failed"], db))
    return found_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help="measure each worker's RSS after this many rounds of --requests")
    args = parser.parse_args()
    database = "postgresql" if args.postgres else "sqlite"
    report(database, measure(database, args.requests, args.rounds))


if __name__ == "__main__":
    main()
