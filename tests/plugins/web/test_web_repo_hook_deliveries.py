"""A webhook's own settings page, at Gitea's ``/settings/hooks/{id}``: its settings, its recent
deliveries with their answers, Gitea's **Test delivery** and a delivery's **Redeliver** -- the
records and sends of the API (``.../hooks/{id}/tests``, ``.../deliveries/{id}/redeliver``),
for the repository's administrators only; a secret never shows."""

from __future__ import annotations

import pytest

from plue_webhooks import sender

from tests.plugins.web.conftest import build_site
from tests.plugins.web.test_web_settings_forms import (
    test_a_settings_page_follows_the_shared_form_layout as follows_the_shared_layout)
from tests.plugins.webhooks.receiver import WebhookReceiver

SECRET = "shh-signing-secret"


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    yield server
    server.close()


@pytest.fixture
def hooked(build_app, receiver):
    site = build_site(build_app(webhooks={"allowed_host_list": "loopback",
                                          "send_in_process": False, "retry_backoff": 0.0}))
    hook = site.post("/repos/alice/code/hooks", {
        "type": "gitea", "active": True, "events": ["issues"],
        "config": {"url": receiver.url, "content_type": "json", "secret": SECRET}})
    assert hook.status_code == 201, hook.text
    site.hook_id = hook.json["id"]
    return site


def _send(site) -> None:
    sender.send_due(site.ctx.services["webhooks"])


def test_test_delivery_sends_a_push_and_the_page_shows_its_answer(hooked, receiver):
    page_path = f"/alice/code/settings/hooks/{hooked.hook_id}"
    browser = hooked.browser("alice")
    page = browser.get(page_path)
    assert page.status_code == 200 and "No deliveries yet." in page.text
    assert f'href="{page_path}"' in browser.get("/alice/code/settings/hooks").text
    result = browser.post(page_path, {"action": "test"})
    assert result.status_code == 303 and result.headers["location"].endswith(page_path)
    _send(hooked)
    [delivery] = receiver.deliveries
    main = hooked.get("/repos/alice/code/branches/main").json["commit"]["id"]
    assert delivery.event_type == "push" and receiver.check(delivery, SECRET)["after"] == main
    page = browser.get(page_path).text
    assert delivery.uuid in page and "delivered" in page and ">push<" in page
    assert SECRET not in page


def test_redeliver_sends_the_payload_again_as_a_new_delivery(hooked, receiver):
    receiver.answers = [500, 500, 500, 500, 500]
    assert hooked.post("/repos/alice/code/issues", {"title": "Crash"}).status_code == 201
    for _ in range(5):
        _send(hooked)
    [failed] = hooked.get(f"/repos/alice/code/hooks/{hooked.hook_id}/deliveries").json
    assert failed["state"] == "failed"
    page_path = f"/alice/code/settings/hooks/{hooked.hook_id}"
    browser = hooked.browser("alice")
    assert "failed" in browser.get(page_path).text and "500" in browser.get(page_path).text
    result = browser.post(page_path, {"action": "redeliver", "id": str(failed["id"])})
    assert result.status_code == 303
    _send(hooked)
    records = hooked.get(f"/repos/alice/code/hooks/{hooked.hook_id}/deliveries").json
    assert [(record["state"], record["payload"] == failed["payload"]) for record in records] \
        == [("delivered", True), ("failed", True)]
    assert receiver.deliveries[-1].uuid == records[0]["uuid"] != failed["uuid"]


def test_another_hooks_delivery_an_unknown_hook_or_action_are_refused(hooked):
    browser = hooked.browser("alice")
    page_path = f"/alice/code/settings/hooks/{hooked.hook_id}"
    browser.get(page_path)
    assert browser.post(page_path, {"action": "redeliver", "id": "999"}).status_code == 404
    assert browser.post(page_path, {"action": "nope"}).status_code == 400
    assert browser.get("/alice/code/settings/hooks/999").status_code == 404
    assert browser.get("/alice/code/settings/hooks/x").status_code == 404


def test_the_hook_page_is_for_administrators_only(hooked):
    hooked.put("/repos/alice/code/collaborators/oscar", {"permission": "write"})
    oscar = hooked.browser("oscar")
    page_path = f"/alice/code/settings/hooks/{hooked.hook_id}"
    assert oscar.get(page_path).status_code == 404
    oscar.get("/alice/code")
    assert oscar.post(page_path, {"action": "test"}).status_code == 404
    assert hooked.get(f"/repos/alice/code/hooks/{hooked.hook_id}/deliveries").json == []


def test_the_page_follows_the_settings_pages_shared_form_layout(hooked):
    follows_the_shared_layout(hooked, "alice", f"/alice/code/settings/hooks/{hooked.hook_id}",
                              "Webhooks")
