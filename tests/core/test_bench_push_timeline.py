"""bench/push_timeline.py reads a push's marks from the server log (Plue's DEBUG lines and
peewee's statements) and from git's GIT_TRACE_CURL; a mark it cannot read leaves a stage blank,
so its parsers are checked here on lines as the server and git write them."""

from __future__ import annotations

import datetime
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bench"))

import push_timeline  # noqa: E402

LOG = """\
2026-12-06 19:25:01,100 DEBUG plue.git_hosting.smart_http: push to bench/bench: request in
2026-12-06 19:25:01,103 DEBUG plue.git_hosting.transport: git receive-pack --stateless-rpc: spawned
2026-12-06 19:25:01,104 DEBUG peewee: ('SELECT 1', [])
2026-12-06 19:25:01,130 DEBUG plue.git_hosting.transport: git receive-pack --stateless-rpc: exited
2026-12-06 19:25:01,150 DEBUG plue.git_hosting.ref_updates: push to bench/bench: recorded, committed
2026-12-06 19:25:01,160 DEBUG plue.actions.runner_service: FetchTask of runner 1: claimed task 7
2026-12-06 19:25:09,000 DEBUG plue.git_hosting.smart_http: push to bench/bench: request in
"""

TRACE = """\
19:25:01.000100 http.c:703              => Send header: GET /bench/bench.git/info/refs?service=git-receive-pack HTTP/1.1
19:25:01.003000 http.c:703              <= Recv header: HTTP/1.1 401 Unauthorized
19:25:01.003500 http.c:703              => Send header: GET /bench/bench.git/info/refs?service=git-receive-pack HTTP/1.1
19:25:01.010000 http.c:703              <= Recv header: HTTP/1.1 200 OK
19:25:01.090000 http.c:703              => Send header: POST /bench/bench.git/git-receive-pack HTTP/1.1
"""


def _at(clock: str) -> float:
    return time.mktime(time.strptime(f"2026-12-06 {clock}", "%Y-%m-%d %H:%M:%S"))


def test_the_server_log_gives_each_mark_once_and_the_statements_within_the_push():
    marks, statements = push_timeline.server_events(LOG, _at("19:25:01"), _at("19:25:02"))
    assert marks == {"push request in": _at("19:25:01") + 0.100,
                     "receive-pack spawned": _at("19:25:01") + 0.103,
                     "receive-pack exited": _at("19:25:01") + 0.130,
                     "push committed": _at("19:25:01") + 0.150,
                     "task claimed": _at("19:25:01") + 0.160}
    assert statements == [_at("19:25:01") + 0.104]


def test_the_curl_trace_gives_the_requests_and_the_401_git_asks_for_first():
    marks = push_timeline.client_events(TRACE, datetime.date(2026, 12, 6))
    start = _at("19:25:01")
    assert {name: round(at - start, 6) for name, at in marks.items()} == {
        "info/refs sent": 0.0001, "info/refs refused (401)": 0.003,
        "info/refs sent again": 0.0035, "info/refs headers": 0.01, "receive-pack sent": 0.09}


def test_a_stage_is_the_median_of_its_pushes_and_counts_the_statements_inside_it():
    pushes = [{"marks": {"FetchTask woken": 10.0, "task claimed": 10.0 + took}, "statements": run}
              for took, run in ((0.010, [10.001, 10.002]), (0.030, [10.005]), (0.020, []))]
    rows = {name: (ms, count) for name, ms, count in push_timeline.stage_rows(pushes)}
    ms, count = rows["FetchTask: versions read, job claimed"]
    assert (round(ms, 1), count) == (20.0, 1)
    assert rows["FetchTask: task payload, answer at the runner"] == (None, None)  # no marks
