"""Comments: per issue, repository-wide, and by id; who may edit and delete them."""

from __future__ import annotations

import time

COMMENT_FIELDS = {"id", "html_url", "pull_request_url", "issue_url", "user", "original_author",
                  "original_author_id", "body", "assets", "created_at", "updated_at"}


def test_commenting_answers_201_with_giteas_comment_shape_and_counts_it(tracker):
    tracker.issue()
    response = tracker.post("/repos/alice/tracker/issues/1/comments", {"body": "Same here"},
                            as_user="oscar")
    assert response.status_code == 201
    comment = response.json
    assert set(comment) == COMMENT_FIELDS
    assert comment["body"] == "Same here" and comment["user"]["login"] == "oscar"
    assert comment["issue_url"].endswith("/alice/tracker/issues/1")
    assert comment["pull_request_url"] == ""
    assert comment["html_url"].endswith(f"/alice/tracker/issues/1#issuecomment-{comment['id']}")
    assert tracker.get("/repos/alice/tracker/issues/1").json["comments"] == 1
    assert tracker.get(f"/repos/alice/tracker/issues/comments/{comment['id']}",
                       as_user="oscar").json == comment


def test_an_empty_comment_is_422_and_a_missing_issue_404(tracker):
    tracker.issue()
    for body in ({}, {"body": ""}, {"body": "   "}):
        response = tracker.post("/repos/alice/tracker/issues/1/comments", body)
        assert response.status_code == 422 and "body" in response.json["message"]
    assert tracker.post("/repos/alice/tracker/issues/9/comments", {"body": "x"}).status_code == 404


def test_the_comments_of_an_issue_come_oldest_first_with_a_total(tracker):
    tracker.issue()
    tracker.issue(title="other")
    for text in ("first", "second", "third"):
        tracker.comment(1, text)
    tracker.comment(2, "elsewhere")
    response = tracker.get("/repos/alice/tracker/issues/1/comments", as_user=None)
    assert [c["body"] for c in response.json] == ["first", "second", "third"]
    assert response.headers["X-Total-Count"] == "3"


def test_comment_lists_filter_by_since_and_before(tracker):
    tracker.issue()
    old = tracker.comment(1, "old")
    time.sleep(1.1)
    new = tracker.comment(1, "new")
    per_issue = tracker.get("/repos/alice/tracker/issues/1/comments",
                            params={"since": new["created_at"]})
    assert [c["body"] for c in per_issue.json] == ["new"]
    repo_wide = tracker.get("/repos/alice/tracker/issues/comments",
                            params={"before": old["created_at"]})
    assert [c["body"] for c in repo_wide.json] == ["old"]
    bad = tracker.get("/repos/alice/tracker/issues/comments", params={"before": "soon"})
    assert bad.status_code == 422 and "before" in bad.json["message"]


def test_repository_wide_comments_are_paginated_and_name_their_issue(tracker):
    tracker.issue(title="a")
    tracker.issue(title="b")
    tracker.comment(1, "on a")
    tracker.comment(2, "on b")
    tracker.comment(1, "again on a")
    page = tracker.get("/repos/alice/tracker/issues/comments", params={"limit": 2})
    assert [c["body"] for c in page.json] == ["on a", "on b"]
    assert page.headers["X-Total-Count"] == "3" and 'rel="next"' in page.headers["Link"]
    assert page.json[1]["issue_url"].endswith("/alice/tracker/issues/2")


def test_the_author_and_writers_edit_comments_and_others_get_403(tracker):
    tracker.issue()
    comment = tracker.comment(1, "typo", as_user="oscar")
    path = f"/repos/alice/tracker/issues/comments/{comment['id']}"
    assert tracker.patch(path, {"body": "by rita"}, as_user="rita").status_code == 403
    edited = tracker.patch(path, {"body": "fixed"}, as_user="oscar")
    assert edited.status_code == 200 and edited.json["body"] == "fixed"
    assert tracker.patch(path, {"body": "moderated"}, as_user="wanda").json["body"] == "moderated"
    assert tracker.patch(path, {"body": ""}, as_user="wanda").status_code == 422
    assert tracker.get(path).json["body"] == "moderated"


def test_the_author_and_writers_delete_comments_and_the_count_follows(tracker):
    tracker.issue()
    first = tracker.comment(1, "one", as_user="oscar")
    second = tracker.comment(1, "two", as_user="rita")
    base = "/repos/alice/tracker/issues/comments"
    assert tracker.delete(f"{base}/{first['id']}", as_user="rita").status_code == 403
    assert tracker.delete(f"{base}/{first['id']}", as_user="oscar").status_code == 204
    assert tracker.delete(f"{base}/{second['id']}", as_user="alice").status_code == 204
    assert tracker.get(f"{base}/{first['id']}").status_code == 404
    assert tracker.get("/repos/alice/tracker/issues/1").json["comments"] == 0


def test_the_deprecated_index_routes_edit_and_delete_too(tracker):
    tracker.issue()
    comment = tracker.comment(1, "x")
    path = f"/repos/alice/tracker/issues/1/comments/{comment['id']}"
    assert tracker.patch(path, {"body": "y"}).json["body"] == "y"
    assert tracker.delete(path).status_code == 204


def test_a_comment_of_another_repository_is_404_here(tracker):
    tracker.issue("alice/vault")
    secret = tracker.comment(1, "secret", repo="alice/vault")
    assert tracker.get(f"/repos/alice/tracker/issues/comments/{secret['id']}").status_code == 404
    assert tracker.patch(f"/repos/alice/tracker/issues/comments/{secret['id']}",
                         {"body": "x"}).status_code == 404
    assert tracker.get("/repos/alice/tracker/issues/comments/999").status_code == 404


def test_a_comment_bumps_the_issues_updated_at(tracker):
    issue = tracker.issue()
    time.sleep(1.1)
    tracker.comment(1)
    assert tracker.get("/repos/alice/tracker/issues/1").json["updated_at"] > issue["updated_at"]
