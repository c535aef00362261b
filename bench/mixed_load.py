#!/usr/bin/env python3
"""Mixed load: API requests, clones, pushes and runners working at once against `plue serve`.

Real gunicorn (`plue serve`, 2 workers, its scheduler) on a fresh database, and four real
`plue runner daemon` agents (host backend by default; ``--backend docker`` runs each job in a
plue-busybox container). For ``--seconds`` (60): 100 API requests/s (a mix of authenticated
reads: repository, user, issue list, contents of a small file, actions run list), 2 clones/s
of a small repository, 1 push/s of a new commit to a repository whose workflow runs on every
push (the runners run each run's job). Rates are open-loop: each request starts at its slot,
whether or not earlier ones have answered. Afterwards (the runners get up to 120 s to finish):
every acknowledged push must be on the branch and have a run, every run must have succeeded.

The same-run baselines, each a quarter of ``--seconds`` on the same server before the whole
mix, the same API mix at the same rate throughout: the API alone; with only the clones; with
only the pushes (no runner is up yet: their runs wait); with only the runners (the four
agents, started before its clock, work off the runs those pushes queued, then wait in
FetchTask). Each API
request's latency is also kept per path. The API requests come from a process of their own
(``api_load``), so the clones' and pushes' clients do not share its GIL; the CPU each party
used in each phase is printed after the table (``cpu_line``). Targets (issue 13 item 6): API p99 <= 100 ms, 0
errors, 0 lost pushes or runs.
``--niceness N`` (repeatable) measures once per value, one after another, with the server's git
processes (``git_hosting.git_niceness``) and the runners' jobs (``--job-niceness``) N steps
below the server: ``--niceness 0 --niceness 10 --niceness 10 --niceness 0`` is a same-run pair.
Usage: python bench/mixed_load.py [--seconds 60] [--backend host|docker]
       [--database-url postgresql://...]   (default SQLite) [--niceness N ...]
``rows()`` gives ``make bench`` its rows (bench/table.py): SQLite and/or PostgreSQL as
``PLUE_BENCH_DATABASES`` says, for 15 × ``PLUE_BENCH_SECONDS`` (60 s by default).
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import json
import multiprocessing
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from actions_latency import percentile  # noqa: E402
from bench import table  # noqa: E402
from push_to_pickup import GIT_ENV, _database_server, git  # noqa: E402
from plue_core.testing import BUSYBOX_IMAGE, fresh_database_url, run_live_server  # noqa: E402

API_RATE, CLONE_RATE, PUSH_RATE, RUNNERS = 100.0, 2.0, 1.0, 4
P99_TARGET = 0.100
PASSWORD = "bench-password-123"
ON_PUSH = """on: push
jobs:
  work:
    runs-on: load
    steps:
      - run: echo "building $GITHUB_SHA"
"""
RUNNER = [sys.executable, "-m", "plue_runner_agent"]


class Outcomes:
    """Thread-safe tallies: latencies per kind, and every failure with what it said."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def record(self, kind: str, seconds: float, error: str | None = None,
               detail: str | None = None) -> None:
        """One outcome of ``kind``; ``detail`` (an API path) also keeps it under
        ``kind detail``."""
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if detail:
                self.latencies.setdefault(f"{kind} {detail}", []).append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


def paced(rate: float, seconds: float, work, pool: concurrent.futures.Executor,
          stop: threading.Event | None = None) -> list[concurrent.futures.Future]:
    """Submit ``work(index)`` at ``rate`` per second for ``seconds`` (open loop)."""
    futures, started, index = [], time.monotonic(), 0
    while index < rate * seconds and not (stop and stop.is_set()):
        due = started + index / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(work, index))
        index += 1
    return futures


