"""Seed 002 followed literally against the real server (gunicorn): an operator delegates a job
of a GitHub repository Plue does not host (``octo/widgets``, GitHub's ids), it waits pending;
a matching runner registers and calls, it is assigned; the runner reports status and logs; the
job is listed, filtered, counted in queues and metrics, and announced on /api/ws. A viewer is
refused, a malformed repository is a 400."""

import json
import time

import pytest
import requests
from websockets.sync.client import connect

from plue_core.testing import fresh_database_url, run_live_server

PASSWORD = "correct-horse-battery-hub"
DELEGATION = {  # the seed's own example, for a repository Plue does not host
    "repository": "octo/widgets", "job_id": "123456789", "job_name": "Build and Test",
    "workflow_name": "CI/CD Pipeline", "labels": ["ubuntu-latest", "node"],
    "metadata": {"branch": "main", "commit_sha": "abc123def456", "pr_number": 42}}
RUNNER = {  # the seed's "Register New Runner" body
    "name": "runnerhub-2", "labels": ["ubuntu-latest", "docker", "node"], "os": "linux",
    "architecture": "x64", "capabilities": {"docker": True, "kubernetes": False,
                                            "max_concurrent_jobs": 5},
    "resource_info": {"cpu_cores": 8, "memory_gb": 16, "disk_gb": 200}}


def _session(url: str, username: str) -> requests.Session:
    login = requests.post(f"{url}/api/auth/login", timeout=30,
                          json={"username": username, "password": PASSWORD})
    assert login.status_code == 200, login.text
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return session


def _people(server) -> dict[str, requests.Session]:
    """hubadmin (site administrator), ops (RunnerHub operator), viewer (no hub role)."""
    server.plue("admin", "user", "create", "--username", "hubadmin", "--email",
                "admin@example.com", "--password", PASSWORD, "--admin")
    admin = _session(server.url, "hubadmin")
    for name, role in (("ops", "operator"), ("viewer", "viewer")):
        made = admin.post(f"{server.url}/api/v1/admin/users", timeout=30, json={
            "username": name, "email": f"{name}@example.com", "password": PASSWORD,
            "must_change_password": False, "role": role})
        assert made.status_code == 201, made.text
    return {"admin": admin, "ops": _session(server.url, "ops"),
            "viewer": _session(server.url, "viewer")}


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    assert response.json()["success"] is True
    return response.json()["data"]


