"""Gitea's hooks API for the four owners: Gitea's Hook shape, write-only secrets, validation
that names the field, and who may manage which hooks (the repository access service, org
owners, the caller's own, site admins)."""

from __future__ import annotations

import json

import pytest

from plue_webhooks.models import Webhook

HOOK_FIELDS = {"id", "type", "name", "branch_filter", "config", "events", "authorization_header",
               "active", "updated_at", "created_at"}


def swagger_hook_properties() -> set[str]:
    import pathlib
    path = pathlib.Path("/work/shared/reference/gitea-swagger-v1.json")
    if not path.exists():
        pytest.skip("Gitea's swagger document is not on this machine")
    return set(json.loads(path.read_text())["definitions"]["Hook"]["properties"])


def test_a_repository_hook_has_giteas_shape_and_never_shows_its_secret(forge, receiver):
    hook = forge.add_hook(receiver.url, secret="s3cret", authorization_header="Bearer tok-123",
                          branch_filter="main", events=["push", "issues"], name="ci")
    assert set(hook) == HOOK_FIELDS == swagger_hook_properties()
    assert hook["type"] == "gitea" and hook["active"] is True and hook["name"] == "ci"
    assert hook["config"] == {"url": receiver.url, "content_type": "json", "http_method": "POST"}
    assert hook["events"] == ["push", "issues", "issue_assign", "issue_label",
                              "issue_milestone", "issue_comment"]
    assert hook["branch_filter"] == "main"
    assert hook["authorization_header"] == ""
    text = json.dumps([hook, forge.get("/repos/alice/project/hooks").json,
                       forge.get(f"/repos/alice/project/hooks/{hook['id']}").json])
    assert "s3cret" not in text and "tok-123" not in text
    row = Webhook.get_by_id(hook["id"])  # sealed at rest
    assert "s3cret" not in row.sealed_secret and "tok-123" not in row.sealed_authorization
    assert forge.service.secret_box.decrypt(row.sealed_secret) == "s3cret"


def test_a_hook_without_events_gets_pushes_and_is_inactive_unless_asked(forge, receiver):
    response = forge.post("/repos/alice/project/hooks",
                          {"type": "gitea", "config": {"url": receiver.url, "content_type": "form"}})
    assert response.status_code == 201, response.text
    assert response.json["events"] == ["push"] and response.json["active"] is False


@pytest.mark.parametrize(("chosen", "shown"), [
    (["pull_request"], ["pull_request", "pull_request_assign", "pull_request_label",
                        "pull_request_milestone", "pull_request_comment", "pull_request_review",
                        "pull_request_review_request", "pull_request_sync"]),
    (["issues_only", "pull_request_only"], ["issues", "pull_request"]),
    (["pull_request_review", "create"], ["pull_request_review", "create"]),
])
def test_events_show_as_giteas_switches_the_choice_set(forge, receiver, chosen, shown):
    hook = forge.add_hook(receiver.url, events=chosen)
    assert hook["events"] == shown
    assert forge.get(f"/repos/alice/project/hooks/{hook['id']}").json["events"] == shown


def test_a_group_shown_and_sent_back_selects_the_same_events(forge, receiver):
    from plue_webhooks import event_types
    hook = forge.add_hook(receiver.url, events=["pull_request", "issues"])
    again = forge.patch(f"/repos/alice/project/hooks/{hook['id']}", {"events": hook["events"]})
    assert again.json["events"] == hook["events"]
    chosen = Webhook.get_by_id(hook["id"]).events
    for event_type in event_types.BUILT_IN_TYPES:
        assert event_types.selects(chosen, event_type) == event_types.selects(
            ["pull_request", "issues"], event_type), event_type


def test_editing_changes_only_what_was_sent_and_deleting_removes_the_hook(forge, receiver):
    hook = forge.add_hook(receiver.url)
    path = f"/repos/alice/project/hooks/{hook['id']}"
    edited = forge.patch(path, {"active": False, "events": ["create", "delete"],
                                "config": {"content_type": "form"}})
    assert edited.status_code == 200, edited.text
    assert edited.json["active"] is False and edited.json["events"] == ["create", "delete"]
    assert edited.json["config"]["url"] == receiver.url
    assert edited.json["config"]["content_type"] == "form"
    assert forge.service.secret_box.decrypt(Webhook.get_by_id(hook["id"]).sealed_secret) == "s3cret"
    assert forge.delete(path).status_code == 204
    assert forge.get(path).status_code == 404
    assert forge.get("/repos/alice/project/hooks").json == []


