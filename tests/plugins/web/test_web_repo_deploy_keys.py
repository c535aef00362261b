"""A repository's deploy keys in its settings, at Gitea's ``/settings/keys`` (when the ssh
plugin is on): listed, added (Gitea's ``title``, ``content``, ``is_writable``; the API's
rules and 422s) and deleted by its administrators; 404 for everyone else."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.plugins.web.conftest import build_site
from tests.plugins.web.test_web_settings_forms import (
    test_a_settings_page_follows_the_shared_form_layout as follows_the_shared_layout)


def new_public_key() -> str:
    return ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


def test_adding_listing_and_deleting_deploy_keys_as_the_api_sees_them(site):
    browser = site.browser("alice")
    page = browser.get("/alice/code/settings/keys")
    assert page.status_code == 200 and "No deploy keys yet." in page.text
    assert 'href="/alice/code/settings/keys" aria-current="page"' in page.text
    reader, writer = new_public_key(), new_public_key()
    for title, key, writable in (("ci", reader, False), ("deployer", writer, True)):
        fields = {"title": title, "content": key, **({"is_writable": "1"} if writable else {})}
        result = browser.post("/alice/code/settings/keys", fields)
        assert result.status_code == 303, result.text
        assert result.headers["location"].endswith("/alice/code/settings/keys")
    keys = site.get("/repos/alice/code/keys").json
    assert [(key["title"], key["read_only"]) for key in keys] == [("ci", True),
                                                                  ("deployer", False)]
    page = browser.get("/alice/code/settings/keys").text
    for key in keys:
        assert key["fingerprint"] in page
    assert "read-only" in page and "read and write" in page
    assert browser.post("/alice/code/settings/keys",
                        {"action": "delete", "id": str(keys[0]["id"])}).status_code == 303
    assert [key["title"] for key in site.get("/repos/alice/code/keys").json] == ["deployer"]


def test_a_refused_key_is_a_422_that_keeps_the_form_and_stores_nothing(site):
    browser = site.browser("alice")
    browser.get("/alice/code/settings/keys")
    result = browser.post("/alice/code/settings/keys", {"title": "bad", "content": "ssh-ed25519 nope"})
    assert result.status_code == 422 and 'value="bad"' in result.text
    key = new_public_key()
    assert site.post("/user/keys", {"title": "mine", "key": key}).status_code == 201
    browser.get("/alice/code/settings/keys")
    used = browser.post("/alice/code/settings/keys", {"title": "reuse", "content": key})
    assert used.status_code == 422 and "non-deploy key" in used.text
    browser.get("/alice/code/settings/keys")
    assert browser.post("/alice/code/settings/keys",
                        {"action": "delete", "id": "999"}).status_code == 404
    assert site.get("/repos/alice/code/keys").json == []


def test_deploy_keys_are_for_administrators_only(site):
    site.put("/repos/alice/code/collaborators/oscar", {"permission": "write"})
    oscar = site.browser("oscar")
    assert oscar.get("/alice/code/settings/keys").status_code == 404
    oscar.get("/alice/code")
    assert oscar.post("/alice/code/settings/keys",
                      {"title": "x", "content": new_public_key()}).status_code == 404
    anonymous = site.browser().get("/alice/code/settings/keys")
    assert anonymous.status_code == 303 and "/user/login" in anonymous.headers["location"]
    assert site.get("/repos/alice/code/keys").json == []


def test_without_the_ssh_plugin_there_is_no_page(build_app):
    site = build_site(build_app(plugins={"disabled": ["ssh"]}))
    browser = site.browser("alice")
    assert browser.get("/alice/code/settings/keys").status_code == 404
    assert "/settings/keys" not in browser.get("/alice/code/settings").text


def test_the_page_follows_the_settings_pages_shared_form_layout(site):
    assert site.post("/repos/alice/code/keys", {"title": "ci", "key": new_public_key()}) \
        .status_code == 201
    follows_the_shared_layout(site, "alice", "/alice/code/settings/keys", "Deploy keys")
