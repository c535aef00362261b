"""Organizations: /orgs, /orgs/{org}, members, public members, /user/orgs, /users/{u}/orgs."""

from __future__ import annotations

import pytest

from plue_core import hookimpl
from plue_core.accounts import orgs, users
from plue_core.db import connection
from plue_core.testing import basic_auth, make_user

ORG_FIELDS = {"id", "name", "full_name", "email", "avatar_url", "description", "website",
              "location", "visibility", "repo_admin_change_team_access", "username"}


def create(client, who, **body):
    return client.simulate_post("/api/v1/orgs", json=body, headers=basic_auth(who))


def test_creating_an_org_returns_gitea_organization_and_makes_the_creator_owner(client, ctx):
    make_user(ctx, "alice")
    response = create(client, "alice", username="acme", full_name="Acme Corp",
                      description="Rockets", website="https://acme.test", location="Desert",
                      email="hello@acme.test", visibility="limited",
                      repo_admin_change_team_access=True)
    assert response.status_code == 201
    body = response.json
    assert set(body) == ORG_FIELDS
    assert body["name"] == body["username"] == "acme"
    assert (body["full_name"], body["visibility"], body["website"]) == \
        ("Acme Corp", "limited", "https://acme.test")
    assert body["repo_admin_change_team_access"] is True
    teams = client.simulate_get("/api/v1/orgs/acme/teams", headers=basic_auth("alice")).json
    assert [(t["name"], t["permission"]) for t in teams] == [("Owners", "owner")]
    members = client.simulate_get("/api/v1/orgs/acme/members", headers=basic_auth("alice")).json
    assert [m["login"] for m in members] == ["alice"]


@pytest.mark.parametrize("body, field", [
    ({"username": "api"}, "reserved"),
    ({"username": "admin"}, "reserved"),
    ({"username": "bad name!"}, "invalid"),
    ({"username": "acme", "visibility": "secret"}, "visibility"),
    ({"username": "acme", "website": "ftp://acme"}, "website"),
    ({"username": "acme", "email": "not-an-email"}, "email"),
    ({}, "username"),
])
def test_invalid_orgs_are_refused_with_422_naming_the_field(client, ctx, body, field):
    make_user(ctx, "alice")
    response = create(client, "alice", **body)
    assert response.status_code == 422
    assert field in response.json["message"]


def test_an_org_name_taken_by_a_user_or_an_org_is_422(client, ctx):
    make_user(ctx, "alice")
    assert create(client, "alice", username="acme").status_code == 201
    assert create(client, "alice", username="ACME").status_code == 422
    assert create(client, "alice", username="alice").status_code == 422


def test_org_creation_can_be_forbidden_per_user_or_for_everyone(client, ctx, app_with_plugins):
    make_user(ctx, "root", admin=True)
    make_user(ctx, "alice")
    patched = client.simulate_patch("/api/v1/admin/users/alice",
                                    json={"allow_create_organization": False},
                                    headers=basic_auth("root"))
    assert patched.status_code == 200
    assert create(client, "alice", username="acme").status_code == 403
    ctx.close()
    app, locked = app_with_plugins(accounts={"disable_regular_org_creation": True})
    make_user(app.plue, "admin1", admin=True)
    make_user(app.plue, "dave")
    assert create(locked, "dave", username="dave-org").status_code == 403
    assert create(locked, "admin1", username="admin-org").status_code == 201


@pytest.mark.parametrize("visibility, expected", [
    # anonymous, outsider (carol), member (bob), owner (alice), admin (root)
    ("public", (200, 200, 200, 200, 200)),
    ("limited", (404, 200, 200, 200, 200)),
    ("private", (404, 404, 200, 200, 200)),
])
def test_org_visibility_decides_who_sees_it(world, visibility, expected):
    client = world.client
    client.simulate_patch("/api/v1/orgs/acme", json={"visibility": visibility},
                          headers=basic_auth("alice"))
    seen = tuple(client.simulate_get("/api/v1/orgs/acme", headers=world.auth(who)).status_code
                 for who in (None, "carol", "bob", "alice", "root"))
    assert seen == expected


def test_the_org_list_shows_what_each_caller_may_list(world):
    client = world.client
    zed = make_user(world.ctx, "zed")
    with connection(world.ctx.db):
        orgs.create_org(zed, name="limited-org", visibility="limited")
        orgs.create_org(zed, name="private-org", visibility="private")

    def names(who):
        return [o["name"] for o in client.simulate_get("/api/v1/orgs", headers=world.auth(who)).json]

    assert names(None) == ["acme"]
    assert names("carol") == ["acme", "limited-org"]
    assert names("root") == ["acme", "limited-org", "private-org"]


