"""Runner instances on a real Docker engine (seed 001 sections 5-6): each instance is a
plue-busybox container started on a Socket node; metrics come from the stats API and logs
from the container's own output."""

from __future__ import annotations

import datetime
import time
import uuid

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.db import connection
from plue_core.errors import Conflict
from plue_core.testing import free_port, make_test_config, migrate
from plue_nodes.models import Node
from plue_runner_pilot import instances
from plue_runner_pilot.models import Runner, RunnerInstance
from plue_runner_pilot.testing import RUNNERS_SETTINGS, build_fleet, remove_org_containers

pytestmark = pytest.mark.usefixtures("docker_engine")


@pytest.fixture
def started(fleet, docker_engine):
    """A runner with one running instance; returns (runner, instance json, instance url)."""
    runner = fleet.create_runner()
    response = fleet.start_instance(runner["uid"])
    assert response.status_code == 200, response.json
    instance = response.json
    return runner, instance, fleet.url(f"/runners/{runner['uid']}/instance/{instance['uid']}")


def wait_for_logs(fleet, url, text, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        lines = fleet.client.simulate_get(url + "/logs", headers=fleet.headers["alice"]).json
        if any(text in line["message"] for line in lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)


def test_starting_an_instance_runs_a_labelled_container_and_answers_the_seeds_shape(
        fleet, started, docker_engine):
    runner, instance, _ = started
    assert set(instance) == {"uid", "runner", "node", "instance_identifier", "instance_host",
                             "status", "last_heartbeat"}
    assert instance["runner"] == {"uid": runner["uid"], "name": "Runner-01"}
    assert instance["node"] == {"uid": fleet.node_id, "name": "local"}
    assert instance["status"] == "online" and instance["last_heartbeat"].endswith("Z")
    assert instance["instance_identifier"].startswith("plue-runner-01-")
    assert instance["instance_host"] == docker_engine.info()["Name"]
    container = docker_engine.containers.get(instance["instance_identifier"])
    assert container.status == "running"
    assert container.labels["io.plue.runner-pilot"] == "1"
    assert (container.labels["io.plue.org"], container.labels["io.plue.runner"],
            container.labels["io.plue.instance"], container.labels["io.plue.node"]) == \
        (fleet.org_id, runner["uid"], instance["uid"], fleet.node_id)
    # The token reaches the container (decrypted in memory only) with the repository URL.
    env = container.exec_run(["/bin/sh", "-c", "echo $RUNNER_TOKEN $REPO_URL"]).output.decode()
    assert env.split() == ["ghr_1234567890abcdef", "https://github.com/Gigatech/my-repo"]


def test_listing_and_getting_instances(fleet, started):
    runner, instance, url = started
    alice = fleet.headers["alice"]
    listed = fleet.client.simulate_get(fleet.url(f"/runners/{runner['uid']}/instance"), headers=alice)
    assert listed.status_code == 200
    assert listed.json == [{"uid": instance["uid"],
                            "instance_identifier": instance["instance_identifier"],
                            "instance_host": instance["instance_host"], "status": "online"}]
    got = fleet.client.simulate_get(url, headers=alice)
    assert got.status_code == 200
    assert {k: got.json[k] for k in ("uid", "runner", "node", "instance_identifier", "status")} == \
        {k: instance[k] for k in ("uid", "runner", "node", "instance_identifier", "status")}


def test_an_instance_whose_container_stopped_is_offline(fleet, started, docker_engine):
    _, instance, url = started
    docker_engine.containers.get(instance["instance_identifier"]).kill()
    got = fleet.client.simulate_get(url, headers=fleet.headers["alice"])
    assert got.status_code == 200 and got.json["status"] == "offline"
    assert got.json["last_heartbeat"] == instance["last_heartbeat"] or got.json["last_heartbeat"]
    listed = fleet.client.simulate_get(url.rsplit("/", 1)[0], headers=fleet.headers["alice"])
    assert listed.json[0]["status"] == "offline"


def test_metrics_are_percentages_from_the_stats_api(fleet, started):
    _, _, url = started
    wait_for_logs(fleet, url, "listening for jobs")  # the 1 MiB file is written by then
    response = fleet.client.simulate_get(url + "/metrics", headers=fleet.headers["alice"])
    assert response.status_code == 200
    metrics = response.json
    assert set(metrics) == {"cpu_usage", "memory_usage", "disk_usage", "timestamp"}
    assert 0.0 <= metrics["cpu_usage"] <= 100.0
    assert 0.0 < metrics["memory_usage"] <= 100.0
    # 1 MiB written to the writable layer against the tests' 10 MiB quota.
    assert 9.0 <= metrics["disk_usage"] <= 20.0
    stamp = datetime.datetime.strptime(metrics["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs((datetime.datetime.utcnow() - stamp).total_seconds()) < 60


def test_logs_carry_what_the_container_printed_with_levels(fleet, started):
    _, _, url = started
    lines = wait_for_logs(fleet, url, "listening for jobs")
    by_message = {line["message"]: line for line in lines}
    assert by_message["INFO Runner container started successfully."]["level"] == "INFO"
    assert by_message["WARN Runner heartbeat delayed."]["level"] == "WARN"
    assert by_message["level=error repository is https://github.com/Gigatech/my-repo"]["level"] \
        == "ERROR"
    assert by_message["listening for jobs"]["level"] == "INFO"
    for line in lines:
        assert set(line) == {"timestamp", "level", "message"}
        datetime.datetime.strptime(line["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
    tail = fleet.client.simulate_get(url + "/logs", params={"lines": 1},
                                     headers=fleet.headers["alice"]).json
    assert len(tail) == 1 and tail[0]["message"] in by_message


@pytest.mark.parametrize("lines", ["0", "abc", "10001"])
def test_a_bad_lines_parameter_is_400_naming_it(fleet, started, lines):
    _, _, url = started
    response = fleet.client.simulate_get(url + "/logs", params={"lines": lines},
                                         headers=fleet.headers["alice"])
    assert response.status_code == 400 and "lines" in response.json["error"]


def test_deleting_an_instance_stops_and_removes_its_container(fleet, started, docker_engine):
    runner, instance, url = started
    response = fleet.client.simulate_delete(url, headers=fleet.headers["alice"])
    assert (response.status_code, response.json) == \
        (200, {"message": "Runner instance deleted successfully."})
    assert docker_engine.containers.list(
        all=True, filters={"label": f"io.plue.instance={instance['uid']}"}) == []
    assert fleet.client.simulate_get(url, headers=fleet.headers["alice"]).status_code == 404
    # With no instances left the runner and the node can go.
    assert fleet.client.simulate_delete(fleet.url(f"/runners/{runner['uid']}"),
                                        headers=fleet.headers["alice"]).status_code == 200
    assert fleet.client.simulate_delete(fleet.url(f"/nodes/{fleet.node_id}"),
                                        headers=fleet.headers["alice"]).status_code == 200


def test_deleting_an_instance_whose_container_is_already_gone(fleet, started, docker_engine):
    _, instance, url = started
    docker_engine.containers.get(instance["instance_identifier"]).remove(force=True)
    response = fleet.client.simulate_delete(url, headers=fleet.headers["alice"])
    assert response.status_code == 200
    gone = fleet.client.simulate_get(url + "/metrics", headers=fleet.headers["alice"])
    assert gone.status_code == 404


def test_metrics_and_logs_of_a_vanished_container_are_409_saying_so(fleet, started, docker_engine):
    _, instance, url = started
    docker_engine.containers.get(instance["instance_identifier"]).remove(force=True)
    for suffix in ("/metrics", "/logs"):
        response = fleet.client.simulate_get(url + suffix, headers=fleet.headers["alice"])
        assert response.status_code == 409 and "no longer exists" in response.json["error"]


def test_a_runner_or_node_with_instances_cannot_be_deleted_or_moved(fleet, started):
    runner, instance, _ = started
    alice = fleet.headers["alice"]
    refused = fleet.client.simulate_delete(fleet.url(f"/runners/{runner['uid']}"), headers=alice)
    assert refused.status_code == 409
    assert instance["instance_identifier"] in refused.json["error"]
    node_url = fleet.url(f"/nodes/{fleet.node_id}")
    refused = fleet.client.simulate_delete(node_url, headers=alice)
    assert refused.status_code == 409
    assert "runner instances run on it" in refused.json["error"]
    moved = fleet.client.simulate_put(node_url, json={"type": "Remote", "ip_address": "10.1.1.1"},
                                      headers=alice)
    assert moved.status_code == 409 and "cannot move" in moved.json["error"]
    renamed = fleet.client.simulate_put(node_url, json={"name": "still-local"}, headers=alice)
    assert renamed.status_code == 200


def test_an_unreachable_engine_is_503_naming_the_node_and_leaves_no_instance(fleet):
    runner = fleet.create_runner()
    node = fleet.client.simulate_post(fleet.url("/nodes"), headers=fleet.headers["alice"], json={
        "name": "dead", "type": "Remote", "ip_address": "127.0.0.1", "port": free_port()}).json
    response = fleet.start_instance(runner["uid"], node["uid"])
    assert response.status_code == 503
    assert "'dead'" in response.json["error"] and "dockerd" in response.json["error"]
    assert RunnerInstance.select().count() == 0


def test_an_image_missing_on_the_node_is_422_and_leaves_no_instance(fleet, docker_engine):
    runner = fleet.create_runner(docker_image="plue-missing-image:never")
    response = fleet.start_instance(runner["uid"])
    assert response.status_code == 422 and "docker_image" in response.json["error"]
    assert RunnerInstance.select().count() == 0
    assert docker_engine.containers.list(
        all=True, filters={"label": f"io.plue.runner={runner['uid']}"}) == []


def test_an_inactive_node_takes_no_instances(fleet):
    runner = fleet.create_runner()
    fleet.client.simulate_put(fleet.url(f"/nodes/{fleet.node_id}"), json={"status": "inactive"},
                              headers=fleet.headers["alice"])
    response = fleet.start_instance(runner["uid"])
    assert response.status_code == 409 and "inactive" in response.json["error"]


@pytest.mark.parametrize("body, status, text", [
    ({}, 422, "node_id"),
    ({"node_id": "nope"}, 422, "node_id"),
    ({"node_id": str(uuid.uuid4())}, 404, "node"),
])
def test_bad_instance_requests(fleet, body, status, text):
    runner = fleet.create_runner()
    response = fleet.client.simulate_post(fleet.url(f"/runners/{runner['uid']}/instance"),
                                          json=body, headers=fleet.headers["alice"])
    assert response.status_code == status and text in response.json["error"]


def test_outsiders_cannot_reach_instances(fleet, started):
    _, _, url = started
    for suffix in ("", "/metrics", "/logs"):
        response = fleet.client.simulate_get(url + suffix, headers=fleet.headers["bob"])
        assert response.status_code == 404
        assert fleet.client.simulate_get(url + suffix).status_code == 401


def test_an_org_with_running_instances_cannot_be_deleted_and_without_them_takes_its_fleet(
        fleet, started):
    runner, _, url = started
    alice = fleet.headers["alice"]
    login = fleet.client.simulate_get(fleet.url(), headers=alice).json["login"]
    refused = fleet.client.simulate_delete(f"/api/v1/orgs/{login}", headers=alice)
    assert refused.status_code == 422 and "runs runner instances" in refused.json["message"]
    fleet.client.simulate_delete(url, headers=alice)
    deleted = fleet.client.simulate_delete(f"/api/v1/orgs/{login}", headers=alice)
    assert deleted.status_code == 204
    assert Runner.select().count() == 0 and Node.select().count() == 0


def test_a_container_that_cannot_start_is_502_and_leaves_nothing(tmp_path, plue_database_url,
                                                                docker_engine):
    settings = {**RUNNERS_SETTINGS, "container_command": ["/no/such/program"]}
    app = create_app(make_test_config(tmp_path, plue_database_url, runner_pilot=settings))
    fleet = None
    try:
        migrate(app)
        fleet = build_fleet(falcon.testing.TestClient(app), app.plue)
        runner = fleet.create_runner()
        response = fleet.start_instance(runner["uid"])
        assert response.status_code == 502
        assert "'local' could not start the container" in response.json["error"]
        assert RunnerInstance.select().count() == 0
        assert docker_engine.containers.list(
            all=True, filters={"label": f"io.plue.runner={runner['uid']}"}) == []
    finally:
        if fleet is not None:
            remove_org_containers(docker_engine, fleet.org_id)
        app.plue.close()


def test_a_node_deleted_while_its_container_starts_gets_no_instance(fleet, ctx, docker_engine):
    """The row is written under a lock on the node: a node that went away between the request's
    lookup and the write (here: deleted before the service call with the looked-up node) is a
    409 and the started container is removed again."""
    runner = fleet.create_runner()
    service = ctx.services["runners"]
    org = ctx.services["accounts"].find_org_by_uid(fleet.org_id)
    with connection(ctx.db):
        node = service.nodes.get_node(org.id, fleet.node_id)
        runner_row = Runner.get(Runner.uid == uuid.UUID(runner["uid"]))
        Node.delete().where(Node.id == node.id).execute()
        with pytest.raises(Conflict, match="deleted or deactivated"):
            instances.start_instance(service, org, runner_row, node)
    assert RunnerInstance.select().count() == 0
    assert docker_engine.containers.list(
        all=True, filters={"label": f"io.plue.runner={runner['uid']}"}) == []


def test_instances_on_a_node_that_went_down_answer_503_and_are_kept(fleet, ctx):
    """An instance recorded on a Remote node whose engine stopped answering afterwards (the row
    is written directly: a real engine cannot be taken down here)."""
    runner = fleet.create_runner()
    node = fleet.client.simulate_post(fleet.url("/nodes"), headers=fleet.headers["alice"], json={
        "name": "gone-down", "type": "Remote", "ip_address": "127.0.0.1", "port": free_port()}).json
    with connection(ctx.db):
        instance = RunnerInstance.create(
            runner=Runner.get(Runner.uid == uuid.UUID(runner["uid"])),
            node_id=Node.get(Node.uid == uuid.UUID(node["uid"])).id, container_id="0" * 64,
            instance_identifier="plue-runner-01-deadbeef", instance_host="127.0.0.1")
    url = fleet.url(f"/runners/{runner['uid']}/instance/{instance.uid}")
    alice = fleet.headers["alice"]
    for response in (fleet.client.simulate_get(url, headers=alice),
                     fleet.client.simulate_get(url + "/metrics", headers=alice),
                     fleet.client.simulate_get(url + "/logs", headers=alice),
                     fleet.client.simulate_delete(url, headers=alice)):
        assert response.status_code == 503
        assert "'gone-down'" in response.json["error"] and "dockerd" in response.json["error"]
    assert RunnerInstance.select().count() == 1
