"""Issue subscriptions as Gitea's API serves them (routers/api/v1/repo/issue_subscription.go):
the explicit subscribers listed, the caller's ``WatchInfo`` (an explicit choice wins, else
participants and the repository's watchers are subscribed), 200 when nothing changes and 201
when it does, only the user themself or a site administrator, and the rows going with the
issue and its repository."""

from __future__ import annotations

from plue_issues.models import IssueWatch

BASE = "/repos/alice/tracker/issues"


def subscribed(tracker, user: str, number: int = 1) -> bool:
    response = tracker.get(f"{BASE}/{number}/subscriptions/check", as_user=user)
    assert response.status_code == 200, response.text
    assert response.json["ignored"] is (not response.json["subscribed"])
    return response.json["subscribed"]


def test_subscribe_unsubscribe_check_and_list(tracker):
    issue = tracker.issue(title="broken", as_user="wanda")
    # alice watches her repository (she created it); wanda posted the issue; oscar neither.
    assert (subscribed(tracker, "alice"), subscribed(tracker, "wanda"),
            subscribed(tracker, "oscar")) == (True, True, False)
    check = tracker.get(f"{BASE}/1/subscriptions/check", as_user="oscar").json
    assert check == {"subscribed": False, "ignored": True, "reason": None,
                     "created_at": issue["created_at"],
                     "url": f"{issue['url']}/subscriptions",
                     "repository_url": issue["url"].rsplit("/issues/", 1)[0]}
    assert tracker.get(f"{BASE}/1/subscriptions").json == []
    assert tracker.put(f"{BASE}/1/subscriptions/oscar", as_user="oscar").status_code == 201
    assert tracker.put(f"{BASE}/1/subscriptions/oscar", as_user="oscar").status_code == 200
    assert subscribed(tracker, "oscar")
    # The poster is subscribed already: 200, and no row (she is not listed).
    assert tracker.put(f"{BASE}/1/subscriptions/wanda", as_user="wanda").status_code == 200
    assert tracker.delete(f"{BASE}/1/subscriptions/wanda", as_user="wanda").status_code == 201
    assert not subscribed(tracker, "wanda")  # the explicit choice wins over posting it
    assert tracker.delete(f"{BASE}/1/subscriptions/wanda", as_user="wanda").status_code == 200
    assert tracker.put(f"{BASE}/1/subscriptions/rita", as_user="root").status_code == 201
    listed = tracker.get(f"{BASE}/1/subscriptions", params={"limit": 1}, as_user=None)
    assert [user["login"] for user in listed.json] == ["oscar"]
    assert listed.headers["X-Total-Count"] == "2"
    page_two = tracker.get(f"{BASE}/1/subscriptions", params={"limit": 1, "page": 2}).json
    assert [user["login"] for user in page_two] == ["rita"]
    # Deleting the issue deletes its choices.
    assert tracker.delete(f"{BASE}/1").status_code == 204
    assert IssueWatch.select().count() == 0


def test_who_may_change_a_subscription(tracker):
    tracker.issue(title="public")
    tracker.issue(repo="alice/vault", title="secret")
    # Only the user themself or a site administrator (Gitea's rule: not a repository admin).
    denied = tracker.put(f"{BASE}/1/subscriptions/oscar", as_user="alice")
    assert denied.status_code == 403, denied.text
    assert denied.json["message"] == "alice is not permitted to change subscriptions for oscar"
    assert tracker.put(f"{BASE}/1/subscriptions/oscar", as_user=None).status_code == 401
    assert tracker.get(f"{BASE}/1/subscriptions/check", as_user=None).status_code == 401
    assert tracker.put(f"{BASE}/1/subscriptions/nobody", as_user="root").status_code == 404
    assert tracker.put(f"{BASE}/9/subscriptions/oscar", as_user="oscar").status_code == 404
    # A private repository's issue does not exist for others.
    vault = "/repos/alice/vault/issues/1/subscriptions"
    for method, path in (("GET", vault), ("GET", f"{vault}/check"), ("PUT", f"{vault}/oscar")):
        assert tracker.request(method, path, as_user="oscar").status_code == 404, path
    assert tracker.put(f"{vault}/rita", as_user="rita").status_code == 201
    # Deleting the repository deletes its issues' choices.
    assert IssueWatch.select().count() == 1
    assert tracker.delete("/repos/alice/vault").status_code == 204
    assert IssueWatch.select().count() == 0
