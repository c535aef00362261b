"""Clone and push through Plue versus ``git http-backend``, same machine, same run.

    .venv/bin/python bench/git_transport.py [--commits 5000] [--megabytes 50] [--runs 3]
                                            [--concurrency 8] [--transport auto|git|dulwich]

1. Builds a repository of ``--commits`` commits carrying ``--megabytes`` of incompressible data
   with ``git fast-import`` (seconds, not minutes).
2. Starts Plue for real (``plue serve``: gunicorn, 2 gthread workers, SQLite) and, beside it,
   ``git http-backend`` as CGI behind a minimal threaded Python HTTP server (it decodes chunked
   request bodies, which Python's own CGI handler cannot).
3. Times, on both, each the median of ``--runs`` with the servers taking turns to go first:
   the first push of the whole history (into a fresh repository each run), ``git clone
   --bare``, and a push of 100 new commits; plus ``--concurrency`` simultaneous clones, once.
4. Samples with psutil, every 20 ms during the single clones, the RSS of Plue's gunicorn
   workers (the Python processes) and of the git processes under either server.

Ratios are Plue / http-backend: 1.00 means no overhead. Absolute times do not transfer between
machines; the ratio from one run does.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psutil
import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plue_core.testing import DEFAULT_PASSWORD, run_live_server  # noqa: E402
from plue_git_hosting.transport import choose_transport  # noqa: E402

GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull}


def git(*args, cwd=None, input_stream=None, quiet=True) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True, stdin=input_stream,
                   stdout=subprocess.DEVNULL if quiet else None,
                   stderr=subprocess.DEVNULL if quiet else None)


# --- the test repository ---------------------------------------------------------------------


def build_repository(path: pathlib.Path, commits: int, megabytes: int) -> None:
    """A linear history on ``main``: every commit adds one random (incompressible) file and
    rewrites a small text file, so the pack holds ``megabytes`` MB and real deltas."""
    git("init", "-q", "--bare", "-b", "main", str(path))
    blob_size = max(1, megabytes * 1_000_000 // commits)
    process = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE,
                               env=GIT_ENV)
    out = process.stdin
    start = 1_600_000_000
    for index in range(commits):
        data = os.urandom(blob_size)
        notes = f"commit {index}\n" * 20
        message = f"Commit number {index}\n"
        out.write(b"commit refs/heads/main\n")
        out.write(f"author Bench <bench@example.org> {start + index * 60} +0000\n".encode())
        out.write(f"committer Bench <bench@example.org> {start + index * 60} +0000\n".encode())
        out.write(f"data {len(message)}\n{message}".encode())
        out.write(f"M 100644 inline data/{index % 100:02d}/{index}.bin\ndata {len(data)}\n".encode())
        out.write(data + b"\n")
        out.write(f"M 100644 inline NOTES.txt\ndata {len(notes)}\n{notes}\n".encode())
    out.close()
    if process.wait() != 0:
        raise SystemExit("git fast-import failed")
    git("repack", "-a", "-d", "-q", "--write-bitmap-index", cwd=path)


def extend_repository(path: pathlib.Path, commits: int, tag: str) -> None:
    """``commits`` more commits on top of ``main`` (for the incremental push)."""
    process = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE,
                               env=GIT_ENV)
    out = process.stdin
    out.write(b"commit refs/heads/main\ncommitter Bench <bench@example.org> 1700000000 +0000\n")
    out.write(b"data 5\nmore\nfrom refs/heads/main^0\n")
    out.write(f"M 100644 inline more/{tag}-0.txt\ndata 4\nnew\n\n".encode())
    for index in range(1, commits):
        data = os.urandom(4096)
        out.write(b"commit refs/heads/main\ncommitter Bench <bench@example.org> 1700000000 +0000\n")
        out.write(f"data 5\nmore\nM 100644 inline more/{tag}-{index}.bin\ndata {len(data)}\n".encode())
        out.write(data + b"\n")
    out.close()
    if process.wait() != 0:
        raise SystemExit("git fast-import failed")


# --- git http-backend as CGI ---------------------------------------------------------------


class HttpBackendHandler(BaseHTTPRequestHandler):
    """Runs ``git http-backend`` per request (CGI), streaming both ways."""

    protocol_version = "HTTP/1.0"
    project_root = ""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._cgi()

    def do_POST(self):
        self._cgi()

    def _cgi(self):
        path, _, query = self.path.partition("?")
        env = {"PATH": os.environ["PATH"], "GIT_PROJECT_ROOT": self.project_root,
               "GIT_HTTP_EXPORT_ALL": "1", "PATH_INFO": path, "QUERY_STRING": query,
               "REQUEST_METHOD": self.command, "REMOTE_USER": "bench", "REMOTE_ADDR": "127.0.0.1",
               "CONTENT_TYPE": self.headers.get("Content-Type", ""), "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_CONFIG_GLOBAL": os.devnull, "SERVER_PROTOCOL": "HTTP/1.1"}
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        chunked = self.headers.get("Transfer-Encoding", "").lower() == "chunked"
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            env["CONTENT_LENGTH"] = str(length)
        process = subprocess.Popen(["git", "http-backend"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, env=env, bufsize=0)
        feeder = threading.Thread(target=self._feed, args=(process.stdin, chunked, length))
        feeder.start()
        status, headers = 200, []
        while True:
            line = process.stdout.readline().decode("latin-1").rstrip("\r\n")
            if not line:
                break
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            else:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        while chunk := process.stdout.read(65536):
            self.wfile.write(chunk)
        feeder.join()
        process.wait()

    def _feed(self, stdin, chunked: bool, length: int) -> None:
        try:
            if chunked:
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    stdin.write(self.rfile.read(size))
                    self.rfile.readline()
            else:
                while length > 0:
                    chunk = self.rfile.read(min(65536, length))
                    if not chunk:
                        break
                    stdin.write(chunk)
                    length -= len(chunk)
        except BrokenPipeError:
            pass
        finally:
            stdin.close()


def start_http_backend(project_root: pathlib.Path) -> tuple[ThreadingHTTPServer, str]:
    handler = type("Handler", (HttpBackendHandler,), {"project_root": str(project_root)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


# --- measuring -----------------------------------------------------------------------------


class RssSampler:
    """Peak RSS of the Python server processes and of git processes below ``root_pid``."""

    def __init__(self, root_pid: int, python_depth: int):
        self.root = psutil.Process(root_pid)
        self.python_depth = python_depth  # 1: gunicorn workers are the root's children
        self.peak_python = 0
        self.peak_git = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        try:
            children = self.root.children(recursive=True)
        except psutil.Error:
            return
        for process in children:
            try:
                name = process.name()
                rss = process.memory_info().rss
            except psutil.Error:
                continue
            if name.startswith("git"):
                self.peak_git = max(self.peak_git, rss)
            elif self.python_depth and process.ppid() == self.root.pid:
                self.peak_python = max(self.peak_python, rss)

    def python_rss_now(self) -> int:
        return max((p.memory_info().rss for p in self.root.children() if not p.name().startswith("git")),
                   default=0)

    def __enter__(self):
        def loop():
            while not self._stop.is_set():
                self._sample()
                time.sleep(0.02)
        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def timed(*args, cwd=None) -> float:
    start = time.perf_counter()
    git(*args, cwd=cwd)
    return time.perf_counter() - start


def clone_times(url: str, work: pathlib.Path, label: str, runs: int) -> list[float]:
    times = []
    for run in range(runs):
        target = work / f"{label}-clone-{run}"
        times.append(timed("clone", "-q", "--bare", url, str(target)))
        shutil.rmtree(target)
    return times


def concurrent_clones(url: str, work: pathlib.Path, label: str, count: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(count) as pool:
        list(pool.map(lambda i: git("clone", "-q", "--bare", url, str(work / f"{label}-c{i}")), range(count)))
    elapsed = time.perf_counter() - start
    for index in range(count):
        shutil.rmtree(work / f"{label}-c{index}")
    return elapsed


def mb(value: int) -> str:
    return f"{value / 1_048_576:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--transport", choices=["auto", "git", "dulwich"], default="auto")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    options = parser.parse_args()

    work = pathlib.Path(tempfile.mkdtemp(prefix="plue-bench-"))
    source = work / "source.git"
    print(f"building {options.commits} commits, {options.megabytes} MB with git fast-import ...", flush=True)
    started = time.perf_counter()
    build_repository(source, options.commits, options.megabytes)
    pack_bytes = sum(p.stat().st_size for p in (source / "objects" / "pack").glob("*.pack"))
    print(f"  built in {time.perf_counter() - started:.1f} s: pack {mb(pack_bytes)}")

    settings = {"git_binary": "git", "transport": options.transport, "git_niceness": 0}
    transport = choose_transport(settings)
    reason = ("the git binary is installed, so Plue streams git upload-pack/receive-pack"
              if transport.name == "git" else "dulwich's pure-Python server (forced or no git binary)")
    print(f"Plue transport: {transport.name} ({reason})")

    backend_root = work / "backend"
    backend_root.mkdir()
    results: dict[str, dict[str, float]] = {"plue": {}, "http-backend": {}}
    backend, backend_url = start_http_backend(backend_root)
    try:
        plue_tmp = work / "plue"
        plue_tmp.mkdir()
        with run_live_server(plue_tmp, f"sqlite:///{plue_tmp}/plue.db",
                             git_hosting={"transport": options.transport},
                             accounts={"bcrypt_rounds": 10}) as server:
            server.plue("admin", "user", "create", "--username", "bench", "--password",
                        DEFAULT_PASSWORD, "--email", "bench@example.org")
            auth = ("bench", DEFAULT_PASSWORD)
            names = [f"full{run}" for run in range(options.runs)] + ["incremental"]
            for name in names:
                response = requests.post(f"{server.url}/api/v1/user/repos", json={"name": name}, auth=auth)
                response.raise_for_status()
                git("init", "-q", "--bare", str(backend_root / f"{name}.git"))
                git("config", "http.receivepack", "true", cwd=backend_root / f"{name}.git")
            # Warm both workers' password caches (bcrypt runs once per worker, then is cached),
            # so the timings measure steady-state git traffic, not the first login.
            for _ in range(12):
                requests.get(f"{server.url}/api/v1/user", auth=auth, headers={"Connection": "close"})
            host = server.url.removeprefix("http://")
            plue_push = f"http://bench:{DEFAULT_PASSWORD}@{host}/bench"
            urls = {"plue": (plue_push, f"{server.url}/bench"), "http-backend": (backend_url, backend_url)}

            # Each measurement alternates which server goes first, and keeps the median.
            pushes: dict[str, list[float]] = {"plue": [], "http-backend": []}
            for run in range(options.runs):
                for label in (list(urls) if run % 2 == 0 else list(reversed(urls))):
                    pushes[label].append(timed("push", "-q", f"{urls[label][0]}/full{run}.git", "main", cwd=source))
            for label in urls:
                results[label]["first push (median)"] = statistics.median(pushes[label])

            sampler = {}
            for label, (push_base, clone_base) in urls.items():
                root_pid = server.process.pid if label == "plue" else os.getpid()
                probe = RssSampler(root_pid, python_depth=1 if label == "plue" else 0)
                if label == "plue":
                    results["plue"]["idle worker rss"] = probe.python_rss_now()
                with probe:
                    times = clone_times(f"{clone_base}/full0.git", work, label, options.runs)
                sampler[label] = probe
                results[label]["clone (median)"] = statistics.median(times)
                results[label][f"{options.concurrency} concurrent clones"] = concurrent_clones(
                    f"{clone_base}/full0.git", work, label, options.concurrency)

            for label, (push_base, clone_base) in urls.items():
                git("push", "-q", f"{push_base}/incremental.git", "main", cwd=source)
            pushes = {"plue": [], "http-backend": []}
            for run in range(options.runs):
                extend_repository(source, 100, f"inc{run}")
                for label in (list(urls) if run % 2 == 0 else list(reversed(urls))):
                    pushes[label].append(timed("push", "-q", f"{urls[label][0]}/incremental.git",
                                               "main", cwd=source))
            for label in urls:
                results[label]["push of 100 commits (median)"] = statistics.median(pushes[label])

            print()
            print(f"{'measurement':<28}{'plue':>12}{'http-backend':>14}{'ratio':>8}")
            for key in results["http-backend"]:
                plue_value, backend_value = results["plue"][key], results["http-backend"][key]
                print(f"{key:<28}{plue_value:>11.2f}s{backend_value:>13.2f}s{plue_value / backend_value:>8.2f}")
            idle = results["plue"]["idle worker rss"]
            print()
            print(f"Plue gunicorn worker RSS: idle {mb(idle)}, peak during clones "
                  f"{mb(sampler['plue'].peak_python)} ({sampler['plue'].peak_python / idle:.2f}x idle)")
            print(f"git processes' peak RSS: under Plue {mb(sampler['plue'].peak_git)}, "
                  f"under http-backend {mb(sampler['http-backend'].peak_git)}")
    finally:
        backend.shutdown()
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")


if __name__ == "__main__":
    main()