def test_an_owner_edits_the_org_and_others_cannot(world):
    client = world.client
    response = client.simulate_patch("/api/v1/orgs/acme", json={
        "full_name": "Acme Inc", "description": "New", "location": "Moon", "unknown": "ignored"},
        headers=basic_auth("alice"))
    assert response.status_code == 200
    assert (response.json["full_name"], response.json["description"], response.json["location"]) \
        == ("Acme Inc", "New", "Moon")
    assert client.simulate_patch("/api/v1/orgs/acme", json={"description": "x"},
                                 headers=basic_auth("bob")).status_code == 403
    assert client.simulate_patch("/api/v1/orgs/acme", json={"description": "x"},
                                 headers=basic_auth("carol")).status_code == 403
    assert client.simulate_patch("/api/v1/orgs/acme", json={"visibility": "nope"},
                                 headers=basic_auth("alice")).status_code == 422
    assert client.simulate_patch("/api/v1/orgs/nope", json={},
                                 headers=basic_auth("alice")).status_code == 404


def test_an_owner_deletes_the_org_and_its_teams_go_with_it(world):
    client = world.client
    assert client.simulate_delete("/api/v1/orgs/acme", headers=basic_auth("bob")).status_code == 403
    assert client.simulate_delete("/api/v1/orgs/acme", headers=basic_auth("alice")).status_code == 204
    assert client.simulate_get("/api/v1/orgs/acme").status_code == 404
    assert client.simulate_get(f"/api/v1/teams/{world.devs_team_id}",
                               headers=basic_auth("root")).status_code == 404
    assert client.simulate_get("/api/v1/user/orgs", headers=basic_auth("bob")).json == []


class RepositoryOwnerPlugin:
    """Stands in for git hosting: says "acme" still owns a repository, and records deletions."""

    PLUE_NAME = "fake_repos"

    def __init__(self):
        self.owners_with_repos = {"acme"}
        self.deleted = []

    @hookimpl
    def account_deletion_blockers(self, ctx, account):
        if account.name in self.owners_with_repos:
            return [f"owns repositories: {account.name}/rocket"]
        return []

    @hookimpl
    def on_event(self, ctx, event):
        if event.name == "account_deleted":
            self.deleted.append((event.account_name, event.account_type, event.purge))
            self.owners_with_repos.discard(event.account_name)


def test_deleting_an_org_that_owns_repositories_is_refused_until_they_are_gone(app_with_plugins,
                                                                                build_world):
    repos = RepositoryOwnerPlugin()
    app, client = app_with_plugins(repos)
    build_world(app.plue, client)
    refused = client.simulate_delete("/api/v1/orgs/acme", headers=basic_auth("alice"))
    assert refused.status_code == 422
    assert "owns repositories: acme/rocket" in refused.json["message"]
    assert client.simulate_get("/api/v1/orgs/acme").status_code == 200
    repos.owners_with_repos.clear()
    assert client.simulate_delete("/api/v1/orgs/acme", headers=basic_auth("alice")).status_code == 204
    assert repos.deleted == [("acme", "organization", False)]


def test_org_members_list_is_full_for_members_and_public_only_for_others(world):
    client = world.client
    full = client.simulate_get("/api/v1/orgs/acme/members", headers=basic_auth("bob"))
    assert [m["login"] for m in full.json] == ["alice", "bob"]
    assert full.headers["X-Total-Count"] == "2"
    assert client.simulate_get("/api/v1/orgs/acme/members", headers=basic_auth("carol")).json == []
    assert client.simulate_get("/api/v1/orgs/acme/members").status_code == 401
    publicized = client.simulate_put("/api/v1/orgs/acme/public_members/bob", headers=basic_auth("bob"))
    assert publicized.status_code == 204
    assert [m["login"] for m in client.simulate_get(
        "/api/v1/orgs/acme/members", headers=basic_auth("carol")).json] == ["bob"]
    assert [m["login"] for m in client.simulate_get("/api/v1/orgs/acme/public_members").json] == ["bob"]
    assert client.simulate_get("/api/v1/orgs/acme/public_members/bob").status_code == 204
    assert client.simulate_get("/api/v1/orgs/acme/public_members/alice").status_code == 404
    concealed = client.simulate_delete("/api/v1/orgs/acme/public_members/bob", headers=basic_auth("bob"))
    assert concealed.status_code == 204
    assert client.simulate_get("/api/v1/orgs/acme/public_members").json == []


def test_only_a_member_publicizes_and_only_their_own_membership(world):
    client = world.client
    assert client.simulate_put("/api/v1/orgs/acme/public_members/alice",
                               headers=basic_auth("bob")).status_code == 403
    assert client.simulate_put("/api/v1/orgs/acme/public_members/carol",
                               headers=basic_auth("carol")).status_code == 403
    assert client.simulate_put("/api/v1/orgs/acme/public_members/bob").status_code == 401


