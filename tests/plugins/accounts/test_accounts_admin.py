"""Site administration: /admin/users, /admin/users/{username}[/keys|/orgs], /admin/orgs."""

from __future__ import annotations

import pytest

from plue_core import hookimpl
from plue_core.accounts import users
from plue_core.db import connection
from plue_core.testing import DEFAULT_PASSWORD, basic_auth, token_auth

ROOT = basic_auth("root")


def test_an_admin_creates_a_user_who_can_then_log_in(world):
    response = world.client.simulate_post("/api/v1/admin/users", json={
        "username": "dave", "email": "dave@example.com", "password": "dave-password-1",
        "full_name": "Dave", "must_change_password": False, "visibility": "limited",
        "created_at": "2020-01-02T03:04:05Z", "send_notify": True}, headers=ROOT)
    assert response.status_code == 201
    body = response.json
    assert (body["login"], body["email"], body["full_name"], body["visibility"]) == \
        ("dave", "dave@example.com", "Dave", "limited")
    assert body["created"] == "2020-01-02T03:04:05Z"
    me = world.client.simulate_get("/api/v1/user", headers=basic_auth("dave", "dave-password-1"))
    assert me.status_code == 200 and me.json["login"] == "dave"


@pytest.mark.parametrize("body, field", [
    ({"email": "x@example.com", "password": DEFAULT_PASSWORD}, "username"),
    ({"username": "dave", "password": DEFAULT_PASSWORD}, "email"),
    ({"username": "dave", "email": "x@example.com"}, "password"),
    ({"username": "dave", "email": "nope", "password": DEFAULT_PASSWORD}, "e-mail"),
    ({"username": "org", "email": "x@example.com", "password": DEFAULT_PASSWORD}, "reserved"),
    ({"username": "dave.keys", "email": "x@example.com", "password": DEFAULT_PASSWORD}, "reserved"),
    ({"username": "alice", "email": "x@example.com", "password": DEFAULT_PASSWORD}, "already exists"),
    ({"username": "dave", "email": "alice@example.com", "password": DEFAULT_PASSWORD}, "already used"),
    ({"username": "dave", "email": "x@example.com", "password": "short"}, "at least 8"),
    ({"username": "dave", "email": "x@example.com", "password": DEFAULT_PASSWORD,
      "visibility": "hidden"}, "visibility"),
    ({"username": "dave", "email": "x@example.com", "password": DEFAULT_PASSWORD,
      "role": "god"}, "role"),
    ({"username": "dave", "email": "x@example.com", "password": DEFAULT_PASSWORD,
      "source_id": 3}, "source_id"),
])
def test_invalid_new_users_are_422_naming_the_field(world, body, field):
    response = world.client.simulate_post("/api/v1/admin/users", json=body, headers=ROOT)
    assert response.status_code == 422
    assert field in response.json["message"]


def test_admin_user_search_filters_sorts_and_pages(world):
    client = world.client
    client.simulate_patch("/api/v1/admin/users/carol", json={"active": False}, headers=ROOT)

    def logins(**params):
        response = client.simulate_get("/api/v1/admin/users", params=params, headers=ROOT)
        assert response.status_code == 200, response.json
        return [u["login"] for u in response.json]

    assert logins() == ["alice", "bob", "carol", "root"]
    assert logins(q="ca") == ["carol"]
    assert logins(is_active="false") == ["carol"]
    assert logins(is_admin="true") == ["root"]
    assert logins(sort="id", order="desc") == ["carol", "bob", "alice", "root"]
    page = client.simulate_get("/api/v1/admin/users", params={"limit": 2, "page": 2}, headers=ROOT)
    assert [u["login"] for u in page.json] == ["carol", "root"]
    assert page.headers["X-Total-Count"] == "4"
    assert client.simulate_get("/api/v1/admin/users", params={"sort": "shoe"},
                               headers=ROOT).status_code == 422
    assert all(u["email"] for u in client.simulate_get("/api/v1/admin/users", headers=ROOT).json)


def test_an_admin_edits_a_user(world):
    response = world.client.simulate_patch("/api/v1/admin/users/bob", json={
        "login_name": "bob", "source_id": 0, "full_name": "Bob B", "email": "bob@new.example",
        "website": "https://bob.example", "location": "Here", "description": "Hi",
        "visibility": "private", "restricted": True, "max_repo_creation": 3,
        "allow_git_hook": True, "admin": True}, headers=ROOT)
    assert response.status_code == 200
    body = response.json
    assert (body["full_name"], body["email"], body["visibility"], body["restricted"],
            body["is_admin"]) == ("Bob B", "bob@new.example", "private", True, True)


def test_changing_a_password_as_admin_replaces_the_old_one(world):
    client = world.client
    assert client.simulate_patch("/api/v1/admin/users/bob", json={"password": "brand-new-pass"},
                                 headers=ROOT).status_code == 200
    assert client.simulate_get("/api/v1/user", headers=basic_auth("bob")).status_code == 401
    assert client.simulate_get("/api/v1/user",
                               headers=basic_auth("bob", "brand-new-pass")).status_code == 200


