"""Clone over Plue's SSH server versus over Plue's smart HTTP, same server, same run.

    .venv/bin/python bench/ssh_clone.py [--commits 5000] [--megabytes 20] [--runs 3]
                                        [--concurrency 8] [--idle-seconds 5] [--postgres]

1. Builds a repository of ``--commits`` commits with ``git fast-import`` (as
   bench/git_transport.py does) and pushes it to Plue over HTTP.
2. Starts Plue for real (``plue serve``: gunicorn with 2 workers, and the ``plue daemons``
   process holding the one SSH listener; SQLite, or PostgreSQL with ``--postgres``), a user
   with an ed25519 key made here.
3. Times ``git clone --bare`` over SSH and over HTTP, alternating which goes first, and keeps
   the median of ``--runs`` (target: SSH / HTTP <= 1.3), with the median of as many ``ssh``
   round trips without a command (the connection's own cost: handshake, key lookup, greeting)
   and the load average over the clones; then ``--concurrency`` simultaneous
   SSH clones, counting failures (target: none); then the CPU the idle daemons process uses
   over ``--idle-seconds`` (target: none measurable, at most two 10 ms clock ticks).

``rows()`` gives ``make bench`` its rows (bench/table.py) on the databases of
``PLUE_BENCH_DATABASES``; ``main()`` prints the same table for one run.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import psutil
import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from git_transport import GIT_ENV, build_repository, git  # noqa: E402

from bench import table  # noqa: E402
from plue_core.testing import DEFAULT_PASSWORD, free_port, run_live_server  # noqa: E402

TARGET_RATIO = 1.3
IDLE_CPU_NOISE = 0.02  # seconds: two of the kernel's 10 ms CPU clock ticks


def _wait_for_port(port: int, timeout: float = 30) -> None:
    import socket
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _clone(url: str, target: pathlib.Path, env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(["git", "clone", "-q", "--bare", url, str(target)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    shutil.rmtree(target)
    return elapsed


def _round_trip(ssh_command: list[str]) -> float:
    """One ``ssh git@host`` without a command: connect, authenticate, greeting, exit."""
    start = time.perf_counter()
    subprocess.run([*ssh_command, "-T", "git@127.0.0.1"], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def _daemons_process(server) -> psutil.Process:
    tree = psutil.Process(server.process.pid).children(recursive=True)
    return next(p for p in tree if "daemons" in " ".join(p.cmdline()).split())  # its title


def measure(commits: int = 5000, megabytes: int = 20, runs: int = 3, concurrency: int = 8,
            idle_seconds: float = 5.0, database: str = "sqlite") -> dict:
    """The figures on ``database`` (``sqlite`` or ``postgresql``: bench.table.database_url)."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="plue-bench-ssh-"))
    try:
        source = work / "source.git"
        build_repository(source, commits, megabytes)
        key = work / "id_ed25519"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        ssh_port = free_port()
        plue_tmp = work / "plue"
        plue_tmp.mkdir()
        with table.scratch_database(database) as url, \
                run_live_server(plue_tmp, url, daemons={"mode": "serve"},
                                ssh={"bind": f"127.0.0.1:{ssh_port}"},
                                accounts={"bcrypt_rounds": 10}) as server:
            _wait_for_port(ssh_port)
            server.plue("admin", "user", "create", "--username", "bench", "--password",
                        DEFAULT_PASSWORD, "--email", "bench@example.org")
            auth = ("bench", DEFAULT_PASSWORD)
            api = f"{server.url}/api/v1"
            requests.post(f"{api}/user/repos", json={"name": "big"}, auth=auth).raise_for_status()
            requests.post(f"{api}/user/keys", json={"title": "bench", "key": key.with_suffix(".pub").read_text()},
                          auth=auth).raise_for_status()
            for _ in range(12):  # warm both workers' password caches (bcrypt once per worker)
                requests.get(f"{api}/user", auth=auth, headers={"Connection": "close"})
            host = server.url.removeprefix("http://")
            http_url = f"http://bench:{DEFAULT_PASSWORD}@{host}/bench/big.git"
            git("push", "-q", http_url, "main", cwd=source)
            ssh_url = requests.get(f"{api}/repos/bench/big", auth=auth).json()["ssh_url"]
            ssh_command = [
                "ssh", "-i", str(key), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={work / 'known_hosts'}",
                "-o", "LogLevel=ERROR"]
            ssh_env = {**GIT_ENV, "GIT_SSH_COMMAND": shlex.join(ssh_command)}
            urls = {"ssh": (ssh_url, ssh_env), "http": (http_url, GIT_ENV)}

            times: dict[str, list[float]] = {"ssh": [], "http": []}
            round_trips = []
            loads = []
            for run in range(runs):
                for label in (["ssh", "http"] if run % 2 == 0 else ["http", "ssh"]):
                    url, env = urls[label]
                    times[label].append(_clone(url, work / f"{label}-{run}", env))
                round_trips.append(_round_trip([*ssh_command, "-p", str(ssh_port)]))
                loads.append(os.getloadavg()[0])

            failures = 0

            def parallel(index: int) -> None:
                nonlocal failures
                try:
                    _clone(ssh_url, work / f"parallel-{index}", ssh_env)
                except subprocess.CalledProcessError:
                    failures += 1

            started = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                list(pool.map(parallel, range(concurrency)))
            parallel_seconds = time.perf_counter() - started

            daemons = _daemons_process(server)
            time.sleep(1)  # let the last sessions close
            before = daemons.cpu_times()
            time.sleep(idle_seconds)
            after = daemons.cpu_times()
            idle_cpu = (after.user + after.system) - (before.user + before.system)
        pack = sum(p.stat().st_size for p in (source / "objects" / "pack").glob("*.pack"))
        return {"database": table.label(database), "commits": commits, "pack_bytes": pack, "runs": runs,
                "ssh": statistics.median(times["ssh"]), "http": statistics.median(times["http"]),
                "round_trip": statistics.median(round_trips), "load": statistics.median(loads),
                "concurrency": concurrency, "parallel_seconds": parallel_seconds,
                "failures": failures, "idle_seconds": idle_seconds, "idle_cpu": idle_cpu}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table_rows(figures: dict) -> list[table.Row]:
    """The ``make bench`` rows of one measurement (issue 16's bench/ targets)."""
    ratio = figures["ssh"] / figures["http"]
    what = f"{figures['commits']:,} commits, {figures['pack_bytes'] / 1_048_576:.0f} MiB"
    db = figures["database"]
    return [
        table.Row(f"SSH clone ({what}) ≤ {TARGET_RATIO}× HTTP clone",
                  f"{ratio:.2f}× (SSH {figures['ssh']:.2f} s, median of {figures['runs']}; "
                  f"ssh round trip {figures['round_trip'] * 1000:.0f} ms; load {figures['load']:.1f})",
                  f"HTTP {figures['http']:.2f} s", ratio <= TARGET_RATIO, db),
        table.Row(f"{figures['concurrency']} parallel SSH clones without errors",
                  f"{figures['failures']} failed ({figures['parallel_seconds']:.2f} s)", "",
                  figures["failures"] == 0, db),
        # "No measurable CPU": the daemons' own CPU clock ticks are 10 ms.
        table.Row("idle SSH server: no measurable CPU",
                  f"{figures['idle_cpu']:.2f} s CPU over {figures['idle_seconds']:g} s", "",
                  figures["idle_cpu"] <= IDLE_CPU_NOISE, db),
    ]


def rows() -> list[table.Row]:
    """Issue 16's targets on each of ``table.databases()``: 5,000 commits of 20 MB, the median
    of 2 × ``table.rounds()`` - 1 clones each way (3 by default; odd, so it is one clone's
    time), 8 parallel clones, the idle CPU over ``table.seconds()``."""
    found: list[table.Row] = []
    for database in table.databases():
        found += table_rows(measure(runs=2 * table.rounds() - 1, idle_seconds=table.seconds(),
                                    database=database))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    options = parser.parse_args()
    table.print_table(table_rows(measure(
        commits=options.commits, megabytes=options.megabytes, runs=options.runs,
        concurrency=options.concurrency, idle_seconds=options.idle_seconds,
        database="postgresql" if options.postgres else "sqlite")))


if __name__ == "__main__":
    main()