def api_load(api: str, token: str, reads: list[str], rate: float,
             seconds: float) -> list[tuple[str, float, str | None]]:
    """The API mix at ``rate`` for ``seconds`` (open loop), run in a process of its own: the
    clients of the clones and pushes, in the bench's main process, would otherwise take its GIL
    and lengthen the latencies it measures (and delay its slots). (path, seconds, error) per
    request."""
    local, lock, found = threading.local(), threading.Lock(), []

    def read(index: int) -> None:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            session.headers["Authorization"] = f"token {token}"
        path = reads[index % len(reads)]
        started = time.perf_counter()
        try:
            response = session.get(f"{api}{path}", timeout=30)
            error = None if response.status_code == 200 else f"{path}: {response.status_code} {response.text[:200]}"
        except requests.RequestException as exc:
            error = f"{path}: {exc}"
        took = time.perf_counter() - started
        with lock:
            found.append((path.split("?")[0], took, error))

    with concurrent.futures.ThreadPoolExecutor(32) as pool:
        concurrent.futures.wait(paced(rate, seconds, read, pool))
    return found


class Forge:
    def __init__(self, server, tmp: pathlib.Path):
        self.server, self.tmp = server, tmp
        server.plue("admin", "user", "create", "--username", "bench", "--email",
                    "bench@example.com", "--password", PASSWORD)
        self.token = server.plue("admin", "token", "create", "--username", "bench",
                                 "--name", "load").stdout.strip()
        self.api = f"{server.url}/api/v1"
        session = self.session()
        for name in ("load", "small"):
            session.post(f"{self.api}/user/repos",
                         json={"name": name, "auto_init": True}).raise_for_status()
        self.commit_file(session, "small", "docs/readme.txt", "a small file\n" * 20)
        self.commit_file(session, "load", ".gitea/workflows/ci.yml", ON_PUSH)
        session.post(f"{self.api}/repos/bench/small/issues",
                     json={"title": "an issue"}).raise_for_status()
        host = server.url.removeprefix("http://")
        self.remote = lambda repo: f"http://bench:{self.token}@{host}/bench/{repo}.git"
        self.work = tmp / "pusher"
        git("clone", "-q", self.remote("load"), str(self.work))
        self.pushed: list[str] = []
        self.reads = ["/repos/bench/small", "/user", "/repos/bench/small/issues?limit=10",
                      "/repos/bench/small/contents/docs/readme.txt",
                      "/repos/bench/load/actions/runs?limit=10"]

    def session(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"token {self.token}"
        return session

    def commit_file(self, session, repo: str, path: str, text: str) -> None:
        session.post(f"{self.api}/repos/bench/{repo}/contents/{path}", json={
            "content": base64.b64encode(text.encode()).decode(), "message": f"add {path}"}
        ).raise_for_status()

    # --- the load --------------------------------------------------------------------------

    def clone(self, outcomes: Outcomes, index: int) -> None:
        target = self.tmp / "clones" / str(index)
        started = time.perf_counter()
        result = subprocess.run(["git", "clone", "-q", self.remote("small"), str(target)],
                                env=GIT_ENV, capture_output=True, text=True)
        outcomes.record("clone", time.perf_counter() - started,
                        result.stderr.strip()[-300:] if result.returncode else None)
        shutil.rmtree(target, ignore_errors=True)

    def push(self, outcomes: Outcomes, index: int) -> None:
        (self.work / "counter.txt").write_text(f"{index}\n")
        git("add", "counter.txt", cwd=self.work)
        git("commit", "-q", "-m", f"push {index}", cwd=self.work)
        sha = git("rev-parse", "HEAD", cwd=self.work)
        started = time.perf_counter()
        result = subprocess.run(["git", "push", "-q", "origin", "HEAD:main"], cwd=self.work,
                                env=GIT_ENV, capture_output=True, text=True)
        outcomes.record("push", time.perf_counter() - started,
                        result.stderr.strip()[-300:] if result.returncode else None)
        if result.returncode == 0:
            self.pushed.append(sha)

    # --- afterwards ------------------------------------------------------------------------

    def runs(self) -> list[dict]:
        session, runs, page = self.session(), [], 1
        while True:
            batch = session.get(f"{self.api}/repos/bench/load/actions/runs",
                                params={"limit": 50, "page": page}, timeout=30).json()["workflow_runs"]
            runs += batch
            if len(batch) < 50:
                return runs
            page += 1

    def lost(self, drain_seconds: float = 120.0) -> dict:
        """Acknowledged pushes missing from the branch or without a run; runs not succeeded
        after ``drain_seconds`` for the runners to finish."""
        clone = self.tmp / "final"
        git("clone", "-q", self.remote("load"), str(clone))
        on_branch = set(git("log", "--format=%H", cwd=clone).split())
        deadline = time.monotonic() + drain_seconds
        while True:
            runs = {run["head_sha"]: run for run in self.runs() if run["event"] == "push"}
            unfinished = [sha for sha in self.pushed if runs.get(sha, {}).get("status") != "completed"]
            if not unfinished or time.monotonic() > deadline:
                break
            time.sleep(1)
        return {"pushes_missing": [sha for sha in self.pushed if sha not in on_branch],
                "runs_missing": [sha for sha in self.pushed if sha not in runs],
                "runs_not_succeeded": [sha for sha in self.pushed if sha in runs
                                       and runs[sha].get("conclusion") != "success"]}


@contextlib.contextmanager
def runners(forge: Forge, tmp: pathlib.Path, backend: str, count: int = RUNNERS,
            niceness: int | None = None):
    label = f"load:docker://{BUSYBOX_IMAGE}" if backend == "docker" else "load:host"
    session = forge.session()
    token = session.get(f"{forge.api}/repos/bench/load/actions/runners/registration-token").json()["token"]
    processes = []
    try:
        for index in range(count):
            state = tmp / f"runner-{index}" / ".runner"
            state.parent.mkdir()
            subprocess.run([*RUNNER, "register", "--url", forge.server.url, "--token", token,
                            "--name", f"load-{index}", "--labels", label, "--file", str(state)],
                           check=True, capture_output=True, text=True, timeout=60)
            log = open(state.parent / "runner.log", "w")
            processes.append(subprocess.Popen(
                [*RUNNER, "daemon", "--file", str(state), "--workdir", str(state.parent / "jobs"),
                 "--capacity", "1", "--docker-network", "host", "--log-level", "info",
                 *(["--job-niceness", str(niceness)] if niceness is not None else [])],
                stdout=log, stderr=subprocess.STDOUT))
            log.close()
        _wait_until_polling(processes, [tmp / f"runner-{index}" / "runner.log"
                                        for index in range(count)])
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_polling(processes: list[subprocess.Popen], logs: list[pathlib.Path],
                        timeout: float = 60.0) -> None:
    """Until each agent has started (its imports, about 0.2 s of CPU each) and says it polls:
    the runners phase measures runners working, not four interpreters starting."""
    deadline = time.monotonic() + timeout
    while not all("polling" in log.read_text() for log in logs):
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            raise RuntimeError("a runner agent did not start: see " + ", ".join(map(str, logs)))
        time.sleep(0.05)


def measure(seconds: float = 60.0, backend: str = "host", database_url: str | None = None,
            niceness: int | None = None) -> dict:
    """One measurement; ``niceness`` (None: the defaults) sets the server's
    ``git_hosting.git_niceness`` and the runners' ``--job-niceness``."""
    with _database_server(database_url), tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch:
        tmp = pathlib.Path(scratch)
        (tmp / "live").mkdir()
        with fresh_database_url(tmp / "live") as url, contextlib.ExitStack() as stack, \
                run_live_server(tmp / "live", url, workers=2, scheduler={"mode": "serve"},
                                **({"git_hosting": {"git_niceness": niceness}}
                                   if niceness is not None else {})) as server:
            forge = Forge(server, tmp)
            outcomes = Outcomes()
            pushes = iter(range(1_000_000))  # each push its own index, across the phases
            clones = iter(range(1_000_000))

            cpu: dict[str, dict[str, float]] = {}
            agents: list[subprocess.Popen] = []
            api_client = stack.enter_context(concurrent.futures.ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn")))
            api_client_pid = api_client.submit(os.getpid).result()  # started before the clock

            def phase(kind: str, length: float, clone: bool = False, push: bool = False) -> float:
                """The API mix (its latencies under ``kind``) for ``length`` seconds, with the
                clones and/or pushes at their rates; the seconds it took. The CPU each party
                used meanwhile goes to ``cpu[kind]``."""
                before = cpu_seconds(server.process.pid, agents, api_client_pid)
                try:
                    return _phase(kind, length, clone, push)
                finally:
                    after = cpu_seconds(server.process.pid, agents, api_client_pid)
                    cpu[kind] = {party: after[party] - before.get(party, 0.0) for party in after}

            def _phase(kind: str, length: float, clone: bool, push: bool) -> float:
                api = api_client.submit(api_load, forge.api, forge.token, forge.reads,
                                        API_RATE, length)
                with concurrent.futures.ThreadPoolExecutor(16) as pool, \
                        concurrent.futures.ThreadPoolExecutor(1) as pusher:  # one after another
                    loads = []
                    if clone:
                        loads.append((CLONE_RATE, lambda i: forge.clone(outcomes, next(clones)), pool))
                    if push:
                        loads.append((PUSH_RATE, lambda i: forge.push(outcomes, next(pushes)), pusher))
                    threads = [threading.Thread(target=paced, args=(rate, length, work, where))
                               for rate, work, where in loads]
                    started = time.monotonic()
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
                for path, took, error in api.result():
                    outcomes.record(kind, took, error, path)
                return time.monotonic() - started

            phase("baseline", seconds / 4)
            phase("api with clones only", seconds / 4, clone=True)
            phase("api with pushes only", seconds / 4, push=True)
            with runners(forge, tmp, backend, niceness=niceness) as started_agents:
                agents.extend(started_agents)
                phase("api with runners only", seconds / 4)
                elapsed = phase("api", seconds, clone=True, push=True)
                lost = forge.lost()
    return {"outcomes": outcomes, "lost": lost, "elapsed": elapsed, "seconds": seconds, "cpu": cpu,
            "backend": backend, "database": "PostgreSQL" if database_url else "SQLite",
            "pushed": len(forge.pushed), "niceness": niceness}


def cpu_seconds(master_pid: int, agents: list[subprocess.Popen],
                api_client_pid: int) -> dict[str, float]:
    """CPU seconds (user + system) so far of each party: the server's Python processes (the
    gunicorn master, its workers, the scheduler: Plue's own code), the git processes they ran
    and reaped (receive-pack, upload-pack and what those ran), the runner agents with their
    jobs, the API client's process, and this bench client with its git commands (clones,
    commits, pushes); and the seconds the server's Python threads spent runnable but waiting
    for a core (``/proc/<pid>/task/<tid>/schedstat``, threads alive at each reading): what the
    machine's other work costs the requests, whoever runs it."""
    import psutil

    found = {"server Python": 0.0, "server's git": 0.0, "runners": 0.0, "API client": 0.0,
             "bench client": 0.0, "server waiting for a core": 0.0}
    with contextlib.suppress(psutil.Error):
        times = psutil.Process(api_client_pid).cpu_times()
        found["API client"] = times.user + times.system
    server = psutil.Process(master_pid)
    for process in (server, *server.children()):
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            found["server Python"] += times.user + times.system
            found["server's git"] += times.children_user + times.children_system
        found["server waiting for a core"] += _run_queue_wait(process.pid)
    for agent in agents:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(agent.pid).cpu_times()
            found["runners"] += (times.user + times.system + times.children_user
                                 + times.children_system)
    mine = psutil.Process().cpu_times()
    found["bench client"] = mine.user + mine.system + mine.children_user + mine.children_system
    return found


def _run_queue_wait(pid: int) -> float:
    """Seconds the threads of ``pid`` have waited on a run queue (Linux schedstat)."""
    waited = 0
    for stat in pathlib.Path(f"/proc/{pid}/task").glob("*/schedstat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            waited += int(stat.read_text().split()[1])
    return waited / 1e9


def cpu_line(result: dict) -> str:
    """Per phase, the CPU seconds per wall second each party used (2 cores: 2.0 is all)."""
    names = {"baseline": "API alone", "api with clones only": "+ clones",
             "api with pushes only": "+ pushes", "api with runners only": "+ runners",
             "api": "everything"}
    lengths = {kind: result["seconds"] / 4 for kind in names}
    lengths["api"] = result["elapsed"]
    parts = []
    for kind, name in names.items():
        used = result.get("cpu", {}).get(kind)
        if used:
            parts.append(f"{name}: " + ", ".join(
                f"{party} {seconds / lengths[kind]:.2f}" for party, seconds in used.items()))
    return "; ".join(parts)


def table_rows(result: dict) -> list[table.Row]:
    """The ``make bench`` rows of one measurement (issue 13 item 6)."""
    latencies, errors = result["outcomes"].latencies, result["outcomes"].errors
    api, base = latencies.get("api", []), latencies.get("baseline", [])
    where = f"{result['seconds']:.0f} s, {RUNNERS} {result['backend']} runners" + (
        f", git and jobs at niceness +{result['niceness']}" if result.get("niceness") is not None
        else "")
    lost = result["lost"]
    lost_count = sum(len(shas) for shas in lost.values())
    counts = {kind: len(values) for kind, values in latencies.items()}
    p99 = percentile(api, 0.99)
    db = result["database"]

    def p99_p50(values: list[float]) -> str:
        return (f"p99 {percentile(values, 0.99) * 1000:.0f} ms, "
                f"p50 {percentile(values, 0.5) * 1000:.0f} ms" if values else "none")

    phases = "; ".join(f"{name}: {p99_p50(latencies.get(kind, []))}" for name, kind in (
        ("with clones only", "api with clones only"), ("with pushes only", "api with pushes only"),
        ("with runners only", "api with runners only")))
    paths = "; ".join(f"{kind.removeprefix('api ')}: {p99_p50(values)}"
                      for kind, values in sorted(latencies.items()) if kind.startswith("api /"))
    return [
        table.Row(f"mixed load ({where}): API p99 ≤ 100 ms",
                  f"{p99_p50(api)} ({counts.get('api', 0)} requests in "
                  f"{result['elapsed']:.0f} s); per path: {paths}",
                  f"same API mix and rate alone: {p99_p50(base)}; {phases}",
                  p99 <= P99_TARGET, db),
        table.Row(f"mixed load ({where}): 0 errors",
                  f"{len(errors)} errors" + (": " + "; ".join(errors[:3]) if errors else ""),
                  f"{counts.get('clone', 0)} clones (p50 "
                  f"{percentile(latencies.get('clone', [0]), 0.5) * 1000:.0f} ms), "
                  f"{counts.get('push', 0)} pushes (p50 "
                  f"{percentile(latencies.get('push', [0]), 0.5) * 1000:.0f} ms)",
                  not errors, db),
        table.Row(f"mixed load ({where}): 0 lost pushes or runs",
                  f"{lost_count} lost" + (": " + json.dumps(lost)[:300] if lost_count else ""),
                  f"{result['pushed']} pushes acknowledged", not lost_count, db),
    ]


def rows() -> list[table.Row]:
    """Issue 13 item 6 on each of ``table.databases()``, host runners; the load lasts 15 ×
    ``table.seconds()`` (60 s by default, the issue's figure)."""
    found: list[table.Row] = []
    for database in table.databases():
        with table.database_server(database) as server:
            found += table_rows(measure(15 * table.seconds(), "host", server))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--backend", choices=("host", "docker"), default="host")
    parser.add_argument("--database-url", help="a PostgreSQL server URL (a fresh database is made)")
    parser.add_argument("--niceness", type=int, action="append", choices=range(20),
                        metavar="N", help="git processes' and jobs' niceness below the server; "
                        "repeat to measure each value in turn (default: the defaults, once)")
    args = parser.parse_args()
    print(f"# mixed load ({API_RATE:.0f} API req/s + {CLONE_RATE:.0f} clones/s + "
          f"{PUSH_RATE:.0f} push/s + {RUNNERS} runners, gunicorn 2 workers)")
    failed = False
    for niceness in args.niceness or [None]:
        result = measure(args.seconds, args.backend, args.database_url, niceness)
        table.print_table(table_rows(result))
        print("# CPU seconds per second by party and phase, and the seconds per second the "
              f"server's threads waited for a core: {cpu_line(result)}", flush=True)
        failed |= bool(result["outcomes"].errors or any(result["lost"].values()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
