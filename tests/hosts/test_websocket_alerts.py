"""``system_alerts`` on ``/api/ws`` of a real gunicorn server started as ``make serve`` does,
each caused by a real change of state: the data directory's disk filling past
``disk_space_low_mb`` (health turns degraded) and freeing again, the SQLite database
disappearing (unhealthy) and coming back, a runner going silent and calling again, a node
switched inactive and active."""

from __future__ import annotations

import contextlib
import json
import os
import pathlib
import shutil
import time

import pytest
import requests
from websockets.sync.client import connect

from plue_core.testing import fresh_database_url, run_live_server
from plue_actions.testing import ProtocolRunner, transport_for_url

pytestmark = pytest.mark.e2e

PASSWORD = "alerts-e2e-password"
MIB = 1024 * 1024
# The threshold sits this far below the free space at start; the test fills twice as much.
MARGIN_MIB = 400


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("alerts")
    free_mib = shutil.disk_usage(tmp).free // MIB
    with fresh_database_url(tmp) as url, run_live_server(
            tmp, url, workers=2, disk_space_low_mb=free_mib - MARGIN_MIB,
            actions={"runner_offline_after": 2}) as live:
        live.plue("admin", "user", "create", "--username", "root", "--email", "root@example.com",
                  "--password", PASSWORD, "--admin")
        for name in ("alice", "bob"):
            live.plue("admin", "user", "create", "--username", name, "--email",
                      f"{name}@example.com", "--password", PASSWORD)
        yield live


