"""Creating, reading, editing, closing and deleting issues through Gitea's API."""

from __future__ import annotations

import re

ISSUE_FIELDS = {
    "id", "url", "html_url", "number", "user", "original_author", "original_author_id", "title",
    "body", "ref", "assets", "labels", "milestone", "assignee", "assignees", "state",
    "is_locked", "comments", "created_at", "updated_at", "closed_at", "due_date",
    "time_estimate", "pull_request", "repository", "pin_order", "content_version", "projects",
}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_creating_an_issue_answers_201_with_giteas_issue_shape(tracker):
    response = tracker.post("/repos/alice/tracker/issues", {"title": "Crash on start",
                                                            "body": "It crashes."})
    assert response.status_code == 201
    issue = response.json
    assert set(issue) == ISSUE_FIELDS
    assert issue["number"] == 1
    assert issue["title"] == "Crash on start" and issue["body"] == "It crashes."
    assert issue["state"] == "open" and issue["closed_at"] is None
    assert issue["user"]["login"] == "alice"
    assert issue["labels"] == [] and issue["assets"] == []
    assert issue["assignee"] is None and issue["assignees"] is None
    assert issue["milestone"] is None and issue["pull_request"] is None
    assert issue["comments"] == 0 and issue["is_locked"] is False
    assert issue["repository"] == {"id": issue["repository"]["id"], "name": "tracker",
                                   "owner": "alice", "full_name": "alice/tracker"}
    assert issue["url"].endswith("/api/v1/repos/alice/tracker/issues/1")
    assert issue["html_url"].endswith("/alice/tracker/issues/1")
    assert RFC3339.match(issue["created_at"]) and RFC3339.match(issue["updated_at"])
    assert tracker.get("/repos/alice/tracker/issues/1").json == issue


def test_numbers_start_at_one_in_every_repository(tracker):
    assert [tracker.issue()["number"] for _ in range(3)] == [1, 2, 3]
    assert tracker.issue("alice/vault")["number"] == 1
    assert tracker.issue("acme/site")["number"] == 1


def test_opening_an_issue_counts_it_in_the_repository(tracker):
    tracker.issue()
    tracker.issue()
    assert tracker.open_issues_count() == 2


def test_a_missing_or_blank_title_is_422_naming_the_title(tracker):
    missing = tracker.post("/repos/alice/tracker/issues", {"body": "no title"})
    assert missing.status_code == 422 and "title" in missing.json["message"]
    blank = tracker.post("/repos/alice/tracker/issues", {"title": "   "})
    assert blank.status_code == 422 and "title" in blank.json["message"]
    too_long = tracker.post("/repos/alice/tracker/issues", {"title": "x" * 256})
    assert too_long.status_code == 422 and "title" in too_long.json["message"]
    wrong_type = tracker.post("/repos/alice/tracker/issues", {"title": "t", "labels": ["bug"]})
    assert wrong_type.status_code == 422 and "labels" in wrong_type.json["message"]


def test_a_body_that_is_not_json_is_400(tracker):
    response = tracker.client.simulate_post("/api/v1/repos/alice/tracker/issues", body="{nope",
                                            headers={**tracker.auth("alice"),
                                                     "Content-Type": "application/json"})
    assert response.status_code == 400
    assert "JSON" in response.json["message"]


def test_an_issue_opened_closed_is_closed_and_not_counted_open(tracker):
    issue = tracker.issue(closed=True)
    assert issue["state"] == "closed" and RFC3339.match(issue["closed_at"])
    assert tracker.open_issues_count() == 0


def test_writers_set_labels_milestone_assignees_and_due_date_on_create(tracker):
    bug = tracker.label()
    milestone = tracker.milestone()
    issue = tracker.issue(labels=[bug["id"]], milestone=milestone["id"],
                          assignees=["wanda"], assignee="alice", due_date="2030-05-17T08:00:00+02:00")
    assert [label["name"] for label in issue["labels"]] == ["bug"]
    assert issue["milestone"]["id"] == milestone["id"]
    assert issue["milestone"]["open_issues"] == 1
    assert [user["login"] for user in issue["assignees"]] == ["alice", "wanda"]
    assert issue["assignee"]["login"] == "alice"
    # Gitea keeps the date only, as the last second of that day.
    assert issue["due_date"] == "2030-05-17T23:59:59Z"


