"""A pull request from a fork, in a real browser (headless Chromium, selenium) against the real
server: bob forks alice's repository and pushes a branch to his fork with git, picks his fork
and branch with the compare page's choosers (no JavaScript needed: GET forms), opens the pull
request, asks carol for a review from the sidebar; carol approves; alice, the repository's
administrator, dismisses the approval with a message. Each page passes axe-core's WCAG A and
AA rules; the screenshots are docs/web.md's (PLUE_WEB_SCREENSHOTS=docs/web refreshes them)."""

from __future__ import annotations

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD
from tests.e2e import test_web_browser as shared
from tests.e2e.test_web_browser import Person, git, push_demo

pytestmark = pytest.mark.e2e
# The main browser test's fixtures: Chromium, and a live server of this module's own.
browser, server = shared.browser, shared.server

PASSWORDS = {"alice": DEFAULT_PASSWORD, "bob": "bob-password-1", "carol": "carol-password-1"}


def _sign_in(person: Person, user: str) -> None:
    person.open("/user/login")
    if person.find_all("form[action='/user/logout'] button"):
        person.click("form[action='/user/logout'] button")
        person.open("/user/login")
    person.fill({"user_name": user, "password": PASSWORDS[user]})
    person.click("button.primary")
    assert person.find(".me").text == user


def _choose(person: Person, fields: dict[str, str]) -> None:
    """Pick values in the compare page's choosers and send its form."""
    from selenium.webdriver.support.ui import Select
    for name, value in fields.items():
        Select(person.find(f".compare-picker select[name='{name}']")).select_by_value(value)
    person.click(".compare-picker button[type='submit']")


def test_a_pull_request_from_a_fork_is_reviewed_and_the_review_dismissed(browser, server,
                                                                         tmp_path):
    api = f"{server.url}/api/v1"
    alice = ("alice", DEFAULT_PASSWORD)
    created = requests.post(f"{api}/user/repos", auth=alice, timeout=60,
                            json={"name": "demo", "description": "Pull requests from forks"})
    assert created.status_code == 201, created.text
    for user in ("bob", "carol"):
        server.plue("admin", "user", "create", "--username", user, "--password", PASSWORDS[user],
                    "--email", f"{user}@example.org")
    assert requests.put(f"{api}/repos/alice/demo/collaborators/carol", auth=alice, timeout=60,
                        json={"permission": "write"}).status_code == 204
    work = push_demo(server, tmp_path)

    # bob forks alice/demo and pushes a branch to his fork.
    forked = requests.post(f"{api}/repos/alice/demo/forks", auth=("bob", PASSWORDS["bob"]),
                           json={}, timeout=60)
    assert forked.status_code == 202, forked.text
    fork_url = server.url.replace("http://", f"http://bob:{PASSWORDS['bob']}@") + "/bob/demo.git"
    (work / "CONTRIBUTING.md").write_text("# Contributing\n\nFork, branch, and open a pull request.\n")
    git(work, ["remote", "add", "fork", fork_url], ["checkout", "-q", "-b", "contributing"],
        ["add", "CONTRIBUTING.md"], ["commit", "-q", "-m", "Say how to contribute"],
        ["push", "-q", "fork", "contributing"])

    person = Person(browser, server.url)
    problems: list[str] = []

    # bob: the compare page's choosers, his fork first, then its branch.
    _sign_in(person, "bob")
    person.open("/alice/demo/compare")
    assert person.path == "/alice/demo/compare/main...main"
    _choose(person, {"head_repo": "bob/demo"})
    assert person.path == "/alice/demo/compare/main...bob/demo:main"
    _choose(person, {"head": "contributing"})
    assert person.path == "/alice/demo/compare/main...bob/demo:contributing"
    assert "1 commit" in person.text and "Say how to contribute" in person.text
    problems += person.accessibility_problems()
    person.screenshot("compare-fork")
    person.fill({"title": "Say how to contribute"})
    person.click("#new-pull button.primary")
    assert person.path == "/alice/demo/pulls/1"
    assert "Wants to merge bob/demo:contributing into main" in person.text

    # bob asks carol for a review from the sidebar.
    from selenium.webdriver.support.ui import Select
    Select(person.find("#request-reviewer")).select_by_value("carol")
    person.click(".review-requests form:last-of-type button[type='submit']")
    assert "carol asked to review" in person.find(".review-requests").text
    problems += person.accessibility_problems()

    # carol approves; her request is answered.
    _sign_in(person, "carol")
    person.open("/alice/demo/pulls/1/files")
    assert "CONTRIBUTING.md" in person.text
    person.fill({"content": "Clear enough."})
    person.find("input[name='type'][value='approve']").click()
    person.click(".review-form button.primary")
    assert "approved these changes" in person.text
    assert "No review requested." in person.find(".review-requests").text

    # alice, the administrator, dismisses the approval, saying why.
    _sign_in(person, "alice")
    person.open("/alice/demo/pulls/1")
    problems += person.accessibility_problems()
    person.fill({"message": "Please wait for the second maintainer."})
    person.click(".dismiss-review button[type='submit']")
    assert person.find(".review .badge").text == "dismissed"
    assert person.find(".dismiss-message").text == "Please wait for the second maintainer."
    problems += person.accessibility_problems()
    person.screenshot("pull-fork-dismissed")

    pull = requests.get(f"{api}/repos/alice/demo/pulls/1", auth=alice, timeout=60).json()
    assert pull["head"]["repo"]["full_name"] == "bob/demo" and pull["head"]["ref"] == "contributing"
    reviews = requests.get(f"{api}/repos/alice/demo/pulls/1/reviews", auth=alice,
                           timeout=60).json()
    assert [(review["user"]["login"], review["state"], review["dismissed"])
            for review in reviews] == [("carol", "APPROVED", True)]
    assert not problems, "\n".join(problems)
