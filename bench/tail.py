#!/usr/bin/env python3
"""Which serving settings move the tail (p99 at 32 connections): same-run pairs.

Several ``plue serve`` servers run at once, one per variant (each on its own SQLite database,
prepared alike by bench/api_hot_path.py), and wrk drives one at a time, the variants
interleaved round by round, so the load other people put on the machine falls on each alike.
A variant is ``name=setting:value,...``; the settings:

- ``threads``: ``[server] threads`` (per worker); ``workers``: gunicorn workers;
- ``switch``: ``sys.setswitchinterval`` in every process of the server, in ms (a
  ``sitecustomize`` on its ``PYTHONPATH``; Python's default is 5 ms);
- ``gc``: ``off`` disables the cyclic collector in every process (to see what its passes
  cost the tail), or a generation-0 threshold (Python's default 700);
- ``freeze``: N has each worker call ``gc.freeze()`` once, after its Nth request (what the
  collector then no longer scans: the worker's own long-lived objects);
- ``peek``: ``off`` puts every kept-alive connection back in the poller as gthread does
  (``PlueWorker.takes_a_waiting_request_at_once`` off);
- ``spread``: ``off`` lets the workers race for each new connection as gthread's do
  (``PlueWorker.spreads_connections`` off: no shared table of their connections);
- ``writes``: ``sqlite`` sends every one-statement write straight to SQLite's lock, whose busy
  handler sleeps between tries, and leaves a RETURNING write's rows to its caller, as peewee
  does; ``read`` reads those rows at once but takes no turns (``SqliteDatabase``'s
  ``takes_turns_to_write`` off); ``turns`` (the default) does both;
- ``tree``: a path to another checkout of Plue (a ``git worktree`` of the base commit) whose
  code the server runs (its root, ``plugins`` and its ``hosts`` as ``plue_hosts`` in front on
  ``PYTHONPATH``): a same-run before/after pair;
- ``accept``: ``always`` accepts new connections as gthread does, whenever the listening
  socket is readable (``PlueWorker.accepts_only_with_a_thread_not_held`` off); ``held`` (the
  default) not while every thread of the worker holds a long-poll.

Usage: python bench/tail.py [--seconds 3] [--rounds 5] [--path "/api/v1/user"]
       --variant base= --variant "t4=threads:4" --variant "sw1=switch:1"
Prints each round's req/s, p50/p99, the workers' CPU time per request (user + system; the
figure the machine's load moves least) and how the 32 connections were spread over the
workers (``ss``, halfway through the round) per variant, then their medians.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading


ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import api_hot_path, load, tail_probes  # noqa: E402
from plue_core.testing import fresh_database_url, run_live_server  # noqa: E402


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    name, _, spec = text.partition("=")
    settings = dict(part.split(":", 1) for part in spec.split(",") if part)
    unknown = set(settings) - {"threads", "workers", "switch", "gc", "accept", "peek", "spread",
                            "writes", "freeze", "tree"}
    if unknown:
        raise SystemExit(f"unknown setting(s) {sorted(unknown)} in variant {text!r}")
    return name, settings


def sitecustomize(directory: pathlib.Path, settings: dict[str, str], probes: pathlib.Path,
                  timed: tuple[str, ...]) -> str:
    """A ``sitecustomize`` applying ``switch``/``gc``/``accept`` in each process and installing
    bench/tail_probes.py's recorders (writing to ``probes``); its directory."""
    lines = [f"import sys; sys.path.append({str(ROOT / 'bench')!r}); import tail_probes; "
             f"tail_probes.install({str(probes)!r}, {tuple(timed)!r})"]
    if settings.get("accept", "held") not in ("held", "always"):
        raise SystemExit(f"accept is 'held' or 'always', not {settings['accept']!r}")
    if settings.get("peek") == "off":
        lines.append("import plue_hosts.worker as w; "
                     "w.PlueWorker.takes_a_waiting_request_at_once = False")
    if settings.get("spread") == "off":
        lines.append("import plue_hosts.worker as w; w.PlueWorker.spreads_connections = False")
    if settings.get("accept") == "always":
        lines.append("import plue_hosts.worker as w; "
                     "w.PlueWorker.accepts_only_with_a_thread_not_held = False")
    if settings.get("writes", "turns") not in ("turns", "read", "sqlite"):
        raise SystemExit(f"writes is 'turns', 'read' or 'sqlite', not {settings['writes']!r}")
    if settings.get("writes") in ("read", "sqlite"):
        lines.append("import plue_core.sqlite_database as s; "
                     "s.SqliteDatabase.takes_turns_to_write = False")
    if settings.get("writes") == "sqlite":
        lines.append("import plue_core.sqlite_database as s; "
                     "s.SqliteDatabase.reads_returned_rows_at_once = False")
    if "switch" in settings:
        lines.append(f"import sys; sys.setswitchinterval({float(settings['switch']) / 1000!r})")
    if "freeze" in settings:
        lines.append(f"import tail_probes; tail_probes.freeze_after({int(settings['freeze'])})")
    if settings.get("gc") == "off":
        lines.append("import gc; gc.disable()")
    elif "gc" in settings:
        lines.append(f"import gc; gc.set_threshold({int(settings['gc'])}, 10, 10)")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sitecustomize.py").write_text("\n".join(lines) + "\n")
    if "tree" not in settings:
        return str(directory)
    tree = pathlib.Path(settings["tree"]).resolve()
    (directory / "plue_hosts").symlink_to(tree / "hosts")  # as setup.py maps the folder
    return os.pathsep.join([str(directory), str(tree), str(tree / "plugins")])


