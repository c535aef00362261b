"""Pinned issues and pull requests as Gitea's API serves them (routers/api/v1/repo/
issue_pin.go): pin, unpin and move (repository administrators), the Issue body's real
``pin_order``, the pinned lists, Gitea's maximum, places kept 1..N by every change -- two
threads at once included -- and by deleting a pinned issue."""

from __future__ import annotations

import concurrent.futures
import threading

import falcon.testing

from plue_core.db import connection
from plue_core.testing import basic_auth, make_user
from plue_issues.models import Issue

from test_issues_closed_by_merge import open_pull

BASE = "/repos/alice/tracker/issues"


def pinned(tracker, kind: str = "issues", as_user="alice") -> list[tuple[int, int]]:
    response = tracker.get(f"/repos/alice/tracker/{kind}/pinned", as_user=as_user)
    assert response.status_code == 200, response.text
    return [(body["number"], body["pin_order"]) for body in response.json]


def test_pin_move_unpin_and_the_maximum(tracker):
    for n in range(1, 6):
        tracker.issue(title=f"issue {n}")
    for number in (1, 2, 3):
        assert tracker.post(f"{BASE}/{number}/pin").status_code == 204
    assert tracker.post(f"{BASE}/1/pin").status_code == 204  # pinned already: nothing
    assert pinned(tracker, as_user=None) == [(1, 1), (2, 2), (3, 3)]
    assert tracker.get(f"{BASE}/3").json["pin_order"] == 3
    assert tracker.get(f"{BASE}/4").json["pin_order"] == 0
    full = tracker.post(f"{BASE}/4/pin")
    assert full.status_code == 400, full.text
    assert full.json["message"] == "the max number of pinned issues has been readched"
    allowed = tracker.get("/repos/alice/tracker/new_pin_allowed", as_user=None)
    assert allowed.json == {"issues": False, "pull_requests": True}
    assert tracker.patch(f"{BASE}/3/pin/1").status_code == 204
    assert pinned(tracker) == [(3, 1), (1, 2), (2, 3)]
    assert tracker.patch(f"{BASE}/3/pin/99").status_code == 204  # past the last: last
    assert pinned(tracker) == [(1, 1), (2, 2), (3, 3)]
    assert tracker.patch(f"{BASE}/3/pin/0").status_code == 422
    assert tracker.patch(f"{BASE}/3/pin/x").status_code == 422
    assert tracker.patch(f"{BASE}/5/pin/1").status_code == 204  # not pinned: nothing
    assert tracker.delete(f"{BASE}/2/pin").status_code == 204
    assert tracker.delete(f"{BASE}/2/pin").status_code == 204
    assert pinned(tracker) == [(1, 1), (3, 2)]
    assert tracker.get(f"{BASE}/2").json["pin_order"] == 0
    # Deleting a pinned issue gives its place up.
    assert tracker.delete(f"{BASE}/1").status_code == 204
    assert pinned(tracker) == [(3, 1)]
    events = [row["type"] for row in tracker.get(f"{BASE}/2/timeline").json]
    assert events == ["pin", "unpin"]


def test_who_may_pin(tracker):
    tracker.issue(title="public")
    tracker.issue(repo="alice/vault", title="secret")
    for user, status in (("wanda", 403), ("rita", 403), ("oscar", 403), (None, 401),
                         ("root", 204)):
        assert tracker.post(f"{BASE}/1/pin", as_user=user).status_code == status, user
    assert tracker.post("/repos/alice/vault/issues/1/pin", as_user="oscar").status_code == 404
    assert tracker.get("/repos/alice/vault/issues/pinned", as_user="oscar").status_code == 404
    assert tracker.patch("/repos/alice/tracker", {"archived": True}).status_code == 200
    assert tracker.delete(f"{BASE}/1/pin").status_code == 423


def test_pull_requests_have_their_own_pins(tracker):
    tracker.issue(title="an issue")
    pull = open_pull(tracker, "a change")
    assert tracker.post(f"{BASE}/{pull}/pin").status_code == 204
    assert tracker.post(f"{BASE}/1/pin").status_code == 204
    assert pinned(tracker, "pulls") == [(pull, 1)]
    assert pinned(tracker) == [(1, 1)]
    assert tracker.get(f"/repos/alice/tracker/pulls/{pull}").json["pin_order"] == 1


def test_places_stay_dense_when_two_threads_change_them(tracker):
    """Two threads pin, move and unpin two issues at the same moment (a barrier), round
    after round, next to one that stays pinned: after each step the places are 1..N."""
    for n in range(1, 6):
        tracker.issue(title=f"issue {n}")
    assert tracker.post(f"{BASE}/5/pin").status_code == 204
    barrier = threading.Barrier(2)

    def at_once(method: str, number: int, suffix: str) -> int:
        barrier.wait()
        return tracker.client.simulate_request(method, f"/api/v1{BASE}/{number}/pin{suffix}",
                                               headers=basic_auth("alice")).status_code

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for turn in range(12):
            pair = (1, 2) if turn % 2 else (3, 4)
            for method, suffix in (("POST", ""), ("PATCH", "/1"), ("DELETE", "")):
                statuses = list(pool.map(lambda number: at_once(method, number, suffix), pair))
                assert statuses == [204, 204]
                places = [place for _, place in pinned(tracker)]
                assert places == list(range(1, len(places) + 1)), (turn, method, places)
    with connection(tracker.ctx.db):
        assert [row.pin_order for row in Issue.select() if row.pin_order] == [1]


def test_the_maximum_is_the_instances_setting(build_app):
    app = build_app(issues={"max_pinned": "1"})
    make_user(app.plue, "alice")
    client, alice = falcon.testing.TestClient(app), basic_auth("alice")
    client.simulate_post("/api/v1/user/repos", json={"name": "tracker"}, headers=alice)
    for _ in range(2):
        client.simulate_post(f"/api/v1{BASE}", json={"title": "t"}, headers=alice)
    assert client.simulate_post(f"/api/v1{BASE}/1/pin", headers=alice).status_code == 204
    assert client.simulate_post(f"/api/v1{BASE}/2/pin", headers=alice).status_code == 400
