"""The settings pages' one form layout (templates/forms.html): on every settings page of a
repository, of the signed-in user, of an organization and of the site administration, the tab
nav marks the page it is on, every form that posts carries the CSRF field, every row's button
says what it acts on, and every input has its label."""

from __future__ import annotations

import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

# (who, path, the tab the nav marks current)
PAGES = [
    ("alice", "/user/settings", "Profile"),
    ("alice", "/user/settings/keys", "SSH keys"),
    ("alice", "/alice/code/settings", "Repository"),
    ("alice", "/alice/code/settings/collaboration", "Collaborators"),
    ("alice", "/alice/code/settings/branches", "Branches"),
    ("alice", "/alice/code/settings/hooks", "Webhooks"),
    ("alice", "/alice/code/settings/actions/secrets", "Secrets"),
    ("alice", "/acme/-/settings", "Settings"),
    ("alice", "/acme/-/teams", "Teams"),
    ("alice", "/acme/-/members", "Members"),
    ("root", "/-/admin/users", "Users"),
]
FORM = re.compile(r'<form method="post"[^>]*>.*?</form>', re.S)


@pytest.fixture
def filled(site):
    """Every list of the pages has a row: a key, a collaborator, a rule, a hook, a secret, an
    organization with a team and members."""
    assert site.post("/orgs", {"username": "acme"}).status_code == 201
    devs = site.post("/orgs/acme/teams", {"name": "devs", "permission": "write"}).json
    assert site.put(f"/teams/{devs['id']}/members/oscar").status_code == 204
    key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    assert site.post("/user/keys", {"title": "laptop", "key": key}).status_code == 201
    assert site.put("/repos/alice/code/collaborators/oscar",
                    {"permission": "write"}).status_code == 204
    assert site.post("/repos/alice/code/hooks", {
        "type": "gitea", "config": {"url": "https://example.com/hook", "content_type": "json"},
        "events": ["push"], "active": True}).status_code == 201
    assert site.post("/repos/alice/code/branch_protections",
                     {"rule_name": "main"}).status_code == 201
    assert site.put("/repos/alice/code/actions/secrets/TOKEN", {"data": "x"}).status_code \
        in (201, 204)
    return site


@pytest.mark.parametrize("who, path, tab", PAGES, ids=[path for _, path, _ in PAGES])
def test_a_settings_page_follows_the_shared_form_layout(filled, who, path, tab):
    page = filled.browser(who).get(path)
    assert page.status_code == 200
    text = page.text
    nav = re.search(r'<nav class="settings-nav"[^>]*>(.*?)</nav>', text, re.S).group(1)
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == [tab]
    body = text[text.index('<div class="settings-body">'):]  # the page, not the site's header
    forms = FORM.findall(body)
    assert forms or path.startswith("/-/admin"), f"{path} has no form"  # admin: lists only
    for form in forms:
        assert 'name="_csrf"' in form, form
        one_button = 'class="inline"' in form and not re.search(
            r'<select|<textarea|<input(?![^>]*type="hidden")', form)
        if one_button:  # a row's Delete / Revoke / Remove names what it acts on
            assert re.search(r'<button[^>]*aria-label="[^"]+ \S', form), form
    for tag, field_id in re.findall(r'(<(?:input|textarea|select) id="([^"]+)"[^>]*>)', body):
        assert f'<label for="{field_id}">' in body or "aria-label=" in tag, tag
