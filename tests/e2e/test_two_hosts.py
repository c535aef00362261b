"""Two ``plue serve`` hosts on one PostgreSQL database and one data directory, as behind a load
balancer (docs/serving.md, "Several hosts"): a push through host A wakes a runner long-polling
host B, B serves what A received, the schedulers of both run each occurrence of a job once,
the RunnerHub rate limits count both hosts' requests together, and a WebSocket client on B
hears what happens through A.

SQLite is one host's database (a file, locked by one machine's kernel): skipped there."""

from __future__ import annotations

import base64
import json
import os
import pathlib
import subprocess
import threading
import time

import psutil
import pytest
import requests
from websockets.sync.client import connect

from plue_core.db import connection, open_database
from plue_core.scheduler import ScheduledJobRun
from plue_core.testing import (
    DEFAULT_PASSWORD, TEST_DATABASE_ENV, fresh_database_url, run_live_server, test_database_server,
)
from plue_actions.testing import ProtocolRunner, transport_for_url

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.skipif(not test_database_server(),
                       reason="several hosts need a shared PostgreSQL database; SQLite serves one "
                              f"host only (set {TEST_DATABASE_ENV}, e.g. tools/with-postgres.sh)"),
]

GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Dev",
           "GIT_AUTHOR_EMAIL": "dev@example.org", "GIT_COMMITTER_NAME": "Dev",
           "GIT_COMMITTER_EMAIL": "dev@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
WORKFLOW = """on: [push]
jobs:
  build:
    runs-on: two-hosts
    steps:
      - run: echo hi
"""
AUTH_LIMIT = 12  # RunnerHub /api/auth requests per client IP and window, on both hosts together
HELD_MS = 20000  # the runner's long-poll on host B


class Hosts:
    def __init__(self, a, b, database_url: str, tmp: pathlib.Path):
        self.a, self.b, self.database_url, self.tmp = a, b, database_url, tmp
        a.plue("admin", "user", "create", "--username", "alice", "--password", DEFAULT_PASSWORD,
               "--email", "alice@example.org")
        # Logged in before any test spends the /api/auth budget (RunnerHub JWT, issued by A).
        self.token = self.jwt(a)

    def api(self, host, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{host.url}/api/v1{path}", timeout=60,
                                auth=("alice", DEFAULT_PASSWORD), **kwargs)

    def remote(self, host, repo: str) -> str:
        return f"http://alice:{DEFAULT_PASSWORD}@{host.url.removeprefix('http://')}/{repo}.git"

    def git(self, *args: str, cwd=None) -> str:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                                env=GIT_ENV, timeout=120)
        assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stderr}"
        return result.stdout.strip()

    def jwt(self, host) -> str:
        response = requests.post(f"{host.url}/api/auth/login", timeout=10,
                                 json={"username": "alice", "password": DEFAULT_PASSWORD})
        assert response.status_code == 200, response.text
        return response.json()["token"]


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-hosts")
    shared = tmp / "shared-data"
    settings = {"data_dir": str(shared), "scheduler": {"mode": "serve"},
                "hello": {"job_interval_seconds": 1},
                "monitoring": {"rate_limit_auth": AUTH_LIMIT, "rate_limit_window_seconds": 3600}}
    (tmp / "a").mkdir()
    (tmp / "b").mkdir()
    with fresh_database_url(tmp) as url, \
            run_live_server(tmp / "a", url, **settings) as a, \
            run_live_server(tmp / "b", url, **settings) as b:
        assert a.url != b.url and a.data_dir == b.data_dir == shared
        yield Hosts(a, b, url, tmp)


def test_a_push_through_host_a_wakes_the_runner_held_by_host_b_and_b_serves_the_commits(hosts):
    assert hosts.api(hosts.a, "POST", "/user/repos",
                     json={"name": "demo", "auto_init": True}).status_code == 201
    registration = hosts.api(hosts.b, "GET", "/repos/alice/demo/actions/runners/registration-token")
    runner = ProtocolRunner(transport_for_url(hosts.b.url))
    runner.register(registration.json()["token"], name="on-b", labels=("two-hosts",))
    assert runner.fetch(timeout_ms=500) is None  # nothing queued yet

    work = hosts.tmp / "work"
    hosts.git("clone", "-q", hosts.remote(hosts.a, "alice/demo"), str(work))
    (work / ".gitea" / "workflows").mkdir(parents=True)
    (work / ".gitea" / "workflows" / "ci.yml").write_text(WORKFLOW)
    hosts.git("add", ".", cwd=work)
    hosts.git("commit", "-q", "-m", "ci", cwd=work)
    pushed = hosts.git("rev-parse", "HEAD", cwd=work)

    got = {}
    held = threading.Thread(target=lambda: got.update(task=runner.fetch(timeout_ms=HELD_MS),
                                                      at=time.monotonic()))
    held.start()
    time.sleep(0.5)  # the runner's FetchTask is held by host B
    started = time.monotonic()
    hosts.git("push", "-q", "origin", "HEAD:main", cwd=work)
    held.join(HELD_MS / 1000 + 10)
    # Woken by the push through A (PostgreSQL NOTIFY reaches B's listener), not by the held
    # poll's end: a poll that ran out would have answered without a task.
    assert got["task"] is not None
    assert got["task"]["context"]["sha"] == pushed
    print(f"push through A -> task fetched on B: {(got['at'] - started) * 1000:.0f} ms")
    runner.update_task(int(got["task"]["id"]), "RESULT_SUCCESS")
    runs = hosts.api(hosts.a, "GET", "/repos/alice/demo/actions/runs").json()["workflow_runs"]
    assert [(run["head_sha"], run["conclusion"]) for run in runs] == [(pushed, "success")]

    clone = hosts.tmp / "clone-from-b"
    hosts.git("clone", "-q", hosts.remote(hosts.b, "alice/demo"), str(clone))
    assert hosts.git("rev-parse", "HEAD", cwd=clone) == pushed
    assert (clone / ".gitea" / "workflows" / "ci.yml").read_text() == WORKFLOW
    branch = hosts.api(hosts.b, "GET", "/repos/alice/demo/branches/main").json()
    assert branch["commit"]["id"] == pushed


