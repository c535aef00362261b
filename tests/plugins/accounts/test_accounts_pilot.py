"""Runner Pilot organizations (seed 001): /onboarding, /common/me, /org, /org/{org_id}; the
same organizations as Gitea's /api/v1/orgs."""

from __future__ import annotations

import pytest

from plue_core.testing import DEFAULT_PASSWORD, basic_auth, make_user


@pytest.fixture
def pilot(client, ctx):
    """alice and bob, each with a Runner Pilot JWT; returns their Authorization headers."""
    make_user(ctx, "alice", full_name="Alice A")
    make_user(ctx, "bob")

    def bearer(email):
        token = client.simulate_post("/auth/login", json={"email": email, "password": DEFAULT_PASSWORD})
        return {"Authorization": f"Bearer {token.json['access_token']}"}

    return {"alice": bearer("alice@example.com"), "bob": bearer("bob@example.com")}


def test_onboarding_creates_the_first_organization_once(client, pilot):
    body = {"organization": {"name": "Gigatech", "short_name": "GT", "type": "personal"}}
    response = client.simulate_post("/onboarding", json=body, headers=pilot["alice"])
    assert response.status_code == 200
    org = response.json["organization"]
    assert (org["name"], org["short_name"], org["type"]) == ("Gigatech", "GT", "personal")
    assert org["created_at"].endswith("Z") and len(org["uid"]) == 36
    again = client.simulate_post("/onboarding", json=body, headers=pilot["alice"])
    assert again.status_code == 409
    assert "already done" in again.json["error"]


@pytest.mark.parametrize("body, field", [
    ({}, "organization"),
    ({"organization": {}}, "name"),
    ({"organization": {"name": "X", "type": "company"}}, "type"),
    ({"organization": {"name": "X"}, "extra": 1}, "extra"),
])
def test_bad_onboarding_bodies_are_422_in_pilots_error_shape(client, pilot, body, field):
    response = client.simulate_post("/onboarding", json=body, headers=pilot["alice"])
    assert response.status_code == 422
    assert set(response.json) <= {"error", "details"}
    assert field in response.json["error"]


def test_common_me_lists_the_users_organizations(client, pilot):
    client.simulate_post("/org", json={"name": "Gigatech", "short_name": "GT"}, headers=pilot["alice"])
    client.simulate_post("/org", json={"name": "NextTech", "short_name": "NT", "type": "personal"},
                         headers=pilot["alice"])
    me = client.simulate_get("/common/me", headers=pilot["alice"])
    assert me.status_code == 200
    assert (me.json["full_name"], me.json["email"]) == ("Alice A", "alice@example.com")
    assert [(o["name"], o["short_name"], o["type"]) for o in me.json["organizations"]] == [
        ("Gigatech", "GT", "organization"), ("NextTech", "NT", "personal")]
    assert client.simulate_get("/common/me", headers=pilot["bob"]).json["organizations"] == []


def test_creating_listing_getting_and_updating_an_org(client, pilot):
    created = client.simulate_post("/org", json={"name": "Gigatech", "short_name": "GT",
                                                 "type": "organization"}, headers=pilot["alice"])
    assert created.status_code == 200
    uid = created.json["uid"]
    listed = client.simulate_get("/org", headers=pilot["alice"]).json
    assert [(o["uid"], o["name"]) for o in listed] == [(uid, "Gigatech")]
    got = client.simulate_get(f"/org/{uid}", headers=pilot["alice"])
    assert got.status_code == 200 and got.json["short_name"] == "GT"
    updated = client.simulate_put(f"/org/{uid}", json={"name": "Gigatech Updated"}, headers=pilot["alice"])
    assert updated.status_code == 200
    assert (updated.json["name"], updated.json["short_name"], updated.json["type"]) == \
        ("Gigatech Updated", "GT", "organization")
    assert client.simulate_put(f"/org/{uid}", json={"type": "galaxy"},
                               headers=pilot["alice"]).status_code == 422
    assert client.simulate_put(f"/org/{uid}", json={"nmae": "typo"},
                               headers=pilot["alice"]).status_code == 422


