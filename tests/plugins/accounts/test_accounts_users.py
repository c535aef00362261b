"""Users: /user, /users/{username}, /users/search and Gitea's user visibility rules."""

from __future__ import annotations

import pytest

from plue_core.testing import basic_auth, make_user

USER_FIELDS = {"id", "login", "login_name", "source_id", "full_name", "email", "avatar_url",
               "html_url", "language", "is_admin", "last_login", "created", "restricted", "active",
               "prohibit_login", "location", "website", "description", "visibility",
               "followers_count", "following_count", "starred_repos_count", "username"}


def test_the_current_user_is_a_gitea_user_with_their_own_email(world):
    me = world.client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
    assert me.status_code == 200
    assert set(me.json) == USER_FIELDS
    assert (me.json["login"], me.json["username"], me.json["email"]) == \
        ("alice", "alice", "alice@example.com")
    assert world.client.simulate_get("/api/v1/user").status_code == 401


def test_other_peoples_email_is_hidden_except_from_admins(world):
    client = world.client
    assert client.simulate_get("/api/v1/users/alice", headers=basic_auth("bob")).json["email"] == ""
    assert client.simulate_get("/api/v1/users/alice").json["email"] == ""
    assert client.simulate_get("/api/v1/users/alice",
                               headers=basic_auth("root")).json["email"] == "alice@example.com"


@pytest.mark.parametrize("visibility, expected", [
    # anonymous, carol (no shared org), bob (shares acme), alice herself, root (admin)
    ("public", (200, 200, 200, 200, 200)),
    ("limited", (404, 200, 200, 200, 200)),
    ("private", (404, 404, 200, 200, 200)),
])
def test_user_visibility_decides_who_sees_a_profile(world, visibility, expected):
    client = world.client
    client.simulate_patch("/api/v1/admin/users/alice", json={"visibility": visibility},
                          headers=basic_auth("root"))
    seen = tuple(client.simulate_get("/api/v1/users/alice", headers=world.auth(who)).status_code
                 for who in (None, "carol", "bob", "alice", "root"))
    assert seen == expected


def test_a_restricted_user_sees_only_public_profiles_and_their_own_orgs(world):
    client = world.client
    root = basic_auth("root")
    client.simulate_patch("/api/v1/admin/users/carol", json={"restricted": True}, headers=root)
    client.simulate_patch("/api/v1/admin/users/bob", json={"visibility": "limited"}, headers=root)
    client.simulate_patch("/api/v1/orgs/acme", json={"visibility": "limited"}, headers=basic_auth("alice"))
    carol = basic_auth("carol")
    assert client.simulate_get("/api/v1/users/alice", headers=carol).status_code == 200
    assert client.simulate_get("/api/v1/users/bob", headers=carol).status_code == 404
    assert client.simulate_get("/api/v1/orgs/acme", headers=carol).status_code == 404
    assert client.simulate_get("/api/v1/orgs/acme", headers=basic_auth("bob")).status_code == 200


def test_search_wraps_results_and_respects_visibility(world):
    client = world.client
    make_user(world.ctx, "hidden-harry", visibility="private")
    make_user(world.ctx, "limited-lou", visibility="limited")

    def search(who, **params):
        response = client.simulate_get("/api/v1/users/search", params=params, headers=world.auth(who))
        assert response.status_code == 200
        assert response.json["ok"] is True
        return [u["login"] for u in response.json["data"]]

    assert search(None) == ["root", "alice", "bob", "carol"]
    assert search("carol") == ["root", "alice", "bob", "carol", "limited-lou"]
    assert search("root") == ["root", "alice", "bob", "carol", "hidden-harry", "limited-lou"]
    assert search("hidden-harry", q="harry") == ["hidden-harry"]
    assert search(None, q="BO") == ["bob"]
    uid = client.simulate_get("/api/v1/users/bob").json["id"]
    assert search(None, uid=str(uid)) == ["bob"]


def test_a_private_user_is_found_by_people_who_share_an_org(world):
    client = world.client
    client.simulate_patch("/api/v1/admin/users/alice", json={"visibility": "private"},
                          headers=basic_auth("root"))
    found = client.simulate_get("/api/v1/users/search", params={"q": "alice"}, headers=basic_auth("bob"))
    assert [u["login"] for u in found.json["data"]] == ["alice"]
    hidden = client.simulate_get("/api/v1/users/search", params={"q": "alice"}, headers=basic_auth("carol"))
    assert hidden.json["data"] == []


def test_an_orgs_profile_is_served_as_a_user_when_visible(world):
    client = world.client
    profile = client.simulate_get("/api/v1/users/acme")
    assert profile.status_code == 200 and profile.json["login"] == "acme"
    client.simulate_patch("/api/v1/orgs/acme", json={"visibility": "private"}, headers=basic_auth("alice"))
    assert client.simulate_get("/api/v1/users/acme", headers=basic_auth("carol")).status_code == 404
    assert client.simulate_get("/api/v1/users/acme", headers=basic_auth("bob")).status_code == 200
    assert client.simulate_get("/api/v1/users/nobody").status_code == 404
