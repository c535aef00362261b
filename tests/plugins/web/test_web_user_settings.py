"""The signed-in user's settings pages: the profile, the password (at /user/settings/account)
and SSH keys — each the accounts' own change, with the API's validation."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from plue_core.testing import DEFAULT_PASSWORD, recorded_statements


def new_key() -> str:
    return ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode() + " me@laptop"


def test_the_profile_is_saved_and_shown_on_the_api(site):
    browser = site.browser("alice")
    page = browser.get("/user/settings")
    assert page.status_code == 200 and 'value="alice@' in page.text
    result = browser.post("/user/settings", {
        "full_name": "Alice Liddell", "email": "alice@wonder.land",
        "website": "https://wonder.land", "location": "Oxford", "description": "Curious"})
    assert result.status_code == 200 and "has been saved" in result.text
    me = site.get("/user").json
    assert (me["full_name"], me["email"], me["website"], me["location"], me["description"]) == \
        ("Alice Liddell", "alice@wonder.land", "https://wonder.land", "Oxford", "Curious")


def test_profile_mistakes_are_explained_and_change_nothing(site):
    browser = site.browser("alice")
    before = site.get("/user").json
    for fields, word in (({"email": "oscar@example.com"}, "already used"),
                         ({"email": "nonsense"}, "email"),
                         ({"email": "a@b.c", "website": "javascript:alert(1)"}, "website"),
                         ({"email": ""}, "email"),
                         ({"email": "a@b.c", "location": "x" * 60}, "location")):
        if fields.get("email") == "oscar@example.com":
            fields["email"] = site.get("/users/oscar", as_user="root").json["email"]
        browser.get("/user/settings")
        result = browser.post("/user/settings", fields)
        assert result.status_code == 422 and word in result.text, (fields, result.text[-600:])
    assert site.get("/user").json == before


def test_the_account_page_changes_the_password(site):
    browser = site.browser("alice")
    page = browser.get("/user/settings/account")
    assert page.status_code == 200 and 'name="old_password"' in page.text
    result = browser.post("/user/settings/change_password", {
        "old_password": DEFAULT_PASSWORD, "password": "a-new-Passw0rd!", "retype": "a-new-Passw0rd!"})
    assert result.status_code == 200 and "has been changed" in result.text
    assert site.browser().post("/user/login", {"user_name": "alice", "password": "a-new-Passw0rd!"},
                               from_page="/user/login").status_code == 303


def test_adding_and_deleting_an_ssh_key(site):
    browser = site.browser("alice")
    assert "No SSH keys yet" in browser.get("/user/settings/keys").text
    key = new_key()
    result = browser.post("/user/settings/keys", {"action": "add", "title": "laptop",
                                                  "content": key})
    assert result.status_code == 303 and result.headers["location"] == "/user/settings/keys"
    keys = site.get("/user/keys").json
    assert [item["title"] for item in keys] == ["laptop"]
    page = browser.get("/user/settings/keys").text
    assert keys[0]["fingerprint"] in page and "never used" in page
    assert browser.post("/user/settings/keys", {"action": "delete",
                                                "id": str(keys[0]["id"])}).status_code == 303
    assert site.get("/user/keys").json == []


def test_key_mistakes_are_explained(site):
    browser = site.browser("alice")
    key = new_key()
    browser.get("/user/settings/keys")
    result = browser.post("/user/settings/keys", {"action": "add", "title": "x",
                                                  "content": "ssh-ed25519 nonsense"})
    assert result.status_code == 422 and "nonsense" in result.text  # kept in the form
    browser.get("/user/settings/keys")
    browser.post("/user/settings/keys", {"action": "add", "title": "one", "content": key})
    browser.get("/user/settings/keys")
    again = browser.post("/user/settings/keys", {"action": "add", "title": "two", "content": key})
    assert again.status_code == 422 and "already been added" in again.text
    # Another user's key id is no key of yours.
    oscar = site.browser("oscar")
    oscar.get("/user/settings/keys")
    key_id = site.get("/user/keys").json[0]["id"]
    assert oscar.post("/user/settings/keys", {"action": "delete", "id": str(key_id)}).status_code == 404
    assert len(site.get("/user/keys").json) == 1


def test_user_settings_need_a_session_and_the_token(site):
    for path in ("/user/settings", "/user/settings/keys", "/user/settings/account"):
        result = site.browser().get(path)
        assert result.status_code == 303 and "/user/login" in result.headers["location"]
    browser = site.browser("alice")
    browser.get("/user/settings/keys")
    assert browser.post("/user/settings/keys", {"action": "add", "title": "k",
                                                "content": new_key()}, csrf=False).status_code == 403
    assert site.get("/user/keys").json == []


def test_the_keys_page_costs_a_fixed_number_of_queries(site):
    browser = site.browser("alice")
    with recorded_statements(site.ctx.db) as few:
        assert browser.get("/user/settings/keys").status_code == 200
    for number in range(4):
        site.post("/user/keys", {"title": f"k{number}", "key": new_key()})
    with recorded_statements(site.ctx.db) as many:
        assert browser.get("/user/settings/keys").status_code == 200
    assert len(many) == len(few) <= 4, many
