"""Gitea's time tracking: stopwatches (409 when one runs already or none runs; stopping one
tracks its time; starting another stops the first), tracked times (who may add, list, filter
and delete them), the repository's ``internal_tracker`` switches, and no orphan rows when an
issue, a repository or a user goes."""

from __future__ import annotations

import datetime

from plue_core.testing import recorded_statements
from plue_issues.models import Stopwatch, TrackedTime, now

TIMES = "/repos/alice/tracker/issues/{}/times"
STOPWATCH = "/repos/alice/tracker/issues/{}/stopwatch/{}"
TRACKED_TIME_KEYS = {"id", "created", "time", "user_id", "user_name", "issue_id", "issue"}


def _times(response) -> list[tuple[str, int]]:
    assert response.status_code == 200, response.text
    return [(entry["user_name"], entry["time"]) for entry in response.json]


def test_stopping_a_stopwatch_tracks_its_time(tracker):
    number = tracker.issue()["number"]
    assert tracker.post(STOPWATCH.format(number, "start"), as_user="wanda").status_code == 201
    again = tracker.post(STOPWATCH.format(number, "start"), as_user="wanda")
    assert again.status_code == 409 and "already" in again.json["message"], again.text
    # An hour, two minutes and five seconds ago.
    Stopwatch.update(created_at=now() - datetime.timedelta(seconds=3725)).execute()
    running = tracker.get("/user/stopwatches", as_user="wanda")
    assert running.status_code == 200 and running.headers["X-Total-Count"] == "1"
    [watch] = running.json
    assert watch["issue_index"] == number and watch["issue_title"] == "Something is broken"
    assert (watch["repo_owner_name"], watch["repo_name"]) == ("alice", "tracker")
    assert 3725 <= watch["seconds"] <= 3727 and watch["duration"] == "1 hour 2 minutes"
    assert tracker.get("/user/stopwatches", as_user="rita").json == []
    assert tracker.post(STOPWATCH.format(number, "stop"), as_user="wanda").status_code == 201
    assert tracker.post(STOPWATCH.format(number, "stop"), as_user="wanda").status_code == 409
    [(user, seconds)] = _times(tracker.get(TIMES.format(number)))
    assert user == "wanda" and 3725 <= seconds <= 3727
    # Cancelled: nothing is tracked.
    assert tracker.delete(STOPWATCH.format(number, "delete"), as_user="wanda").status_code == 409
    assert tracker.post(STOPWATCH.format(number, "start"), as_user="wanda").status_code == 201
    assert tracker.delete(STOPWATCH.format(number, "delete"), as_user="wanda").status_code == 204
    assert len(tracker.get(TIMES.format(number)).json) == 1
    assert tracker.get("/user/stopwatches", as_user="wanda").json == []


def test_starting_a_stopwatch_stops_the_one_running_elsewhere(tracker):
    first, second = tracker.issue()["number"], tracker.issue(title="Another")["number"]
    assert tracker.post(STOPWATCH.format(first, "start")).status_code == 201
    assert tracker.post(STOPWATCH.format(second, "start")).status_code == 201
    assert [w["issue_index"] for w in tracker.get("/user/stopwatches").json] == [second]
    assert _times(tracker.get(TIMES.format(first))) == [("alice", 0)]


def test_only_writers_use_a_stopwatch(tracker):
    number = tracker.issue(as_user="rita")["number"]
    refused = tracker.post(STOPWATCH.format(number, "start"), as_user="rita")
    assert refused.status_code == 403 and "message" in refused.json, refused.text
    assert tracker.post(STOPWATCH.format(number, "start"), as_user=None).status_code == 401
    assert tracker.post(STOPWATCH.format(99, "start")).status_code == 404


def test_adding_listing_and_filtering_times(tracker):
    number = tracker.issue()["number"]
    added = tracker.post(TIMES.format(number), {"time": 3600, "created": "2024-01-02T10:00:00Z"})
    assert added.status_code == 200, added.text
    assert set(added.json) == TRACKED_TIME_KEYS
    assert added.json["created"] == "2024-01-02T10:00:00Z" and added.json["user_name"] == "alice"
    assert added.json["issue"]["number"] == number
    assert added.json["issue"]["repository"]["full_name"] == "alice/tracker"
    assert tracker.post(TIMES.format(number), {"time": 60}, as_user="wanda").status_code == 200
    assert tracker.post(TIMES.format(number), {"time": 0}).status_code == 422
    # A reader who neither wrote nor is assigned the issue may not track (contributors only).
    assert tracker.post(TIMES.format(number), {"time": 5}, as_user="rita").status_code == 403
    assert _times(tracker.get(TIMES.format(number))) == [("alice", 3600), ("wanda", 60)]
    assert _times(tracker.get(TIMES.format(number), params={"user": "wanda"})) == [("wanda", 60)]
    assert _times(tracker.get(TIMES.format(number), params={"since": "2025-01-01T00:00:00Z"})) \
        == [("wanda", 60)]
    assert _times(tracker.get(TIMES.format(number), params={"before": "2024-01-02T10:00:00Z"})) \
        == [("alice", 3600)]
    assert tracker.get(TIMES.format(number), params={"since": "yesterday"}).status_code == 422
    assert tracker.get(TIMES.format(number), params={"user": "nobody"}).status_code == 404
    # A reader sees only their own times and may not ask for another's.
    assert tracker.get(TIMES.format(number), as_user="rita").json == []
    assert tracker.get(TIMES.format(number), as_user="rita",
                       params={"user": "alice"}).status_code == 403
    assert tracker.get(TIMES.format(number), as_user=None).status_code == 401


