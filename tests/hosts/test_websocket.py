"""RunnerHub's WebSocket ``/api/ws`` under real gunicorn started as ``make serve`` starts it
(``plue serve``, default settings, 2 workers), with a real WebSocket client: events for real
job and runner changes, authentication, the per-user connection limit and error frames for
bad messages."""

from __future__ import annotations

import base64
import contextlib
import json
import signal
import socket as socketlib
import time

import psutil
import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from plue_core.testing import fresh_database_url, run_live_server
from plue_actions.testing import ProtocolRunner, transport_for_url

pytestmark = pytest.mark.e2e

PASSWORD = "websocket-e2e-password"
WORKFLOW = """on: [push, workflow_dispatch]
jobs:
  build:
    runs-on: ws-e2e
    steps:
      - run: echo hi
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("websocket")
    with fresh_database_url(tmp) as url, run_live_server(tmp, url, workers=2) as live:
        for name in ("alice", "bob"):
            live.plue("admin", "user", "create", "--username", name, "--email",
                      f"{name}@example.com", "--password", PASSWORD)
        yield live


@pytest.fixture(scope="module")
def jwt(server):
    def login(name: str) -> str:
        response = requests.post(f"{server.url}/api/auth/login", timeout=10,
                                 json={"username": name, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return response.json()["token"]
    return {name: login(name) for name in ("alice", "bob")}


def ws_url(server, query: str = "") -> str:
    return server.url.replace("http://", "ws://") + "/api/ws" + query


def open_socket(server, token: str | None = None, query: str = ""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return connect(ws_url(server, query), additional_headers=headers, open_timeout=10)


def ask(socket, message) -> dict:
    socket.send(message if isinstance(message, (str, bytes)) else json.dumps(message))
    return json.loads(socket.recv(timeout=10))


def events_until(socket, predicate, timeout: float = 20) -> list[dict]:
    """Frames received until one satisfies ``predicate`` (fails after ``timeout``)."""
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


def closed_with(socket) -> ConnectionClosed:
    with pytest.raises(ConnectionClosed) as raised:
        while True:
            socket.recv(timeout=10)
    return raised.value


def test_a_subscriber_sees_a_job_go_from_pending_to_completed_as_a_runner_runs_it(server, jwt):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {jwt['alice']}"
    api = f"{server.url}/api/v1"
    assert session.post(f"{api}/user/repos", json={"name": "demo", "auto_init": True,
                                                   "private": True}).status_code == 201
    registration = session.get(f"{api}/repos/alice/demo/actions/runners/registration-token").json()
    with open_socket(server, jwt["alice"]) as alice, open_socket(server, jwt["bob"]) as bob:
        assert ask(alice, {"type": "subscribe", "events": ["job_status", "runner_status"]}) == {
            "type": "subscribed", "data": {"events": ["job_status", "runner_status"]}}
        assert ask(bob, {"type": "subscribe", "events": ["job_status"]})["type"] == "subscribed"
        runner = ProtocolRunner(transport_for_url(server.url))
        runner.register(registration["token"], name="ws-runner", labels=("ws-e2e",))
        content = base64.b64encode(WORKFLOW.encode()).decode()
        assert session.post(f"{api}/repos/alice/demo/contents/.gitea/workflows/ci.yml",
                            json={"content": content, "message": "ci"}).status_code == 201
        pending = events_until(alice, lambda f: f["type"] == "job_status")[-1]
        assert pending["data"]["status"] == "pending"
        job_id = pending["data"]["job_id"]
        assert job_id.startswith("job_") and pending["data"]["timestamp"].endswith("Z")

        task = runner.fetch(timeout_ms=5000)
        assert task is not None
        events_until(alice, lambda f: f["type"] == "job_status" and f["data"]["status"] == "running")
        runner.update_task(int(task["id"]), "RESULT_SUCCESS")
        seen = events_until(alice, lambda f: f["type"] == "job_status"
                            and f["data"]["status"] == "completed")
        assert seen[-1]["data"] == {"job_id": job_id, "job_name": "build", "status": "completed",
                                    "result": "success", "timestamp": seen[-1]["data"]["timestamp"]}
        assert requests.get(f"{server.url}/api/jobs/{job_id}", timeout=10, headers={
            "Authorization": f"Bearer {jwt['alice']}"}).json()["data"]["status"] == "completed"
        # the runner came online when it fetched: a runner_status event for alice's runner
        runner_events = [f for f in alice_frames_after(alice) + seen if f["type"] == "runner_status"]
        assert any(f["data"]["name"] == "ws-runner" and f["data"]["status"] == "online"
                   for f in runner_events), runner_events
        # bob cannot read alice's private repository: not a single event about its job
        with pytest.raises(TimeoutError):
            bob.recv(timeout=1.5)


def alice_frames_after(socket) -> list[dict]:
    """Whatever else arrives within a second (events are checked once per second)."""
    frames = []
    try:
        while True:
            frames.append(json.loads(socket.recv(timeout=1.5)))
    except TimeoutError:
        return frames


def test_the_token_query_parameter_authenticates_a_browser_that_cannot_send_headers(server, jwt):
    with open_socket(server, query=f"?token={jwt['alice']}") as socket:
        assert ask(socket, {"type": "ping"})["type"] == "pong"


def test_a_connection_without_valid_credentials_gets_an_error_frame_then_close_4401(server):
    for query in ("", "?token=not.a.jwt"):
        with open_socket(server, query=query) as socket:
            frame = json.loads(socket.recv(timeout=10))
            assert frame["type"] == "error"
            assert frame["error"]["code"] == "AUTHENTICATION_REQUIRED"
            assert frame["error"]["message"]
            assert closed_with(socket).rcvd.code == 4401


def test_the_eleventh_concurrent_connection_of_a_user_is_refused_until_one_closes(server, jwt):
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(open_socket(server, jwt["bob"])) for _ in range(10)]
        for socket in sockets:  # every one is past authentication and holds a slot
            assert ask(socket, {"type": "ping"})["type"] == "pong"
        with open_socket(server, jwt["bob"]) as eleventh:
            frame = json.loads(eleventh.recv(timeout=10))
            assert frame["error"]["code"] == "RATE_LIMIT_EXCEEDED"
            assert "10" in frame["error"]["message"]
            assert closed_with(eleventh).rcvd.code == 4429
        with open_socket(server, jwt["alice"]) as other_user:
            assert ask(other_user, {"type": "ping"})["type"] == "pong"
        sockets[0].close()
        deadline = time.monotonic() + 5
        while True:  # the slot is free once the server has seen the close
            with open_socket(server, jwt["bob"]) as replacement:
                frame = ask(replacement, {"type": "ping"})
            if frame["type"] == "pong" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert frame["type"] == "pong"


def test_malformed_messages_are_answered_with_error_frames_and_the_connection_stays_open(server, jwt):
    with open_socket(server, jwt["alice"]) as socket:
        not_json = ask(socket, "{subscribe")
        assert not_json["type"] == "error" and "not valid JSON" in not_json["error"]["message"]
        assert "binary" in ask(socket, b"\x00\x01")["error"]["message"]
        assert "'type'" in ask(socket, ["subscribe"])["error"]["message"]
        unknown_type = ask(socket, {"type": "shout"})
        assert unknown_type["error"]["details"]["field"] == "type"
        no_events = ask(socket, {"type": "subscribe", "events": "job_status"})
        assert no_events["error"]["details"]["field"] == "events"
        unknown_event = ask(socket, {"type": "subscribe", "events": ["job_status", "weather"]})
        assert unknown_event["error"]["code"] == "VALIDATION_ERROR"
        assert "unknown event type(s) weather" in unknown_event["error"]["message"]
        assert unknown_event["error"]["details"]["subscribed"] == ["job_status"]
        # the seed's own example subscribes all three; security_alerts is not produced (yet)
        seed = ask(socket, {"type": "subscribe",
                            "events": ["job_status", "runner_status", "system_alerts"]})
        assert seed == {"type": "subscribed",
                        "data": {"events": ["job_status", "runner_status", "system_alerts"]}}
        security = ask(socket, {"type": "subscribe", "events": ["security_alerts"]})
        assert "not produced by this server" in security["error"]["message"]
        assert ask(socket, {"type": "unsubscribe", "events": ["job_status", "system_alerts"]}) == {
            "type": "unsubscribed", "data": {"events": ["runner_status"]}}
        assert ask(socket, {"type": "ping"})["type"] == "pong"


def test_http_requests_reach_the_wsgi_app_and_other_websocket_paths_get_their_http_answer(server, jwt):
    health = requests.get(f"{server.url}/health", timeout=10)
    assert health.status_code == 200
    missing = requests.get(f"{server.url}/api/jobs/job_999999", timeout=10,
                           headers={"Authorization": f"Bearer {jwt['alice']}"})
    assert missing.status_code == 404 and missing.json()["success"] is False
    # only /api/ws upgrades: elsewhere a handshake is an ordinary request, never a 101
    for path, status in (("/api/v1/version", 200), ("/api/nowhere", 404)):
        with pytest.raises(InvalidStatus) as refused:
            connect(server.url.replace("http://", "ws://") + path, open_timeout=10)
        assert refused.value.response.status_code == status


def raw_handshake(server, version: str, key: str) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socketlib.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"GET /api/ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
                    f"Connection: Upgrade\r\nSec-WebSocket-Version: {version}\r\n"
                    f"Sec-WebSocket-Key: {key}\r\n\r\n".encode())
        return raw.recv(4096)


def test_a_handshake_with_another_version_is_426_and_a_bad_key_400(server):
    assert raw_handshake(server, "8", "dGhlIHNhbXBsZSBub25jZQ==").startswith(b"HTTP/1.1 426")
    assert b"Sec-WebSocket-Version: 13" in raw_handshake(server, "8", "dGhlIHNhbXBsZSBub25jZQ==")
    assert raw_handshake(server, "13", "not-base64!").startswith(b"HTTP/1.1 400")
    accepted = raw_handshake(server, "13", "dGhlIHNhbXBsZSBub25jZQ==")
    assert accepted.startswith(b"HTTP/1.1 101")
    assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in accepted  # RFC 6455's example


def test_a_worker_restart_closes_its_websockets_with_1001_and_new_ones_are_served(server, jwt):
    master = psutil.Process(server.process.pid)
    workers = [child for child in master.children() if "scheduler" not in " ".join(child.cmdline())]
    assert len(workers) == 2
    with open_socket(server, jwt["alice"]) as before:
        assert ask(before, {"type": "ping"})["type"] == "pong"
        for worker in workers:  # whichever worker holds the socket is restarted
            worker.send_signal(signal.SIGTERM)
        closed = closed_with(before)
        assert closed.rcvd.code == 1001
    deadline = time.monotonic() + 30
    while len([c for c in master.children() if c.pid not in {w.pid for w in workers}]) < 2:
        assert time.monotonic() < deadline, "gunicorn did not start new workers"
        time.sleep(0.2)
    for _ in range(4):  # both new workers (connections land on either) serve the WebSocket
        with open_socket(server, jwt["alice"]) as after:
            assert ask(after, {"type": "subscribe", "events": ["job_status"]})["type"] == "subscribed"