def test_a_readers_labels_milestone_and_assignees_are_left_out_as_in_gitea(tracker):
    bug = tracker.label()
    milestone = tracker.milestone()
    issue = tracker.issue(as_user="rita", labels=[bug["id"]], milestone=milestone["id"],
                          assignees=["wanda"])
    assert issue["user"]["login"] == "rita"
    assert issue["labels"] == [] and issue["milestone"] is None and issue["assignees"] is None


def test_unknown_labels_milestones_and_assignees_are_422(tracker):
    other_label = tracker.label("alice/vault", "secret")
    for body, field in [({"labels": [999]}, "labels"), ({"labels": [other_label["id"]]}, "labels"),
                        ({"milestone": 77}, "milestone"), ({"assignees": ["nobody"]}, "assignees")]:
        response = tracker.post("/repos/alice/tracker/issues", {"title": "t", **body})
        assert response.status_code == 422, body
        assert field in response.json["message"]
    assert tracker.get("/repos/alice/tracker/issues", params={"state": "all"}).json == []


def test_only_users_with_write_access_may_be_assigned(tracker):
    for login in ("rita", "oscar", "acme"):
        response = tracker.post("/repos/alice/tracker/issues", {"title": "t", "assignees": [login]})
        assert response.status_code == 422, login
        assert login in response.json["message"]
    issue = tracker.issue(assignees=["wanda", "root"])
    assert [user["login"] for user in issue["assignees"]] == ["wanda", "root"]


def test_closing_sets_closed_at_and_reopening_clears_it(tracker):
    tracker.issue()
    closed = tracker.patch("/repos/alice/tracker/issues/1", {"state": "closed"})
    assert closed.status_code == 201  # Gitea answers an issue edit with 201
    assert closed.json["state"] == "closed" and RFC3339.match(closed.json["closed_at"])
    assert tracker.open_issues_count() == 0
    again = tracker.patch("/repos/alice/tracker/issues/1", {"state": "closed"})
    assert again.json["closed_at"] == closed.json["closed_at"]
    assert tracker.open_issues_count() == 0
    reopened = tracker.patch("/repos/alice/tracker/issues/1", {"state": "open"})
    assert reopened.json["state"] == "open" and reopened.json["closed_at"] is None
    assert tracker.open_issues_count() == 1


def test_an_unknown_state_is_412_and_changes_nothing(tracker):
    tracker.issue()
    response = tracker.patch("/repos/alice/tracker/issues/1", {"state": "done", "title": "New"})
    assert response.status_code == 412
    assert "done" in response.json["message"]
    assert tracker.get("/repos/alice/tracker/issues/1").json["title"] == "Something is broken"


def test_editing_title_and_body_bumps_the_content_version(tracker):
    tracker.issue()
    edited = tracker.patch("/repos/alice/tracker/issues/1", {"title": "Renamed", "body": "More"})
    assert edited.status_code == 201
    assert edited.json["title"] == "Renamed" and edited.json["body"] == "More"
    assert edited.json["content_version"] == 1
    unchanged = tracker.patch("/repos/alice/tracker/issues/1", {"title": ""})
    assert unchanged.json["title"] == "Renamed"  # an empty title leaves it alone (Gitea)


def test_a_stale_content_version_is_409(tracker):
    tracker.issue()
    tracker.patch("/repos/alice/tracker/issues/1", {"body": "first edit"})
    stale = tracker.patch("/repos/alice/tracker/issues/1", {"body": "second", "content_version": 0})
    assert stale.status_code == 409
    assert "content_version" in stale.json["message"]
    fresh = tracker.patch("/repos/alice/tracker/issues/1", {"body": "second", "content_version": 1})
    assert fresh.status_code == 201 and fresh.json["content_version"] == 2


def test_a_poster_without_write_may_edit_and_close_but_not_assign(tracker):
    milestone = tracker.milestone()
    tracker.issue(as_user="rita")
    edited = tracker.patch("/repos/alice/tracker/issues/1",
                           {"title": "Mine", "state": "closed", "assignees": ["wanda"],
                            "milestone": milestone["id"]}, as_user="rita")
    assert edited.status_code == 201
    assert edited.json["title"] == "Mine" and edited.json["state"] == "closed"
    assert edited.json["assignees"] is None and edited.json["milestone"] is None


