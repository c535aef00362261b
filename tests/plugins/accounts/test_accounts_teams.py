"""Teams: how members join an organization (Gitea's /orgs/{org}/teams and /teams/{id})."""

from __future__ import annotations

import pytest

from plue_core.accounts.teams import UNITS
from plue_core.testing import basic_auth

TEAM_FIELDS = {"id", "name", "description", "organization", "includes_all_repositories",
               "permission", "can_create_org_repo", "units", "units_map", "visibility"}


def test_an_owner_creates_a_team_shaped_like_giteas(world):
    response = world.client.simulate_post("/api/v1/orgs/acme/teams", json={
        "name": "ops", "description": "Operations", "permission": "admin",
        "can_create_org_repo": True, "includes_all_repositories": True, "visibility": "public"},
        headers=basic_auth("alice"))
    assert response.status_code == 201
    team = response.json
    assert set(team) == TEAM_FIELDS
    assert (team["name"], team["permission"], team["visibility"]) == ("ops", "admin", "public")
    assert team["organization"]["name"] == "acme"
    assert team["units_map"] == {unit: "admin" for unit in UNITS}


def test_a_team_with_a_units_map_keeps_it(world):
    units_map = {"repo.code": "write", "repo.issues": "read", "repo.wiki": "none"}
    team = world.client.simulate_post("/api/v1/orgs/acme/teams", json={
        "name": "writers", "units_map": units_map}, headers=basic_auth("alice")).json
    assert team["permission"] == "write"
    assert team["units_map"]["repo.code"] == "write"
    assert team["units_map"]["repo.issues"] == "read"
    assert "repo.wiki" not in team["units"]


@pytest.mark.parametrize("body, field", [
    ({}, "name"),
    ({"name": "has space"}, "name"),
    ({"name": "devs"}, "already exists"),
    ({"name": "Owners"}, "already exists"),
    ({"name": "x", "permission": "owner"}, "permission"),
    ({"name": "x", "units_map": {"repo.nope": "read"}}, "units_map"),
    ({"name": "x", "units_map": {"repo.code": "sudo"}}, "units_map"),
])
def test_invalid_teams_are_422_naming_the_field(world, body, field):
    response = world.client.simulate_post("/api/v1/orgs/acme/teams", json=body,
                                          headers=basic_auth("alice"))
    assert response.status_code == 422
    assert field in response.json["message"]


def test_only_owners_create_teams(world):
    body = {"name": "ops"}
    client = world.client
    assert client.simulate_post("/api/v1/orgs/acme/teams", json=body,
                                headers=basic_auth("bob")).status_code == 403
    assert client.simulate_post("/api/v1/orgs/acme/teams", json=body,
                                headers=basic_auth("carol")).status_code == 403
    assert client.simulate_post("/api/v1/orgs/acme/teams", json=body).status_code == 401
    assert client.simulate_post("/api/v1/orgs/acme/teams", json=body,
                                headers=basic_auth("root")).status_code == 201


def test_adding_a_team_member_makes_them_an_org_member(world):
    client = world.client
    added = client.simulate_put(f"/api/v1/teams/{world.devs_team_id}/members/carol",
                                headers=basic_auth("alice"))
    assert added.status_code == 204
    again = client.simulate_put(f"/api/v1/teams/{world.devs_team_id}/members/carol",
                                headers=basic_auth("alice"))
    assert again.status_code == 204
    members = client.simulate_get("/api/v1/orgs/acme/members", headers=basic_auth("carol")).json
    assert [m["login"] for m in members] == ["alice", "bob", "carol"]
    team_members = client.simulate_get(f"/api/v1/teams/{world.devs_team_id}/members",
                                       headers=basic_auth("carol")).json
    assert [m["login"] for m in team_members] == ["bob", "carol"]
    one = client.simulate_get(f"/api/v1/teams/{world.devs_team_id}/members/carol",
                              headers=basic_auth("bob"))
    assert one.status_code == 200 and one.json["login"] == "carol"
    assert client.simulate_get(f"/api/v1/teams/{world.devs_team_id}/members/alice",
                               headers=basic_auth("bob")).status_code == 404


def test_adding_unknown_users_or_organizations_to_a_team_is_404(world):
    client = world.client
    assert client.simulate_put(f"/api/v1/teams/{world.devs_team_id}/members/nobody",
                               headers=basic_auth("alice")).status_code == 404
    assert client.simulate_put(f"/api/v1/teams/{world.devs_team_id}/members/acme",
                               headers=basic_auth("alice")).status_code == 404
    assert client.simulate_put("/api/v1/teams/9999/members/bob",
                               headers=basic_auth("alice")).status_code == 404


def test_members_cannot_add_members_and_outsiders_learn_nothing(world):
    client = world.client
    assert client.simulate_put(f"/api/v1/teams/{world.devs_team_id}/members/carol",
                               headers=basic_auth("bob")).status_code == 403
    # acme is public, so an outsider is told no rather than "no such team" (as Gitea does).
    assert client.simulate_put(f"/api/v1/teams/{world.devs_team_id}/members/carol",
                               headers=basic_auth("carol")).status_code == 403