@pytest.mark.parametrize("body, field", [
    ({"type": "gitea", "config": {"content_type": "json"}}, "config.url"),
    ({"type": "gitea", "config": {"url": "ftp://x.example/", "content_type": "json"}}, "config.url"),
    ({"type": "gitea", "config": {"url": "http://x.example/", "content_type": "xml"}},
     "config.content_type"),
    ({"type": "gitea", "config": {"url": "http://x.example/", "content_type": "json"},
      "events": ["push", "nonsense"]}, "events"),
    ({"type": "slack", "config": {"url": "http://x.example/", "content_type": "json"}},
     "config.channel"),
    ({"type": "gitlab", "config": {"url": "http://x.example/", "content_type": "json"}}, "type"),
    ({"type": "gitea"}, "config"),
    ({"type": "gitea", "config": {"url": "http://x.example/", "content_type": "json"},
      "branch_filter": "b" * 256}, "branch_filter"),
    ({"type": "gitea", "config": {"url": "http://x.example/", "content_type": "json"},
      "authorization_header": "Bearer a\r\nX-Injected: 1"}, "authorization_header"),
])
def test_a_bad_hook_is_a_422_naming_the_field(forge, body, field):
    response = forge.post("/repos/alice/project/hooks", body)
    assert response.status_code == 422, response.text
    assert field in response.json["message"]
    assert "X-Injected" not in response.text
    assert Webhook.select().count() == 0


def test_repository_hooks_need_admin_on_the_repository(forge, receiver):
    hook = forge.add_hook(receiver.url)
    assert forge.get("/repos/alice/project/hooks", as_user="bob").status_code == 403
    assert forge.get(f"/repos/alice/project/hooks/{hook['id']}", as_user="carol").status_code == 403
    assert forge.get("/repos/alice/project/hooks", as_user=None).status_code == 401
    assert forge.get("/repos/alice/project/hooks", as_user="root").status_code == 200
    forge.create_repo("hidden", private=True)
    assert forge.get("/repos/alice/hidden/hooks", as_user="carol").status_code == 404
    # A hook id of another repository is not found here.
    assert forge.get(f"/repos/alice/hidden/hooks/{hook['id']}").status_code == 404


def test_organization_hooks_are_for_its_owners(forge, receiver):
    hook = forge.add_hook(receiver.url, path="/orgs/acme/hooks")
    assert forge.get("/orgs/acme/hooks").json[0]["id"] == hook["id"]
    assert forge.get("/orgs/acme/hooks", as_user="bob").status_code == 403
    assert forge.post("/orgs/acme/hooks", {"type": "gitea", "config": {}},
                      as_user="bob").status_code == 403
    assert forge.get("/orgs/nobody/hooks").status_code == 404
    assert forge.get(f"/repos/alice/project/hooks/{hook['id']}").status_code == 404


def test_user_hooks_are_the_callers_own(forge, receiver):
    hook = forge.add_hook(receiver.url, path="/user/hooks")
    assert forge.get("/user/hooks").json[0]["id"] == hook["id"]
    assert forge.get("/user/hooks", as_user="bob").json == []
    assert forge.get(f"/user/hooks/{hook['id']}", as_user="bob").status_code == 404
    assert forge.delete(f"/user/hooks/{hook['id']}", as_user="bob").status_code == 404


def test_system_hooks_are_for_site_administrators(forge, receiver):
    hook = forge.add_hook(receiver.url, path="/admin/hooks", as_user="root",
                          config={"is_system_webhook": "true"})
    assert forge.get("/admin/hooks", as_user="root").json[0]["id"] == hook["id"]
    assert forge.get("/admin/hooks").status_code == 403
    assert forge.patch(f"/admin/hooks/{hook['id']}", {"active": False}).status_code == 403


def test_a_read_only_token_cannot_create_hooks(forge, receiver):
    token = forge.token("alice", "read:repository")
    response = forge.post("/repos/alice/project/hooks", {
        "type": "gitea", "config": {"url": receiver.url, "content_type": "json"}}, as_user=token)
    assert response.status_code == 403 and "write:repository" in response.json["message"]
    assert forge.get("/repos/alice/project/hooks", as_user=token).status_code == 200


def test_an_id_past_64_bits_is_a_404_not_a_server_error(forge):
    huge = "9" * 30
    assert forge.get(f"/repos/alice/project/hooks/{huge}").status_code == 404
    assert forge.get(f"/user/hooks/1/deliveries/{huge}").status_code == 404
