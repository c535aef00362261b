"""A pull request that says "Fixes #N" (or "Reopens #N") closes (reopens) issue N when it is
merged, as Gitea's ``ResolveCrossReferences`` does at a merge: the latest live reference
from the pull request (its text or its comments) to each issue decides; a reference edited
away (neutered) does nothing."""

from __future__ import annotations

import base64


def open_pull(tracker, body: str, branch: str = "fix") -> int:
    response = tracker.post("/repos/alice/tracker/contents/" + branch + ".txt",
                            {"content": base64.b64encode(b"x\n").decode(), "message": "Work",
                             "new_branch": branch})
    assert response.status_code == 201, response.text
    response = tracker.post("/repos/alice/tracker/pulls",
                            {"title": "The fix", "body": body, "head": branch, "base": "main"})
    assert response.status_code == 201, response.text
    return response.json["number"]


def merge(tracker, number: int, as_user: str = "alice") -> None:
    response = tracker.post(f"/repos/alice/tracker/pulls/{number}/merge", {"Do": "squash"},
                            as_user=as_user)
    assert response.status_code == 200, response.text


def state(tracker, number: int) -> str:
    return tracker.get(f"/repos/alice/tracker/issues/{number}").json["state"]


def test_merging_a_pull_request_closes_the_issues_it_fixes_and_reopens_what_it_reopens(tracker):
    tracker.issue(title="Crash")
    tracker.issue(title="Regression")
    tracker.issue(title="Only mentioned")
    assert tracker.patch("/repos/alice/tracker/issues/2", {"state": "closed"}).status_code == 201
    pull = open_pull(tracker, "Fixes #1, reopens #2, see #3")
    assert [state(tracker, n) for n in (1, 2, 3)] == ["open", "closed", "open"]
    merge(tracker, pull)
    assert [state(tracker, n) for n in (1, 2, 3)] == ["closed", "open", "open"]
    last = tracker.get("/repos/alice/tracker/issues/1/timeline").json[-1]
    assert last["type"] == "close" and last["user"]["login"] == "alice"


def test_a_reference_edited_away_before_the_merge_closes_nothing(tracker):
    tracker.issue(title="Crash")
    pull = open_pull(tracker, "Fixes #1")
    assert tracker.patch(f"/repos/alice/tracker/pulls/{pull}", {"body": "No longer"}).status_code == 201
    merge(tracker, pull)
    assert state(tracker, 1) == "open"


def test_a_comment_of_the_pull_request_that_says_fixes_closes_at_the_merge(tracker):
    tracker.issue(title="Crash")
    pull = open_pull(tracker, "A change")
    tracker.comment(pull, "This also fixes #1")
    assert state(tracker, 1) == "open"
    merge(tracker, pull)
    assert state(tracker, 1) == "closed"