def test_a_github_job_goes_pending_assigned_running_completed_on_the_live_server(live_server):
    url = live_server.url
    people = _people(live_server)
    ops, admin = people["ops"], people["admin"]

    delegated = ops.post(f"{url}/api/jobs/delegate", json=DELEGATION, timeout=30)
    assert delegated.json()["message"] == "Job delegated successfully"
    delegation = _ok(delegated, 201)
    assert set(delegation) >= {"delegation_id", "runner_id", "container_id", "status",
                               "created_at", "estimated_completion"}
    assert delegation["status"] == "queued" and delegation["runner_id"] is None
    job_id = delegation["job_id"]
    pending = _ok(ops.get(f"{url}/api/jobs", timeout=30, params={
        "status": "pending", "repository": "octo/widgets", "limit": 20, "offset": 0}))
    assert [job["id"] for job in pending["jobs"]] == [job_id]
    assert pending["pagination"] == {"total": 1, "limit": 20, "offset": 0, "pages": 1}

    runner = _ok(admin.post(f"{url}/api/runners", json=RUNNER, timeout=30), 201)
    runner_headers = {"x-runner-uuid": runner["uuid"], "x-runner-token": runner["token"]}
    # The hub runner asks for its jobs (its call is its heartbeat): the pending job is its.
    mine = _ok(requests.get(f"{url}/api/jobs", headers=runner_headers, timeout=30,
                            params={"runner_id": runner["id"], "status": "assigned"}))
    assert [(job["id"], job["status"]) for job in mine["jobs"]] == [(job_id, "assigned")]
    job = _ok(ops.get(f"{url}/api/jobs/{job_id}", timeout=30))
    assert job["github_job_id"] == 123456789 and job["runner_id"] == runner["id"]
    assert job["repository"] == "octo/widgets" and job["status"] == "assigned"
    online = _ok(admin.get(f"{url}/api/runners", timeout=30,
                           params={"status": "online", "labels": "ubuntu-latest"}))
    assert [(r["id"], r["busy"], r["current_job"]["job_id"]) for r in online["runners"]] == \
        [(runner["id"], True, job_id)]

    started = requests.put(f"{url}/api/jobs/{job_id}/status", headers=runner_headers, timeout=30,
                           json={"status": "running", "container_id": "container_xyz789"})
    assert _ok(started)["status"] == "running"
    sent = requests.post(f"{url}/api/jobs/{job_id}/logs", headers=runner_headers, timeout=30,
                         json={"logs": [{"timestamp": "2024-06-23T10:30:15Z", "level": "info",
                                         "message": "Starting job execution", "step": "setup"},
                                        {"timestamp": "2024-06-23T10:30:30Z", "level": "info",
                                         "message": "Installing dependencies", "step": "build"}]})
    assert _ok(sent, 201)["total_lines"] == 2
    running = _ok(ops.get(f"{url}/api/jobs", timeout=30,
                          params={"status": "running", "repository": "octo/widgets"}))
    assert [(j["id"], j["container_id"]) for j in running["jobs"]] == [(job_id,
                                                                         "container_xyz789")]
    logs = _ok(ops.get(f"{url}/api/jobs/{job_id}/logs", timeout=30,
                       params={"follow": "true", "lines": 100}))
    assert logs["logs"][0] == {"timestamp": "2024-06-23T10:30:15Z", "level": "info",
                               "message": "Starting job execution", "step": "setup"}
    assert logs["metadata"]["total_lines"] == 2 and logs["metadata"]["job_status"] == "running"

    finished = requests.put(f"{url}/api/jobs/{job_id}/status", headers=runner_headers,
                            timeout=30, json={
                                "status": "completed", "result": "success",
                                "completed_at": "2099-06-23T10:45:00Z", "exit_code": 0,
                                "artifacts": [{"name": "build-artifacts",
                                               "path": "/artifacts/build.zip",
                                               "size": 1024000}]})
    done = _ok(finished)
    assert (done["status"], done["result"], done["exit_code"]) == ("completed", "success", 0)
    completed = _ok(ops.get(f"{url}/api/jobs", timeout=30,
                            params={"status": "completed", "runner_id": runner["id"]}))
    assert [job["id"] for job in completed["jobs"]] == [job_id]
    queues = _ok(ops.get(f"{url}/api/queues/status", timeout=30))
    assert {"name": "node,ubuntu-latest", "waiting": 0, "active": 0, "completed": 1,
            "failed": 0, "delayed": 0, "paused": False} in queues["queues"]
    metrics = _ok(admin.get(f"{url}/api/metrics", timeout=30))
    assert metrics["application"]["completed_jobs_today"] == 1
    assert metrics["application"]["active_jobs"] == 0

    refused = people["viewer"].post(f"{url}/api/jobs/delegate", json=DELEGATION, timeout=30)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "AUTHORIZATION_FAILED"
    malformed = ops.post(f"{url}/api/jobs/delegate", timeout=30,
                         json={**DELEGATION, "repository": "invalid-repo"})
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "VALIDATION_ERROR"
    assert malformed.json()["error"]["details"] == {
        "field": "repository", "value": "invalid-repo", "expected": "owner/repo format"}
    assert people["viewer"].get(f"{url}/api/jobs/{job_id}", timeout=30).status_code == 404


def _frames_until(socket, predicate, timeout: float = 20) -> list[dict]:
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            frame = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        except TimeoutError:
            break
        seen.append(frame)
        if predicate(frame):
            return seen
    pytest.fail(f"no matching frame within {timeout} s; got {seen}")


def test_external_job_status_changes_are_announced_on_the_websocket(tmp_path):
    with fresh_database_url(tmp_path) as database_url, \
            run_live_server(tmp_path, database_url) as server:
        people = _people(server)
        ws_url = server.url.replace("http://", "ws://") + "/api/ws"

        def socket(name):
            token = people[name].headers["Authorization"]
            return connect(ws_url, additional_headers={"Authorization": token}, open_timeout=10)

        with socket("ops") as ops_ws, socket("viewer") as viewer_ws:
            for ws in (ops_ws, viewer_ws):
                ws.send(json.dumps({"type": "subscribe", "events": ["job_status"]}))
                assert json.loads(ws.recv(timeout=10))["type"] == "subscribed"
            job_id = _ok(people["ops"].post(f"{server.url}/api/jobs/delegate", json=DELEGATION,
                                            timeout=30), 201)["job_id"]

            def status_of(wanted):
                return lambda frame: frame["type"] == "job_status" and \
                    frame["data"]["job_id"] == job_id and frame["data"]["status"] == wanted

            _frames_until(ops_ws, status_of("pending"))
            runner = _ok(people["admin"].post(f"{server.url}/api/runners", json=RUNNER,
                                              timeout=30), 201)
            headers = {"x-runner-uuid": runner["uuid"], "x-runner-token": runner["token"]}
            requests.get(f"{server.url}/api/jobs", headers=headers, timeout=30)
            assigned = _frames_until(ops_ws, status_of("assigned"))[-1]
            assert assigned["data"]["runner_id"] == runner["id"]
            requests.put(f"{server.url}/api/jobs/{job_id}/status", headers=headers, timeout=30,
                         json={"status": "completed", "exit_code": 0})
            completed = _frames_until(ops_ws, status_of("completed"))[-1]
            assert completed["data"]["result"] == "success"
            assert completed["data"]["timestamp"].endswith("Z")
            with pytest.raises(TimeoutError):  # the viewer may not see ops's job
                viewer_ws.recv(timeout=1.5)
