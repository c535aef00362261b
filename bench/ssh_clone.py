"""Clone over Plue's SSH server versus over Plue's smart HTTP, same server, same run.

    .venv/bin/python bench/ssh_clone.py [--commits 5000] [--megabytes 20] [--runs 3]
                                        [--concurrency 8] [--idle-seconds 5]

1. Builds a repository of ``--commits`` commits with ``git fast-import`` (as
   bench/git_transport.py does) and pushes it to Plue over HTTP.
2. Starts Plue for real (``plue serve``: gunicorn with 2 workers, and the ``plue daemons``
   process holding the one SSH listener; SQLite), a user with an ed25519 key made here.
3. Times ``git clone --bare`` over SSH and over HTTP, alternating which goes first, and keeps
   the median of ``--runs`` (target: SSH / HTTP <= 1.3); then ``--concurrency`` simultaneous
   SSH clones, counting failures (target: none); then the CPU the idle daemons process uses
   over ``--idle-seconds`` (target: none measurable).

``rows()`` returns the figures for the ``make bench`` table; ``main()`` prints them.
"""

from __future__ import annotations

import argparse
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

from plue_core.testing import DEFAULT_PASSWORD, free_port, run_live_server  # noqa: E402

TARGET_RATIO = 1.3


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


def _daemons_process(server) -> psutil.Process:
    tree = psutil.Process(server.process.pid).children(recursive=True)
    return next(p for p in tree if "daemons" in p.cmdline())


def measure(commits: int = 5000, megabytes: int = 20, runs: int = 3, concurrency: int = 8,
            idle_seconds: float = 5.0) -> dict:
    work = pathlib.Path(tempfile.mkdtemp(prefix="plue-bench-ssh-"))
    try:
        source = work / "source.git"
        build_repository(source, commits, megabytes)
        key = work / "id_ed25519"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        ssh_port = free_port()
        plue_tmp = work / "plue"
        plue_tmp.mkdir()
        with run_live_server(plue_tmp, f"sqlite:///{plue_tmp}/plue.db", daemons={"mode": "serve"},
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
            ssh_env = {**GIT_ENV, "GIT_SSH_COMMAND": shlex.join([
                "ssh", "-i", str(key), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={work / 'known_hosts'}",
                "-o", "LogLevel=ERROR"])}
            urls = {"ssh": (ssh_url, ssh_env), "http": (http_url, GIT_ENV)}

            times: dict[str, list[float]] = {"ssh": [], "http": []}
            for run in range(runs):
                for label in (["ssh", "http"] if run % 2 == 0 else ["http", "ssh"]):
                    url, env = urls[label]
                    times[label].append(_clone(url, work / f"{label}-{run}", env))

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
        return {"commits": commits, "pack_bytes": pack, "runs": runs,
                "ssh": statistics.median(times["ssh"]), "http": statistics.median(times["http"]),
                "concurrency": concurrency, "parallel_seconds": parallel_seconds,
                "failures": failures, "idle_seconds": idle_seconds, "idle_cpu": idle_cpu}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def rows(**options) -> list[dict]:
    """The figures as table rows: ``{"benchmark", "measure", "value", "unit", "target"}``
    (``target`` is "" when there is none)."""
    figures = measure(**options)
    ratio = figures["ssh"] / figures["http"]
    name = f"ssh clone ({figures['commits']} commits, {figures['pack_bytes'] / 1_048_576:.0f} MiB)"
    return [
        {"benchmark": name, "measure": "clone over SSH (median)", "value": round(figures["ssh"], 3),
         "unit": "s", "target": ""},
        {"benchmark": name, "measure": "clone over HTTP (median)", "value": round(figures["http"], 3),
         "unit": "s", "target": ""},
        {"benchmark": name, "measure": "SSH / HTTP", "value": round(ratio, 2), "unit": "x",
         "target": f"<= {TARGET_RATIO}"},
        {"benchmark": name, "measure": f"{figures['concurrency']} parallel SSH clones",
         "value": round(figures["parallel_seconds"], 3), "unit": "s", "target": ""},
        {"benchmark": name, "measure": "failed parallel clones", "value": figures["failures"],
         "unit": "", "target": "0"},
        {"benchmark": name, "measure": f"idle daemons CPU over {figures['idle_seconds']:.0f} s",
         "value": round(figures["idle_cpu"], 3), "unit": "s", "target": "~0"},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--megabytes", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    options = parser.parse_args()
    for row in rows(commits=options.commits, megabytes=options.megabytes, runs=options.runs,
                    concurrency=options.concurrency, idle_seconds=options.idle_seconds):
        target = f"  (target {row['target']})" if row["target"] else ""
        print(f"{row['measure']:<36} {row['value']:>10} {row['unit']}{target}")


if __name__ == "__main__":
    main()
