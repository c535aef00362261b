"""The main flow against the real server (gunicorn, two workers): log in for a JWT, register a
runner through RunnerHub, delegate a job, let the runner take and finish it over runner.v1,
and watch it in /api/jobs, /api/runners and /api/queues."""

import base64

import requests

from plue_actions.testing import ProtocolRunner, transport_for_url
from plue_runnerhub.testing import PIPELINE

PASSWORD = "correct-horse-battery-live"


def test_the_runnerhub_flow_on_the_live_server(live_server):
    live_server.plue("admin", "user", "create", "--username", "hubadmin", "--email",
                     "admin@example.com", "--password", PASSWORD, "--admin")
    url = live_server.url
    login = requests.post(f"{url}/api/auth/login",
                          json={"username": "hubadmin", "password": PASSWORD}, timeout=30)
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    created = requests.post(f"{url}/api/v1/user/repos", headers=headers, timeout=30,
                            json={"name": "app", "auto_init": True})
    assert created.status_code == 201, created.text
    pushed = requests.post(f"{url}/api/v1/repos/hubadmin/app/contents/.gitea/workflows/p.yml",
                           headers=headers, timeout=30,
                           json={"content": base64.b64encode(PIPELINE.encode()).decode(),
                                 "message": "pipeline"})
    assert pushed.status_code == 201, pushed.text

    registered = requests.post(f"{url}/api/runners", headers=headers, timeout=30, json={
        "name": "live-runner", "labels": ["ubuntu-latest", "node"], "os": "linux",
        "architecture": "x64"})
    assert registered.status_code == 201, registered.text
    runner_data = registered.json()["data"]
    runner = ProtocolRunner(transport_for_url(url))
    runner.uuid, runner.token = runner_data["uuid"], runner_data["token"]

    delegated = requests.post(f"{url}/api/jobs/delegate", headers=headers, timeout=30, json={
        "repository": "hubadmin/app", "job_name": "Build and Test", "workflow_name": "CI/CD Pipeline",
        "labels": ["ubuntu-latest", "node"], "metadata": {"branch": "main", "pr_number": 7}})
    assert delegated.status_code == 201, delegated.text
    job_id = delegated.json()["data"]["job_id"]

    task = runner.fetch(timeout_ms=5000)
    assert task is not None and "echo build" in task["workflowPayload"]
    runner.update_log(int(task["id"]), 0, ["building on the live server"], no_more=True)
    job = requests.get(f"{url}/api/jobs/{job_id}", headers=headers, timeout=30).json()["data"]
    assert job["status"] == "running" and job["runner_id"] == runner_data["id"]

    finished = requests.put(f"{url}/api/jobs/{job_id}/status", timeout=30,
                            headers=runner.headers, json={"status": "completed", "exit_code": 0})
    assert finished.status_code == 200, finished.text
    assert finished.json()["data"]["status"] == "completed"

    logs = requests.get(f"{url}/api/jobs/{job_id}/logs", headers=headers, timeout=30).json()
    assert [line["message"] for line in logs["data"]["logs"]] == ["building on the live server"]
    runners = requests.get(f"{url}/api/runners", headers=headers, timeout=30).json()["data"]
    assert runners["summary"]["total"] == 1 and runners["runners"][0]["busy"] is False
    queues = requests.get(f"{url}/api/queues/status", headers=headers, timeout=30).json()["data"]
    assert {"name": "node,ubuntu-latest", "waiting": 0, "active": 0, "completed": 1, "failed": 0,
            "delayed": 0, "paused": False} in queues["queues"]
    anonymous = requests.get(f"{url}/api/jobs", timeout=30)
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "AUTHENTICATION_REQUIRED"
