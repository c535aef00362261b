"""A reference in a real browser (headless Chromium, selenium) against the real server: a
commit pushed with git whose message says "Fixes #1" shows on issue 1's page as a reference
linking to the commit and closes it; following the link opens that commit. The issue page
passes axe-core's WCAG A and AA rules."""

from __future__ import annotations

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD
from tests.e2e import test_web_browser as shared
from tests.e2e.test_web_browser import Person, git, push_demo

pytestmark = pytest.mark.e2e
browser, server = shared.browser, shared.server


def test_a_pushed_commit_references_and_closes_an_issue(browser, server, tmp_path):
    api = f"{server.url}/api/v1"
    alice = ("alice", DEFAULT_PASSWORD)
    created = requests.post(f"{api}/user/repos", auth=alice, timeout=60,
                            json={"name": "demo", "description": "References in a browser"})
    assert created.status_code == 201, created.text
    work = push_demo(server, tmp_path)
    issue = requests.post(f"{api}/repos/alice/demo/issues", auth=alice, timeout=60,
                          json={"title": "It crashes"})
    assert issue.status_code == 201, issue.text
    (work / "FIX.md").write_text("fixed\n")
    git(work, ["add", "FIX.md"], ["commit", "-q", "-m", "Stop the crash", "-m", "Fixes #1"],
        ["push", "-q", "origin", "main"])

    person = Person(browser, server.url)
    person.open("/alice/demo/issues/1")
    assert "Closed" in person.find(".state").text
    events = [element.text for element in person.find_all(".event")]
    assert any("referenced this issue from a commit" in text and "Stop the crash" in text
               for text in events), events
    assert any(text.startswith("alice closed this in commit") for text in events), events
    assert person.accessibility_problems() == []
    person.click("a.ref")
    assert person.path.startswith("/alice/demo/commit/")
    assert "Stop the crash" in person.text