@pytest.mark.parametrize("body, status, text", [
    ({"email": "alice@example.com"}, 422, "already used"),
    ({"email": "nope"}, 422, "e-mail"),
    ({"visibility": "hidden"}, 422, "visibility"),
    ({"website": "javascript:alert(1)"}, 422, "website"),
    ({"max_repo_creation": -5}, 422, "max_repo_creation"),
    ({"password": "short"}, 422, "at least 8"),
    ({"role": "king"}, 422, "role"),
    ({"source_id": 2}, 422, "source_id"),
])
def test_invalid_edits_are_refused_naming_the_field(world, body, status, text):
    response = world.client.simulate_patch("/api/v1/admin/users/bob", json=body, headers=ROOT)
    assert response.status_code == status
    assert text in response.json["message"]


def test_the_last_admin_cannot_be_demoted_or_deleted(world):
    client = world.client
    demoted = client.simulate_patch("/api/v1/admin/users/root", json={"admin": False}, headers=ROOT)
    assert demoted.status_code == 400
    assert "last site administrator" in demoted.json["message"]
    assert client.simulate_delete("/api/v1/admin/users/root", headers=ROOT).status_code == 422
    client.simulate_patch("/api/v1/admin/users/alice", json={"admin": True}, headers=ROOT)
    assert client.simulate_patch("/api/v1/admin/users/root", json={"admin": False},
                                 headers=basic_auth("alice")).status_code == 200


def test_runnerhub_roles_are_set_by_admins_and_shown_at_login(world):
    client = world.client
    response = client.simulate_patch("/api/v1/admin/users/bob", json={"role": "operator"}, headers=ROOT)
    assert response.status_code == 200
    login = client.simulate_post("/api/auth/login", json={"username": "bob",
                                                           "password": DEFAULT_PASSWORD})
    assert login.json["user"]["role"] == "operator"
    me = client.simulate_get("/api/auth/me", headers={"Authorization": f"Bearer {login.json['token']}"})
    assert me.json == {"success": True, "data": {"id": login.json["user"]["id"], "username": "bob",
                                                 "role": "operator"}}
    root = client.simulate_post("/api/auth/login", json={"username": "root",
                                                          "password": DEFAULT_PASSWORD})
    assert root.json["user"]["role"] == "admin"


def test_deleting_a_user_without_purge_is_refused_while_they_belong_to_orgs(world):
    client = world.client
    refused = client.simulate_delete("/api/v1/admin/users/bob", headers=ROOT)
    assert refused.status_code == 422
    assert "member of organizations: acme" in refused.json["message"]
    assert client.simulate_delete("/api/v1/admin/users/carol", headers=ROOT).status_code == 204
    assert client.simulate_get("/api/v1/users/carol").status_code == 404
    assert client.simulate_get("/api/v1/user", headers=basic_auth("carol")).status_code == 401


def test_purging_a_user_removes_memberships_and_orgs_they_alone_owned(world):
    client = world.client
    assert client.simulate_delete("/api/v1/admin/users/bob", params={"purge": "true"},
                                  headers=ROOT).status_code == 204
    assert [m["login"] for m in client.simulate_get(
        "/api/v1/orgs/acme/members", headers=basic_auth("alice")).json] == ["alice"]
    assert client.simulate_delete("/api/v1/admin/users/alice", params={"purge": "true"},
                                  headers=ROOT).status_code == 204
    assert client.simulate_get("/api/v1/orgs/acme", headers=ROOT).status_code == 404


class Recorder:
    PLUE_NAME = "recorder"

    def __init__(self):
        self.events = []

    @hookimpl
    def account_deletion_blockers(self, ctx, account):
        return [f"owns repositories: {account.name}/thing"] if account.name == "carol" else None

    @hookimpl
    def on_event(self, ctx, event):
        if event.name == "account_deleted":
            self.events.append((event.account_name, event.account_type, event.purge))


def test_plugins_can_block_a_deletion_and_purge_tells_them_to_clean_up(app_with_plugins, build_world):
    recorder = Recorder()
    app, client = app_with_plugins(recorder)
    build_world(app.plue, client)
    refused = client.simulate_delete("/api/v1/admin/users/carol", headers=ROOT)
    assert refused.status_code == 422
    assert "owns repositories: carol/thing" in refused.json["message"]
    assert client.simulate_delete("/api/v1/admin/users/carol", params={"purge": "true"},
                                  headers=ROOT).status_code == 204
    assert client.simulate_delete("/api/v1/admin/users/alice", params={"purge": "1"},
                                  headers=ROOT).status_code == 204
    assert recorder.events == [("carol", "user", True), ("acme", "organization", True),
                               ("alice", "user", True)]