def variant_server(stack: contextlib.ExitStack, tmp: pathlib.Path, settings: dict[str, str],
                   timed: tuple[str, ...] = ()):
    """A ``plue serve`` with these settings, stopped when ``stack`` closes; its processes'
    probes write to ``tmp / "probes"``."""
    (tmp / "probes").mkdir(parents=True)
    site = sitecustomize(tmp / "site", settings, tmp / "probes", timed)
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [site, saved]))
    try:
        database_url = stack.enter_context(fresh_database_url(tmp))
        server = stack.enter_context(run_live_server(
            tmp, database_url, workers=int(settings.get("workers", api_hot_path.WORKERS)),
            server={"threads": int(settings.get("threads", api_hot_path.THREADS))},
            accounts={"bcrypt_rounds": 10}, monitoring={"rate_limit_general": 1_000_000_000}))
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved
    return server


def spread(port: str) -> str:
    """How many established connections each process holds on ``port``, largest first."""
    listed = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
                            capture_output=True, text=True).stdout
    held: dict[str, int] = {}
    for line in listed.splitlines():
        for part in line.split("pid=")[1:]:
            pid = part.split(",")[0]
            held[pid] = held.get(pid, 0) + 1
    return "/".join(str(count) for count in sorted(held.values(), reverse=True)) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", required=True)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=load.CONNECTIONS)
    parser.add_argument("--path", default="repo GET (token)",
                        help="a hot path's label in bench/api_hot_path.py")
    parser.add_argument("--time", action="append", default=[], metavar="MODULE:FUNCTION",
                        help="also time each call of this function in the workers")
    args = parser.parse_args()
    variants = [parse_variant(text) for text in args.variant]
    with tempfile.TemporaryDirectory(prefix="plue-tail-") as name, contextlib.ExitStack() as stack:
        tmp = pathlib.Path(name)
        servers = {}
        for label, settings in variants:
            server = variant_server(stack, tmp / label, settings, tuple(args.time))
            paths = api_hot_path.hot_paths(api_hot_path.prepare(server))
            servers[label] = (server, paths[args.path])
        # What the probes wrote while the servers started and were prepared is not counted.
        offsets: dict = {}
        for label in servers:
            tail_probes.read(tmp / label / "probes", offsets)
        probed: dict[str, dict[str, list]] = {
            label: {"gc": [], "request": [], "timed": []} for label in servers}
        print(f"# {args.path}; {load.generator()}, {args.connections} connections, "
              f"{args.seconds:g} s x {args.rounds} rounds, interleaved; load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        found: dict[str, list[dict]] = {label: [] for label in servers}
        for round_number in range(args.rounds):
            order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
            for label in order:
                server, spec = servers[label]
                seen: list[str] = []
                sampler = threading.Timer(args.seconds / 2, lambda: seen.append(
                    spread(server.url.rsplit(":", 1)[1])))
                sampler.start()
                result = load.measured(server.process.pid, server.url + spec["path"],
                                       seconds=args.seconds, headers=spec["headers"],
                                       connections=args.connections,
                                       method=spec.get("method", "GET"), body=spec.get("body"))
                sampler.join()
                found[label].append(result)
                for kind, lines in tail_probes.read(tmp / label / "probes", offsets).items():
                    probed[label][kind].extend(lines)
                print(f"round {round_number + 1} {label:10} {result['rate']:7.0f} req/s "
                      f"p50 {result['p50']:6.1f} p99 {result['p99']:7.1f} ms "
                      f"CPU {result['cpu_ms']:.3f} ms/req errors {result['errors']} "
                      f"connections per worker "
                      f"{seen[0] if seen else '-'}", flush=True)
        print(f"\n# medians; load average {os.getloadavg()[0]:.1f}")
        print(f"{'variant':10} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'p99/p50':>7} "
              f"{'CPU ms/req':>10}  settings")
        for label, settings in variants:
            rate, p50, p99, cpu = (statistics.median(r[key] for r in found[label])
                                   for key in ("rate", "p50", "p99", "cpu_ms"))
            print(f"{label:10} {rate:7.0f} {p50:7.1f} {p99:7.1f} {p99 / p50:7.1f} {cpu:10.3f}"
                  f"  {settings}")
        print_probes(probed, args.time)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def print_probes(probed: dict[str, dict[str, list]], timed: list[str]) -> None:
    """Inside the workers, all rounds of each variant together: the collector's passes per
    10,000 requests answered, and where a request's time went (bench/tail_probes.py)."""
    print("\n# inside the servers, all rounds: the collector's passes per generation (per 10,000 "
          "requests; the longest in CPU ms and in wall ms; CPU ms per 10,000 requests); a "
          "request's phases, p50 / p99 / max wall ms")
    print(f"{'variant':10} {'requests':>8}  {'gen 0':>22} {'gen 1':>22} {'gen 2':>22}   "
          f"{'queue':>17} {'service':>17} {'main thread':>17}")
    for label, found in probed.items():
        requests = len(found["request"])
        per = 10_000 / max(1, requests)
        cells = []
        for generation in "012":
            pauses = [(int(us) / 1000, int(cpu) / 1000)
                      for gen, us, cpu in found["gc"] if gen == generation]
            cells.append(f"{len(pauses) * per:5.1f} {max((p[1] for p in pauses), default=0):4.1f} "
                         f"{max((p[0] for p in pauses), default=0):5.1f} "
                         f"{sum(p[1] for p in pauses) * per:5.0f}")
        phases = []
        for column in range(3):
            values = [int(fields[column]) / 1000 for fields in found["request"]]
            phases.append(f"{percentile(values, 0.5):5.2f} {percentile(values, 0.99):5.1f} "
                          f"{max(values, default=0):5.0f}")
        print(f"{label:10} {requests:8}  {' '.join(f'{c:>22}' for c in cells)}   "
              f"{' '.join(f'{p:>17}' for p in phases)}")
    for name in timed:
        print(f"\n# {name}: calls, p50 / p99 / max ms")
        for label, found in probed.items():
            values = [int(us) / 1000 for called, us in found["timed"] if called == name]
            print(f"{label:10} {len(values):8}  {percentile(values, 0.5):6.2f} "
                  f"{percentile(values, 0.99):6.1f} {max(values, default=0):6.0f}")


if __name__ == "__main__":
    main()
