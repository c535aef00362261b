"""Runner Pilot nodes (seed 001 section 3): /org/{org_id}/nodes[/{node_id}]."""

from __future__ import annotations

import uuid

import pytest

from plue_core.testing import basic_auth, token_auth

REMOTE = {"name": "Node-01", "type": "Remote", "ip_address": "192.168.1.10", "port": 22}


def create(pilot, body=None, who="alice"):
    return pilot.client.simulate_post(pilot.nodes_url(), json=body or REMOTE,
                                      headers=pilot.headers[who])


def test_creating_a_node_answers_the_seeds_shape(pilot):
    response = create(pilot)
    assert response.status_code == 200
    node = response.json
    assert set(node) == {"uid", "name", "type", "ip_address", "port", "status", "created_at"}
    assert uuid.UUID(node["uid"])
    assert (node["name"], node["type"], node["ip_address"], node["port"], node["status"]) == \
        ("Node-01", "Remote", "192.168.1.10", 22, "active")
    assert node["created_at"].endswith("Z") and len(node["created_at"]) == 20


def test_listing_nodes_shows_the_seeds_summary_fields(pilot):
    first = create(pilot).json
    second = create(pilot, {"name": "Node-02", "type": "Socket", "status": "inactive"}).json
    listed = pilot.client.simulate_get(pilot.nodes_url(), headers=pilot.headers["alice"])
    assert listed.status_code == 200
    assert listed.json == [
        {"uid": first["uid"], "name": "Node-01", "type": "Remote", "status": "active"},
        {"uid": second["uid"], "name": "Node-02", "type": "Socket", "status": "inactive"},
    ]


def test_a_socket_node_needs_no_address_and_shows_none(pilot):
    node = create(pilot, {"name": "local", "type": "Socket"}).json
    assert (node["type"], node["ip_address"], node["port"]) == ("Socket", None, None)


def test_a_remote_node_without_a_port_uses_dockers_plain_tcp_port(pilot):
    node = create(pilot, {"name": "n", "type": "Remote", "ip_address": "docker-1.lan"}).json
    assert (node["ip_address"], node["port"]) == ("docker-1.lan", 2375)


def test_getting_updating_and_deleting_a_node(pilot):
    uid = create(pilot).json["uid"]
    url, alice = pilot.nodes_url(f"/{uid}"), pilot.headers["alice"]
    got = pilot.client.simulate_get(url, headers=alice)
    assert got.status_code == 200 and got.json["uid"] == uid and got.json["port"] == 22
    updated = pilot.client.simulate_put(url, json={"name": "Node-01-Updated", "status": "inactive"},
                                        headers=alice)
    assert updated.status_code == 200
    assert updated.json == {"uid": uid, "name": "Node-01-Updated", "type": "Remote",
                            "status": "inactive"}
    assert pilot.client.simulate_get(url, headers=alice).json["status"] == "inactive"
    moved = pilot.client.simulate_put(url, json={"ip_address": "10.0.0.7", "port": 2376},
                                      headers=alice)
    assert moved.status_code == 200
    got = pilot.client.simulate_get(url, headers=alice).json
    assert (got["ip_address"], got["port"]) == ("10.0.0.7", 2376)
    deleted = pilot.client.simulate_delete(url, headers=alice)
    assert deleted.status_code == 200
    assert deleted.json == {"message": "Node deleted successfully."}
    assert pilot.client.simulate_get(url, headers=alice).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"type": "Remote", "ip_address": "10.0.0.1"}, "name"),
    ({"name": "", "type": "Socket"}, "name"),
    ({"name": "n"}, "type"),
    ({"name": "n", "type": "Ssh", "ip_address": "10.0.0.1"}, "type"),
    ({"name": "n", "type": "Remote"}, "ip_address"),
    ({"name": "n", "type": "Remote", "ip_address": "999.1.1.1"}, "ip_address"),
    ({"name": "n", "type": "Remote", "ip_address": "not a host!"}, "ip_address"),
    ({"name": "n", "type": "Remote", "ip_address": "10.0.0.1", "port": 0}, "port"),
    ({"name": "n", "type": "Remote", "ip_address": "10.0.0.1", "port": 65536}, "port"),
    ({"name": "n", "type": "Remote", "ip_address": "10.0.0.1", "port": "22"}, "port"),
    ({"name": "n", "type": "Socket", "status": "broken"}, "status"),
    ({"name": "n", "type": "Socket", "colour": "red"}, "colour"),
])
def test_bad_node_bodies_are_422_naming_the_field(pilot, body, field):
    response = create(pilot, body)
    assert response.status_code == 422
    assert field in response.json["error"]


