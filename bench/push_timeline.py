"""The timeline of one ``git push`` to pickup, stage by stage (issue 13 item 5).

``python bench/push_to_pickup.py --timeline N``: the same server, forge and held runner as the
latency rounds, but ``plue serve`` logs at DEBUG and each of N pushes is taken apart from
timestamps, not guesses:

* the client: ``git push`` start and return (this process), its HTTP requests
  (``GIT_TRACE_CURL``: when each request was sent and its answer's headers came back);
* git on the server: the pushed commit's object file and the branch's ref file, whose
  modification times say when receive-pack unpacked the objects and moved the ref (the
  kernel's file clock: ±4 ms);
* Plue: its DEBUG log (receive-pack spawned and exited, the workflow files read, the
  transaction committed, the answer sent; the wake-up seen, the held FetchTask woken, the task
  claimed; the UpdateTask), and peewee's line per statement, counted per stage;
* the runner: FetchTask's answer and an UpdateTask in progress (this process).

Each stage is the time between two of these marks; the table gives the median over the pushes
(the first, warm-up push left out) and the statements run in it.
"""

from __future__ import annotations

import datetime
import os
import pathlib
import re
import statistics
import threading
import time

LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) \w+ ([\w.]+): (.*)$")
CURL_LINE = re.compile(r"^(\d\d:\d\d:\d\d\.\d{6}) http\.c:\d+ +(=>|<=) (Send|Recv) header: (.*)$")

# (mark, the server log's logger and a pattern of its message). The first line matching after
# the push started gives the mark; "statement" lines (peewee) are counted, not marked.
SERVER_MARKS = (
    ("advertise spawned", "plue.git_hosting.transport", "git receive-pack --stateless-rpc --advertise-refs: spawned"),
    ("advertise exited", "plue.git_hosting.transport", "git receive-pack --stateless-rpc --advertise-refs: exited"),
    ("push request in", "plue.git_hosting.smart_http", "push to .*: request in"),
    ("receive-pack spawning", "plue.git_hosting.transport", "git receive-pack --stateless-rpc: spawning"),
    ("receive-pack spawned", "plue.git_hosting.transport", "git receive-pack --stateless-rpc: spawned"),
    ("receive-pack exited", "plue.git_hosting.transport", "git receive-pack --stateless-rpc: exited"),
    ("workflow files read", "plue.actions.triggers", "push to .*: \\d+ workflow files read"),
    ("push committed", "plue.git_hosting.ref_updates", "push to .*: recorded, committed"),
    ("push answered", "plue.git_hosting.smart_http", "push to .*: answered"),
    ("wake-up seen", "plue.actions.wakeups", "queue version \\d+ seen"),
    ("FetchTask woken", "plue.actions.runner_service", "FetchTask of runner \\d+: woken"),
    ("task claimed", "plue.actions.runner_service", "FetchTask of runner \\d+: claimed task \\d+"),
    ("UpdateTask done", "plue.actions.runner_service", "UpdateTask of runner \\d+: task \\d+ updated"),
)

