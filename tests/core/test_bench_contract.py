"""``make bench`` (bench/run_all.py) calls ``rows()`` of every module in ``BENCH_MODULES`` with no
argument and prints what they return in one table (bench/table.py, bench/README.md). Modules
written apart drift from that contract; this imports each one, runs no benchmark, and checks
the entry point is there. In a subprocess: the bench scripts put bench/ on sys.path."""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

CHECK = """
import inspect, json, sys, typing
sys.path.insert(0, sys.argv[1])
from bench import run_all, table
found = {}
for name in run_all.BENCH_MODULES:
    module = __import__(name, fromlist=["rows"])
    rows = getattr(module, "rows", None)
    required = [p.name for p in inspect.signature(rows).parameters.values()
                if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                ] if callable(rows) else None
    returns = typing.get_type_hints(rows).get("return") if callable(rows) else None
    found[name] = {"callable": callable(rows), "required": required,
                   "returns rows": returns == list[table.Row],
                   "main": callable(getattr(module, "main", None))}
print(json.dumps(found))
"""


def test_every_bench_module_has_rows_without_arguments_returning_table_rows_and_a_main():
    result = subprocess.run([sys.executable, "-c", CHECK, str(ROOT)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    # Every table module of issues 12-16 is listed (a module dropped from the list would
    # silently leave its targets out of the table).
    assert {"bench.api_hot_path", "bench.memory", "bench.push_to_pickup", "bench.mixed_load",
            "bench.webhook_push_latency", "bench.web_pages", "bench.ssh_clone",
            "bench.response_shapes"} <= set(found)
    for name, module in found.items():
        assert module == {"callable": True, "required": [], "returns rows": True,
                          "main": True}, name