def test_someone_elses_issue_may_not_be_edited_without_write(tracker):
    tracker.issue()
    for user in ("rita", "oscar"):
        response = tracker.patch("/repos/alice/tracker/issues/1", {"title": "mine now"}, as_user=user)
        assert response.status_code == 403, user
    assert tracker.patch("/repos/alice/tracker/issues/1", {"title": "ok"}, as_user="wanda").status_code == 201


def test_writers_change_assignees_milestone_and_due_date(tracker):
    milestone = tracker.milestone()
    tracker.issue(assignees=["wanda"])
    edited = tracker.patch("/repos/alice/tracker/issues/1",
                           {"assignees": ["alice"], "milestone": milestone["id"],
                            "due_date": "2031-01-02T03:04:05Z"}, as_user="wanda").json
    assert [u["login"] for u in edited["assignees"]] == ["alice"]
    assert edited["milestone"]["title"] == "v1.0" and edited["due_date"] == "2031-01-02T23:59:59Z"
    cleared = tracker.patch("/repos/alice/tracker/issues/1",
                            {"assignees": [], "milestone": 0, "unset_due_date": True}).json
    assert cleared["assignees"] is None and cleared["milestone"] is None
    assert cleared["due_date"] is None
    bad = tracker.patch("/repos/alice/tracker/issues/1", {"milestone": 4242})
    assert bad.status_code == 422 and "milestone" in bad.json["message"]


def test_a_missing_issue_is_404(tracker):
    assert tracker.get("/repos/alice/tracker/issues/7").status_code == 404
    assert tracker.patch("/repos/alice/tracker/issues/7", {"title": "x"}).status_code == 404
    assert tracker.delete("/repos/alice/tracker/issues/7").status_code == 404
    assert tracker.get("/repos/alice/tracker/issues/seven").status_code == 404
    assert tracker.get("/repos/alice/nothing/issues/1").status_code == 404


def test_repository_admins_and_site_admins_delete_issues_and_numbers_are_not_reused(tracker):
    for _ in range(3):
        tracker.issue()
    assert tracker.delete("/repos/alice/tracker/issues/1", as_user="wanda").status_code == 403
    assert tracker.delete("/repos/alice/tracker/issues/1").status_code == 204
    assert tracker.delete("/repos/alice/tracker/issues/2", as_user="root").status_code == 204
    assert tracker.get("/repos/alice/tracker/issues/1").status_code == 404
    assert tracker.open_issues_count() == 1
    assert tracker.issue()["number"] == 4


def test_deleting_an_issue_takes_its_comments_and_labels_along(tracker):
    bug = tracker.label()
    tracker.issue(labels=[bug["id"]])
    comment = tracker.comment(1)
    assert tracker.delete("/repos/alice/tracker/issues/1").status_code == 204
    assert tracker.get(f"/repos/alice/tracker/issues/comments/{comment['id']}").status_code == 404
    assert tracker.get("/repos/alice/tracker/labels").json[0]["name"] == "bug"


def test_an_archived_repository_refuses_new_issues_with_423(tracker):
    tracker.issue()
    assert tracker.patch("/repos/alice/tracker", {"archived": True}).status_code == 200
    response = tracker.post("/repos/alice/tracker/issues", {"title": "late"})
    assert response.status_code == 423
    assert tracker.post("/repos/alice/tracker/issues/1/comments", {"body": "x"}).status_code == 423
    assert tracker.get("/repos/alice/tracker/issues/1").status_code == 200


def test_a_deleted_poster_shows_as_the_ghost_user(tracker):
    tracker.issue(as_user="oscar")
    tracker.comment(1, as_user="oscar")
    assert tracker.delete("/admin/users/oscar", as_user="root").status_code == 204
    issue = tracker.get("/repos/alice/tracker/issues/1").json
    assert issue["user"]["id"] == -1 and issue["user"]["login"] == "Ghost"
    comments = tracker.get("/repos/alice/tracker/issues/1/comments").json
    assert comments[0]["user"]["login"] == "Ghost"