def test_only_members_see_or_change_an_org(client, pilot):
    uid = client.simulate_post("/org", json={"name": "Gigatech"}, headers=pilot["alice"]).json["uid"]
    for method in ("GET", "PUT"):
        response = client.simulate_request(method, f"/org/{uid}", json={"name": "Mine"},
                                           headers=pilot["bob"])
        assert response.status_code == 404
        assert "does not exist" in response.json["error"]
    assert client.simulate_get("/org/not-a-uuid", headers=pilot["alice"]).status_code == 404
    assert client.simulate_get("/org/00000000-0000-0000-0000-000000000000",
                               headers=pilot["alice"]).status_code == 404
    assert client.simulate_get(f"/org/{uid}").status_code == 401


def test_a_member_who_is_not_an_owner_may_look_but_not_change(client, pilot):
    created = client.simulate_post("/org", json={"name": "Gigatech"}, headers=pilot["alice"]).json
    owners = client.simulate_get(f"/api/v1/orgs/{created['login']}/teams",
                                 headers=basic_auth("alice")).json[0]
    team = client.simulate_post(f"/api/v1/orgs/{created['login']}/teams", json={"name": "staff"},
                                headers=basic_auth("alice")).json
    assert owners["name"] == "Owners"
    client.simulate_put(f"/api/v1/teams/{team['id']}/members/bob", headers=basic_auth("alice"))
    assert client.simulate_get(f"/org/{created['uid']}", headers=pilot["bob"]).status_code == 200
    refused = client.simulate_put(f"/org/{created['uid']}", json={"name": "Bob's"}, headers=pilot["bob"])
    assert refused.status_code == 403


def test_pilot_orgs_are_gitea_orgs_and_the_other_way_round(client, pilot):
    created = client.simulate_post("/org", json={"name": "Giga Tech Labs", "short_name": "GTL"},
                                   headers=pilot["alice"]).json
    assert created["login"] == "Giga-Tech-Labs"
    gitea = client.simulate_get("/api/v1/orgs/Giga-Tech-Labs", headers=basic_auth("alice"))
    assert gitea.status_code == 200
    assert (gitea.json["full_name"], gitea.json["visibility"]) == ("Giga Tech Labs", "private")
    assert client.simulate_get("/api/v1/orgs/Giga-Tech-Labs", headers=basic_auth("bob")).status_code == 404
    # A second org with the same display name gets its own login.
    second = client.simulate_post("/org", json={"name": "Giga Tech Labs"}, headers=pilot["bob"]).json
    assert second["login"] == "Giga-Tech-Labs1"
    # An org made through Gitea shows up in Pilot for its members.
    client.simulate_post("/api/v1/orgs", json={"username": "acme", "full_name": "Acme Corp"},
                         headers=basic_auth("alice"))
    names = [o["name"] for o in client.simulate_get("/org", headers=pilot["alice"]).json]
    assert names == ["Acme Corp", "Giga Tech Labs"]


def test_reserved_or_unusable_display_names_still_get_a_valid_login(client, pilot):
    for display, login in [("API", "API1"), ("Org", "Org1"), ("!!!", "org2"), ("Ünïcode Co", "Unicode-Co"),
                           ("web.git", "web.git1")]:
        created = client.simulate_post("/org", json={"name": display}, headers=pilot["alice"])
        assert created.status_code == 200, created.json
        assert created.json["login"] == login
        assert client.simulate_get(f"/api/v1/orgs/{login}", headers=basic_auth("alice")).status_code == 200


def test_pilot_registration_and_login_reject_unknown_fields(client, pilot):
    register = client.simulate_post("/auth/register", json={
        "email": "new@example.com", "password": "strongpassword", "fullname": "typo"})
    assert register.status_code == 422 and "fullname" in register.json["error"]
    login = client.simulate_post("/auth/login", json={
        "email": "alice@example.com", "password": DEFAULT_PASSWORD, "remember": True})
    assert login.status_code == 422 and "remember" in login.json["error"]
