"""The rows bench/push_to_pickup.py and bench/mixed_load.py print (issue 13 items 5 and 6):
a ``git push`` is timed from its push request (the POST to git-receive-pack, as git's
GIT_TRACE_CURL stamps it) with the whole command beside it, and the mixed load's API p99 is
shown next to each same-run baseline (alone, with only clones, pushes or runners) and per
path. Checked on made-up figures: no benchmark runs here."""

from __future__ import annotations

import pathlib
import sys

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import mixed_load  # noqa: E402
import push_to_pickup  # noqa: E402


def _figures(p50, p95, command_p50, command_p95):
    return {"p50": p50, "p95": p95, "max": p95, "push_p50": p50 / 2, "push_p95": p95 / 2,
            "command_p50": command_p50, "command_p95": command_p95, "count": 20}


def test_a_git_push_is_judged_from_its_push_request_with_the_whole_command_beside_it():
    result = {"database": "SQLite", "idle": {"held_qps": 0.08, "watcher_qps": 0.2,
                                             "polling_qps": 1.5},
              "kinds": {"git push over HTTP": _figures(0.050, 0.110, 0.120, 0.180),
                        "contents-API commit": _figures(0.070, 0.100, 0.070, 0.100)}}
    git_push, contents, idle = push_to_pickup.table_rows(result)
    assert git_push.target.startswith("push-to-pickup, git push over HTTP (from its push request)")
    assert git_push.met is True  # 50 / 110 ms from the request, though 120 / 180 as a command
    assert "from the start of the `git push` command: p50 120 ms, p95 180 ms" in git_push.baseline
    assert contents.met is False  # p50 70 ms
    assert "`git push` command" not in contents.baseline  # its request is the whole call
    assert idle.met is True


def test_the_mixed_load_row_gives_each_same_run_baseline_and_each_path():
    outcomes = mixed_load.Outcomes()
    for kind, seconds in (("baseline", 0.010), ("api with clones only", 0.020),
                          ("api with pushes only", 0.150), ("api with runners only", 0.030)):
        outcomes.record(kind, seconds, detail="/user")
    outcomes.record("api", 0.040, detail="/user")
    outcomes.record("api", 0.200, detail="/repos/bench/small")
    result = {"outcomes": outcomes, "lost": {"pushes_missing": []}, "elapsed": 60.0,
              "seconds": 60.0, "backend": "host", "database": "SQLite", "pushed": 60}
    p99, errors, lost = mixed_load.table_rows(result)
    assert p99.met is False
    assert "per path: /repos/bench/small: p99 200 ms, p50 200 ms; /user: p99 40 ms" in p99.measured
    assert p99.baseline == (
        "same API mix and rate alone: p99 10 ms, p50 10 ms; with clones only: p99 20 ms, "
        "p50 20 ms; with pushes only: p99 150 ms, p50 150 ms; with runners only: p99 30 ms, "
        "p50 30 ms")
    assert errors.met is True and lost.met is True


def test_the_timeline_totals_pickup_from_the_push_request_and_from_the_command():
    import push_timeline

    marks = {"git push starts": 10.0, "receive-pack sent": 10.06, "FetchTask answered": 10.16,
             "UpdateTask answered": 10.17}
    rows = {name: ms for name, ms, _ in push_timeline.stage_rows([{"marks": marks,
                                                                   "statements": []}])}
    from_request = "push request (POST git-receive-pack sent) to the job at the runner (pickup)"
    assert round(rows[from_request]) == 100
    assert round(rows["push request to the job in progress (UpdateTask answered)"]) == 110
    assert round(rows["git push command start to the job at the runner"]) == 160


def test_the_cpu_line_gives_each_party_per_wall_second_of_each_phase():
    result = {"seconds": 60.0, "elapsed": 80.0, "cpu": {
        "baseline": {"server Python": 3.0, "server's git": 0.0},
        "api": {"server Python": 40.0, "server's git": 60.0}}}
    assert mixed_load.cpu_line(result) == (
        "API alone: server Python 0.20, server's git 0.00; "
        "everything: server Python 0.50, server's git 0.75")
