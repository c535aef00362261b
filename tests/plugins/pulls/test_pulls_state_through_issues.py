"""A pull request is an issue: closing or reopening it through the issue API
(``PATCH /issues/{n}``) follows the pull request's rules and announces it as a pull request
(the issues plugin's ``issue_state_changing`` hook, implemented by pulls)."""

from __future__ import annotations

import pytest

from plue_core.db import connection
from plue_core.errors import PlueError


def merge(forge, number: int):
    response = forge.post(f"/repos/alice/project/pulls/{number}/merge", {"do": "merge"})
    assert response.status_code == 200, response.text


def test_closing_and_reopening_through_the_issue_api_publishes_pull_request_events(forge):
    pull = forge.feature_pull()
    path = f"/repos/alice/project/issues/{pull['number']}"
    closed = forge.patch(path, {"state": "closed"})
    assert closed.status_code == 201 and closed.json["state"] == "closed"
    assert forge.get("/repos/alice/project").json["open_pr_counter"] == 0
    reopened = forge.patch(path, {"state": "open"})
    assert reopened.status_code == 201 and reopened.json["state"] == "open"
    events = forge.recorder.of("pull_request", number=pull["number"])
    assert [(e.action, e.merged, e.sender) for e in events] == [
        ("opened", False, "alice"), ("closed", False, "alice"), ("reopened", False, "alice")]
    # A pull request is never announced as an issue.
    assert not forge.recorder.of("issue_closed") and not forge.recorder.of("issue_reopened")


def test_the_pull_api_and_the_issue_api_publish_each_state_change_once(forge):
    pull = forge.feature_pull()
    forge.patch(f"/repos/alice/project/pulls/{pull['number']}", {"state": "closed"})
    forge.patch(f"/repos/alice/project/issues/{pull['number']}", {"state": "open"})
    forge.patch(f"/repos/alice/project/pulls/{pull['number']}", {"state": "open"})  # no change
    assert [e.action for e in forge.recorder.of("pull_request")] == ["opened", "closed", "reopened"]


def test_a_merge_publishes_one_closed_event_marked_merged(forge):
    pull = forge.feature_pull()
    merge(forge, pull["number"])
    [closed] = forge.recorder.of("pull_request", action="closed")
    assert closed.merged is True and closed.merge_commit_sha


def test_a_merged_pull_request_keeps_its_state_through_the_issue_api_with_412(forge):
    pull = forge.feature_pull()
    merge(forge, pull["number"])
    path = f"/repos/alice/project/issues/{pull['number']}"
    for state in ("open", "closed"):
        refused = forge.patch(path, {"state": state, "title": "renamed"})
        assert refused.status_code == 412, refused.text
        assert refused.json["message"] == ("cannot change state of this pull request, it was "
                                           "already merged")
    after = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert after["state"] == "closed" and after["merged"] is True and after["title"] == pull["title"]
    assert forge.get("/repos/alice/project").json["open_pr_counter"] == 0
    assert [e.action for e in forge.recorder.of("pull_request")] == ["opened", "closed"]


def test_reopening_a_merged_pull_request_through_the_issues_service_is_refused(forge):
    pull = forge.feature_pull()
    merge(forge, pull["number"])
    issues = forge.ctx.services["issues"]
    with connection(forge.ctx.db):
        repository = forge.ctx.services["git_hosting"].find_repository("alice", "project")
        issue = issues.find_issue(repository, pull["number"])
        alice = forge.ctx.services["accounts"].find_user("alice")
        with pytest.raises(PlueError) as refusal:
            issues.set_state(issue, closed=False, doer=alice)
        assert refusal.value.status == 412
        assert issues.find_issue(repository, pull["number"]).is_closed
    assert forge.get("/repos/alice/project").json["open_pr_counter"] == 0


def test_reopening_through_the_issue_api_needs_the_head_branch_and_rolls_back_the_edit(forge):
    pull = forge.feature_pull()
    assert forge.delete("/repos/alice/project/branches/feature").status_code == 204
    path = f"/repos/alice/project/issues/{pull['number']}"
    refused = forge.patch(path, {"state": "open", "title": "renamed"})
    assert refused.status_code == 422 and "no longer exists" in refused.json["message"]
    after = forge.get(path).json
    assert after["state"] == "closed" and after["title"] == pull["title"]
    assert forge.get("/repos/alice/project").json["open_pr_counter"] == 0


def test_reopening_through_the_issue_api_refuses_a_second_open_pull_request_of_the_branches(forge):
    first = forge.feature_pull()
    forge.patch(f"/repos/alice/project/issues/{first['number']}", {"state": "closed"})
    second = forge.open_pull()
    refused = forge.patch(f"/repos/alice/project/issues/{first['number']}", {"state": "open"})
    assert refused.status_code == 409 and "already exists" in refused.json["message"]
    assert forge.get(f"/repos/alice/project/pulls/{first['number']}").json["state"] == "closed"
    assert forge.get(f"/repos/alice/project/pulls/{second['number']}").json["state"] == "open"
