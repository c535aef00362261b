#!/usr/bin/env python3
"""System calls per request in the gunicorn workers, per variant (bench/tail.py's settings,
``tree:PATH`` for a before/after pair): a figure the machine's load does not move.

Each variant's server runs; wrk drives one at a time while ``strace -c -f`` follows its
workers. Requests are counted from the workers' ``sendto`` calls (two per answer: gunicorn
sends the head, then the body), so requests wrk saw time out under strace do not skew it.
Most of these calls release the GIL, which under load means a wait to take it back (most
of a light request's wall time in the worker: docs/serving.md, "Round ten").

Usage: python bench/worker_syscalls.py --variant after= --variant "before=tree:../base"
       [--path "/api/v1/user"] [--seconds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import api_hot_path, load, tail  # noqa: E402

SHOWN = ("ioctl", "epoll_ctl", "sendto", "recvfrom", "write", "getpid", "fcntl")
_ROW = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$", re.M)


def counted(master_pid: int, url: str, spec: dict, seconds: float, out: pathlib.Path) -> dict:
    """Calls per request of each system call the workers made while wrk ran."""
    import psutil

    workers = [child.pid for child in psutil.Process(master_pid).children()
               if "worker" in " ".join(child.cmdline())]
    tracer = subprocess.Popen(["strace", "-c", "-f", "-o", str(out),
                               *(arg for pid in workers for arg in ("-p", str(pid)))],
                              stderr=subprocess.DEVNULL)
    time.sleep(1)  # attached
    load.load(url + spec["path"], seconds=seconds, headers=spec["headers"],
              method=spec.get("method", "GET"), body=spec.get("body"))
    tracer.send_signal(signal.SIGINT)
    tracer.wait()
    calls = {name: int(count) for count, name in _ROW.findall(out.read_text())}
    requests = calls.get("sendto", 0) / 2
    return {name: count / requests for name, count in calls.items()} if requests else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", required=True)
    parser.add_argument("--path", default="/api/v1/user")
    parser.add_argument("--seconds", type=float, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plue-syscalls-") as name, \
            contextlib.ExitStack() as stack:
        tmp = pathlib.Path(name)
        servers = {}
        for text in args.variant:
            label, settings = tail.parse_variant(text)
            server = tail.variant_server(stack, tmp / label, settings)
            servers[label] = (server, api_hot_path.hot_paths(api_hot_path.prepare(server)))
        print(f"# {args.path}: system calls per request in the workers (strace -c)")
        print(f"{'variant':10} " + " ".join(f"{name:>9}" for name in SHOWN))
        for label, (server, paths) in servers.items():
            per = counted(server.process.pid, server.url, paths[args.path], args.seconds,
                          tmp / f"{label}.strace")
            print(f"{label:10} " + " ".join(f"{per.get(name, 0):9.2f}" for name in SHOWN))


if __name__ == "__main__":
    main()