def test_a_second_owner_lets_the_first_leave_but_the_last_owner_stays(world):
    client = world.client
    owners = world.owners_team_id
    refused = client.simulate_delete(f"/api/v1/teams/{owners}/members/alice", headers=basic_auth("alice"))
    assert refused.status_code == 422
    assert "last owner" in refused.json["message"]
    assert client.simulate_put(f"/api/v1/teams/{owners}/members/bob",
                               headers=basic_auth("alice")).status_code == 204
    assert client.simulate_delete(f"/api/v1/teams/{owners}/members/alice",
                                  headers=basic_auth("alice")).status_code == 204
    # alice is no longer an owner (nor a member): bob, the new owner, cannot leave either.
    assert client.simulate_get("/api/v1/orgs/acme/members/alice",
                               headers=basic_auth("bob")).status_code == 404
    assert client.simulate_delete(f"/api/v1/teams/{owners}/members/bob",
                                  headers=basic_auth("bob")).status_code == 422


def test_removing_someone_not_in_the_team_is_a_no_op(world):
    assert world.client.simulate_delete(f"/api/v1/teams/{world.devs_team_id}/members/carol",
                                        headers=basic_auth("alice")).status_code == 204


def test_editing_a_team(world):
    client = world.client
    response = client.simulate_patch(f"/api/v1/teams/{world.devs_team_id}", json={
        "name": "developers", "description": "People who write code", "permission": "read",
        "visibility": "private"}, headers=basic_auth("alice"))
    assert response.status_code == 200
    assert (response.json["name"], response.json["permission"], response.json["visibility"]) == \
        ("developers", "read", "private")
    assert client.simulate_patch(f"/api/v1/teams/{world.devs_team_id}", json={"name": "Owners"},
                                 headers=basic_auth("alice")).status_code == 422
    assert client.simulate_patch(f"/api/v1/teams/{world.devs_team_id}", json={"name": "x"},
                                 headers=basic_auth("bob")).status_code == 403


def test_the_owners_team_keeps_its_name_permission_and_existence(world):
    client = world.client
    owners = world.owners_team_id
    alice = basic_auth("alice")
    same = client.simulate_patch(f"/api/v1/teams/{owners}", json={
        "name": "Owners", "description": "The bosses"}, headers=alice)
    assert same.status_code == 200 and same.json["description"] == "The bosses"
    assert client.simulate_patch(f"/api/v1/teams/{owners}", json={"name": "Bosses"},
                                 headers=alice).status_code == 422
    assert client.simulate_patch(f"/api/v1/teams/{owners}", json={"permission": "read"},
                                 headers=alice).status_code == 422
    assert client.simulate_delete(f"/api/v1/teams/{owners}", headers=alice).status_code == 422


def test_deleting_a_team_removes_membership_that_came_only_from_it(world):
    client = world.client
    assert client.simulate_delete(f"/api/v1/teams/{world.devs_team_id}",
                                  headers=basic_auth("bob")).status_code == 403
    assert client.simulate_delete(f"/api/v1/teams/{world.devs_team_id}",
                                  headers=basic_auth("alice")).status_code == 204
    assert client.simulate_get(f"/api/v1/teams/{world.devs_team_id}",
                               headers=basic_auth("alice")).status_code == 404
    assert client.simulate_get("/api/v1/user/orgs", headers=basic_auth("bob")).json == []


def test_private_teams_are_listed_to_owners_and_their_members_only(world):
    client = world.client
    secret = client.simulate_post("/api/v1/orgs/acme/teams", json={"name": "secret"},
                                  headers=basic_auth("alice")).json
    assert secret["visibility"] == "private"

    def names(who):
        return [t["name"] for t in client.simulate_get("/api/v1/orgs/acme/teams",
                                                       headers=basic_auth(who)).json]

    assert names("alice") == ["Owners", "devs", "secret"]
    assert names("bob") == ["Owners", "devs"]
    assert client.simulate_get(f"/api/v1/teams/{secret['id']}", headers=basic_auth("bob")).status_code == 403
    assert client.simulate_get(f"/api/v1/teams/{secret['id']}", headers=basic_auth("carol")).status_code == 404
    world.add_to_team(secret["id"], "bob")
    assert names("bob") == ["Owners", "devs", "secret"]
    assert client.simulate_get("/api/v1/orgs/acme/teams", headers=basic_auth("carol")).status_code == 403


def test_searching_teams_wraps_results_like_gitea(world):
    client = world.client
    client.simulate_post("/api/v1/orgs/acme/teams", json={
        "name": "ops", "description": "keeps the lights on", "visibility": "limited"},
        headers=basic_auth("alice"))
    found = client.simulate_get("/api/v1/orgs/acme/teams/search", params={"q": "lights"},
                                headers=basic_auth("bob"))
    assert found.json["ok"] is True
    assert [t["name"] for t in found.json["data"]] == ["ops"]
    by_name_only = client.simulate_get("/api/v1/orgs/acme/teams/search",
                                       params={"q": "lights", "include_desc": "false"},
                                       headers=basic_auth("bob"))
    assert by_name_only.json["data"] == []


def test_user_teams_lists_the_callers_teams_across_orgs(world):
    teams = world.client.simulate_get("/api/v1/user/teams", headers=basic_auth("bob")).json
    assert [(t["name"], t["organization"]["name"]) for t in teams] == [("devs", "acme")]
    assert world.client.simulate_get("/api/v1/user/teams").status_code == 401
