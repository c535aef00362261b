"""GitHub's webhooks against the real server (gunicorn, its scheduler running): each accepted
delivery is announced on /api/ws as ``github_webhook`` to RunnerHub admins (a real WebSocket
client listens), a queued workflow_job becomes a hub job, and a push of a tracked repository
is synced from the local GitHub API within seconds."""

import json
import pathlib
import time

import pytest
import requests
from websockets.sync.client import connect

from plue_core.testing import fresh_database_url, run_live_server
from plue_runnerhub.testing import github_delivery
from plue_tracked_repos.testing import (
    GITHUB_TOKEN, LocalGitHubAPI, LocalGitLabAPI, make_commits, tracked_settings,
)

SECRET = "It's a Secret to Everybody"
PASSWORD = "correct-horse-battery-hub"
EXAMPLES = pathlib.Path(__file__).parent / "github_documented_examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / f"{name}.json").read_text())


def _session(url: str, username: str) -> requests.Session:
    login = requests.post(f"{url}/api/auth/login", timeout=30,
                          json={"username": username, "password": PASSWORD})
    assert login.status_code == 200, login.text
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return session


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


def test_deliveries_are_announced_on_the_websocket_and_a_push_syncs_at_once(tmp_path):
    with LocalGitHubAPI(token=GITHUB_TOKEN) as github, LocalGitLabAPI() as gitlab, \
            fresh_database_url(tmp_path) as database_url, \
            run_live_server(tmp_path, database_url,
                            runnerhub={"github_webhook_secret": SECRET},
                            tracked_repos=tracked_settings(github, gitlab, push_sync_interval=1),
                            scheduler={"mode": "serve"}) as server:
        github.add("Codertocat", "Hello-World", commits=make_commits(3))
        server.plue("admin", "user", "create", "--username", "hubadmin", "--email",
                    "admin@example.com", "--password", PASSWORD, "--admin")
        admin = _session(server.url, "hubadmin")
        made = admin.post(f"{server.url}/api/v1/admin/users", timeout=30, json={
            "username": "viewer", "email": "viewer@example.com", "password": PASSWORD,
            "must_change_password": False})
        assert made.status_code == 201, made.text
        viewer = _session(server.url, "viewer")
        tracked = admin.post(f"{server.url}/api/repos", timeout=30,
                             json={"url": "https://github.com/Codertocat/Hello-World"}).json()
        ws_url = server.url.replace("http://", "ws://") + "/api/ws"

        def socket(session):
            return connect(ws_url, open_timeout=10, additional_headers={
                "Authorization": session.headers["Authorization"]})

        def post(event, payload, delivery_id):
            body, headers = github_delivery(SECRET, event, payload, delivery_id)
            return requests.post(f"{server.url}/api/github/webhook", data=body,
                                 headers=headers, timeout=30)

        with socket(admin) as admin_ws, socket(viewer) as viewer_ws:
            for ws in (admin_ws, viewer_ws):
                ws.send(json.dumps({"type": "subscribe", "events": ["github_webhook"]}))
                assert json.loads(ws.recv(timeout=10)) == {
                    "type": "subscribed", "data": {"events": ["github_webhook"]}}

            queued = post("workflow_job", example("workflow_job.queued"), "delivery-queued")
            assert queued.status_code == 200, queued.text
            job_id = queued.json()["data"]["job_id"]
            frame = _frames_until(admin_ws, lambda f: f["type"] == "github_webhook")[-1]
            assert frame["data"] == {
                "delivery_id": "delivery-queued", "event": "workflow_job", "action": "queued",
                "repository": "Codertocat/Hello-World", "sender": "Codertocat",
                "job_id": job_id, "received_at": frame["data"]["received_at"]}
            assert frame["data"]["received_at"].endswith("Z")
            job = admin.get(f"{server.url}/api/jobs/{job_id}", timeout=30).json()["data"]
            assert (job["status"], job["github_job_id"]) == ("pending", 2832853555)

            # a redelivery is answered, and neither recorded nor announced again
            assert post("workflow_job", example("workflow_job.queued"),
                        "delivery-queued").json()["data"]["duplicate"] is True
            pushed = post("push", example("push"), "delivery-push")
            assert pushed.status_code == 200, pushed.text
            frame = _frames_until(admin_ws, lambda f: f["type"] == "github_webhook")[-1]
            assert (frame["data"]["delivery_id"], frame["data"]["event"]) == \
                ("delivery-push", "push")
            with pytest.raises(TimeoutError):  # the viewer is no RunnerHub admin
                viewer_ws.recv(timeout=1.5)

        # The scheduler's tracked_repos.sync_pushed job (every second here) syncs it.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            commits = admin.get(f"{server.url}/api/repos/{tracked['id']}/commits", timeout=30)
            if commits.json():
                break
            time.sleep(0.5)
        assert [c["sha"] for c in commits.json()] == \
            [c.sha for c in github.commits_of("Codertocat/Hello-World")]
