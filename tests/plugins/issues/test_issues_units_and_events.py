"""Repositories with issues switched off, and the events the tracker publishes inside the
transaction of their cause."""

from __future__ import annotations

from plue_core.db import connection


def make_pull(tracker, repo: str = "alice/tracker", title: str = "a pull") -> int:
    """A pull request's issue row, made the way the pulls plugin makes it."""
    ctx = tracker.ctx
    owner, name = repo.split("/")
    with connection(ctx.db):
        repository = ctx.services["git_hosting"].find_repository(owner, name)
        alice = ctx.services["accounts"].find_user("alice")
        return ctx.services["issues"].create_issue(repository, alice, title=title, is_pull=True).number


def test_without_issues_plain_issues_are_404_but_pull_requests_still_answer(tracker):
    tracker.issue(title="plain")
    pull = make_pull(tracker)
    assert tracker.patch("/repos/alice/tracker", {"has_issues": False}).status_code == 200
    base = "/repos/alice/tracker"
    assert [i["title"] for i in tracker.get(f"{base}/issues").json] == ["a pull"]
    assert tracker.get(f"{base}/issues", params={"type": "issues"}).status_code == 404
    assert tracker.get(f"{base}/issues/1").status_code == 404
    assert tracker.post(f"{base}/issues", {"title": "new"}).status_code == 404
    assert tracker.post(f"{base}/issues/1/comments", {"body": "x"}).status_code == 404
    assert tracker.get(f"{base}/issues/{pull}").json["pull_request"] is not None
    comment = tracker.post(f"{base}/issues/{pull}/comments", {"body": "on the pull"})
    assert comment.status_code == 201
    assert comment.json["pull_request_url"].endswith(f"/alice/tracker/pulls/{pull}")
    assert comment.json["issue_url"] == ""
    assert [c["body"] for c in tracker.get(f"{base}/issues/comments").json] == ["on the pull"]
    assert tracker.get(f"{base}/labels").status_code == 200


def test_without_issues_and_pulls_the_tracker_is_404(tracker):
    tracker.label()
    assert tracker.patch("/repos/alice/tracker", {"has_issues": False,
                                                  "has_pull_requests": False}).status_code == 200
    for path in ("/issues", "/labels", "/milestones", "/issues/comments"):
        assert tracker.get(f"/repos/alice/tracker{path}").status_code == 404, path


def test_pull_requests_share_the_number_sequence_and_their_own_counter(tracker):
    assert tracker.issue()["number"] == 1
    assert make_pull(tracker) == 2
    assert tracker.issue()["number"] == 3
    repository = tracker.get("/repos/alice/tracker").json
    assert repository["open_issues_count"] == 2 and repository["open_pr_counter"] == 1
    assert tracker.patch("/repos/alice/tracker/issues/2", {"state": "closed"}).status_code == 201
    assert tracker.get("/repos/alice/tracker").json["open_pr_counter"] == 0
    assert tracker.open_issues_count() == 2


# --- events ------------------------------------------------------------------------------------


def test_opening_closing_and_reopening_publish_events(tracker):
    tracker.issue("alice/vault", title="Leak")
    tracker.patch("/repos/alice/vault/issues/1", {"state": "closed"}, as_user="wanda")
    tracker.patch("/repos/alice/vault/issues/1", {"state": "open"})
    opened, = tracker.recorder.of("issue_opened")
    assert (opened.owner, opened.repository, opened.number, opened.title) == ("alice", "vault", 1, "Leak")
    assert opened.poster == "alice" and opened.private is True
    closed, = tracker.recorder.of("issue_closed")
    assert closed.doer == "wanda" and closed.issue_id == opened.issue_id
    reopened, = tracker.recorder.of("issue_reopened")
    assert reopened.doer == "alice"


def test_comments_publish_created_edited_and_deleted(tracker):
    tracker.issue()
    comment = tracker.comment(1, "hello", as_user="oscar")
    path = f"/repos/alice/tracker/issues/comments/{comment['id']}"
    tracker.patch(path, {"body": "hello again"}, as_user="oscar")
    tracker.delete(path, as_user="wanda")
    events = tracker.recorder.of("issue_comment")
    assert [(e.action, e.commenter, e.body) for e in events] == [
        ("created", "oscar", "hello"), ("edited", "oscar", "hello again"),
        ("deleted", "wanda", "hello again")]
    assert all(e.number == 1 and e.is_pull is False and e.comment_id == comment["id"] for e in events)


def test_pull_requests_do_not_announce_themselves_as_issues(tracker):
    make_pull(tracker)
    assert tracker.recorder.of("issue_opened") == []


def test_a_failing_listener_rolls_the_new_issue_back_with_its_number(tracker):
    tracker.recorder.fail_on = "issue_opened"
    response = tracker.post("/repos/alice/tracker/issues", {"title": "doomed"})
    assert response.status_code == 500
    tracker.recorder.fail_on = None
    assert tracker.get("/repos/alice/tracker/issues", params={"state": "all"}).json == []
    assert tracker.open_issues_count() == 0
    assert tracker.issue()["number"] == 1


def test_a_failing_listener_rolls_the_comment_and_the_close_back(tracker):
    tracker.issue()
    tracker.recorder.fail_on = "issue_comment"
    assert tracker.post("/repos/alice/tracker/issues/1/comments", {"body": "x"}).status_code == 500
    tracker.recorder.fail_on = "issue_closed"
    assert tracker.patch("/repos/alice/tracker/issues/1",
                         {"state": "closed", "title": "renamed"}).status_code == 500
    tracker.recorder.fail_on = None
    issue = tracker.get("/repos/alice/tracker/issues/1").json
    assert issue["comments"] == 0 and issue["state"] == "open"
    assert issue["title"] == "Something is broken"
    assert tracker.get("/repos/alice/tracker/issues/1/comments").json == []
    assert tracker.open_issues_count() == 1
