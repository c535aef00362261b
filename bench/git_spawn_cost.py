#!/usr/bin/env python3
"""What starting one git process costs the worker that starts it, by how it lowers git's CPU
priority (docs/serving.md, round nine): no lowering (vfork, as subprocess does by default),
``nice -n 10`` in front of git (still vfork; the child execs ``nice``, which execs git), and a
``preexec_fn`` calling ``os.nice`` (subprocess must then fork the whole process and run Python
in the child). A worker's size matters to fork: the process first fills ``--megabytes`` of
heap. Printed per spawn: the starting process's CPU (user + system, which the machine's load
does not inflate), the wall time to git's exit, and the longest pause a second thread saw (a
thread that wakes every 0.5 ms: with the GIL held across a fork, requests wait that long).
Rounds alternate the ways, so each one sees the same load.

Usage: python bench/git_spawn_cost.py [--megabytes 250] [--spawns 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import threading
import time

WAYS = ("plain", "nice prefix", "preexec_fn")


def spawn(way: str, git: str, nice: str) -> None:
    argv = [git, "--version"]
    if way == "nice prefix":
        argv = [nice, "-n", "10", *argv]
    preexec = functools.partial(os.nice, 10) if way == "preexec_fn" else None
    subprocess.run(argv, stdout=subprocess.DEVNULL, preexec_fn=preexec, check=True)  # noqa: PLW1509 - measured


def measure(way: str, spawns: int, git: str, nice: str) -> tuple[float, float, float]:
    """Per spawn: CPU ms of this process, wall ms; and the longest pause of a ticking thread."""
    stop, longest = threading.Event(), [0.0]

    def tick():
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.0005)
            now = time.perf_counter()
            longest[0] = max(longest[0], now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(spawns):
        spawn(way, git, nice)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    stop.set()
    ticker.join()
    return cpu / spawns * 1000, wall / spawns * 1000, longest[0] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=250)
    parser.add_argument("--spawns", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    git, nice = shutil.which("git"), shutil.which("nice")
    heap = [bytearray(1 << 20) for _ in range(args.megabytes)]  # touched: zero-filled pages
    print(f"# {args.spawns} spawns of `git --version` per round, from a process of "
          f"{sum(map(len, heap)) >> 20} MB of heap; rounds alternate the ways")
    print(f"{'way':<12} {'CPU ms/spawn':>13} {'wall ms/spawn':>14} {'longest pause ms':>17}")
    for _ in range(args.rounds):
        for way in WAYS:
            cpu, wall, pause = measure(way, args.spawns, git, nice)
            print(f"{way:<12} {cpu:>13.2f} {wall:>14.2f} {pause:>17.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
