"""Runner Pilot runner definitions (seed 001 section 4): /org/{org_id}/runners[/{runner_id}].
The github_runner_token is sealed at rest and answered masked."""

from __future__ import annotations

import uuid

import pytest

from plue_runner_pilot.models import Runner

TOKEN = "ghr_1234567890abcdef"


def test_creating_a_runner_answers_the_seeds_shape_with_the_token_masked(fleet):
    runner = fleet.create_runner()
    assert set(runner) == {"uid", "name", "status", "docker_image", "github_repo",
                           "github_runner_token", "created_at"}
    assert uuid.UUID(runner["uid"])
    assert (runner["name"], runner["status"], runner["docker_image"], runner["github_repo"]) == \
        ("Runner-01", "idle", "plue-busybox:latest", "Gigatech/my-repo")
    assert runner["github_runner_token"] == "ghr_****cdef"
    assert runner["created_at"].endswith("Z")


def test_the_token_is_sealed_at_rest_and_opens_with_the_servers_key(fleet, ctx):
    uid = fleet.create_runner()["uid"]
    row = Runner.get(Runner.uid == uuid.UUID(uid))
    assert TOKEN not in row.token_sealed and "1234567890" not in row.token_sealed
    assert ctx.services["runners"].vault.open(row.token_sealed) == TOKEN


def test_listing_getting_and_updating_runners_in_the_seeds_shapes(fleet):
    uid = fleet.create_runner()["uid"]
    alice = fleet.headers["alice"]
    listed = fleet.client.simulate_get(fleet.url("/runners"), headers=alice)
    assert listed.status_code == 200
    assert listed.json == [{"uid": uid, "name": "Runner-01", "github_runner_token": "ghr_****cdef",
                            "status": "idle"}]
    got = fleet.client.simulate_get(fleet.url(f"/runners/{uid}"), headers=alice)
    assert got.status_code == 200
    assert got.json == {"uid": uid, "name": "Runner-01", "status": "idle",
                        "docker_image": "plue-busybox:latest", "github_repo": "Gigatech/my-repo",
                        "github_runner_token": "ghr_****cdef"}
    updated = fleet.client.simulate_put(fleet.url(f"/runners/{uid}"), headers=alice, json={
        "name": "Runner-01-Updated", "github_runner_token": "ghr_abcdefghijkl9876",
        "status": "busy"})
    assert updated.status_code == 200
    assert updated.json == {"uid": uid, "github_runner_token": "ghr_****9876",
                            "name": "Runner-01-Updated", "status": "busy"}


def test_deleting_a_runner_without_instances(fleet):
    uid = fleet.create_runner()["uid"]
    url = fleet.url(f"/runners/{uid}")
    deleted = fleet.client.simulate_delete(url, headers=fleet.headers["alice"])
    assert (deleted.status_code, deleted.json) == (200, {"message": "Runner deleted successfully."})
    assert fleet.client.simulate_get(url, headers=fleet.headers["alice"]).status_code == 404


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"),
    ({"docker_image": "Not An Image"}, "docker_image"),
    ({"github_repo": "just-a-name"}, "github_repo"),
    ({"github_repo": "owner/name/extra"}, "github_repo"),
    ({"github_runner_token": ""}, "github_runner_token"),
    ({"status": "sleeping"}, "status"),
    ({"labels": ["x"]}, "labels"),
])
def test_bad_runner_bodies_are_422_naming_the_field(fleet, change, field):
    body = {"name": "R", "docker_image": "ubuntu:22.04", "github_repo": "Gigatech/my-repo",
            "github_runner_token": TOKEN, **change}
    response = fleet.client.simulate_post(fleet.url("/runners"), json=body,
                                          headers=fleet.headers["alice"])
    assert response.status_code == 422
    assert field in response.json["error"]


@pytest.mark.parametrize("missing", ["name", "docker_image", "github_repo", "github_runner_token"])
def test_each_seed_field_is_required(fleet, missing):
    body = {"name": "R", "docker_image": "ubuntu:22.04", "github_repo": "Gigatech/my-repo",
            "github_runner_token": TOKEN}
    del body[missing]
    response = fleet.client.simulate_post(fleet.url("/runners"), json=body,
                                          headers=fleet.headers["alice"])
    assert response.status_code == 422 and missing in response.json["error"]


def test_runner_names_are_unique_in_an_organization(fleet):
    fleet.create_runner()
    response = fleet.client.simulate_post(fleet.url("/runners"), headers=fleet.headers["alice"],
                                          json={"name": "runner-01", "docker_image": "a:1",
                                                "github_repo": "a/b", "github_runner_token": "t"})
    assert response.status_code == 409 and "name" in response.json["error"]


def test_runners_need_authentication_and_hide_from_outsiders(fleet):
    uid = fleet.create_runner()["uid"]
    assert fleet.client.simulate_get(fleet.url("/runners")).status_code == 401
    assert fleet.client.simulate_get(fleet.url(f"/runners/{uid}")).status_code == 401
    bob = fleet.headers["bob"]
    for response in (fleet.client.simulate_get(fleet.url("/runners"), headers=bob),
                     fleet.client.simulate_get(fleet.url(f"/runners/{uid}"), headers=bob),
                     fleet.client.simulate_delete(fleet.url(f"/runners/{uid}"), headers=bob),
                     fleet.client.simulate_get(fleet.url(f"/runners/{uid}/instance"), headers=bob)):
        assert response.status_code == 404 and "organization" in response.json["error"]
    unknown = fleet.client.simulate_get(fleet.url(f"/runners/{uuid.uuid4()}"),
                                        headers=fleet.headers["alice"])
    assert unknown.status_code == 404 and "runner" in unknown.json["error"]


def test_the_token_never_appears_in_any_answer(fleet):
    uid = fleet.create_runner()["uid"]
    alice = fleet.headers["alice"]
    for response in (fleet.client.simulate_get(fleet.url("/runners"), headers=alice),
                     fleet.client.simulate_get(fleet.url(f"/runners/{uid}"), headers=alice),
                     fleet.client.simulate_put(fleet.url(f"/runners/{uid}"), json={"name": "x"},
                                               headers=alice)):
        assert "1234567890" not in response.text
