"""End to end with everything real: gunicorn serving Plue, a repository pushed with git,
`plue runner daemon` (as its own process) with the Docker backend and the plue-busybox image.
The runs are watched through the REST API only."""

from __future__ import annotations

import io
import json
import os
import pathlib
import signal
import subprocess
import sys
import time
import zipfile

import pytest
import requests

from plue_core.testing import BUSYBOX_IMAGE as IMAGE, run_live_server
from plue_runner_agent.backends.docker import LABEL_RUNNER

pytestmark = pytest.mark.e2e

RUNNER = [sys.executable, "-m", "plue_runner_agent"]
PASSWORD = "runner-e2e-password"
SECRET = "s3cr3t-deploy-key-e2e"

PIPELINE = """name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        flavour: [red, blue]
    outputs:
      digest: ${{ steps.make.outputs.digest }}
    steps:
      - uses: actions/checkout@v4
      - id: make
        env:
          KEY: ${{ secrets.DEPLOY_KEY }}
        run: |
          echo "deploying with $KEY"
          mkdir -p dist
          echo "${{ matrix.flavour }} build of $(cat hello.txt)" > "dist/${{ matrix.flavour }}.txt"
          echo "digest=$(md5sum hello.txt | cut -d' ' -f1)" >> "$GITHUB_OUTPUT"
      - uses: actions/upload-artifact@v4
        with:
          name: dist-${{ matrix.flavour }}
          path: dist/
  publish:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: dist-red
          path: got
      - run: |
          cat got/red.txt
          echo "digest from build: ${{ needs.build.outputs.digest }}"
"""

FAILING = """name: Broken
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo "about to fail" && exit 4
"""

LONG = """name: Long
on: push
jobs:
  wait:
    runs-on: ubuntu-latest
    steps:
      - run: echo "long job started" && sleep 300
"""