def test_the_schedulers_of_both_hosts_run_each_occurrence_of_a_job_once(hosts):
    for host in (hosts.a, hosts.b):  # each host runs its own scheduler beside its workers
        children = [" ".join(child.cmdline()) for child in psutil.Process(host.process.pid).children()]
        assert sum("scheduler" in line for line in children) == 1, children
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        runs = job_runs(hosts.database_url, "hello.heartbeat")
        if len(runs) >= 8:
            break
        time.sleep(0.5)
    assert len(runs) >= 8, runs
    starts = [run.started_at for run in runs]
    gaps = [(later - earlier).total_seconds() for earlier, later in zip(starts, starts[1:])]
    # Once per 1 s interval: two schedulers each running every occurrence would leave gaps of
    # their clocks' offset (and one minus it), one of them below half a second.
    assert all(gap >= 0.5 for gap in gaps), gaps


def job_runs(database_url: str, job_id: str) -> list[ScheduledJobRun]:
    db = open_database(database_url)
    try:
        with db.bind_ctx([ScheduledJobRun]), connection(db):
            return list(ScheduledJobRun.select().where(ScheduledJobRun.job_id == job_id)
                        .order_by(ScheduledJobRun.started_at))
    finally:
        if not db.is_closed():
            db.close()


def test_a_rate_limit_spent_on_host_a_is_spent_on_host_b(hosts):
    remaining = []
    for host in [hosts.a, hosts.b] * (AUTH_LIMIT // 2 + 1):
        response = requests.get(f"{host.url}/api/auth/me", timeout=10)  # counted per client IP
        remaining.append((host.url, response.status_code, int(response.headers["X-RateLimit-Remaining"])))
        if response.status_code == 429:
            break
    counts = [left for _, _, left in remaining]
    # One count for both hosts: each request, on either host, takes one from the same budget.
    assert all(later == max(0, earlier - 1) for earlier, later in zip(counts, counts[1:])), remaining
    assert remaining[-1][1] == 429 and all(status == 401 for _, status, _ in remaining[:-1]), remaining
    blocked = {url for url, status, _ in remaining if status == 429}
    for host in (hosts.a, hosts.b):  # and now both refuse
        response = requests.get(f"{host.url}/api/auth/me", timeout=10)
        assert response.status_code == 429, (host.url, blocked, response.text)
        assert response.json()["error"]["code"] == "RATE_LIMIT_EXCEEDED"


def test_a_websocket_client_on_host_b_hears_job_events_of_work_done_through_host_a(hosts):
    token = hosts.token  # issued by A, good on B: both hosts read the one secret
    assert hosts.api(hosts.a, "POST", "/user/repos",
                     json={"name": "events", "auto_init": True}).status_code == 201
    registration = hosts.api(hosts.a, "GET", "/repos/alice/events/actions/runners/registration-token")
    runner = ProtocolRunner(transport_for_url(hosts.a.url))
    runner.register(registration.json()["token"], name="on-a", labels=("two-hosts",))
    url = hosts.b.url.replace("http://", "ws://") + "/api/ws"
    with connect(url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "subscribe", "events": ["job_status"]}))
        assert json.loads(ws.recv(timeout=10))["type"] == "subscribed"
        content = base64.b64encode(WORKFLOW.encode()).decode()
        assert hosts.api(hosts.a, "POST", "/repos/alice/events/contents/.gitea/workflows/ci.yml",
                         json={"content": content, "message": "ci"}).status_code == 201
        task = runner.fetch(timeout_ms=10000)
        assert task is not None
        runner.update_task(int(task["id"]), "RESULT_SUCCESS")
        statuses = []
        deadline = time.monotonic() + 20
        while "completed" not in statuses and time.monotonic() < deadline:
            try:
                frame = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            except TimeoutError:
                break
            if frame["type"] == "job_status":
                statuses.append(frame["data"]["status"])
        assert statuses and statuses[-1] == "completed", statuses