def test_the_poster_tracks_time_and_a_repository_admin_books_it_for_others(tracker):
    number = tracker.issue(as_user="rita")["number"]
    assert tracker.post(TIMES.format(number), {"time": 30}, as_user="rita").status_code == 200
    booked = tracker.post(TIMES.format(number), {"time": 90, "user_name": "wanda"})
    assert booked.status_code == 200 and booked.json["user_name"] == "wanda"
    # A writer naming someone else books it for themself (Gitea's rule).
    ignored = tracker.post(TIMES.format(number), {"time": 15, "user_name": "rita"}, as_user="wanda")
    assert ignored.json["user_name"] == "wanda"
    assert _times(tracker.get(TIMES.format(number), as_user="rita")) == [("rita", 30)]


def test_deleting_one_time_and_resetting_ones_own(tracker):
    number = tracker.issue()["number"]
    other = tracker.issue(title="Other")["number"]
    mine = tracker.post(TIMES.format(number), {"time": 100}).json["id"]
    theirs = tracker.post(TIMES.format(number), {"time": 200}, as_user="wanda").json["id"]
    elsewhere = f"{TIMES.format(other)}/{mine}"
    assert tracker.delete(elsewhere).status_code == 404
    assert tracker.delete(f"{TIMES.format(number)}/{theirs}").status_code == 403
    assert tracker.delete(f"{TIMES.format(number)}/{theirs}", as_user="root").status_code == 204
    assert tracker.delete(f"{TIMES.format(number)}/{theirs}", as_user="root").status_code == 404
    tracker.post(TIMES.format(number), {"time": 50})
    assert tracker.delete(TIMES.format(number)).status_code == 204
    assert tracker.delete(TIMES.format(number)).status_code == 404
    assert tracker.get(TIMES.format(number)).json == []
    assert tracker.delete(f"{TIMES.format(number)}/{mine}").status_code == 404


def test_the_repositorys_tracker_switches(tracker):
    number = tracker.issue()["number"]
    switched = tracker.patch("/repos/alice/tracker", {"internal_tracker": {
        "enable_time_tracker": True, "allow_only_contributors_to_track_time": False}})
    assert switched.status_code == 200, switched.text
    assert switched.json["internal_tracker"]["allow_only_contributors_to_track_time"] is False
    assert tracker.post(TIMES.format(number), {"time": 5}, as_user="rita").status_code == 200
    tracker.patch("/repos/alice/tracker", {"internal_tracker": {"enable_time_tracker": False}})
    assert tracker.get(TIMES.format(number)).status_code == 404
    refused = tracker.post(TIMES.format(number), {"time": 5})
    assert refused.status_code == 400 and refused.json["message"] == "time tracking disabled"
    assert tracker.delete(TIMES.format(number)).status_code == 400
    assert tracker.get("/repos/alice/tracker/times").status_code == 400
    assert tracker.post(STOPWATCH.format(number, "start")).status_code == 403


def test_repository_and_user_lists(tracker):
    first, second = tracker.issue()["number"], tracker.issue(title="Two")["number"]
    vault = tracker.issue("alice/vault")["number"]
    for number, seconds in ((first, 10), (second, 20)):
        tracker.post(TIMES.format(number), {"time": seconds}, as_user="wanda")
    tracker.post(TIMES.format(first), {"time": 30})
    tracker.post(f"/repos/alice/vault/issues/{vault}/times", {"time": 40}, as_user="wanda")
    everyone = tracker.get("/repos/alice/tracker/times", params={"limit": "2"})
    assert everyone.headers["X-Total-Count"] == "3" and len(everyone.json) == 2
    assert _times(tracker.get("/repos/alice/tracker/times", as_user="rita")) == []
    assert _times(tracker.get("/repos/alice/tracker/times", params={"user": "alice"})) \
        == [("alice", 30)]
    assert _times(tracker.get("/repos/alice/tracker/times/wanda")) == [("wanda", 10), ("wanda", 20)]
    assert tracker.get("/repos/alice/tracker/times/alice", as_user="rita").status_code == 403
    assert tracker.get("/repos/alice/tracker/times/nobody").status_code == 404
    mine = tracker.get("/user/times", as_user="wanda")
    assert mine.headers["X-Total-Count"] == "3"
    assert [(t["issue"]["repository"]["full_name"], t["time"]) for t in mine.json] == [
        ("alice/tracker", 10), ("alice/tracker", 20), ("alice/vault", 40)]
    assert tracker.get("/user/times", as_user=None).status_code == 401
    # A private repository's times are not there for those who cannot see it.
    assert tracker.get("/repos/alice/vault/times", as_user="oscar").status_code == 404
    assert tracker.get(f"/repos/alice/vault/issues/{vault}/times",
                       as_user="oscar").status_code == 404