def test_a_failing_listener_rolls_the_whole_deletion_back(app_with_plugins, build_world):
    class Exploding:
        PLUE_NAME = "exploding"

        @hookimpl
        def on_event(self, ctx, event):
            if event.name == "account_deleted" and event.account_type == "user":
                raise RuntimeError("disk on fire")

    app, client = app_with_plugins(Exploding())
    build_world(app.plue, client)
    response = client.simulate_delete("/api/v1/admin/users/alice", params={"purge": "true"},
                                      headers=ROOT)
    assert response.status_code == 500
    assert client.simulate_get("/api/v1/orgs/acme").status_code == 200
    assert client.simulate_get("/api/v1/users/alice").status_code == 200


def test_admins_cannot_delete_themselves_orgs_or_ghosts_through_the_user_route(world):
    client = world.client
    assert client.simulate_delete("/api/v1/admin/users/root", headers=ROOT).status_code == 422
    org = client.simulate_delete("/api/v1/admin/users/acme", headers=ROOT)
    assert org.status_code == 422 and "organization" in org.json["message"]
    assert client.simulate_delete("/api/v1/admin/users/nobody", headers=ROOT).status_code == 404
    assert client.simulate_patch("/api/v1/admin/users/nobody", json={},
                                 headers=ROOT).status_code == 404


def test_an_admin_adds_and_removes_a_key_for_a_user(world, ed25519_key):
    client = world.client
    added = client.simulate_post("/api/v1/admin/users/bob/keys",
                                 json={"title": "deploy", "key": ed25519_key()}, headers=ROOT)
    assert added.status_code == 201
    assert added.json["user"]["login"] == "bob"
    listed = client.simulate_get("/api/v1/user/keys", headers=basic_auth("bob")).json
    assert [k["title"] for k in listed] == ["deploy"]
    assert client.simulate_post("/api/v1/admin/users/bob/keys", json={"title": "x", "key": "junk"},
                                headers=ROOT).status_code == 422
    assert client.simulate_delete(f"/api/v1/admin/users/alice/keys/{added.json['id']}",
                                  headers=ROOT).status_code == 404
    assert client.simulate_delete(f"/api/v1/admin/users/bob/keys/{added.json['id']}",
                                  headers=ROOT).status_code == 204


def test_an_admin_lists_every_org_and_creates_one_for_a_user(world):
    client = world.client
    client.simulate_patch("/api/v1/orgs/acme", json={"visibility": "private"}, headers=basic_auth("alice"))
    assert [o["name"] for o in client.simulate_get("/api/v1/admin/orgs", headers=ROOT).json] == ["acme"]
    created = client.simulate_post("/api/v1/admin/users/carol/orgs",
                                   json={"username": "carols-club", "visibility": "private"},
                                   headers=ROOT)
    assert created.status_code == 201 and created.json["name"] == "carols-club"
    assert [o["name"] for o in client.simulate_get("/api/v1/admin/users/carol/orgs",
                                                   headers=ROOT).json] == ["carols-club"]
    assert client.simulate_get("/api/v1/orgs/carols-club/members/carol",
                               headers=basic_auth("carol")).status_code == 204
    assert client.simulate_post("/api/v1/admin/users/carol/orgs", json={"username": "api"},
                                headers=ROOT).status_code == 422


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/admin/users"), ("POST", "/api/v1/admin/users"),
    ("PATCH", "/api/v1/admin/users/bob"), ("DELETE", "/api/v1/admin/users/bob"),
    ("POST", "/api/v1/admin/users/bob/keys"), ("DELETE", "/api/v1/admin/users/bob/keys/1"),
    ("GET", "/api/v1/admin/orgs"), ("GET", "/api/v1/admin/users/bob/orgs"),
    ("POST", "/api/v1/admin/users/bob/orgs"),
])
def test_admin_routes_are_403_for_non_admins_and_401_for_anonymous(world, method, path):
    client = world.client
    assert client.simulate_request(method, path, json={}).status_code == 401
    for who in ("alice", "bob", "carol"):
        response = client.simulate_request(method, path, json={}, headers=basic_auth(who))
        assert response.status_code == 403, (who, response.json)
        assert "administrator" in response.json["message"]


def test_an_admin_token_needs_the_admin_scope(world):
    with connection(world.ctx.db):
        root = users.get_user("root")
        _, user_only = users.create_access_token(root, "u", ["write:user"])
        _, read_admin = users.create_access_token(root, "r", ["read:admin"])
    client = world.client
    assert client.simulate_get("/api/v1/admin/users", headers=token_auth(user_only)).status_code == 403
    assert client.simulate_get("/api/v1/admin/users", headers=token_auth(read_admin)).status_code == 200
    refused = client.simulate_patch("/api/v1/admin/users/bob", json={"full_name": "x"},
                                    headers=token_auth(read_admin))
    assert refused.status_code == 403 and "write:admin" in refused.json["message"]
