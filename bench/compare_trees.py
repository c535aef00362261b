#!/usr/bin/env python3
"""The measurements of bench/actions_latency.py (pickup, 4-runner throughput, plain requests)
for two source trees at the same time, so both servers share the machine's load: this
checkout and OTHER (another checkout or ``git archive`` of a commit). On a shared machine the
load swings measurements by 2-3x from one minute to the next; running both servers side by
side, each measurement at the same moment on both, is what makes them comparable.

Each round starts a real gunicorn (2 workers, defaults) per tree on a fresh SQLite database.
With ``--subscribe``, a WebSocket client subscribed to every event type stays connected to
each server that serves ``/api/ws`` during the measurements (the feed then does its work).
Usage: python bench/compare_trees.py OTHER [--rounds 3] [--subscribe] [--this-tree PATH]
       [--other-config section.key=value]   (e.g. an old tree with server.worker=asgi)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pathlib
import statistics
import sys
import tempfile
import threading

import requests

HERE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "bench"))

import actions_latency as bench  # noqa: E402
from plue_core.testing import fresh_database_url, run_live_server  # noqa: E402


@contextlib.contextmanager
def inside(tree: pathlib.Path):
    """Run ``plue`` commands from ``tree``'s code (a child imports from its working directory)."""
    here = os.getcwd()
    os.chdir(tree)
    try:
        yield
    finally:
        os.chdir(here)


@contextlib.contextmanager
def server_from(tree: pathlib.Path, tmp: pathlib.Path, config: dict):
    """``plue serve`` run from ``tree``'s code."""
    with contextlib.ExitStack() as stack:
        with inside(tree):
            url = stack.enter_context(fresh_database_url(tmp))
            server = stack.enter_context(run_live_server(tmp, url, workers=2, **config))
        yield server


class Subscriber(threading.Thread):
    """Holds a WebSocket subscribed to every produced event type; counts what arrives."""

    def __init__(self, url: str, username: str):
        super().__init__(daemon=True)
        self.url, self.username, self.events, self.stop = url, username, 0, threading.Event()
        self.connected = False

    def run(self):
        from websockets.sync.client import connect
        login = requests.post(f"{self.url}/api/auth/login", timeout=30,
                              json={"username": self.username, "password": bench.PASSWORD})
        try:
            socket = connect(self.url.replace("http://", "ws://") + "/api/ws", open_timeout=10,
                             additional_headers={"Authorization": f"Bearer {login.json()['token']}"})
        except Exception:
            return  # this tree does not serve /api/ws
        with socket:
            socket.send(json.dumps({"type": "subscribe", "events": [
                "job_status", "runner_status", "system_alerts"]}))
            self.connected = True
            while not self.stop.is_set():
                try:
                    if json.loads(socket.recv(timeout=0.5))["type"] in (
                            "job_status", "runner_status", "system_alerts"):
                        self.events += 1
                except TimeoutError:
                    continue


def side_by_side(measure, servers: dict) -> dict:
    """``measure(name)`` for every server at once; their answers by name."""
    answers: dict = {}
    threads = [threading.Thread(target=lambda n=name: answers.__setitem__(n, measure(n)))
               for name in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def one_round(trees: dict[str, tuple[pathlib.Path, dict]], subscribe: bool) -> dict:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as scratch, \
            contextlib.ExitStack() as stack:
        servers, prepared, listeners = {}, {}, {}
        for name, (tree, config) in trees.items():
            (pathlib.Path(scratch) / name).mkdir()
            servers[name] = stack.enter_context(server_from(tree, pathlib.Path(scratch) / name,
                                                            config))
            live = servers[name]

            def run_cli(*arguments, live=live, tree=tree):
                with inside(tree):
                    return live.plue(*arguments).stdout

            prepared[name] = bench.prepare(live.url, run_cli)
            if subscribe:
                listeners[name] = Subscriber(live.url, "bench")
                listeners[name].start()
        pickup = side_by_side(lambda n: bench.measure_pickup(
            servers[n].url, prepared[n][0], prepared[n][2]), servers)
        throughput = side_by_side(lambda n: bench.measure_throughput(
            servers[n].url, prepared[n][0], prepared[n][2]), servers)
        plain = side_by_side(lambda n: bench.measure_plain_requests(
            servers[n].url, prepared[n][1], prepared[n][2]), servers)
        for listener in listeners.values():
            listener.stop.set()
        return {name: {"pickup": pickup[name], "throughput": throughput[name],
                       "plain": plain[name],
                       "events": listeners[name].events if name in listeners and
                       listeners[name].connected else None} for name in trees}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=pathlib.Path, help="the other source tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--subscribe", action="store_true",
                        help="keep a WebSocket subscriber on each server that serves /api/ws")
    parser.add_argument("--this-tree", type=pathlib.Path, default=HERE)
    parser.add_argument("--other-config", action="append", default=[],
                        help="a setting for the other server, section.key=value")
    args = parser.parse_args()
    os.environ.pop("PLUE_TEST_DATABASE_URL", None)
    other_config: dict = {}
    for setting in args.other_config:
        key, value = setting.split("=", 1)
        section, name = key.split(".", 1)
        other_config.setdefault(section, {})[name] = value
    trees = {"this": (args.this_tree.resolve(), {}), "other": (args.other.resolve(), other_config)}
    print(f"this:  {trees['this'][0]}\nother: {trees['other'][0]} {other_config or ''}")
    rounds = []
    for number in range(1, args.rounds + 1):
        result = one_round(trees, args.subscribe)
        rounds.append(result)
        print(f"round {number} (load {os.getloadavg()[0]:.1f})")
        for name, figures in result.items():
            print(f"  {name:5} pickup p50 {figures['pickup']['p50'] * 1000:6.1f} ms "
                  f"p95 {figures['pickup']['p95'] * 1000:6.1f} ms | "
                  f"{figures['throughput']['per_second']:5.1f} jobs/s "
                  f"({figures['throughput']['unique']} distinct of {figures['throughput']['jobs']}) | "
                  f"plain {figures['plain']['per_second']:6.1f} req/s "
                  f"p95 {figures['plain']['p95'] * 1000:6.1f} ms | "
                  f"ws events {figures['events'] if figures['events'] is not None else '-'}")
        sys.stdout.flush()
    print("median over rounds")
    for name in trees:
        def median(path):
            return statistics.median(r[name][path[0]][path[1]] for r in rounds)
        print(f"  {name:5} pickup p50 {median(('pickup', 'p50')) * 1000:6.1f} ms "
              f"p95 {median(('pickup', 'p95')) * 1000:6.1f} ms | "
              f"{median(('throughput', 'per_second')):5.1f} jobs/s | "
              f"plain {median(('plain', 'per_second')):6.1f} req/s "
              f"p95 {median(('plain', 'p95')) * 1000:6.1f} ms")
    return 0 if all(r[n]["throughput"]["unique"] == 200 for r in rounds for n in trees) else 1


if __name__ == "__main__":
    sys.exit(main())
