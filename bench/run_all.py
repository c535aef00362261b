#!/usr/bin/env python3
"""``make bench``: run the bench modules and print one table of the targets of issues 12-16, each
with this run's figure and its same-run baseline.

Each module in ``BENCH_MODULES`` exposes ``rows() -> list[bench.table.Row]`` (the contract is
in bench/table.py and bench/README.md). A module that is not there yet is listed as missing,
not skipped silently; one that fails is reported with its error and the others still run.

Usage: python bench/run_all.py [--only api_hot_path,memory]
Environment: PLUE_BENCH_DATABASES=sqlite,postgresql  PLUE_BENCH_SECONDS=4  PLUE_BENCH_ROUNDS=2
             PLUE_BENCH_GENERATOR=python (skip wrk even when installed)
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import sys
import time
import traceback

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load, table  # noqa: E402

# The table's modules, in order; each has rows() (bench/table.py). tests/core/test_bench_contract.py
# imports every one and checks that.
BENCH_MODULES = [
    "bench.api_hot_path",          # issue 13 items 1-3: hot paths vs bare Falcon and the lean app, lists
    "bench.memory",                # issue 13 item 4: idle RSS of the server tree, a worker's growth
    "bench.push_to_pickup",        # issue 13 item 5: push -> job in progress p50/p95, idle runner queries/s
    "bench.mixed_load",            # issue 13 item 6: 60 s of mixed load, API p99, 0 errors, 0 lost
    "bench.webhook_push_latency",  # issue 14: a push with 50 hooks not slower than with none
    "bench.web_pages",             # issue 15: each main page's p50 <= 30 ms, next to the API's
    "bench.ssh_clone",             # issue 16: 5,000-commit SSH clone <= 1.3x HTTP, 8 parallel, idle CPU
    "bench.response_shapes",       # issue 12 item 4: what a shape costs per body (context figures)
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated module names (without bench.)")
    args = parser.parse_args()
    wanted = {f"bench.{name.strip()}" for name in args.only.split(",")} if args.only else None
    rows: list[table.Row] = []
    started = time.monotonic()
    print(f"# make bench: databases {', '.join(table.databases())}; load generator "
          f"{load.generator()}; {table.seconds():g} s per load\n", flush=True)
    for name in BENCH_MODULES:
        if wanted and name not in wanted:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            rows.append(table.Row(f"{name}: not in this tree", "-"))
            continue
        print(f"\n## {name}", flush=True)
        try:
            rows.extend(module.rows())
        except Exception:  # one broken module must not hide the others' figures
            traceback.print_exc()
            rows.append(table.Row(f"{name}: failed (its traceback is above)", "-", met=False))
    print(f"\n# the targets of issues 12-16, measured in this run ({time.monotonic() - started:.0f} s; "
          "this machine: see docs/serving.md for what its load does to the figures)\n")
    table.print_table(rows)


if __name__ == "__main__":
    main()
