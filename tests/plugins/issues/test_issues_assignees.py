"""``/issues/{index}/assignees``: writers add and remove assignees; who can be assigned."""

from __future__ import annotations


def logins(issue: dict) -> list[str]:
    return [user["login"] for user in issue["assignees"] or []]


def test_writers_add_and_remove_assignees(tracker):
    tracker.issue()
    path = "/repos/alice/tracker/issues/1/assignees"
    added = tracker.post(path, {"assignees": ["wanda", "alice"]}, as_user="wanda")
    assert added.status_code == 201 and logins(added.json) == ["wanda", "alice"]
    again = tracker.post(path, {"assignees": ["wanda"]})
    assert logins(again.json) == ["wanda", "alice"]
    removed = tracker.delete(path, {"assignees": ["wanda"]})
    assert removed.status_code == 200 and logins(removed.json) == ["alice"]
    assert removed.json["assignee"]["login"] == "alice"


def test_assignees_must_exist_and_have_write_access(tracker):
    tracker.issue()
    path = "/repos/alice/tracker/issues/1/assignees"
    for login in ("nobody", "rita", "acme"):
        response = tracker.post(path, {"assignees": [login]})
        assert response.status_code == 422 and login in response.json["message"], login
    assert tracker.delete(path, {"assignees": ["nobody"]}).status_code == 422
    assert tracker.get("/repos/alice/tracker/issues/1").json["assignees"] is None


def test_only_writers_change_assignees(tracker):
    tracker.issue(as_user="rita")
    path = "/repos/alice/tracker/issues/1/assignees"
    assert tracker.post(path, {"assignees": ["wanda"]}, as_user="rita").status_code == 403
    assert tracker.post(path, {"assignees": ["wanda"]}, as_user=None).status_code == 401
    assert tracker.delete(path, {"assignees": ["wanda"]}, as_user="oscar").status_code == 403
    assert tracker.post("/repos/alice/vault/issues/1/assignees", {"assignees": ["wanda"]},
                        as_user="oscar").status_code == 404


def test_checking_whether_a_user_can_be_assigned(tracker):
    tracker.issue()
    base = "/repos/alice/tracker/issues/1/assignees"
    assert tracker.get(f"{base}/wanda").status_code == 204
    assert tracker.get(f"{base}/root", as_user=None).status_code == 204
    assert tracker.get(f"{base}/rita").status_code == 404
    assert tracker.get(f"{base}/nobody").status_code == 404
    assert tracker.get("/repos/alice/tracker/issues/9/assignees/wanda").status_code == 404
