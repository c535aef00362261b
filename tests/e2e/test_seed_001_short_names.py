"""Seed 001 (Runner Pilot) followed literally by a client that knows its organization only by
what the seed shows it, the ``short_name``: every ``/org/{org_id}/...`` URL below is built from
``"GT"``, against the real server (gunicorn) and the real Docker engine. A stranger gets 404 for
each of those URLs, by short name and by uid alike (docs/fleet.md, "Addressing an
organization")."""

from __future__ import annotations

import time

import pytest
import requests

from plue_core.testing import BUSYBOX_IMAGE as IMAGE, run_live_server
from plue_runner_pilot.testing import RUNNERS_SETTINGS, remove_org_containers
from tests.e2e.test_seed_families import (
    INSTANCE, MASKED_TOKEN, NODE, ORG, RUNNER, SOCKET_NULLS, TIMESTAMP, expect,
)

pytestmark = pytest.mark.e2e

METRICS = {"cpu_usage": 45.5, "memory_usage": 70.2, "disk_usage": 80.1, "timestamp": TIMESTAMP}
LOG_LINES = [{"timestamp": TIMESTAMP, "level": "INFO", "message": "started"}]


def signed_in(url: str, full_name: str, email: str) -> requests.Session:
    api = requests.Session()
    expect(api.post(f"{url}/auth/register", json={
        "full_name": full_name, "email": email, "password": "strongpassword"}), 200)
    login = expect(api.post(f"{url}/auth/login", json={
        "email": email, "password": "strongpassword"}), 200)
    api.headers["Authorization"] = f"Bearer {login['access_token']}"
    return api


def wait_for_log_levels(api, url: str, levels: set) -> list:
    deadline = time.monotonic() + 15
    while True:
        logs = expect(api.get(f"{url}/logs"), 200, LOG_LINES)
        if levels <= {line["level"] for line in logs} or time.monotonic() > deadline:
            return logs
        time.sleep(0.2)


