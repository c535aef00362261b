"""Test helpers for actions, shipped with the plugin like ``plue_core.testing``: a runner
that speaks runner.v1 (JSON codec) over a Falcon TestClient or a real URL, and a small forge
with a repository to push workflows to.

Import the fixtures in a ``conftest.py``: ``from plue_actions.testing import actions_forge``.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any, Callable

import pytest

from plue_core.testing import basic_auth, make_user

RUNNER_SERVICE = "/api/actions/runner.v1.RunnerService"

# The workflows the tests push, in one place: one job on every push; and three jobs, lint
# alone and deploy needing build (what a re-run of build or of the failed jobs runs again).
ONE_JOB = """name: CI
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo one
"""
NEEDS_CHAIN = """name: CI
on: [push]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: echo lint
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
  deploy:
    needs: [build]
    runs-on: ubuntu-latest
    steps:
      - run: echo deploy
"""


@dataclasses.dataclass
class Reply:
    status: int
    body: Any
    headers: dict


def transport_for_client(client) -> Callable[..., Reply]:
    def send(path: str, body: Any, headers: dict) -> Reply:
        result = client.simulate_post(path, body=json.dumps(body),
                                      headers={"Content-Type": "application/json", **headers})
        return Reply(result.status_code, result.json if result.text else None, dict(result.headers))
    return send


def transport_for_url(base_url: str, session=None) -> Callable[..., Reply]:
    import requests

    session = session or requests.Session()

    def send(path: str, body: Any, headers: dict, timeout: float = 60) -> Reply:
        def post():
            return session.post(base_url + path, data=json.dumps(body), timeout=timeout,
                                headers={"Content-Type": "application/json", **headers})
        try:
            response = post()
        except requests.ConnectionError as error:
            # The server closes a connection idle past its keep-alive (gunicorn: 5 s); a
            # request sent on it in that instant gets no answer. Go's HTTP client, act_runner's,
            # sends it again on a new connection, and so does this runner.
            if not _closed_while_idle(error):
                raise
            response = post()
        return Reply(response.status_code, response.json() if response.content else None,
                     dict(response.headers))
    return send


def _closed_while_idle(error: Exception) -> bool:
    import http.client

    cause = error.args[0] if error.args else None
    reason = cause.args[1] if getattr(cause, "args", ()) and len(cause.args) > 1 else cause
    return isinstance(reason, (http.client.RemoteDisconnected, ConnectionResetError))


class ProtocolRunner:
    """A runner at the protocol level: what act_runner sends, in proto3 JSON."""

    def __init__(self, send: Callable[..., Reply]):
        self.send = send
        self.uuid = self.token = ""
        self.tasks_version = 0

    @property
    def headers(self) -> dict:
        return {"x-runner-uuid": self.uuid, "x-runner-token": self.token}

    def call(self, method: str, body: dict, *, expect: int = 200, headers: dict | None = None) -> Any:
        reply = self.send(f"{RUNNER_SERVICE}/{method}", body, {**self.headers, **(headers or {})})
        assert reply.status == expect, (method, reply.status, reply.body)
        return reply.body

    def register(self, registration_token: str, name: str = "runner-1",
                 labels: tuple[str, ...] = ("ubuntu-latest",), ephemeral: bool = False) -> dict:
        body = self.call("Register", {"name": name, "token": registration_token,
                                      "version": "test", "labels": list(labels),
                                      "ephemeral": ephemeral})
        self.uuid, self.token = body["runner"]["uuid"], body["runner"]["token"]
        return body["runner"]

    def declare(self, labels: tuple[str, ...], version: str = "test") -> dict:
        """Declare (as a runner does when it starts: its next fetch has version 0)."""
        self.tasks_version = 0
        return self.call("Declare", {"version": version, "labels": list(labels)})["runner"]

    def fetch(self, timeout_ms: int | None = None) -> dict | None:
        """One FetchTask; remembers tasks_version. Returns the task (payload decoded) or None."""
        headers = {"Connect-Timeout-Ms": str(timeout_ms)} if timeout_ms is not None else {}
        body = self.call("FetchTask", {"tasksVersion": str(self.tasks_version)}, headers=headers)
        self.tasks_version = int(body.get("tasksVersion", 0))
        task = body.get("task")
        if task is None:
            return None
        self.tasks_version = 0  # as act_runner: force a pick on the next call
        task["workflowPayload"] = base64.b64decode(task.get("workflowPayload", "")).decode()
        return task

    def fetch_queued(self) -> dict | None:
        """A task already queued for this runner, or None at once: the server holds a poll
        until the client's deadline less a second, so a 1-second deadline is not held (a bare
        :meth:`fetch` that finds nothing waits out ``long_poll_timeout``, 25 s)."""
        return self.fetch(timeout_ms=1000)

    def update_task(self, task_id: int, result: str = "RESULT_UNSPECIFIED", *,
                    outputs: dict | None = None, steps: list | None = None,
                    expect: int = 200) -> Any:
        state = {"id": str(task_id), "result": result, "steps": steps or []}
        if result != "RESULT_UNSPECIFIED":
            state["stoppedAt"] = "2026-01-01T00:00:00Z"
        return self.call("UpdateTask", {"state": state, "outputs": outputs or {}}, expect=expect)

    def update_log(self, task_id: int, index: int, lines: list[str], no_more: bool = False,
                   expect: int = 200) -> Any:
        rows = [{"time": "2026-01-01T00:00:00Z", "content": line} for line in lines]
        return self.call("UpdateLog", {"taskId": str(task_id), "index": str(index), "rows": rows,
                                       "noMore": no_more}, expect=expect)


@dataclasses.dataclass
class ActionsForge:
    """alice owns alice/demo; bob has no access; root is the site administrator."""

    ctx: Any
    client: Any
    repo: str = "alice/demo"

    def api(self, method: str, path: str, body=None, as_user: str | None = "alice", **kwargs):
        headers = {**(basic_auth(as_user) if as_user else {}), **kwargs.pop("headers", {})}
        return self.client.simulate_request(method, f"/api/v1{path}", json=body,
                                            headers=headers, **kwargs)

    def push_file(self, path: str, content: str, message: str = "add file",
                  branch: str | None = None) -> dict:
        """Create or update a file through the contents API (a push event follows)."""
        existing = self.api("GET", f"/repos/{self.repo}/contents/{path}",
                            params={"ref": branch} if branch else None)
        body = {"content": base64.b64encode(content.encode()).decode(), "message": message}
        if branch:
            body["branch"] = branch
        if existing.status_code == 200:
            body["sha"] = existing.json["sha"]
            response = self.api("PUT", f"/repos/{self.repo}/contents/{path}", body)
            assert response.status_code == 200, response.text
        else:
            response = self.api("POST", f"/repos/{self.repo}/contents/{path}", body)
            assert response.status_code == 201, response.text
        return response.json

    def registration_token(self) -> str:
        response = self.api("GET", f"/repos/{self.repo}/actions/runners/registration-token")
        assert response.status_code == 200, response.text
        return response.json["token"]

    def runner(self, labels=("ubuntu-latest",), name="runner-1") -> ProtocolRunner:
        runner = ProtocolRunner(transport_for_client(self.client))
        runner.register(self.registration_token(), name=name, labels=labels)
        return runner

    def runs(self) -> list[dict]:
        response = self.api("GET", f"/repos/{self.repo}/actions/runs")
        assert response.status_code == 200, response.text
        return response.json["workflow_runs"]

    def jobs(self, run_id: int) -> list[dict]:
        response = self.api("GET", f"/repos/{self.repo}/actions/runs/{run_id}/jobs")
        assert response.status_code == 200, response.text
        return response.json["jobs"]


@pytest.fixture
def actions_forge(ctx, client) -> ActionsForge:
    make_user(ctx, "root", admin=True)
    make_user(ctx, "alice")
    make_user(ctx, "bob")
    forge = ActionsForge(ctx, client)
    response = forge.api("POST", "/user/repos", {"name": "demo", "auto_init": True})
    assert response.status_code == 201, response.text
    return forge
