#!/usr/bin/env python3
"""What the transport to a PostgreSQL on this machine costs per round trip: TCP on 127.0.0.1
against its Unix socket, alternated in blocks on one server. Wall time, this process's CPU
and the server backend's CPU (``/proc/<pid>/stat``) per round trip of a prepared one-row read,
as Plue's hot reads are executed (docs/serving.md, "Round eight: statements").

Usage: python bench/pg_transport.py [--database-url postgresql://user@127.0.0.1:PORT/db]
       [--round-trips 3000] [--blocks 6]
(without a URL a throwaway cluster is started, tools/postgres-test-cluster.sh)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench import table  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) the backend ``pid`` has used."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


ONE = "SELECT oid, datname FROM pg_database WHERE datname = %s"


def session(url: str):
    connection = psycopg.connect(url, autocommit=True)
    cursor = connection.cursor()
    cursor.execute(ONE, ("postgres",), prepare=True)
    cursor.execute("SELECT pg_backend_pid()")
    return cursor, cursor.fetchone()[0]


def measure(url: str, round_trips: int, blocks: int) -> None:
    socket = table.socket_url(url)
    if socket is None:
        raise SystemExit(f"{url}: no Unix socket of that server found on this machine")
    ways = {"TCP": session(url), "Unix socket": session(socket)}
    found: dict = {name: ([], [], []) for name in ways}
    for _ in range(blocks):
        for name, (cursor, pid) in ways.items():
            wall, cpu, server = time.perf_counter(), time.process_time(), backend_cpu(pid)
            for _ in range(round_trips):
                cursor.execute(ONE, ("postgres",), prepare=True)
                cursor.fetchall()
            found[name][0].append((time.perf_counter() - wall) / round_trips * 1e6)
            found[name][1].append((time.process_time() - cpu) / round_trips * 1e6)
            found[name][2].append((backend_cpu(pid) - server) / round_trips * 1e6)
    print(f"# per round trip, µs, medians of {blocks} blocks of {round_trips}; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'transport':12} {'wall':>7} {'min wall':>9} {'client CPU':>11} {'backend CPU':>12}")
    for name, (wall, cpu, server) in found.items():
        print(f"{name:12} {statistics.median(wall):7.1f} {min(wall):9.1f} "
              f"{statistics.median(cpu):11.1f} {statistics.median(server):12.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--round-trips", type=int, default=3000)
    parser.add_argument("--blocks", type=int, default=6)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = args.database_url or stack.enter_context(table.scratch_database("postgresql"))
        measure(url, args.round_trips, args.blocks)


if __name__ == "__main__":
    main()
