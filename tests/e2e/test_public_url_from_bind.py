"""`PLUE_BIND=127.0.0.1:<port> plue serve` without base_url: every link follows the address
the server listens on. Real gunicorn on a free non-default port, real git cloning the
`clone_url` the API returned, and a real runner (Docker, the job image `plue runner image`
builds) whose `actions/checkout` clones from `github.server_url`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import requests

from plue_core import testing
from plue_core.testing import free_port, run_live_server, write_toml

pytestmark = pytest.mark.e2e

RUNNER = [sys.executable, "-m", "plue_runner_agent"]
PASSWORD = "public-url-e2e-password"
WORKFLOW = """name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          cat hello.txt
          echo "server is ${{ github.server_url }}"
"""


@pytest.fixture
def server(tmp_path, plue_database_url):
    """No base_url in the config: it must come from PLUE_BIND (a free port, not 8000)."""
    with run_live_server(tmp_path, plue_database_url, base_url=None,
                         scheduler={"mode": "serve"}) as live:
        assert not live.url.endswith(":8000")
        yield live


@pytest.fixture
def job_image(docker_engine):
    """The job image, made the way docs/runner.md's quick start makes it."""
    tag = f"plue-public-url-e2e:{uuid.uuid4().hex[:8]}"
    built = subprocess.run([*RUNNER, "image", "--tag", tag], capture_output=True, text=True,
                           timeout=120)
    assert built.returncode == 0, built.stderr
    yield tag
    docker_engine.images.remove(tag, force=True)


def git(*args: str, cwd=None, token: str | None = None) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Alice",
           "GIT_AUTHOR_EMAIL": "alice@example.com", "GIT_COMMITTER_NAME": "Alice",
           "GIT_COMMITTER_EMAIL": "alice@example.com"}
    auth = ["-c", f"http.extraHeader=Authorization: token {token}"] if token else []
    done = subprocess.run(["git", *auth, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, (args, done.stderr)
    return done.stdout


def test_links_clone_and_checkout_follow_the_bind_address(server, job_image, tmp_path):
    base = server.url
    log = (tmp_path / "server.log").read_text()
    assert f"Plue at {base}: gunicorn listening on {base.removeprefix('http://')}" in log
    assert f"Plue at {base}\n" in log  # gunicorn's own start-up line, from its config

    server.plue("admin", "user", "create", "--username", "alice", "--email",
                "alice@example.com", "--password", PASSWORD)
    token = server.plue("admin", "token", "create", "--username", "alice").stdout.strip()
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"
    api = f"{base}/api/v1/repos/alice/demo"
    created = session.post(f"{base}/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                           timeout=30)
    assert created.status_code == 201, created.text
    repo = created.json()
    assert repo["clone_url"] == f"{base}/alice/demo.git"
    assert repo["html_url"] == f"{base}/alice/demo"
    assert repo["owner"]["avatar_url"].startswith(f"{base}/avatars/")

    work = tmp_path / "clone"
    git("clone", "-q", repo["clone_url"], str(work))  # the URL exactly as the API gave it
    assert (work / "README.md").exists()
    (work / "hello.txt").write_text("hello from the clone\n")
    (work / ".gitea" / "workflows").mkdir(parents=True)
    (work / ".gitea" / "workflows" / "ci.yml").write_text(WORKFLOW)
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "a workflow", cwd=work)
    git("push", "-q", "origin", "HEAD:main", cwd=work, token=token)
    sha = git("rev-parse", "HEAD", cwd=work).strip()
    commit = session.get(f"{api}/git/commits/{sha}", timeout=30).json()
    assert commit["html_url"] == f"{base}/alice/demo/commit/{sha}"

    registration = session.get(f"{api}/actions/runners/registration-token", timeout=30)
    state = tmp_path / ".runner"
    registered = subprocess.run(
        [*RUNNER, "register", "--url", base, "--token", registration.json()["token"],
         "--name", "builder-1", "--labels", f"ubuntu-latest:docker://{job_image}",
         "--file", str(state)], capture_output=True, text=True, timeout=60)
    assert registered.returncode == 0, registered.stderr
    runner_log = tmp_path / "runner.log"
    with open(runner_log, "w") as output:
        daemon = subprocess.Popen(
            [*RUNNER, "daemon", "--file", str(state), "--workdir", str(tmp_path / "jobs"),
             "--docker-network", "host", "--fetch-timeout", "5"],
            stdout=output, stderr=subprocess.STDOUT)
    try:
        run = wait_for_completed_run(session, api, sha, runner_log)
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            daemon.kill()
    assert run["conclusion"] == "success", runner_log.read_text()[-3000:]
    assert run["html_url"] == f"{base}/alice/demo/actions/runs/{run['run_number']}"
    job = session.get(f"{api}/actions/runs/{run['id']}/jobs", timeout=30).json()["jobs"][0]
    job_log = session.get(f"{api}/actions/jobs/{job['id']}/logs", timeout=30).text
    assert "HEAD is now at" in job_log and "hello from the clone" in job_log
    assert f"server is {base}" in job_log
    statuses = session.get(f"{api}/commits/{sha}/statuses", timeout=30).json()
    assert statuses and all(status["target_url"].startswith(f"{base}/alice/demo/actions/runs/")
                            for status in statuses)


def wait_for_completed_run(session, api: str, sha: str, runner_log, timeout: float = 180.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for run in session.get(f"{api}/actions/runs", timeout=30).json()["workflow_runs"]:
            if run["head_sha"] == sha and run["status"] == "completed":
                return run
        time.sleep(0.3)
    raise AssertionError(f"no completed run for {sha}; runner log:\n"
                         f"{runner_log.read_text()[-3000:]}")


def test_plue_serve_bind_flag_reaches_the_workers_links(tmp_path, plue_database_url):
    """`plue serve --bind` (the flag, no PLUE_BIND): the workers derive the same base_url."""
    config_path = tmp_path / "plue.toml"
    # (through the module: pytest would collect a test_* name imported here)
    write_toml(config_path, testing.testing_overrides(tmp_path, plue_database_url))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
    env.update(PLUE_CONFIG=str(config_path), PYTHONUNBUFFERED="1")
    plue = [sys.executable, "-m", "plue_core.cli"]
    subprocess.run([*plue, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run([*plue, "admin", "user", "create", "--username", "alice", "--email",
                    "alice@example.com", "--password", PASSWORD], env=env, check=True,
                   capture_output=True, timeout=60)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([*plue, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                                   env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or the worker is loading
                pass
            assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)
        user = requests.get(f"{base}/api/v1/users/alice", timeout=10).json()
        assert user["html_url"] == f"{base}/alice"
        assert user["avatar_url"].startswith(f"{base}/avatars/")
        assert log_path.read_text().startswith(f"Plue at {base}: gunicorn listening on 127.0.0.1:{port} (1 ")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