class Forge:
    def __init__(self, live_server, token: str, work: pathlib.Path):
        self.url = live_server.url
        self.api = f"{live_server.url}/api/v1/repos/alice/demo"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"
        self.token = token
        self.work = work

    def git(self, *args: str) -> str:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Alice",
               "GIT_AUTHOR_EMAIL": "alice@example.com", "GIT_COMMITTER_NAME": "Alice",
               "GIT_COMMITTER_EMAIL": "alice@example.com"}
        return subprocess.run(["git", *args], cwd=self.work, env=env, check=True,
                              capture_output=True, text=True).stdout

    def push_workflow(self, name: str, content: str, message: str) -> str:
        workflows = self.work / ".gitea" / "workflows"
        for old in workflows.glob("*.yml"):
            old.unlink()
        workflows.mkdir(parents=True, exist_ok=True)
        (workflows / name).write_text(content)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        self.git("push", "-q", "origin", "HEAD:main")
        return self.git("rev-parse", "HEAD").strip()

    def get(self, path: str, **kwargs) -> requests.Response:
        reply = self.session.get(f"{self.api}{path}", timeout=30, **kwargs)
        assert reply.status_code == 200, (path, reply.status_code, reply.text[:300])
        return reply

    def run_for(self, sha: str, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for run in self.get("/actions/runs").json()["workflow_runs"]:
                if run["head_sha"] == sha:
                    return run
            time.sleep(0.2)
        raise AssertionError(f"no run for {sha}")

    def wait_for_run(self, run_id: int, predicate, timeout: float = 180.0) -> tuple[dict, list]:
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.get(f"/actions/runs/{run_id}").json()
            if not seen or seen[-1] != run["status"]:
                seen.append(run["status"])
            if predicate(run):
                return run, seen
            time.sleep(0.2)
        jobs = [(job["name"], job["status"], job["conclusion"])
                for job in self.get(f"/actions/runs/{run_id}/jobs").json()["jobs"]]
        runner_logs = "".join(log.read_text()[-4000:] for log in self.work.parent.glob("runner.log"))
        raise AssertionError(f"run {run_id} stayed {seen[-1] if seen else '?'} ({seen}); "
                             f"jobs {jobs}; runner log tail:\n{runner_logs}")


HEARTBEAT_TIMEOUT = 12  # seconds; the runner heartbeats every 5


@pytest.fixture
def server(tmp_path, plue_database_url):
    """gunicorn with the scheduler (so the reapers run every second) and a short heartbeat
    timeout, for the test that kills the runner."""
    with run_live_server(tmp_path, plue_database_url, scheduler={"mode": "serve"},
                         actions={"heartbeat_timeout": HEARTBEAT_TIMEOUT,
                                  "reaper_interval": 1}) as live:
        yield live


@pytest.fixture
def forge(server, docker_engine, tmp_path):
    live_server = server
    live_server.plue("admin", "user", "create", "--username", "alice", "--email",
                     "alice@example.com", "--password", PASSWORD)
    token = live_server.plue("admin", "token", "create", "--username", "alice",
                             "--name", "e2e").stdout.strip()
    work = tmp_path / "clone"
    work.mkdir()
    forge = Forge(live_server, token, work)
    reply = forge.session.post(f"{live_server.url}/api/v1/user/repos",
                               json={"name": "demo", "private": True}, timeout=30)
    assert reply.status_code == 201, reply.text
    reply = forge.session.put(f"{forge.api}/actions/secrets/DEPLOY_KEY", json={"data": SECRET},
                              timeout=30)
    assert reply.status_code in (201, 204), reply.text
    forge.git("init", "-q", "-b", "main")
    host = live_server.url.removeprefix("http://")
    forge.git("remote", "add", "origin", f"http://alice:{token}@{host}/alice/demo.git")
    (work / "hello.txt").write_text("hello world\n")
    return forge


def start_daemon(state_file: pathlib.Path, tmp_path: pathlib.Path) -> subprocess.Popen:
    log_path = tmp_path / "runner.log"
    with open(log_path, "a") as log:
        process = subprocess.Popen(
            [*RUNNER, "daemon", "--file", str(state_file), "--workdir", str(tmp_path / "jobs"),
             "--capacity", "2", "--docker-network", "host", "--fetch-timeout", "10"],
            stdout=log, stderr=subprocess.STDOUT)
    process.log_path = log_path
    process.runner_uuid = json.loads(state_file.read_text())["uuid"]
    process.state_file = state_file
    return process


def stop_daemon(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def runner_daemon(forge, tmp_path, docker_engine):
    reply = forge.session.get(f"{forge.api}/actions/runners/registration-token", timeout=30)
    assert reply.status_code == 200, reply.text
    state_file = tmp_path / ".runner"
    done = subprocess.run([*RUNNER, "register", "--url", forge.url, "--token",
                           reply.json()["token"], "--name", "e2e-runner", "--labels",
                           f"ubuntu-latest:docker://{IMAGE}", "--file", str(state_file)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    process = start_daemon(state_file, tmp_path)
    yield process
    stop_daemon(process)


def test_a_pushed_pipeline_runs_in_containers_and_succeeds(forge, runner_daemon, docker_engine):
    sha = forge.push_workflow("ci.yml", PIPELINE, "add the pipeline")
    run = forge.run_for(sha)
    run, statuses = forge.wait_for_run(run["id"], lambda r: r["status"] == "completed")
    runner_log = pathlib.Path(runner_daemon.log_path).read_text()
    assert run["conclusion"] == "success", runner_log
    assert "in_progress" in statuses and statuses[-1] == "completed"

    jobs = forge.get(f"/actions/runs/{run['id']}/jobs").json()["jobs"]
    assert sorted(job["name"] for job in jobs) == ["build (blue)", "build (red)", "publish"]
    assert {job["conclusion"] for job in jobs} == {"success"}

    build = next(job for job in jobs if job["name"] == "build (red)")
    build_log = forge.get(f"/actions/jobs/{build['id']}/logs").text
    assert "deploying with ***" in build_log
    assert SECRET not in build_log
    assert "HEAD is now at" in build_log  # checked out from the server with the task token
    publish = next(job for job in jobs if job["name"] == "publish")
    publish_log = forge.get(f"/actions/jobs/{publish['id']}/logs").text
    assert "red build of hello world" in publish_log
    digest = subprocess.run(["md5sum"], input="hello world\n", capture_output=True,
                            text=True).stdout.split()[0]
    assert f"digest from build: {digest}" in publish_log

    artifacts = forge.get(f"/actions/runs/{run['id']}/artifacts").json()["artifacts"]
    assert sorted(a["name"] for a in artifacts) == ["dist-blue", "dist-red"]
    blue = next(a for a in artifacts if a["name"] == "dist-blue")
    archive = zipfile.ZipFile(io.BytesIO(forge.get(f"/actions/artifacts/{blue['id']}/zip").content))
    assert archive.read("blue.txt") == b"blue build of hello world\n"

    assert docker_engine.containers.list(
        all=True, filters={"label": f"{LABEL_RUNNER}={runner_daemon.runner_uuid}"}) == []


def test_a_failing_step_fails_the_job_and_the_run(forge, runner_daemon):
    sha = forge.push_workflow("broken.yml", FAILING, "break it")
    run = forge.run_for(sha)
    run, _ = forge.wait_for_run(run["id"], lambda r: r["status"] == "completed")
    assert run["conclusion"] == "failure"
    job = forge.get(f"/actions/runs/{run['id']}/jobs").json()["jobs"][0]
    assert job["conclusion"] == "failure"
    log = forge.get(f"/actions/jobs/{job['id']}/logs").text
    assert "about to fail" in log and "Process completed with exit code 4." in log


def test_cancelling_a_long_job_reaches_the_runner(forge, runner_daemon, docker_engine):
    sha = forge.push_workflow("long.yml", LONG, "a long job")
    run = forge.run_for(sha)
    job_id = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = forge.get(f"/actions/runs/{run['id']}/jobs").json()["jobs"][0]
        job_id = job["id"]
        if "long job started" in forge.get(f"/actions/jobs/{job_id}/logs").text:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the long job never started")
    reply = forge.session.post(f"{forge.api}/actions/runs/{run['id']}/cancel", timeout=30)
    assert reply.status_code in (200, 202, 204), reply.text
    run, _ = forge.wait_for_run(run["id"], lambda r: r["status"] == "completed", timeout=60)
    assert run["conclusion"] == "cancelled"
    deadline = time.monotonic() + 30
    while docker_engine.containers.list(
            all=True, filters={"label": f"{LABEL_RUNNER}={runner_daemon.runner_uuid}"}):
        assert time.monotonic() < deadline, "the job container was not removed"
        time.sleep(0.3)
    runner_daemon.send_signal(signal.SIGTERM)
    assert runner_daemon.wait(timeout=60) == 0


def test_a_killed_runner_fails_its_job_after_the_heartbeat_timeout(forge, runner_daemon,
                                                                     docker_engine, server,
                                                                     tmp_path):
    sha = forge.push_workflow("long.yml", LONG, "a long job")
    run = forge.run_for(sha)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = forge.get(f"/actions/runs/{run['id']}/jobs").json()["jobs"][0]
        if "long job started" in forge.get(f"/actions/jobs/{job['id']}/logs").text:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the long job never started")
    runner_daemon.send_signal(signal.SIGKILL)
    runner_daemon.wait(timeout=30)
    killed_at = time.monotonic()
    run, _ = forge.wait_for_run(run["id"], lambda r: r["status"] == "completed",
                                timeout=HEARTBEAT_TIMEOUT + 60)
    assert run["conclusion"] == "failure"
    assert time.monotonic() - killed_at >= HEARTBEAT_TIMEOUT - 6  # not before it went silent
    assert requests.get(f"{server.url}/health", timeout=10).status_code == 200
    label = {"label": f"{LABEL_RUNNER}={runner_daemon.runner_uuid}"}
    assert len(docker_engine.containers.list(all=True, filters=label)) == 1  # orphaned
    restarted = start_daemon(runner_daemon.state_file, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while docker_engine.containers.list(all=True, filters=label):
            assert time.monotonic() < deadline, "the restarted runner left the orphan behind"
            time.sleep(0.3)
    finally:
        stop_daemon(restarted)
