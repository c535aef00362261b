"""The settings pages and issue editing in a real browser (headless Chromium, selenium)
against the real server: a repository's owner changes its description, adds a collaborator
and protects a branch; adds an SSH key to their account; sets an issue's labels with the
form; the front page shows what happened. Each page passes axe-core's WCAG 2 A and AA rules
with no serious or critical violation. Skips, saying why, only when Chromium cannot be
installed (tools/install-browser.sh)."""

from __future__ import annotations

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

from tests.e2e.test_web_browser import Person, browser  # noqa: F401 (the module's fixture)

pytestmark = pytest.mark.e2e
ALICE = ("alice", DEFAULT_PASSWORD)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-settings-browser")
    with fresh_database_url(tmp) as database_url, run_live_server(tmp, database_url) as live:
        for name in ("alice", "oscar"):
            live.plue("admin", "user", "create", "--username", name, "--password",
                      DEFAULT_PASSWORD, "--email", f"{name}@example.org")
        yield live


def api(server, method: str, path: str, **body):
    response = requests.request(method, f"{server.url}/api/v1{path}", auth=ALICE, json=body,
                                timeout=60)
    assert response.status_code < 300, response.text
    return response.json() if response.text else None


def test_an_owner_works_the_settings_and_an_issue_in_the_browser(browser, server):  # noqa: F811
    person = Person(browser, server.url)
    api(server, "POST", "/user/repos", name="demo", auto_init=True, description="Old words")
    bug = api(server, "POST", "/repos/alice/demo/labels", name="bug", color="#ee0701")
    api(server, "POST", "/repos/alice/demo/labels", name="docs", color="#0075ca")
    api(server, "POST", "/repos/alice/demo/issues", title="It breaks", body="Steps inside.")
    problems = []

    person.open("/user/login")
    person.fill({"user_name": "alice", "password": DEFAULT_PASSWORD})
    person.click("button.primary")

    # The repository's description, from the Settings tab.
    person.open("/alice/demo")
    person.click(".tabs a[href='/alice/demo/settings']")
    assert person.path == "/alice/demo/settings"
    person.fill({"description": "A demo of the settings pages"})
    person.click("button.primary")
    assert person.find("p.description").text == "A demo of the settings pages"
    problems += person.accessibility_problems()
    person.screenshot("settings")

    # A collaborator.
    person.click_link("Collaborators")
    person.fill({"collaborator": "oscar"})
    person.click("button.primary")
    assert person.path == "/alice/demo/settings/collaboration"
    assert person.find("td a[href='/oscar']").text == "oscar"
    problems += person.accessibility_problems()
    person.screenshot("collaborators")

    # A protected branch.
    person.click(".settings-nav a[href$='/settings/branches']")
    person.click_link("Add a rule")
    problems += person.accessibility_problems()
    person.fill({"rule_name": "main", "push_whitelist_usernames": "alice",
                 "required_approvals": "1"})
    person.find("[name='enable_push']").click()
    person.find("[name='enable_push_whitelist']").click()
    person.click("button.primary")
    assert person.path == "/alice/demo/settings/branches"
    assert person.find("td.sha").text == "main"
    rule = api(server, "GET", "/repos/alice/demo/branch_protections/main")
    assert rule["push_whitelist_usernames"] == ["alice"] and rule["required_approvals"] == 1
    problems += person.accessibility_problems()
    person.screenshot("branches")

    # An SSH key on the account.
    key = ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    person.open("/user/settings/keys")
    person.fill({"title": "laptop", "content": key})
    person.click("button.primary")
    fingerprint = api(server, "GET", "/user/keys")[0]["fingerprint"]
    assert fingerprint in person.text
    problems += person.accessibility_problems()
    person.screenshot("keys")

    # An issue's labels, set with the form.
    person.open("/alice/demo/issues/1")
    person.find(f"[name='label_{bug['id']}']").click()
    person.click("form[action$='/issues/1/labels'] button")
    assert person.path == "/alice/demo/issues/1"
    assert [label.text for label in person.find_all("article.issue > p:not(.event) span.label")] == ["bug"]
    # ... and the timeline says who added it.
    assert [label.text for label in person.find_all("p.event span.label")] == ["bug"]
    assert [label["name"] for label in api(server, "GET", "/repos/alice/demo/issues/1")["labels"]] \
        == ["bug"]
    problems += person.accessibility_problems()
    person.screenshot("issue-edit")

    # The list, filtered by that label.
    person.open(f"/alice/demo/issues?labels={bug['id']}")
    assert "It breaks" in person.text
    problems += person.accessibility_problems()

    # The front page tells what happened.
    person.open("/")
    assert "opened issue" in person.text and "It breaks" in person.text
    problems += person.accessibility_problems()
    person.screenshot("dashboard")
    assert not problems, "\n".join(problems)
