"""Locking and the deadline as Gitea's API serves them (routers/api/v1/repo/issue_lock.go,
issue.go's UpdateIssueDeadline): writers lock and unlock (204 whether it changed or not), the
Issue body's ``is_locked``, Gitea's refusal of a non-writer's comment on a locked issue, the
``lock`` / ``unlock`` timeline events; the deadline set to the end of its day, or removed."""

from __future__ import annotations

BASE = "/repos/alice/tracker/issues"


def test_lock_refuses_readers_comments_and_unlock_lets_them_again(tracker):
    tracker.issue(title="heated")
    assert tracker.put(f"{BASE}/1/lock", {"lock_reason": "Too heated"}).status_code == 204
    assert tracker.put(f"{BASE}/1/lock", {"lock_reason": "again"}).status_code == 204  # nothing
    assert tracker.get(f"{BASE}/1").json["is_locked"] is True
    refused = tracker.post(f"{BASE}/1/comments", {"body": "but"}, as_user="rita")
    assert refused.status_code == 403, refused.text
    assert refused.json["message"] == "You cannot comment on a locked issue."
    tracker.comment(1, "writers still may", as_user="wanda")
    tracker.comment(1, "site admins too", as_user="root")
    assert tracker.delete(f"{BASE}/1/lock", as_user="wanda").status_code == 204
    assert tracker.delete(f"{BASE}/1/lock").status_code == 204
    assert tracker.get(f"{BASE}/1").json["is_locked"] is False
    tracker.comment(1, "now I may", as_user="rita")
    events = [(row["type"], row["body"]) for row in tracker.get(f"{BASE}/1/timeline").json
              if row["type"] in ("lock", "unlock")]
    assert events == [("lock", "Too heated"), ("unlock", "")]
    page = tracker.client.simulate_get("/alice/tracker/issues/1").text
    assert "locked as <strong>Too heated</strong> and limited conversation" in page
    assert "unlocked this conversation" in page


def test_who_may_lock(tracker):
    tracker.issue(title="public")
    tracker.issue(repo="alice/vault", title="secret")
    for user, status in (("rita", 403), ("oscar", 403), (None, 401), ("wanda", 204)):
        assert tracker.put(f"{BASE}/1/lock", {}, as_user=user).status_code == status, user
    assert tracker.put("/repos/alice/vault/issues/1/lock", {}, as_user="oscar").status_code == 404
    assert tracker.put(f"{BASE}/9/lock", {}).status_code == 404
    assert tracker.patch("/repos/alice/tracker", {"archived": True}).status_code == 200
    assert tracker.delete(f"{BASE}/1/lock").status_code == 423


def test_the_deadline_is_the_end_of_its_day_or_removed(tracker):
    tracker.issue(title="due")
    set_ = tracker.post(f"{BASE}/1/deadline", {"due_date": "2026-12-24T08:00:00Z"})
    assert set_.status_code == 201, set_.text
    assert set_.json == {"due_date": "2026-12-24T23:59:59Z"}
    assert tracker.get(f"{BASE}/1").json["due_date"] == "2026-12-24T23:59:59Z"
    removed = tracker.post(f"{BASE}/1/deadline", {"due_date": "0001-01-01T00:00:00Z"})
    assert removed.status_code == 201 and removed.json == {"due_date": None}
    tracker.post(f"{BASE}/1/deadline", {"due_date": "2026-12-24T08:00:00Z"})
    assert tracker.post(f"{BASE}/1/deadline", {"due_date": None}).json == {"due_date": None}
    assert tracker.get(f"{BASE}/1").json["due_date"] is None
    assert tracker.post(f"{BASE}/1/deadline", {}).status_code == 422
    assert tracker.post(f"{BASE}/1/deadline", {"due_date": "soon"}).status_code == 422
    assert tracker.post(f"{BASE}/1/deadline", {"due_date": "2026-12-24T08:00:00Z"},
                        as_user="rita").status_code == 403
