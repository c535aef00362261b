"""The pull-request review pages in a real browser (headless Chromium, selenium) against the
real server: a branch pushed with git is offered on the branches page, compared and opened as
a pull request with the compare page's form; a second person comments on a line, switches to
the split view, approves and merges with the merge box; the branch's change is then on main.
Each new page passes axe-core's WCAG A and AA rules. Screenshots go where the main browser
test puts its own (PLUE_WEB_SCREENSHOTS=docs/web refreshes docs/web.md's pictures)."""

from __future__ import annotations

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD
from tests.e2e import test_web_browser as shared
from tests.e2e.test_web_browser import Person, push_demo, push_french_branch

pytestmark = pytest.mark.e2e
# The main browser test's fixtures: Chromium, and a live server of this module's own.
browser, server = shared.browser, shared.server

BOB_PASSWORD = "bob-password-1"


def _sign_in(person: Person, user: str, password: str) -> None:
    person.open("/user/login")
    if person.find_all("form[action='/user/logout'] button"):
        person.click("form[action='/user/logout'] button")
        person.open("/user/login")
    person.fill({"user_name": user, "password": password})
    person.click("button.primary")
    assert person.find(".me").text == user


def test_a_pull_request_is_opened_from_the_compare_page_reviewed_and_merged(browser, server,
                                                                           tmp_path):
    from selenium.webdriver.support.ui import Select

    api = f"{server.url}/api/v1"
    alice = ("alice", DEFAULT_PASSWORD)
    created = requests.post(f"{api}/user/repos", auth=alice, timeout=60,
                            json={"name": "demo", "description": "Reviews in a browser"})
    assert created.status_code == 201, created.text
    server.plue("admin", "user", "create", "--username", "bob", "--password", BOB_PASSWORD,
                "--email", "bob@example.org")
    assert requests.put(f"{api}/repos/alice/demo/collaborators/bob", auth=alice, timeout=60,
                        json={"permission": "write"}).status_code == 204
    push_french_branch(push_demo(server, tmp_path))

    person = Person(browser, server.url)
    problems: list[str] = []

    # alice: the branch ahead of main is offered; the compare page opens the pull request.
    _sign_in(person, "alice", DEFAULT_PASSWORD)
    person.open("/alice/demo/branches")
    person.click_link("New pull request")
    assert person.path == "/alice/demo/compare/main...french"
    assert "1 commit" in person.text and "Greet in French" in person.text
    problems += person.accessibility_problems()
    person.screenshot("compare")
    person.fill({"title": "Greet in French", "body": "So that **Bonjour** works."})
    person.click("#new-pull button.primary")
    assert person.path == "/alice/demo/pulls/1"
    assert "Wants to merge french into main" in person.text

    # bob: a comment on a changed line, the split view, an approval.
    _sign_in(person, "bob", BOB_PASSWORD)
    person.open("/alice/demo/pulls/1/files")
    person.click("a[aria-label^='Comment on line 4 of the new']")
    person.fill({"content": "Is `french` the right name?"})
    problems += person.accessibility_problems()
    person.click("#comment-form button.primary")
    assert person.path == "/alice/demo/pulls/1/files?style=unified"
    assert "Is french the right name?" in person.find(".line-comments").text
    person.click_link("Split")
    assert person.find_all(".diff-table.split") and person.find_all(".line-comments")
    problems += person.accessibility_problems()
    person.screenshot("pull-files-split")
    person.fill({"content": "Looks right to me."})
    person.find("input[name='type'][value='approve']").click()
    person.click(".review-form button.primary")
    assert person.path.startswith("/alice/demo/pulls/1")
    assert "approved these changes" in person.text
    person.click_link("Commits")
    assert "Greet in French" in person.text
    problems += person.accessibility_problems()

    # The merge box: the repository's styles, squash chosen; the change reaches main.
    person.open("/alice/demo/pulls/1")
    assert "no conflicts" in person.text
    problems += person.accessibility_problems()
    person.screenshot("pull-review")
    Select(person.find("#merge-style")).select_by_value("squash")
    person.click(".merge-form button.primary")
    assert person.find(".state.merged").text == "Merged"
    pull = requests.get(f"{api}/repos/alice/demo/pulls/1", auth=alice, timeout=60).json()
    assert pull["merged"] is True and pull["merged_by"]["login"] == "bob"
    app = requests.get(f"{server.url}/alice/demo/raw/branch/main/src/app.py", timeout=60)
    assert "Bonjour" in app.text
    assert not problems, "\n".join(problems)