def test_bad_updates_are_422_naming_the_field(pilot):
    url = pilot.nodes_url(f"/{create(pilot).json['uid']}")
    for body, field in [({"port": 70000}, "port"), ({"ip_address": "a..b"}, "ip_address"),
                        ({"status": "gone"}, "status"), ({"ip_address": None}, "ip_address")]:
        response = pilot.client.simulate_put(url, json=body, headers=pilot.headers["alice"])
        assert response.status_code == 422, body
        assert field in response.json["error"]


def test_a_body_that_is_not_json_is_400(pilot):
    response = pilot.client.simulate_post(pilot.nodes_url(), body="{nope",
                                          headers={**pilot.headers["alice"],
                                                   "Content-Type": "application/json"})
    assert response.status_code == 400 and "JSON" in response.json["error"]


def test_node_names_are_unique_in_an_organization(pilot):
    create(pilot)
    again = create(pilot, {**REMOTE, "name": "node-01"})
    assert again.status_code == 409 and "name" in again.json["error"]


def test_nodes_need_authentication(pilot):
    uid = create(pilot).json["uid"]
    assert pilot.client.simulate_get(pilot.nodes_url()).status_code == 401
    assert pilot.client.simulate_get(pilot.nodes_url(f"/{uid}")).status_code == 401
    response = pilot.client.simulate_post(pilot.nodes_url(), json=REMOTE)
    assert response.status_code == 401 and "error" in response.json


def test_outsiders_get_404_for_the_org_and_its_nodes(pilot):
    uid = create(pilot).json["uid"]
    bob = pilot.headers["bob"]
    for response in (pilot.client.simulate_get(pilot.nodes_url(), headers=bob),
                     pilot.client.simulate_get(pilot.nodes_url(f"/{uid}"), headers=bob),
                     pilot.client.simulate_put(pilot.nodes_url(f"/{uid}"), json={"name": "x"},
                                               headers=bob),
                     pilot.client.simulate_delete(pilot.nodes_url(f"/{uid}"), headers=bob),
                     create(pilot, who="bob")):
        assert response.status_code == 404
        assert "organization" in response.json["error"]


def test_unknown_and_malformed_node_ids_are_404(pilot):
    alice = pilot.headers["alice"]
    for node_id in (str(uuid.uuid4()), "not-a-uuid"):
        response = pilot.client.simulate_get(pilot.nodes_url(f"/{node_id}"), headers=alice)
        assert response.status_code == 404 and "node" in response.json["error"]


def test_a_node_of_another_org_is_not_reachable_through_this_org(pilot):
    uid = create(pilot).json["uid"]
    other = pilot.client.simulate_post("/org", json={"name": "Other"},
                                       headers=pilot.headers["alice"]).json["uid"]
    response = pilot.client.simulate_get(f"/org/{other}/nodes/{uid}", headers=pilot.headers["alice"])
    assert response.status_code == 404


def test_read_only_members_see_nodes_but_cannot_change_them(pilot):
    uid = create(pilot).json["uid"]
    dave = pilot.headers["dave"]
    assert pilot.client.simulate_get(pilot.nodes_url(), headers=dave).json[0]["uid"] == uid
    assert pilot.client.simulate_get(pilot.nodes_url(f"/{uid}"), headers=dave).status_code == 200
    for response in (create(pilot, {**REMOTE, "name": "mine"}, who="dave"),
                     pilot.client.simulate_delete(pilot.nodes_url(f"/{uid}"), headers=dave)):
        assert response.status_code == 403 and "write access" in response.json["error"]


def test_a_read_only_token_lists_nodes_but_cannot_create_them(pilot):
    created = pilot.client.simulate_post("/api/v1/users/alice/tokens", headers=basic_auth("alice"),
                                         json={"name": "ro", "scopes": ["read:organization"]})
    headers = token_auth(created.json["sha1"])
    assert pilot.client.simulate_get(pilot.nodes_url(), headers=headers).status_code == 200
    refused = pilot.client.simulate_post(pilot.nodes_url(), json=REMOTE, headers=headers)
    assert refused.status_code == 403 and "write:organization" in refused.json["error"]
