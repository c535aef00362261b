"""Issue dependencies as Gitea's API serves them (routers/api/v1/repo/issue_dependency.go):
``/dependencies`` and ``/blocks`` with an ``IssueMeta`` body, across repositories, the
timeline events on both issues, closing refused while a dependency is open (412), the
repository's ``enable_issue_dependencies``, who may, and what deleting takes with it."""

from __future__ import annotations

import falcon.testing

from plue_core.db import connection
from plue_core.testing import basic_auth, make_user
from plue_issues.models import IssueDependency

from test_issues_closed_by_merge import merge, open_pull
from test_issues_timeline_references import commit_file

BASE = "/repos/alice/tracker/issues"


def meta(index: int, repo: str = "alice/tracker") -> dict:
    owner, name = repo.split("/")
    return {"owner": owner, "repo": name, "index": index}


def numbers(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [issue["number"] for issue in response.json]


def close(tracker, number: int, repo: str = "alice/tracker"):
    return tracker.patch(f"/repos/{repo}/issues/{number}", {"state": "closed"})


def test_an_issue_blocked_by_another_closes_only_after_it(tracker):
    for title in ("Ship it", "Fix the build", "Write the docs"):
        tracker.issue(title=title)
    linked = tracker.post(f"{BASE}/1/dependencies", meta(2))
    assert linked.status_code == 201 and linked.json["number"] == 1, linked.text
    # /blocks names the same link from the other end: #3 blocks #1.
    blocking = tracker.post(f"{BASE}/3/blocks", meta(1))
    assert blocking.status_code == 201 and blocking.json["number"] == 3, blocking.text
    assert numbers(tracker.get(f"{BASE}/1/dependencies")) == [3, 2]  # newest first
    assert numbers(tracker.get(f"{BASE}/2/blocks", as_user=None)) == [1]
    refused = close(tracker, 1)
    assert refused.status_code == 412, refused.text
    assert refused.json["message"] == ("cannot close this issue because it still has open "
                                       "dependencies")
    assert close(tracker, 2).status_code == 201
    assert close(tracker, 3).status_code == 201
    assert close(tracker, 1).status_code == 201
    # Reopening is never refused.
    assert tracker.patch(f"{BASE}/2", {"state": "open"}).status_code == 201
    kinds = [(row["type"], (row["dependent_issue"] or {}).get("number"))
             for row in tracker.get(f"{BASE}/2/timeline").json if "dependency" in row["type"]]
    assert kinds == [("add_dependency", 1)]
    removed = tracker.delete(f"{BASE}/1/dependencies", meta(2))
    assert removed.status_code == 201 and removed.json["number"] == 1, removed.text  # Gitea's
    assert tracker.delete(f"{BASE}/3/blocks", meta(1)).status_code == 201
    assert numbers(tracker.get(f"{BASE}/1/dependencies")) == []
    events = [(row["type"], row["dependent_issue"]["number"])
              for row in tracker.get(f"{BASE}/1/timeline").json if "dependency" in row["type"]]
    assert events == [("add_dependency", 2), ("add_dependency", 3), ("remove_dependency", 2),
                      ("remove_dependency", 3)]


def test_itself_twice_and_cycles_are_refused(tracker):
    for title in ("a", "b", "c"):
        tracker.issue(title=title)
    assert tracker.post(f"{BASE}/1/dependencies", meta(1)).status_code == 422
    assert tracker.post(f"{BASE}/1/dependencies", meta(2)).status_code == 201
    again = tracker.post(f"{BASE}/1/dependencies", meta(2))
    assert again.status_code == 409 and "already exist" in again.json["message"], again.text
    assert tracker.post(f"{BASE}/2/dependencies", meta(1)).status_code == 422  # back
    assert tracker.post(f"{BASE}/2/dependencies", meta(3)).status_code == 201
    around = tracker.post(f"{BASE}/3/dependencies", meta(1))  # 1 -> 2 -> 3 -> 1
    assert around.status_code == 422 and "circular" in around.json["message"], around.text
    assert tracker.post(f"{BASE}/1/dependencies", meta(9)).status_code == 404
    assert tracker.post(f"{BASE}/1/dependencies", {"owner": "alice"}).status_code == 422
    gone = tracker.delete(f"{BASE}/3/dependencies", meta(1))
    assert gone.status_code == 404 and gone.json["message"] == "issue dependency does not exist"


def test_across_repositories_and_who_may(tracker):
    tracker.issue(title="public work")
    tracker.issue(repo="alice/vault", title="secret blocker")
    path = f"{BASE}/1/dependencies"
    # Writers of the blocked issue link, if they may read the blocking one; others get 404.
    assert tracker.post(path, meta(1, "alice/vault"), as_user="rita").status_code == 404
    assert tracker.post(path, meta(1, "alice/vault"), as_user="oscar").status_code == 404
    assert tracker.post(path, meta(1, "alice/vault"), as_user=None).status_code == 401
    assert tracker.post(path, meta(1, "alice/vault"), as_user="wanda").status_code == 201
    assert numbers(tracker.get(path, as_user="rita")) == [1]
    # Who may not read the vault sees neither the blocker nor the timeline's event.
    assert numbers(tracker.get(path, as_user="oscar")) == []
    assert numbers(tracker.get(path, as_user=None)) == []
    timeline = tracker.get(f"{BASE}/1/timeline", as_user="oscar").json
    assert [row["type"] for row in timeline] == []
    shown = tracker.get(f"{BASE}/1/timeline", as_user="rita").json
    assert shown[0]["dependent_issue"]["repository"]["full_name"] == "alice/vault"
    assert close(tracker, 1).status_code == 412
    assert numbers(tracker.get("/repos/alice/vault/issues/1/blocks", as_user="rita")) == [1]
    assert tracker.get("/repos/alice/vault/issues/1/blocks", as_user="oscar").status_code == 404
    # Deleting the blocking repository takes the link with it.
    assert tracker.delete("/repos/alice/vault").status_code == 204
    assert numbers(tracker.get(path)) == []
    assert close(tracker, 1).status_code == 201


def test_deleting_an_issue_takes_its_links_and_events(tracker):
    tracker.issue(title="blocked")
    tracker.issue(title="blocker")
    assert tracker.post(f"{BASE}/1/dependencies", meta(2)).status_code == 201
    assert tracker.delete(f"{BASE}/2").status_code == 204
    assert numbers(tracker.get(f"{BASE}/1/dependencies")) == []
    assert [row["type"] for row in tracker.get(f"{BASE}/1/timeline").json] == []
    assert close(tracker, 1).status_code == 201
    with connection(tracker.ctx.db):
        assert IssueDependency.select().count() == 0


def test_a_repository_without_dependencies(tracker):
    tracker.issue(title="blocked")
    tracker.issue(title="blocker")
    assert tracker.post(f"{BASE}/1/dependencies", meta(2)).status_code == 201
    off = tracker.patch("/repos/alice/tracker", {"internal_tracker": {
        "enable_time_tracker": True, "enable_issue_dependencies": False}})
    assert off.status_code == 200, off.text
    assert tracker.get(f"{BASE}/1/dependencies").status_code == 404
    assert tracker.post(f"{BASE}/2/dependencies", meta(1)).status_code == 404
    assert numbers(tracker.get(f"{BASE}/2/blocks")) == [1]  # Gitea serves it regardless
    assert close(tracker, 1).status_code == 201  # nothing blocks it any more


def test_a_commit_or_a_merge_leaves_a_blocked_issue_open(tracker):
    tracker.issue(title="blocked")
    tracker.issue(title="blocker")
    assert tracker.post(f"{BASE}/1/dependencies", meta(2)).status_code == 201
    commit_file(tracker, "a.txt", "Fixes #1")  # the push goes through
    pull = open_pull(tracker, "Fixes #1")
    merge(tracker, pull)
    assert tracker.get(f"{BASE}/1").json["state"] == "open"


def test_a_pull_request_with_an_open_dependency_is_neither_merged_nor_closed(tracker):
    tracker.issue(title="blocker")
    pull = open_pull(tracker, "the change")
    assert tracker.post(f"{BASE}/{pull}/dependencies", meta(1)).status_code == 201
    refused = tracker.post(f"/repos/alice/tracker/pulls/{pull}/merge", {"Do": "merge"})
    assert refused.status_code == 405 and "block this pull request" in refused.json["message"]
    closing = tracker.patch(f"/repos/alice/tracker/pulls/{pull}", {"state": "closed"})
    assert closing.status_code == 412, closing.text
    assert closing.json["message"] == ("cannot close this pull request because it still has "
                                       "open dependencies")
    assert close(tracker, 1).status_code == 201
    merge(tracker, pull)


def test_dependencies_across_repositories_can_be_switched_off(build_app):
    app = build_app(issues={"cross_repository_dependencies": "false"})
    make_user(app.plue, "alice")
    client, alice = falcon.testing.TestClient(app), basic_auth("alice")
    for name in ("one", "two"):
        client.simulate_post("/api/v1/user/repos", json={"name": name}, headers=alice)
        client.simulate_post(f"/api/v1/repos/alice/{name}/issues", json={"title": "t"},
                             headers=alice)
    path = "/api/v1/repos/alice/one/issues/1/dependencies"
    refused = client.simulate_post(path, json=meta(1, "alice/two"), headers=alice)
    assert refused.status_code == 400, refused.text
    assert client.simulate_post(path, json=meta(1, "alice/one"), headers=alice).status_code == 422
