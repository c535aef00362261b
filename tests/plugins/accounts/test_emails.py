"""Gitea's e-mail addresses: /user/emails (the primary one is the account's, further ones are
added and deleted all or none; an address is one account's at most, primary or not) and
/admin/emails[/search] for site administrators."""

from __future__ import annotations

from plue_core.testing import basic_auth


def call(world, method: str, path: str, who: str | None = "alice", body=None):
    return world.client.simulate_request(method, f"/api/v1{path}", headers=world.auth(who),
                                         json=body)


def addresses(response) -> list[tuple[str, bool]]:
    assert response.status_code in (200, 201), response.text
    return [(row["email"], row["primary"]) for row in response.json]


def test_a_user_adds_lists_and_deletes_further_addresses(world):
    assert call(world, "GET", "/user/emails").json == [
        {"email": "alice@example.com", "verified": True, "primary": True, "user_id": 0,
         "username": ""}]
    added = call(world, "POST", "/user/emails", body={"emails": ["a2@example.com", "A3@Example.com"]})
    assert added.status_code == 201
    assert addresses(added) == [("alice@example.com", True), ("a2@example.com", False),
                                ("A3@Example.com", False)]
    assert call(world, "DELETE", "/user/emails", body={"emails": ["a3@example.com"]}).status_code == 204
    assert addresses(call(world, "GET", "/user/emails")) == [("alice@example.com", True),
                                                             ("a2@example.com", False)]
    assert call(world, "DELETE", "/user/emails", body={"emails": []}).status_code == 204
    assert call(world, "GET", "/user/emails", None).status_code == 401


def test_an_address_is_one_accounts_only_and_every_refusal_changes_nothing(world):
    assert call(world, "POST", "/user/emails", body={"emails": ["a2@example.com"]}).status_code == 201
    for emails in (["BOB@example.com"],              # bob's primary address
                   ["fresh@example.com", "A2@example.com"],  # her own further one
                   ["new@example.com", "NEW@example.com"],   # twice in one request
                   ["not-an-address"], []):
        refused = call(world, "POST", "/user/emails", body={"emails": emails})
        assert refused.status_code == 422, (emails, refused.text)
        assert set(refused.json) >= {"message", "url"}
    assert call(world, "POST", "/user/emails", "bob", {"emails": ["a2@example.com"]}).status_code == 422
    assert addresses(call(world, "GET", "/user/emails")) == [("alice@example.com", True),
                                                             ("a2@example.com", False)]
    # Signing up or an administrator's edit with someone's further address is refused too.
    root = basic_auth("root")
    taken = world.client.simulate_patch("/api/v1/admin/users/bob", headers=root,
                                        json={"email": "a2@example.com"})
    assert taken.status_code == 422 and "already used" in taken.json["message"]
    created = world.client.simulate_post("/api/v1/admin/users", headers=root, json={
        "username": "dave", "email": "A2@example.com", "password": "a-long-password"})
    assert created.status_code == 422
    # The primary address cannot be deleted; one that is not hers is 404; nothing goes.
    for emails, status in ((["alice@example.com"], 422), (["a2@example.com", "bob@example.com"], 404)):
        assert call(world, "DELETE", "/user/emails", body={"emails": emails}).status_code == status
    assert len(call(world, "GET", "/user/emails").json) == 2


def test_an_administrator_making_a_further_address_primary_moves_it(world):
    assert call(world, "POST", "/user/emails", body={"emails": ["a2@example.com"]}).status_code == 201
    edited = world.client.simulate_patch("/api/v1/admin/users/alice", headers=basic_auth("root"),
                                         json={"email": "a2@example.com"})
    assert edited.status_code == 200, edited.text
    assert addresses(call(world, "GET", "/user/emails")) == [("a2@example.com", True)]


def test_administrators_list_and_search_every_users_addresses(world):
    assert call(world, "POST", "/user/emails", "bob", {"emails": ["bobby@example.org"]}).status_code == 201
    every = call(world, "GET", "/admin/emails", "root")
    assert [(row["email"], row["primary"], row["username"]) for row in every.json] == [
        ("alice@example.com", True, "alice"), ("bob@example.com", True, "bob"),
        ("bobby@example.org", False, "bob"), ("carol@example.com", True, "carol"),
        ("root@example.com", True, "root")]
    assert every.headers["X-Total-Count"] == "5"
    assert {row["user_id"] for row in every.json} == {row["id"] for row in
                                                      call(world, "GET", "/admin/users", "root").json}
    found = call(world, "GET", "/admin/emails/search?q=BOB", "root")
    assert [row["email"] for row in found.json] == ["bob@example.com", "bobby@example.org"]
    assert [row["email"] for row in call(world, "GET", "/admin/emails/search?q=.org", "root").json] == \
        ["bobby@example.org"]
    page = call(world, "GET", "/admin/emails?limit=2&page=3", "root")
    assert [row["email"] for row in page.json] == ["root@example.com"]
    assert call(world, "GET", "/admin/emails", "bob").status_code == 403
    assert call(world, "GET", "/admin/emails/search", None).status_code == 401
