"""The whole Runner Pilot fleet flow against the real server (gunicorn) and the real Docker
engine: register, log in for a JWT, create an org, a Socket node and a runner, start an
instance, read its logs and metrics, delete it."""

from __future__ import annotations

import time

import pytest
import requests

from plue_core.testing import run_live_server
from plue_runner_pilot.testing import RUNNERS_SETTINGS, remove_org_containers

pytestmark = pytest.mark.e2e


def test_a_user_runs_an_instance_through_the_live_server(tmp_path, plue_database_url,
                                                         docker_engine):
    with run_live_server(tmp_path, plue_database_url, runner_pilot=RUNNERS_SETTINGS) as server:
        api = requests.Session()
        registered = api.post(f"{server.url}/auth/register", json={
            "full_name": "John Doe", "email": "john@example.com", "password": "strongpassword"})
        assert registered.status_code == 200, registered.text
        login = api.post(f"{server.url}/auth/login", json={"email": "john@example.com",
                                                           "password": "strongpassword"}).json()
        assert login["token_type"] == "Bearer"
        api.headers["Authorization"] = f"Bearer {login['access_token']}"
        org_id = api.post(f"{server.url}/onboarding", json={"organization": {
            "name": "Gigatech", "short_name": "GT", "type": "personal"}}).json()["organization"]["uid"]
        org = f"{server.url}/org/{org_id}"
        try:
            node = api.post(f"{org}/nodes", json={"name": "Node-01", "type": "Socket"}).json()
            runner = api.post(f"{org}/runners", json={
                "name": "Runner-01", "docker_image": "plue-busybox:latest",
                "github_repo": "Gigatech/my-repo",
                "github_runner_token": "ghr_1234567890abcdef"}).json()
            assert runner["github_runner_token"] == "ghr_****cdef"
            started = api.post(f"{org}/runners/{runner['uid']}/instance",
                               json={"node_id": node["uid"]})
            assert started.status_code == 200, started.text
            instance = started.json()
            assert instance["status"] == "online"
            url = f"{org}/runners/{runner['uid']}/instance/{instance['uid']}"

            deadline = time.monotonic() + 15
            while True:
                logs = api.get(f"{url}/logs").json()
                if any(line["message"] == "listening for jobs" for line in logs) or \
                        time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert {"level": "INFO", "message": "INFO Runner container started successfully."} \
                in [{k: line[k] for k in ("level", "message")} for line in logs]
            metrics = api.get(f"{url}/metrics").json()
            assert 0 <= metrics["cpu_usage"] <= 100 and 0 < metrics["memory_usage"] <= 100

            deleted = api.delete(url)
            assert deleted.json() == {"message": "Runner instance deleted successfully."}
            assert docker_engine.containers.list(
                all=True, filters={"label": f"io.plue.instance={instance['uid']}"}) == []
            assert api.get(url).status_code == 404
        finally:
            remove_org_containers(docker_engine, org_id)