def test_an_archived_repository_takes_no_time(tracker):
    number = tracker.issue()["number"]
    tracker.patch("/repos/alice/tracker", {"archived": True})
    assert tracker.post(TIMES.format(number), {"time": 5}).status_code == 423
    assert tracker.post(STOPWATCH.format(number, "start")).status_code == 423
    assert tracker.get(TIMES.format(number)).status_code == 200


def test_times_and_stopwatches_go_with_their_issue_repository_or_user(tracker):
    def track(repo: str, user: str) -> None:
        number = tracker.issue(repo)["number"]
        assert tracker.post(f"/repos/{repo}/issues/{number}/times", {"time": 5},
                            as_user=user).status_code == 200
        assert tracker.post(f"/repos/{repo}/issues/{number}/stopwatch/start",
                            as_user=user).status_code == 201

    track("alice/tracker", "wanda")
    assert tracker.delete("/repos/alice/tracker/issues/1").status_code == 204
    assert (TrackedTime.select().count(), Stopwatch.select().count()) == (0, 0)
    track("alice/vault", "alice")
    assert tracker.delete("/repos/alice/vault").status_code == 204
    assert (TrackedTime.select().count(), Stopwatch.select().count()) == (0, 0)
    track("alice/tracker", "wanda")
    assert tracker.delete("/admin/users/wanda", as_user="root").status_code == 204
    assert (TrackedTime.select().count(), Stopwatch.select().count()) == (0, 0)


def test_a_page_of_times_costs_the_same_statements_on_100_and_10000_rows(tracker):
    issues = [tracker.issue(title=f"Issue {n}") for n in range(3)]
    tracker.post(TIMES.format(issues[0]["number"]), {"time": 1})
    owner_id = TrackedTime.get().user_id

    def grow_to(size: int) -> None:
        missing = size - TrackedTime.select().count()
        TrackedTime.insert_many([{"issue": issues[n % 3]["id"], "user": owner_id, "time": n,
                                  "created_at": now()} for n in range(missing)]).execute()

    def statements() -> int:
        with recorded_statements(tracker.ctx.db) as sent:
            response = tracker.get("/repos/alice/tracker/times", params={"limit": "30"})
        assert response.status_code == 200 and len(response.json) == 30
        return len(sent)

    grow_to(100)
    small = statements()
    grow_to(10_000)
    assert tracker.get("/repos/alice/tracker/times").headers["X-Total-Count"] == "10000"
    assert statements() == small


def test_the_timeline_shows_giteas_time_tracking_events(tracker):
    number = tracker.issue()["number"]
    tracker.post(STOPWATCH.format(number, "start"))
    Stopwatch.update(created_at=now() - datetime.timedelta(seconds=90)).execute()
    tracker.post(STOPWATCH.format(number, "stop"))
    tracker.post(STOPWATCH.format(number, "start"))
    tracker.delete(STOPWATCH.format(number, "delete"))
    added = tracker.post(TIMES.format(number), {"time": 7200}).json
    tracker.delete(f"{TIMES.format(number)}/{added['id']}", as_user="root")
    tracker.post(TIMES.format(number), {"time": 60}, as_user="wanda")
    tracker.delete(TIMES.format(number), as_user="wanda")
    events = tracker.get(f"/repos/alice/tracker/issues/{number}/timeline").json
    assert [(e["type"], e["body"], e["user"]["login"]) for e in events] == [
        ("start_tracking", "", "alice"), ("stop_tracking", "1 minute", "alice"),
        ("start_tracking", "", "alice"), ("cancel_tracking", "", "alice"),
        ("add_time_manual", "2 hours", "alice"), ("delete_time_manual", "2 hours", "alice"),
        ("add_time_manual", "1 minute", "wanda"), ("delete_time_manual", "1 minute", "wanda")]
    stopped = events[1]["tracked_time"]
    assert stopped["time"] in (90, 91) and stopped["issue"]["number"] == number
    # A deleted time leaves its event naming none.
    assert events[4]["tracked_time"] is None
    page = tracker.client.simulate_get(f"/alice/tracker/issues/{number}").text
    assert 'stopped working, spent <strong class="time-spent">1 minute</strong>' in page
    assert 'added spent time <strong class="time-spent">2 hours</strong>' in page


def test_times_past_64_bits_together_are_summed_not_a_server_error(tracker):
    """Each time may be any int64, as Gitea's; two of the largest sum past 64 bits (SQLite's
    SUM raised "integer overflow": the issue page and the reset were a 500)."""
    number = tracker.issue()["number"]
    for _ in range(2):
        added = tracker.post(TIMES.format(number), {"time": 2 ** 63 - 1})
        assert added.status_code == 200, added.text
    page = tracker.client.simulate_get(f"/alice/tracker/issues/{number}",
                                       headers={"Accept": "text/html", **tracker.auth("alice")})
    assert page.status_code == 200
    assert tracker.delete(TIMES.format(number)).status_code == 204
    assert tracker.delete(TIMES.format(number)).status_code == 404  # nothing left
