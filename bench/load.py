"""The load generator of the bench scripts: wrk (2 threads, N connections) when installed, else
installed from Debian's archive by this module (saying so), else a Python generator
(``PLUE_BENCH_GENERATOR=python`` chooses it even when wrk is there).

``load(url, seconds=..., headers=...)`` returns ``{"rate", "p50", "p99", "errors"}`` (req/s,
milliseconds, non-2xx/3xx answers plus failed connections). The Python generator spreads the
connections over two processes of threads with keep-alive connections; it costs more CPU than
wrk, so on a 2-core machine it leaves the server less: its rates are lower than wrk's, which
is why each ratio's baseline is measured with the same generator in the same run.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CONNECTIONS = 32
_generator: str | None = None


def generator() -> str:
    """``wrk`` or ``python``: which generator this run uses, installing wrk once if it can."""
    global _generator
    if _generator is None:
        if os.environ.get("PLUE_BENCH_GENERATOR") == "python":
            _generator = "python"
        else:
            _generator = "wrk" if shutil.which("wrk") or _install_wrk() else "python"
    return _generator


def _install_wrk() -> bool:
    if not shutil.which("apt-get"):
        return False
    command = ["apt-get", "install", "-y", "-q", "wrk"]
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            return False
        command = ["sudo", "-n", *command]
    print(f"bench: wrk is not installed; installing it: {' '.join(command)}", file=sys.stderr,
          flush=True)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not shutil.which("wrk"):
        print("bench: could not install wrk; using the Python load generator "
              f"({done.stderr.strip().splitlines()[-1:] or ''})", file=sys.stderr, flush=True)
        return False
    return True


def workers_cpu(master_pid: int) -> float:
    """CPU seconds (user + system) the gunicorn workers under ``master_pid`` have used so far.
    Per request it is the figure the machine's load moves least (a rate halves when seven
    other test suites share the cores; the CPU a request takes does not): the bench scripts
    print it beside each rate. Only the workers' own: a PostgreSQL server's work is not in
    it."""
    import psutil

    total = 0.0
    for child in psutil.Process(master_pid).children():
        try:
            if "worker" in " ".join(child.cmdline()):
                total += sum(child.cpu_times()[:2])
        except psutil.Error:
            pass
    return total


def measured(master_pid: int, url: str, *, seconds: float, headers: dict, **options) -> dict:
    """:func:`load`'s figures and ``cpu_ms``: the server's workers' CPU per request answered."""
    before = workers_cpu(master_pid)
    found = load(url, seconds=seconds, headers=headers, **options)
    found["cpu_ms"] = ((workers_cpu(master_pid) - before) * 1000
                       / max(1.0, found["rate"] * max(1, int(seconds))))
    return found


def load(url: str, *, seconds: float, headers: dict, method: str = "GET",
         body: str | None = None, connections: int = CONNECTIONS) -> dict:
    if generator() == "wrk":
        return _wrk(url, seconds, headers, method, body, connections)
    return _python(url, seconds, headers, method, body, connections)


# --- wrk -----------------------------------------------------------------------------------------

_LUA = """wrk.method = "{method}"
wrk.body = {body}
{headers}
"""


def _wrk(url, seconds, headers, method, body, connections) -> dict:
    with tempfile.TemporaryDirectory(prefix="plue-wrk-") as tmp:
        script = pathlib.Path(tmp) / "request.lua"
        script.write_text(_LUA.format(
            method=method, body=f"[[{body}]]" if body is not None else "nil",
            headers="\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())))
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{max(1, int(seconds))}s",
                              "--latency", "-s", str(script), url],
                             capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", out)

    def latency(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rate": rate, "p50": latency("50"), "p99": latency("99"),
            "errors": (int(errors.group(1)) if errors else 0)
            + (sum(map(int, socket_errors.groups())) if socket_errors else 0)}


# --- the Python generator -------------------------------------------------------------------------


def _python(url, seconds, headers, method, body, connections) -> dict:
    processes = 2
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    spread = [connections // processes + (i < connections % processes) for i in range(processes)]
    start_at = time.time() + 0.5
    workers = [context.Process(target=_python_process,
                               args=(queue, url, start_at, seconds, headers, method, body, n))
               for n in spread if n]
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    errors = 0
    for _ in workers:
        found, failed = queue.get()
        latencies.extend(found)
        errors += failed
    for worker in workers:
        worker.join()
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 \
            if latencies else 0.0

    return {"rate": len(latencies) / seconds, "p50": percentile(0.50),
            "p99": percentile(0.99), "errors": errors}


def _python_process(queue, url, start_at, seconds, headers, method, body, threads) -> None:
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    payload = body.encode() if body is not None else None
    results: list[tuple[list[float], int]] = []

    def one_connection():
        latencies, errors = [], 0
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        time.sleep(max(0.0, start_at - time.time()))
        deadline = start_at + seconds
        while time.time() < deadline:
            began = time.perf_counter()
            try:
                connection.request(method, target, body=payload, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    errors += 1
                latencies.append(time.perf_counter() - began)
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
        connection.close()
        results.append((latencies, errors))

    pool = [threading.Thread(target=one_connection) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put(([value for found, _ in results for value in found],
               sum(failed for _, failed in results)))