def test_checking_membership_answers_204_404_or_redirects_outsiders(world):
    client = world.client
    assert client.simulate_get("/api/v1/orgs/acme/members/bob",
                               headers=basic_auth("alice")).status_code == 204
    assert client.simulate_get("/api/v1/orgs/acme/members/carol",
                               headers=basic_auth("alice")).status_code == 404
    assert client.simulate_get("/api/v1/orgs/acme/members/carol",
                               headers=basic_auth("carol")).status_code == 404
    redirected = client.simulate_get("/api/v1/orgs/acme/members/bob", headers=basic_auth("carol"))
    assert redirected.status_code == 303
    assert redirected.headers["Location"].endswith("/api/v1/orgs/acme/public_members/bob")
    assert client.simulate_get("/api/v1/orgs/acme/members/nobody",
                               headers=basic_auth("alice")).status_code == 404


def test_an_owner_removes_a_member_but_never_the_last_owner(world):
    client = world.client
    assert client.simulate_delete("/api/v1/orgs/acme/members/alice",
                                  headers=basic_auth("bob")).status_code == 403
    removed = client.simulate_delete("/api/v1/orgs/acme/members/bob", headers=basic_auth("alice"))
    assert removed.status_code == 204
    assert client.simulate_get("/api/v1/orgs/acme/members/bob",
                               headers=basic_auth("alice")).status_code == 404
    last = client.simulate_delete("/api/v1/orgs/acme/members/alice", headers=basic_auth("alice"))
    assert last.status_code == 422
    assert "last owner" in last.json["message"]


def test_a_private_org_is_invisible_to_outsiders_on_every_route(world):
    client = world.client
    client.simulate_patch("/api/v1/orgs/acme", json={"visibility": "private"}, headers=basic_auth("alice"))
    carol = basic_auth("carol")
    for method, path in [("GET", "/api/v1/orgs/acme"), ("PATCH", "/api/v1/orgs/acme"),
                         ("DELETE", "/api/v1/orgs/acme"), ("GET", "/api/v1/orgs/acme/members"),
                         ("GET", "/api/v1/orgs/acme/public_members"),
                         ("GET", "/api/v1/orgs/acme/teams"),
                         ("GET", f"/api/v1/teams/{world.devs_team_id}"),
                         ("PUT", f"/api/v1/teams/{world.devs_team_id}/members/carol"),
                         ("GET", "/api/v1/users/alice/orgs/acme/permissions")]:
        response = client.simulate_request(method, path, headers=carol, json={})
        assert response.status_code == 404, (method, path, response.status_code)


def test_user_orgs_lists_all_of_mine_and_only_public_memberships_of_others(world):
    client = world.client
    with connection(world.ctx.db):
        bob = users.get_user("bob")
        orgs.create_org(bob, name="secret-club", visibility="private")
    mine = client.simulate_get("/api/v1/user/orgs", headers=basic_auth("bob")).json
    assert [o["name"] for o in mine] == ["acme", "secret-club"]
    assert client.simulate_get("/api/v1/users/bob/orgs", headers=basic_auth("carol")).json == []
    client.simulate_put("/api/v1/orgs/acme/public_members/bob", headers=basic_auth("bob"))
    client.simulate_put("/api/v1/orgs/secret-club/public_members/bob", headers=basic_auth("bob"))
    seen_by_carol = client.simulate_get("/api/v1/users/bob/orgs", headers=basic_auth("carol")).json
    assert [o["name"] for o in seen_by_carol] == ["acme"]
    seen_by_root = client.simulate_get("/api/v1/users/bob/orgs", headers=basic_auth("root")).json
    assert [o["name"] for o in seen_by_root] == ["acme", "secret-club"]
    assert client.simulate_get("/api/v1/users/bob/orgs").status_code == 401
    assert client.simulate_get("/api/v1/users/nobody/orgs", headers=basic_auth("bob")).status_code == 404


def test_org_permissions_of_a_user(world):
    client = world.client
    owner = client.simulate_get("/api/v1/users/alice/orgs/acme/permissions", headers=basic_auth("bob"))
    assert owner.json == {"is_owner": True, "is_admin": True, "can_write": True, "can_read": True,
                          "can_create_repository": True}
    member = client.simulate_get("/api/v1/users/bob/orgs/acme/permissions", headers=basic_auth("bob"))
    assert member.json == {"is_owner": False, "is_admin": False, "can_write": True, "can_read": True,
                           "can_create_repository": False}
    outsider = client.simulate_get("/api/v1/users/carol/orgs/acme/permissions",
                                   headers=basic_auth("carol"))
    assert outsider.json["can_read"] is True and outsider.json["can_write"] is False
