"""The actions server under real gunicorn (2 workers): a held FetchTask woken by a job
queued in another process, the task token cloning over smart HTTP, and the SDK script."""

from __future__ import annotations

import base64
import io
import json
import os
import pathlib
import subprocess
import sys
import threading
import time
import zipfile

import pytest
import requests

from plue_actions.testing import ProtocolRunner, transport_for_url

pytestmark = pytest.mark.e2e

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "actions_management.py"
PASSWORD = "actions-e2e-password"
WORKFLOW = """on: [push, workflow_dispatch]
jobs:
  build:
    runs-on: e2e
    steps:
      - run: echo hi
"""
QUEUE_FROM_ANOTHER_PROCESS = """
import time
from plue_core.app import build_context
from plue_core.db import connection
from plue_actions import dispatching
ctx = build_context()
with connection(ctx.db):
    repository = ctx.services["git_hosting"].find_repository("alice", "demo")
    user = ctx.services["accounts"].find_user("alice")
    dispatching.dispatch(ctx.services["actions"], repository, "ci.yml", "main", {}, user)
print(time.time())
"""


@pytest.fixture
def alice(live_server):
    live_server.plue("admin", "user", "create", "--username", "alice", "--email",
                     "alice@example.com", "--password", PASSWORD)
    token = live_server.plue("admin", "token", "create", "--username", "alice",
                             "--name", "e2e").stdout.strip()
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"
    api = f"{live_server.url}/api/v1"
    assert session.post(f"{api}/user/repos", json={"name": "demo", "auto_init": True,
                                                   "private": True}).status_code == 201
    content = base64.b64encode(WORKFLOW.encode()).decode()
    assert session.post(f"{api}/repos/alice/demo/contents/.gitea/workflows/ci.yml",
                        json={"content": content, "message": "ci"}).status_code == 201
    return session, token


def _runner(live_server, session) -> ProtocolRunner:
    token = session.get(f"{live_server.url}/api/v1/repos/alice/demo/actions/runners/registration-token").json()["token"]
    runner = ProtocolRunner(transport_for_url(live_server.url))
    runner.register(token, labels=("e2e",))
    return runner


def test_a_held_fetch_wakes_within_a_second_for_a_job_queued_by_another_process(live_server, alice):
    session, _ = alice
    runner = _runner(live_server, session)
    first = runner.fetch(timeout_ms=3000)  # the push's job
    runner.update_task(int(first["id"]), "RESULT_SUCCESS")
    assert runner.fetch(timeout_ms=1500) is None  # now current and idle
    outcome = {}

    def held_fetch():
        outcome["task"] = runner.fetch(timeout_ms=20000)
        outcome["at"] = time.time()

    thread = threading.Thread(target=held_fetch)
    thread.start()
    time.sleep(1.0)
    assert thread.is_alive()
    queued = subprocess.run([sys.executable, "-c", QUEUE_FROM_ANOTHER_PROCESS], env=live_server.env,
                            capture_output=True, text=True, timeout=120)
    assert queued.returncode == 0, queued.stderr
    committed_at = float(queued.stdout.strip().splitlines()[-1])
    thread.join(25)
    assert outcome.get("task") is not None
    assert outcome["task"]["context"]["event_name"] == "workflow_dispatch"
    assert outcome["at"] - committed_at < 1.0


def test_the_task_token_clones_its_private_repository_and_moves_artifacts_but_cannot_push(
        live_server, alice, tmp_path):
    session, _ = alice
    runner = _runner(live_server, session)
    task = runner.fetch(timeout_ms=3000)
    token = task["context"]["token"]
    host = live_server.url.removeprefix("http://")
    url = f"http://x-access-token:{token}@{host}/alice/demo.git"
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    clone = subprocess.run(["git", "clone", "-q", url, str(tmp_path / "work")], env=env,
                           capture_output=True, text=True, timeout=60)
    assert clone.returncode == 0, clone.stderr
    assert (tmp_path / "work" / ".gitea" / "workflows" / "ci.yml").exists()
    work = tmp_path / "work"
    subprocess.run(["git", "-C", str(work), "-c", "user.name=x", "-c", "user.email=x@x",
                    "commit", "-q", "--allow-empty", "-m", "nope"], check=True)
    push = subprocess.run(["git", "-C", str(work), "push", "-q", "origin", "HEAD:main"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert push.returncode != 0
    artifact_url = f"{live_server.url}/api/actions/artifacts/{task['context']['run_id']}/notes"
    bearer = {"Authorization": f"Bearer {token}"}
    assert requests.put(artifact_url, data=b"x" * 300_000, headers=bearer).status_code == 201
    assert requests.get(artifact_url, headers=bearer).content == b"x" * 300_000
    listed = session.get(f"{live_server.url}/api/v1/repos/alice/demo/actions/artifacts").json()
    archive = session.get(listed["artifacts"][0]["archive_download_url"])
    assert zipfile.ZipFile(io.BytesIO(archive.content)).read("notes") == b"x" * 300_000
    runner.update_task(int(task["id"]), "RESULT_SUCCESS")
    again = subprocess.run(["git", "clone", "-q", url, str(tmp_path / "late")], env=env,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode != 0  # the job is over: the token no longer works


def test_the_actions_sdk_script_passes_against_the_live_server(live_server, alice):
    _, token = alice
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
    env.update(PLUE_URL=live_server.url, PLUE_TOKEN=token)
    result = subprocess.run([sys.executable, str(SCRIPT)], env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✅ Actions endpoints test passed!" in result.stdout
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["owner"] == "alice" and summary["runs"] == 1
    gone = requests.get(f"{live_server.url}/api/v1/repos/alice/{summary['repository']}",
                        headers={"Authorization": f"token {token}"})
    assert gone.status_code == 404


def test_the_cli_prints_registration_tokens_a_runner_can_register_with(live_server, alice):
    instance = live_server.plue("actions", "registration-token").stdout.strip()
    for_repo = live_server.plue("actions", "registration-token", "--repo", "alice/demo").stdout.strip()
    assert len(instance) == 40 and for_repo != instance
    runner = ProtocolRunner(transport_for_url(live_server.url))
    assert runner.register(for_repo, labels=("e2e",))["name"] == "runner-1"
    assert "e2e" in live_server.plue("actions", "queue").stdout  # the push's job waits
    failed = subprocess.run([sys.executable, "-m", "plue_core.cli", "actions", "registration-token",
                             "--repo", "alice/nope"], env=live_server.env, capture_output=True, text=True)
    assert failed.returncode == 1 and "does not exist" in failed.stderr