def login(server, name: str) -> str:
    response = requests.post(f"{server.url}/api/auth/login", timeout=10,
                             json={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["token"]


@contextlib.contextmanager
def subscribed(server, name: str):
    with connect(server.url.replace("http://", "ws://") + "/api/ws", open_timeout=10,
                 additional_headers={"Authorization": f"Bearer {login(server, name)}"}) as socket:
        socket.send(json.dumps({"type": "subscribe", "events": ["system_alerts"]}))
        assert json.loads(socket.recv(timeout=10))["type"] == "subscribed"
        time.sleep(1.5)  # the feed's first look records the present state
        socket.backlog = []
        yield socket


def next_alert(socket, alert: str, timeout: float = 20) -> dict:
    """The next ``alert`` event; other alerts received meanwhile wait in the backlog."""
    for frame in socket.backlog:
        if frame["data"]["alert"] == alert:
            socket.backlog.remove(frame)
            return frame["data"]
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        try:
            frame = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        except TimeoutError:
            break
        seen.append(frame)
        if frame["type"] != "system_alerts":
            continue
        assert set(frame["data"]) == {"alert", "severity", "state", "message", "details",
                                      "timestamp"}
        if frame["data"]["alert"] == alert:
            return frame["data"]
        socket.backlog.append(frame)
    pytest.fail(f"no {alert} alert within {timeout} s; got {seen}")


def silent(socket, seconds: float = 2.5) -> list[dict]:
    frames = []
    try:
        while True:
            frames.append(json.loads(socket.recv(timeout=seconds)))
    except TimeoutError:
        return frames


def test_disk_space_low_turns_health_degraded_and_back_for_admins_only(server):
    with subscribed(server, "root") as root, subscribed(server, "bob") as bob:
        filler = server.data_dir / "filler.bin"
        with open(filler, "wb") as handle:
            os.posix_fallocate(handle.fileno(), 0, 2 * MARGIN_MIB * MIB)
        try:
            low = next_alert(root, "disk_space")
            assert (low["state"], low["severity"]) == ("firing", "warning")
            assert low["details"]["free_bytes"] < low["details"]["threshold_bytes"]
            degraded = next_alert(root, "health")
            assert degraded["details"]["status"] == "degraded"
            assert degraded["details"]["previous"] == "healthy"
            assert degraded["details"]["services"]["disk"] == "low"
            health = requests.get(f"{server.url}/health", timeout=10).json()
            assert health["status"] == "degraded" and health["services"]["disk"] == "low"
        finally:
            filler.unlink()
        back = next_alert(root, "disk_space")
        assert (back["state"], back["severity"]) == ("resolved", "info")
        healthy = next_alert(root, "health")
        assert (healthy["details"]["status"], healthy["state"]) == ("healthy", "resolved")
        assert [f for f in silent(bob, 1) if f["type"] == "system_alerts"] == []


def test_the_database_going_away_is_an_unhealthy_alert_and_its_return_a_resolved_one(server):
    database = server.env.get("PLUE_DATABASE_URL") or _database_url(server)
    if not database.startswith("sqlite"):
        pytest.skip("moving the database file away is how this test takes SQLite down")
    path = pathlib.Path(database.split("///", 1)[1])
    with subscribed(server, "root") as root:
        aside = path.with_name(path.name + ".aside")
        path.rename(aside)
        path.mkdir()  # the database file is now a directory: no connection can open it
        try:
            down = next_alert(root, "health")
            assert (down["details"]["status"], down["severity"], down["state"]) == (
                "unhealthy", "critical", "firing")
            assert down["details"]["services"]["database"] == "unhealthy"
        finally:
            path.rmdir()
            aside.rename(path)
        up = next_alert(root, "health")
        assert (up["details"]["status"], up["details"]["previous"]) == ("healthy", "unhealthy")


def _database_url(server) -> str:
    text = server.config_path.read_text()
    return next(line.split("=", 1)[1].strip().strip('"') for line in text.splitlines()
                if line.startswith("database_url"))


def test_a_runner_going_silent_is_an_alert_for_who_sees_it_and_calling_again_resolves_it(server):
    session = requests.Session()
    session.auth = ("alice", PASSWORD)
    api = f"{server.url}/api/v1"
    assert session.post(f"{api}/user/repos", json={"name": "fleet"}).status_code == 201
    token = session.get(f"{api}/repos/alice/fleet/actions/runners/registration-token").json()["token"]
    runner = ProtocolRunner(transport_for_url(server.url))
    with subscribed(server, "alice") as alice, subscribed(server, "bob") as bob:
        runner.register(token, name="quiet-runner", labels=("alerts",))
        runner.fetch(timeout_ms=200)
        offline = next_alert(alice, "runner_offline")  # runner_offline_after = 2 s
        assert (offline["state"], offline["details"]["name"]) == ("firing", "quiet-runner")
        assert offline["details"]["status"] == "offline"
        assert offline["details"]["runner_id"].startswith("runner_")
        time.sleep(3)  # a call stamps last_online at most every 5 s (actions' debounce)
        runner.fetch(timeout_ms=200)
        online = next_alert(alice, "runner_offline")
        assert (online["state"], online["details"]["status"]) == ("resolved", "online")
        assert [f for f in silent(bob, 1) if f["type"] == "system_alerts"] == []


def test_a_node_switched_inactive_is_an_alert_for_the_organization_and_active_resolves_it(server):
    def bearer(name):
        answer = requests.post(f"{server.url}/auth/login", timeout=10, json={
            "email": f"{name}@example.com", "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    alice = bearer("alice")
    org = requests.post(f"{server.url}/org", json={"name": "Alerting", "short_name": "AL"},
                        headers=alice, timeout=10).json()
    nodes = f"{server.url}/org/{org['uid']}/nodes"
    node = requests.post(nodes, headers=alice, timeout=10, json={
        "name": "engine-1", "type": "Remote", "ip_address": "10.0.0.1", "port": 2376}).json()
    with subscribed(server, "alice") as member, subscribed(server, "bob") as stranger:
        assert requests.put(f"{nodes}/{node['uid']}", json={"status": "inactive"}, headers=alice,
                            timeout=10).status_code == 200
        down = next_alert(member, "node_offline")
        assert (down["state"], down["details"]["node_id"], down["details"]["status"]) == (
            "firing", node["uid"], "inactive")
        assert requests.put(f"{nodes}/{node['uid']}", json={"status": "active"}, headers=alice,
                            timeout=10).status_code == 200
        assert next_alert(member, "node_offline")["state"] == "resolved"
        assert [f for f in silent(stranger, 1) if f["type"] == "system_alerts"] == []