# (stage, from mark, to mark), in the order a push goes through them.
STAGES = (
    ("client: git push starts, remote-http, GET info/refs sent", "git push starts", "info/refs sent"),
    ("info/refs: 401 without credentials, sent again with them", "info/refs sent", "info/refs sent again"),
    ("info/refs: auth, receive-pack --advertise-refs spawned", "info/refs sent again", "advertise spawned"),
    ("info/refs: advertise-refs runs", "advertise spawned", "advertise exited"),
    ("client: refs read, pack built, POST git-receive-pack sent", "advertise exited", "receive-pack sent"),
    ("POST: request in (auth, repository, policy)", "receive-pack sent", "push request in"),
    ("POST: write lock, journal, receive-pack spawned", "push request in", "receive-pack spawned"),
    ("receive-pack: objects unpacked", "receive-pack spawned", "objects written"),
    ("receive-pack: connectivity check, ref moved", "objects written", "ref moved"),
    ("receive-pack: after the ref (hooks, auto gc), exit", "ref moved", "receive-pack exited"),
    ("Plue: branch rows, repository row, events up to workflows read", "receive-pack exited", "workflow files read"),
    ("Plue: runs created, statuses, webhooks, commit", "workflow files read", "push committed"),
    ("Plue: answer sent", "push committed", "push answered"),
    ("client: git push returns", "push answered", "git push returns"),
    ("wake-up: commit to the watcher seeing it", "push committed", "wake-up seen"),
    ("wake-up: held FetchTask woken", "wake-up seen", "FetchTask woken"),
    ("FetchTask: versions read, job claimed", "FetchTask woken", "task claimed"),
    ("FetchTask: task payload, answer at the runner", "task claimed", "FetchTask answered"),
    ("UpdateTask (in progress) round trip", "FetchTask answered", "UpdateTask answered"),
)
TOTALS = (
    ("push request (POST git-receive-pack sent) to the job at the runner (pickup)",
     "receive-pack sent", "FetchTask answered"),
    ("push request to the job in progress (UpdateTask answered)", "receive-pack sent",
     "UpdateTask answered"),
    ("git push command start to the job at the runner", "git push starts", "FetchTask answered"),
    ("push start to git push returning", "git push starts", "git push returns"),
    ("push start to the push's commit", "git push starts", "push committed"),
    ("the push's commit to the job at the runner", "push committed", "FetchTask answered"),
)


def _local_epoch(text: str, fraction: float) -> float:
    return time.mktime(time.strptime(text, "%Y-%m-%d %H:%M:%S")) + fraction


def server_events(log_text: str, since: float, until: float) -> tuple[dict, list[float]]:
    """The first time of each mark in [since, until], and the times of the statements."""
    marks: dict[str, float] = {}
    statements: list[float] = []
    for line in log_text.splitlines():
        found = LOG_LINE.match(line)
        if not found:
            continue
        at = _local_epoch(found[1], int(found[2]) / 1000)
        if not since - 0.002 <= at <= until + 0.002:
            continue
        logger, message = found[3], found[4]
        if logger == "peewee":
            statements.append(at)
            continue
        for mark, name, pattern in SERVER_MARKS:
            if logger == name and mark not in marks and re.fullmatch(pattern, message):
                marks[mark] = at
    return marks, statements


def client_events(trace: str, day: datetime.date) -> dict:
    """The client's requests from GIT_TRACE_CURL: each sent (its request line; "again" after a
    401 asking for the credentials git holds) and its status line received (a streamed
    answer's headers leave with its first chunk)."""
    marks: dict[str, float] = {}
    current = None
    for line in trace.splitlines():
        found = CURL_LINE.match(line)
        if not found:
            continue
        clock = datetime.datetime.combine(day, datetime.time.fromisoformat(found[1]))
        at = time.mktime(clock.timetuple()) + clock.microsecond / 1e6
        header = found[4]
        if found[3] == "Send" and header.startswith(("GET ", "POST ")):
            current = "info/refs" if "info/refs" in header else "receive-pack"
            marks[f"{current} sent again" if f"{current} sent" in marks else f"{current} sent"] = at
        elif found[3] == "Recv" and header.startswith("HTTP/") and current:
            status = header.split()[1]
            if status == "401":
                marks[f"{current} refused (401)"] = at
            elif not status.startswith("1"):
                marks[f"{current} headers"] = at
    return marks


def file_time(path: pathlib.Path) -> float | None:
    try:
        return path.stat().st_mtime_ns / 1e9
    except OSError:
        return None


