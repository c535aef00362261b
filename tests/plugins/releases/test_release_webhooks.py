"""The ``release`` webhook event (Gitea's ``ReleasePayload``), the plugin's own event type a
hook may choose; and the plugin switched off: its routes gone, git_hosting unaffected."""

from __future__ import annotations

HOOK = {"type": "gitea", "config": {"url": "https://hooks.example.com/in",
                                    "content_type": "json"},
        "events": ["release"], "active": True}


def release_payloads(forge) -> list[dict]:
    from plue_webhooks.models import WebhookPayload

    return [row.body for row in WebhookPayload.select().where(WebhookPayload.event == "release")
            .order_by(WebhookPayload.id)]


def test_published_updated_deleted_payloads(forge):
    hook = forge.post("/repos/alice/demo/hooks", HOOK)
    assert hook.status_code == 201, hook.text
    assert hook.json["events"] == ["release"]
    draft = forge.release("v1", draft=True, name="One")
    assert release_payloads(forge) == []  # drafts notify nobody
    path = f"/repos/alice/demo/releases/{draft['id']}"
    published = forge.patch(path, {"draft": False}, as_user="wanda").json
    edited = forge.patch(path, {"body": "notes"}).json
    assert forge.delete(path).status_code == 204
    payloads = release_payloads(forge)
    assert [p["action"] for p in payloads] == ["published", "updated", "deleted"]
    assert [sorted(p) for p in payloads] == [["action", "release", "repository", "sender"]] * 3
    assert payloads[0]["release"]["id"] == draft["id"]
    assert payloads[0]["release"]["tag_name"] == "v1" and payloads[0]["release"]["draft"] is False
    assert payloads[0]["sender"]["login"] == "wanda"
    assert payloads[1]["release"]["body"] == "notes"
    assert payloads[2]["release"]["name"] == edited["name"] == published["name"] == "One"
    assert payloads[0]["repository"]["full_name"] == "alice/demo"
    assert payloads[0]["repository"]["release_counter"] == 1


def test_the_plugin_switched_off(build_app):
    import falcon.testing

    from plue_core.testing import basic_auth, make_user

    app = build_app(plugins={"disabled": ["releases"]})
    make_user(app.plue, "alice")
    client = falcon.testing.TestClient(app)
    auth = basic_auth("alice")
    created = client.simulate_post("/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                                   headers=auth)
    assert created.status_code == 201
    assert "releases" not in app.plue.services
    assert client.simulate_get("/api/v1/repos/alice/demo/releases",
                               headers=auth).status_code == 404
    assert client.simulate_post("/api/v1/repos/alice/demo/tags", json={"tag_name": "v1"},
                                headers=auth).status_code == 201
    assert client.simulate_delete("/api/v1/repos/alice/demo/tags/v1",
                                  headers=auth).status_code == 204


def test_releases_work_without_the_webhooks_plugin(build_forge):
    forge = build_forge(plugins={"disabled": ["webhooks"]})
    release = forge.release("v1")
    assert forge.delete(f"/repos/alice/demo/releases/{release['id']}").status_code == 204
    assert [e.action for e in forge.recorder.of("release")] == ["published", "deleted"]
