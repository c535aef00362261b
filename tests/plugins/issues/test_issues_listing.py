"""``GET /repos/{owner}/{repo}/issues``: Gitea's filters, order and pagination headers."""

from __future__ import annotations

import datetime
import time


def titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [issue["title"] for issue in response.json]


def test_lists_open_issues_newest_first_by_default(tracker):
    for title in ("one", "two", "three"):
        tracker.issue(title=title)
    tracker.patch("/repos/alice/tracker/issues/2", {"state": "closed"})
    assert titles(tracker.get("/repos/alice/tracker/issues")) == ["three", "one"]
    assert titles(tracker.get("/repos/alice/tracker/issues", params={"state": "closed"})) == ["two"]
    assert titles(tracker.get("/repos/alice/tracker/issues", params={"state": "all"})) == [
        "three", "two", "one"]


def test_pages_carry_link_and_total_count_headers(tracker):
    for n in range(5):
        tracker.issue(title=f"issue {n}")
    first = tracker.get("/repos/alice/tracker/issues", params={"limit": 2})
    assert titles(first) == ["issue 4", "issue 3"]
    assert first.headers["X-Total-Count"] == "5"
    assert 'rel="next"' in first.headers["Link"] and 'rel="last"' in first.headers["Link"]
    last = tracker.get("/repos/alice/tracker/issues", params={"limit": 2, "page": 3})
    assert titles(last) == ["issue 0"]
    assert 'rel="next"' not in last.headers["Link"] and 'rel="prev"' in last.headers["Link"]
    # Gitea's FormInt reads a page that is no integer as 0: the first page.
    unparsable = tracker.get("/repos/alice/tracker/issues", params={"page": "x", "limit": 2})
    assert unparsable.status_code == 200 and titles(unparsable) == ["issue 4", "issue 3"]


def test_labels_filter_needs_every_named_label_and_discards_unknown_names(tracker):
    bug, ui = tracker.label(name="bug"), tracker.label(name="ui", color="00ff00")
    tracker.issue(title="both", labels=[bug["id"], ui["id"]])
    tracker.issue(title="bug only", labels=[bug["id"]])
    tracker.issue(title="none")
    issues = "/repos/alice/tracker/issues"
    assert titles(tracker.get(issues, params={"labels": "bug"})) == ["bug only", "both"]
    assert titles(tracker.get(issues, params={"labels": "bug,ui"})) == ["both"]
    assert titles(tracker.get(issues, params={"labels": "bug,nonexistent"})) == ["bug only", "both"]


def test_milestones_filter_takes_names_or_ids(tracker):
    first, second = tracker.milestone(title="v1"), tracker.milestone(title="v2")
    tracker.issue(title="in v1", milestone=first["id"])
    tracker.issue(title="in v2", milestone=second["id"])
    tracker.issue(title="unplanned")
    issues = "/repos/alice/tracker/issues"
    assert titles(tracker.get(issues, params={"milestones": "v1"})) == ["in v1"]
    assert titles(tracker.get(issues, params={"milestones": f"{second['id']},v1"})) == ["in v2", "in v1"]
    # Unknown titles and ids (no milestone of this repository) are discarded, as Gitea's
    # ListIssues discards them: with none known there is no milestone filter.
    assert titles(tracker.get(issues, params={"milestones": "nope,v1"})) == ["in v1"]
    everything = ["unplanned", "in v2", "in v1"]
    assert titles(tracker.get(issues, params={"milestones": "nope"})) == everything
    assert titles(tracker.get(issues, params={"milestones": "99999"})) == everything


def test_q_searches_titles_bodies_and_comments(tracker):
    tracker.issue(title="Login fails")
    tracker.issue(title="Other", body="the LOGIN page is slow")
    tracker.issue(title="Third")
    tracker.comment(3, "maybe login related?")
    tracker.issue(title="Unrelated")
    assert titles(tracker.get("/repos/alice/tracker/issues", params={"q": "login"})) == [
        "Third", "Other", "Login fails"]


def test_created_by_assigned_by_and_mentioned_by_filter_by_user(tracker):
    tracker.issue(title="by rita", as_user="rita")
    tracker.issue(title="for wanda", assignees=["wanda"])
    tracker.issue(title="mentions oscar", body="cc @oscar, not mail@oscar.org")
    tracker.issue(title="mentions in a comment")
    tracker.comment(4, "@rita please look")
    issues = "/repos/alice/tracker/issues"
    assert titles(tracker.get(issues, params={"created_by": "rita"})) == ["by rita"]
    assert titles(tracker.get(issues, params={"assigned_by": "wanda"})) == ["for wanda"]
    assert titles(tracker.get(issues, params={"mentioned_by": "oscar"})) == ["mentions oscar"]
    assert titles(tracker.get(issues, params={"mentioned_by": "rita"})) == ["mentions in a comment"]
    missing = tracker.get(issues, params={"created_by": "ghostly"})
    assert missing.status_code == 404 and "ghostly" in missing.json["message"]


def test_since_and_before_filter_on_the_last_update(tracker):
    tracker.issue(title="old")
    time.sleep(1.1)
    middle = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    time.sleep(1.1)
    tracker.issue(title="new")
    issues = "/repos/alice/tracker/issues"
    assert titles(tracker.get(issues, params={"since": middle})) == ["new"]
    assert titles(tracker.get(issues, params={"before": middle})) == ["old"]
    bad = tracker.get(issues, params={"since": "yesterday"})
    assert bad.status_code == 422 and "since" in bad.json["message"]


def test_type_selects_issues_or_pulls(tracker):
    tracker.issue(title="plain")
    ctx = tracker.ctx
    from plue_core.db import connection
    with connection(ctx.db):
        service = ctx.services["issues"]
        repository = ctx.services["git_hosting"].find_repository("alice", "tracker")
        alice = ctx.services["accounts"].find_user("alice")
        service.create_issue(repository, alice, title="a pull", is_pull=True)
    issues = "/repos/alice/tracker/issues"
    assert titles(tracker.get(issues)) == ["a pull", "plain"]
    assert titles(tracker.get(issues, params={"type": "issues"})) == ["plain"]
    pulls = tracker.get(issues, params={"type": "pulls"})
    assert titles(pulls) == ["a pull"]
    assert pulls.json[0]["pull_request"] == {
        "merged": False, "merged_at": None, "draft": False,
        "html_url": pulls.json[0]["html_url"]}
    assert pulls.json[0]["html_url"].endswith("/alice/tracker/pulls/2")