def push_once(forge, git_env: dict, trace: pathlib.Path, bare: pathlib.Path, log_path: pathlib.Path,
              git) -> dict:
    """One push taken apart: every mark's time (epoch seconds) and the statements' times."""
    forge.counter += 1
    (forge.work / "n.txt").write_text(f"{forge.counter}\n")
    git("add", "n.txt", cwd=forge.work)
    git("commit", "-q", "-m", f"timeline {forge.counter}", cwd=forge.work)
    sha = git("rev-parse", "HEAD", cwd=forge.work)
    got: dict = {}

    def held():
        task = forge.runner.fetch(timeout_ms=30000)
        got["FetchTask answered"] = time.time()
        got["task"] = task
        if task is not None:
            forge.runner.update_task(int(task["id"]))  # in progress, as a runner's first report
            got["UpdateTask answered"] = time.time()

    thread = threading.Thread(target=held)
    thread.start()
    time.sleep(0.25)  # the runner is idle and held by the server
    trace.unlink(missing_ok=True)
    started = time.time()
    forge_push(forge, git_env, trace)
    returned = time.time()
    thread.join(35)
    forge.finish(got.pop("task", None))
    time.sleep(0.05)  # the server's log lines of the last request are written
    marks, statements = server_events(log_path.read_text(), started,
                                      got.get("UpdateTask answered", returned))
    marks.update(client_events(trace.read_text(), datetime.date.today()))
    marks.update(got)
    marks["git push starts"], marks["git push returns"] = started, returned
    for mark, path in (("objects written", bare / "objects" / sha[:2] / sha[2:]),
                       ("ref moved", bare / "refs" / "heads" / "main")):
        at = file_time(path)
        if at is not None:
            marks[mark] = at
    return {"marks": marks, "statements": statements}


def forge_push(forge, git_env: dict, trace: pathlib.Path) -> None:
    import subprocess

    subprocess.run(["git", "push", "-q", "origin", "HEAD:main"], cwd=forge.work, check=True,
                   capture_output=True, env={**git_env, "GIT_TRACE_CURL": str(trace),
                                             "GIT_TRACE_CURL_NO_DATA": "1"})


def stage_rows(pushes: list[dict]) -> list[tuple[str, float | None, float | None]]:
    """(stage, median ms, median statements) for STAGES then TOTALS."""
    rows = []
    for name, start, end in (*STAGES, *TOTALS):
        spans, counts = [], []
        for push in pushes:
            marks = push["marks"]
            if start in marks and end in marks:
                spans.append((marks[end] - marks[start]) * 1000)
                low, high = sorted((marks[start], marks[end]))
                counts.append(sum(low <= at < high for at in push["statements"]))
        rows.append((name, statistics.median(spans) if spans else None,
                     statistics.median(counts) if counts else None))
    return rows


def print_timeline(pushes: list[dict], database: str) -> None:
    last = pushes[-1]["marks"]
    origin = last["git push starts"]
    print(f"\n# one push, mark by mark ({database}; ms after `git push` started)")
    for mark, at in sorted(last.items(), key=lambda item: item[1]):
        print(f"{(at - origin) * 1000:8.1f}  {mark}")
    print(f"\n# stages, median of {len(pushes)} pushes ({database}; statements: peewee's log lines)")
    print(f"{'stage':66} {'ms':>7} {'statements':>10}")
    for name, ms, count in stage_rows(pushes):
        shown = "-" if ms is None else f"{ms:7.1f}"
        counted = "-" if count is None else f"{count:g}"
        print(f"{name:66} {shown:>7} {counted:>10}")


def run(forge, server_dir: pathlib.Path, data_dir: pathlib.Path, git_env: dict, git,
        count: int, database: str) -> list[dict]:
    """``count`` pushes after one warm-up, each taken apart; prints the timeline and table."""
    bare = next(data_dir.rglob("bench.git"))
    trace = server_dir / "curl-trace.txt"
    log_path = server_dir / "server.log"
    os.sync()
    push_once(forge, git_env, trace, bare, log_path, git)  # warm-up: first request of each kind
    pushes = [push_once(forge, git_env, trace, bare, log_path, git) for _ in range(count)]
    print_timeline(pushes, database)
    return pushes
