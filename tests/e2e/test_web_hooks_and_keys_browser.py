"""A person creates a repository and wires it to the outside world in a real browser (headless
Chromium, selenium) against the real server: creates it from the dashboard's **New
repository**, adds a webhook pointing at a local receiver, opens it,
sends Gitea's **Test delivery** and sees the receiver's answer among the recent deliveries
(the receiver checks the signature and Gitea's headers); adds a deploy key. Each page passes
axe-core's WCAG 2 A and AA rules with no serious or critical violation."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

from tests.e2e.test_web_browser import Person, browser  # noqa: F401 (the module's fixture)
from tests.e2e.test_web_settings_browser import api
from tests.plugins.webhooks.receiver import WebhookReceiver

pytestmark = pytest.mark.e2e
SECRET = "browser-hook-secret"


@pytest.fixture(scope="module")
def receiver():
    server = WebhookReceiver()
    yield server
    server.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-hooks-browser")
    with fresh_database_url(tmp) as database_url, run_live_server(
            tmp, database_url,
            webhooks={"allowed_host_list": "loopback", "send_in_process": True}) as live:
        live.plue("admin", "user", "create", "--username", "alice", "--password",
                  DEFAULT_PASSWORD, "--email", "alice@example.org")
        yield live


def test_a_person_creates_a_repository_adds_and_tests_a_webhook_and_a_deploy_key(
        browser, server, receiver):  # noqa: F811
    person = Person(browser, server.url)
    problems = []
    person.open("/user/login")
    person.fill({"user_name": "alice", "password": DEFAULT_PASSWORD})
    person.click("button.primary")

    person.click_link("New repository")
    problems += person.accessibility_problems()
    person.fill({"repo_name": "wired", "description": "Wired to the world"})
    person.click("button.primary")
    assert person.path == "/alice/wired"
    assert "README.md" in person.text
    assert api(server, "GET", "/repos/alice/wired")["description"] == "Wired to the world"

    person.open("/alice/wired/settings")
    person.click(".settings-nav a[href='/alice/wired/settings/hooks']")
    person.fill({"url": receiver.url, "secret": SECRET})
    person.click("button.primary")
    assert person.path == "/alice/wired/settings/hooks"
    [hook] = api(server, "GET", "/repos/alice/wired/hooks")
    person.click(f"a[href='/alice/wired/settings/hooks/{hook['id']}']")
    assert "No deliveries yet." in person.text
    problems += person.accessibility_problems()
    person.click("button[aria-label^='Send a test push delivery']")
    deadline = time.monotonic() + 60
    while not receiver.deliveries and time.monotonic() < deadline:
        time.sleep(0.1)
    [delivery] = receiver.deliveries
    assert receiver.check(delivery, SECRET)["repository"]["full_name"] == "alice/wired"
    while "delivered" not in person.text and time.monotonic() < deadline:
        time.sleep(0.2)
        person.open(f"/alice/wired/settings/hooks/{hook['id']}")
    assert delivery.uuid in person.text and "200" in person.text
    problems += person.accessibility_problems()

    key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    person.click(".settings-nav a[href='/alice/wired/settings/keys']")
    person.fill({"title": "deployer", "content": key})
    person.find("[name='is_writable']").click()
    person.click("button.primary")
    assert person.path == "/alice/wired/settings/keys"
    [deploy_key] = api(server, "GET", "/repos/alice/wired/keys")
    assert (deploy_key["title"], deploy_key["read_only"]) == ("deployer", False)
    assert deploy_key["fingerprint"] in person.text
    problems += person.accessibility_problems()
    assert not problems, "\n".join(problems)
