"""Milestones with their open / closed counts, state and due date."""

from __future__ import annotations

MILESTONE_FIELDS = {"id", "title", "description", "state", "open_issues", "closed_issues",
                    "created_at", "updated_at", "closed_at", "due_on"}


def test_creating_a_milestone_answers_201_with_giteas_shape(tracker):
    response = tracker.post("/repos/alice/tracker/milestones",
                            {"title": "v1.0", "description": "First", "due_on": "2030-01-31T12:00:00+01:00"})
    assert response.status_code == 201
    milestone = response.json
    assert set(milestone) == MILESTONE_FIELDS
    assert milestone["state"] == "open" and milestone["closed_at"] is None
    assert milestone["due_on"] == "2030-01-31T11:00:00Z"
    assert milestone["open_issues"] == 0 and milestone["closed_issues"] == 0


def test_a_milestone_needs_a_title_and_a_known_state(tracker):
    blank = tracker.post("/repos/alice/tracker/milestones", {"title": " "})
    assert blank.status_code == 422 and "title" in blank.json["message"]
    state = tracker.post("/repos/alice/tracker/milestones", {"title": "x", "state": "done"})
    assert state.status_code == 422 and "state" in state.json["message"]
    due = tracker.post("/repos/alice/tracker/milestones", {"title": "x", "due_on": "soon"})
    assert due.status_code == 422 and "due_on" in due.json["message"]


def test_counts_follow_issues_opening_closing_and_leaving(tracker):
    milestone = tracker.milestone()
    for _ in range(3):
        tracker.issue(milestone=milestone["id"])
    tracker.patch("/repos/alice/tracker/issues/1", {"state": "closed"})
    tracker.patch("/repos/alice/tracker/issues/2", {"milestone": 0})
    fetched = tracker.get(f"/repos/alice/tracker/milestones/{milestone['id']}").json
    assert (fetched["open_issues"], fetched["closed_issues"]) == (1, 1)
    listed = tracker.get("/repos/alice/tracker/milestones").json
    assert (listed[0]["open_issues"], listed[0]["closed_issues"]) == (1, 1)


def test_lists_open_ones_by_default_nearest_due_date_first(tracker):
    tracker.milestone(title="someday")
    tracker.milestone(title="later", due_on="2031-01-01T00:00:00Z")
    tracker.milestone(title="soon", due_on="2030-01-01T00:00:00Z")
    tracker.milestone(title="done", state="closed")
    path = "/repos/alice/tracker/milestones"

    def titles(**params):
        response = tracker.get(path, params=params, as_user=None)
        assert response.status_code == 200
        return [m["title"] for m in response.json]

    assert titles() == ["soon", "later", "someday"]
    assert titles(state="closed") == ["done"]
    assert titles(state="all") == ["soon", "later", "someday", "done"]
    assert titles(state="all", name="o") == ["soon", "someday", "done"]
    assert tracker.get(path, params={"limit": 1}).headers["X-Total-Count"] == "3"


def test_get_edit_and_delete_by_id_or_title(tracker):
    milestone = tracker.milestone(title="v1.0")
    assert tracker.get("/repos/alice/tracker/milestones/v1.0").json["id"] == milestone["id"]
    closed = tracker.patch("/repos/alice/tracker/milestones/v1.0",
                           {"state": "closed", "description": "shipped", "title": ""})
    assert closed.status_code == 200
    assert closed.json["state"] == "closed" and closed.json["closed_at"] is not None
    assert closed.json["title"] == "v1.0" and closed.json["description"] == "shipped"
    reopened = tracker.patch(f"/repos/alice/tracker/milestones/{milestone['id']}",
                             {"state": "open", "due_on": "2032-02-02T00:00:00Z"}).json
    assert reopened["closed_at"] is None and reopened["due_on"] == "2032-02-02T00:00:00Z"
    assert tracker.patch("/repos/alice/tracker/milestones/v1.0", {"state": "x"}).status_code == 422
    assert tracker.delete("/repos/alice/tracker/milestones/v1.0").status_code == 204
    assert tracker.get("/repos/alice/tracker/milestones/v1.0").status_code == 404
    assert tracker.delete("/repos/alice/tracker/milestones/v1.0").status_code == 404


def test_deleting_a_milestone_unsets_it_on_its_issues(tracker):
    milestone = tracker.milestone()
    tracker.issue(milestone=milestone["id"])
    assert tracker.delete(f"/repos/alice/tracker/milestones/{milestone['id']}").status_code == 204
    assert tracker.get("/repos/alice/tracker/issues/1").json["milestone"] is None


def test_managing_milestones_needs_write_access(tracker):
    milestone = tracker.milestone()
    path = f"/repos/alice/tracker/milestones/{milestone['id']}"
    for user in ("rita", "oscar"):
        assert tracker.post("/repos/alice/tracker/milestones", {"title": "x"}, as_user=user).status_code == 403
        assert tracker.patch(path, {"title": "x"}, as_user=user).status_code == 403
        assert tracker.delete(path, as_user=user).status_code == 403
    assert tracker.patch(path, {"title": "v1.1"}, as_user="wanda").json["title"] == "v1.1"
