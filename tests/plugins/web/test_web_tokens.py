"""Access tokens in the web settings: created with the form (the value shown once), listed
without their value, revoked — the same tokens as the API's."""

from __future__ import annotations

import re

from plue_core.testing import token_auth


def _create(browser, name: str, *scopes: str):
    browser.get("/user/settings/applications")
    return browser.post("/user/settings/applications", {
        "action": "create", "name": name, **{f"scope_{scope}": "1" for scope in scopes}})


def test_a_token_is_shown_once_works_on_the_api_and_can_be_revoked(site):
    browser = site.browser("alice")
    created = _create(browser, "laptop", "read:user", "write:repository")
    assert created.status_code == 201 and created.headers["cache-control"] == "no-store"
    token = re.search(r'id="new-token" value="([0-9a-f]{40})"', created.text).group(1)
    assert site.client.simulate_get("/api/v1/user", headers=token_auth(token)).json["login"] == "alice"
    listing = browser.get("/user/settings/applications").text
    assert "laptop" in listing and "read:user, write:repository" in listing
    assert token not in listing and f"…{token[-8:]}" in listing
    token_id = re.search(r'name="id" value="(\d+)"', listing).group(1)
    revoked = browser.post("/user/settings/applications", {"action": "delete", "id": token_id})
    assert revoked.status_code == 303
    assert site.client.simulate_get("/api/v1/user", headers=token_auth(token)).status_code == 401
    assert "laptop" not in browser.get("/user/settings/applications").text


def test_a_token_needs_a_name_and_a_scope(site):
    browser = site.browser("alice")
    no_scope = _create(browser, "x")
    assert no_scope.status_code == 422 and "must have a scope" in no_scope.text
    assert 'value="x"' in no_scope.text
    _create(browser, "dup", "all")
    again = _create(browser, "dup", "all")
    assert again.status_code == 422 and "has been used already" in again.text


def test_one_cannot_revoke_someone_elses_token(site):
    _create(site.browser("alice"), "mine", "all")
    listing = site.browser("alice").get("/user/settings/applications").text
    token_id = re.search(r'name="id" value="(\d+)"', listing).group(1)
    oscar = site.browser("oscar")
    oscar.get("/user/settings/applications")
    assert oscar.post("/user/settings/applications",
                      {"action": "delete", "id": token_id}).status_code == 404
    assert "mine" in site.browser("alice").get("/user/settings/applications").text


def test_the_settings_need_a_signed_in_user(site):
    result = site.browser().get("/user/settings/applications")
    assert result.status_code == 303 and "/user/login?redirect_to=" in result.headers["location"]