def test_a_client_addresses_its_organization_by_the_seeds_short_name(tmp_path, plue_database_url,
                                                                     docker_engine):
    with run_live_server(tmp_path, plue_database_url, runner_pilot=RUNNERS_SETTINGS) as server:
        url = server.url
        john = signed_in(url, "John Doe", "john@example.com")
        onboarded = expect(john.post(f"{url}/onboarding", json={"organization": {
            "name": "Gigatech", "short_name": "GT", "type": "personal"}}),
            200, {"organization": {**ORG, "type": "personal"}})
        uid = onboarded["organization"]["uid"]
        me = expect(john.get(f"{url}/common/me"), 200)
        assert me["organizations"][0]["short_name"] == "GT"

        # The seed creates "GT" a second time: a short name names one organization, so that is
        # a 409 in Pilot's error shape, and the client picks the seed's other one, "NT".
        taken = expect(john.post(f"{url}/org", json={
            "name": "Gigatech", "short_name": "GT", "type": "organization"}), 409, {"error": "x"})
        assert "'GT' is already taken" in taken["error"]
        expect(john.post(f"{url}/org", json={
            "name": "NextTech", "short_name": "NT", "type": "organization"}), 200, ORG)

        org = f"{url}/org/GT"
        got = expect(john.get(org), 200, {**ORG, "type": "personal"})
        assert (got["uid"], got["short_name"]) == (uid, "GT")
        assert expect(john.get(f"{url}/org/gt"), 200)["uid"] == uid  # any case
        updated = expect(john.put(org, json={"name": "Gigatech Updated"}), 200,
                         {"name": "Gigatech Updated", "short_name": "GT", "type": "personal"})
        assert updated["name"] == "Gigatech Updated"

        try:
            remote = expect(john.post(f"{org}/nodes", json={
                "name": "Node-01", "type": "Remote", "ip_address": "192.168.1.10", "port": 22}),
                200, NODE)
            socket = expect(john.post(f"{org}/nodes", json={"name": "Node-02", "type": "Socket"}),
                            200, NODE, SOCKET_NULLS)
            nodes = expect(john.get(f"{org}/nodes"), 200,
                           [{"uid": "f1", "name": "Node-01", "type": "Remote", "status": "active"}])
            assert [n["name"] for n in nodes] == ["Node-01", "Node-02"]
            node_url = f"{org}/nodes/{remote['uid']}"
            expect(john.get(node_url), 200, NODE)
            expect(john.put(node_url, json={"name": "Node-01-Updated", "status": "inactive"}), 200,
                   {"uid": "f1", "name": "Node-01-Updated", "type": "Remote", "status": "inactive"})

            runner = expect(john.post(f"{org}/runners", json={
                "name": "Runner-01", "docker_image": IMAGE, "github_repo": "Gigatech/my-repo",
                "github_runner_token": "ghr_1234567890abcdef"}), 200, RUNNER)
            assert runner["github_runner_token"] == MASKED_TOKEN
            expect(john.get(f"{org}/runners"), 200, [{
                "uid": "r1", "name": "Runner-01", "github_runner_token": "x", "status": "idle"}])
            runner_url = f"{org}/runners/{runner['uid']}"
            expect(john.get(runner_url), 200, {k: v for k, v in RUNNER.items() if k != "created_at"})
            expect(john.put(runner_url, json={
                "name": "Runner-01-Updated", "github_runner_token": "ghr_1234567890abcdef"}), 200,
                {"uid": "r1", "github_runner_token": "x", "name": "Runner-01-Updated",
                 "status": "idle"})

            instance = expect(john.post(f"{runner_url}/instance", json={"node_id": socket["uid"]}),
                              200, INSTANCE)
            assert instance["status"] == "online"
            expect(john.get(f"{runner_url}/instance"), 200, [{
                "uid": "i1", "instance_identifier": "c", "instance_host": "h", "status": "online"}])
            instance_url = f"{runner_url}/instance/{instance['uid']}"
            expect(john.get(instance_url), 200, INSTANCE)
            metrics = expect(john.get(f"{instance_url}/metrics"), 200, METRICS)
            assert 0 <= metrics["cpu_usage"] <= 100 and 0 < metrics["memory_usage"] <= 100
            logs = wait_for_log_levels(john, instance_url, {"INFO", "WARN"})
            assert "INFO Runner container started successfully." in [line["message"] for line in logs]

            assert_a_stranger_sees_none_of_it(url, uid, node_url, runner_url, instance_url)
            # The stranger changed nothing.
            assert expect(john.get(instance_url), 200)["status"] == "online"
            assert expect(john.get(node_url), 200)["name"] == "Node-01-Updated"
            assert expect(john.get(org), 200)["name"] == "Gigatech Updated"

            assert expect(john.delete(instance_url), 200) == {
                "message": "Runner instance deleted successfully."}
            assert docker_engine.containers.list(
                all=True, filters={"label": f"io.plue.instance={instance['uid']}"}) == []
            assert expect(john.delete(runner_url), 200) == {"message": "Runner deleted successfully."}
            for node in (remote, socket):
                assert expect(john.delete(f"{org}/nodes/{node['uid']}"), 200) == {
                    "message": "Node deleted successfully."}
            assert expect(john.get(f"{org}/nodes"), 200) == []
            assert expect(john.get(f"{org}/runners"), 200) == []
            expect(john.get(instance_url), 404, {"error": "x"})
        finally:
            remove_org_containers(docker_engine, uid)


def assert_a_stranger_sees_none_of_it(url, uid, node_url, runner_url, instance_url):
    """Every URL of GT's fleet, by short name and by uid, is 404 for a signed-in outsider, who
    has an organization of their own."""
    jane = signed_in(url, "Jane Roe", "jane@example.com")
    expect(jane.post(f"{url}/onboarding", json={"organization": {
        "name": "Janetech", "short_name": "JT", "type": "personal"}}), 200)
    by_short_name = {
        "": ("GET", "PUT"), "/nodes": ("GET", "POST"), node_url: ("GET", "PUT", "DELETE"),
        "/runners": ("GET", "POST"), runner_url: ("GET", "PUT", "DELETE"),
        f"{runner_url}/instance": ("GET", "POST"), instance_url: ("GET", "DELETE"),
        f"{instance_url}/metrics": ("GET",), f"{instance_url}/logs": ("GET",),
    }
    prefix = f"{url}/org/GT"
    checked = 0
    for path, methods in by_short_name.items():
        short_url = path if path.startswith(url) else prefix + path
        for org_url in (short_url, short_url.replace(prefix, f"{url}/org/{uid}", 1),
                        short_url.replace(prefix, f"{url}/org/gt", 1)):
            for method in methods:
                body = {"name": "Mine now"} if method in ("PUT", "POST") else None
                answer = expect(jane.request(method, org_url, json=body), 404, {"error": "x"})
                assert answer["error"].startswith("organization "), (method, org_url, answer)
                checked += 1
    assert checked == 3 * 18
    assert expect(jane.get(f"{url}/org"), 200)[0]["short_name"] == "JT"
