"""``plue runner register`` and ``plue runner daemon`` as real processes against the runner.v1
protocol test double: register -> declare -> fetch -> execute -> update task/log, capacity,
back-off, and graceful shutdown on SIGTERM/SIGINT."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from plue_workflows.statuses import Status
from plue_runner_agent.config import RunnerState
from plue_runner_agent.daemon import RunnerDaemon
from plue_runner_agent.testing import fast_settings, payload_yaml

PLUE = str(pathlib.Path(sys.executable).with_name("plue"))
# The same click group as `plue runner`, started without building the server's plugin manager.
RUNNER = [sys.executable, "-m", "plue_runner_agent"]


def plue(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*RUNNER, *args], capture_output=True, text=True, timeout=60,
                          **kwargs)


def register(server, tmp_path, labels="linux:host") -> pathlib.Path:
    state_file = tmp_path / ".runner"
    done = plue("register", "--url", server.url, "--token", "reg-token", "--name", "ci-1",
                "--labels", labels, "--file", str(state_file))
    assert done.returncode == 0, done.stderr
    return state_file


def start_daemon(state_file: pathlib.Path, tmp_path, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [*RUNNER, "daemon", "--file", str(state_file), "--workdir", str(tmp_path / "w"),
         "--fetch-timeout", "2", "--fetch-interval", "0.2", "--fetch-interval-max", "1",
         *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.kill()
    return process.communicate(timeout=30)[0]


def test_plue_runner_is_a_command_of_the_plue_cli():
    done = subprocess.run([PLUE, "runner", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "register" in done.stdout and "daemon" in done.stdout


def test_register_writes_private_credentials_and_refuses_to_overwrite(protocol_server, tmp_path):
    state_file = register(protocol_server, tmp_path, "ubuntu:docker://plue-busybox:latest,sh:host")
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
    state = json.loads(state_file.read_text())
    runner = protocol_server.runners[state["uuid"]]
    assert state["token"] == runner["token"] and state["address"] == protocol_server.url
    assert runner["labels"] == ["ubuntu", "sh"]  # only names are declared
    assert state["labels"] == ["ubuntu:docker://plue-busybox:latest", "sh:host"]
    again = plue("register", "--url", protocol_server.url, "--token", "reg-token",
                 "--labels", "linux", "--file", str(state_file))
    assert again.returncode == 1 and "already registered" in again.stderr


@pytest.mark.parametrize("labels, message", [
    ("a:docker://", "expected name:docker://image"),
    ("a:ftp://x", "unknown scheme 'ftp'"),
    ("a,a:host", "given twice"),
])
def test_register_refuses_bad_labels_before_calling_the_server(protocol_server, tmp_path,
                                                              labels, message):
    done = plue("register", "--url", protocol_server.url, "--token", "reg-token",
                "--labels", labels, "--file", str(tmp_path / ".runner"))
    assert done.returncode == 1 and message in done.stderr
    assert protocol_server.runners == {}


def test_register_with_a_wrong_token_says_so(protocol_server, tmp_path):
    done = plue("register", "--url", protocol_server.url, "--token", "nope", "--labels", "linux",
                "--file", str(tmp_path / ".runner"))
    assert done.returncode == 1
    assert "registration token not found" in done.stderr
    assert not (tmp_path / ".runner").exists()


def test_the_daemon_declares_fetches_runs_and_reports_a_job(protocol_server, tmp_path):
    state_file = register(protocol_server, tmp_path)
    daemon = start_daemon(state_file, tmp_path)
    try:
        wait_for(lambda: any(m == "FetchTask" for m, _ in protocol_server.calls), what="a poll")
        record = protocol_server.queue_task(payload_yaml("- run: echo from the daemon"))
        assert record.finished.wait(30)
        assert record.result == Status.SUCCESS
        assert "from the daemon" in record.step_log(0)
        methods = [m for m, _ in protocol_server.calls]
        assert methods[:3] == ["Ping", "Register", "Declare"]
        assert {"FetchTask", "UpdateLog", "UpdateTask"} <= set(methods)
        assert "VIOLATION" not in methods
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=15) == 0
    finally:
        output = stop(daemon)
    assert "stopped" in output


def test_sigterm_lets_the_running_job_finish_and_takes_no_new_one(protocol_server, tmp_path):
    state_file = register(protocol_server, tmp_path)
    daemon = start_daemon(state_file, tmp_path)
    try:
        record = protocol_server.queue_task(payload_yaml(
            "- run: echo begun; sleep 3; echo finished properly"))
        wait_for(lambda: "begun" in record.log, what="the job to start")
        daemon.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        later = protocol_server.queue_task(payload_yaml("- run: echo second"))
        assert daemon.wait(timeout=30) == 0
        assert record.result == Status.SUCCESS
        assert "finished properly" in record.step_log(0)
        assert later.task_json in protocol_server.queue  # left for another runner
    finally:
        stop(daemon)


def test_a_second_signal_cancels_the_running_job_which_still_reports(protocol_server, tmp_path):
    state_file = register(protocol_server, tmp_path)
    daemon = start_daemon(state_file, tmp_path)
    try:
        record = protocol_server.queue_task(payload_yaml("""
            - run: echo begun; sleep 300
            - if: cancelled()
              run: echo "cleanup on cancel"
        """))
        wait_for(lambda: "begun" in record.log, what="the job to start")
        daemon.send_signal(signal.SIGINT)
        time.sleep(0.3)
        daemon.send_signal(signal.SIGINT)
        assert daemon.wait(timeout=30) == 0
        assert record.result == Status.CANCELLED
        assert record.step_results() == ["RESULT_CANCELLED", "RESULT_SUCCESS"]
        assert "cleanup on cancel" in record.step_log(1)
    finally:
        stop(daemon)


def test_a_shutdown_timeout_cancels_jobs_that_run_too_long(protocol_server, tmp_path):
    state_file = register(protocol_server, tmp_path)
    daemon = start_daemon(state_file, tmp_path, "--shutdown-timeout", "1")
    try:
        record = protocol_server.queue_task(payload_yaml("- run: echo begun; sleep 300"))
        wait_for(lambda: "begun" in record.log, what="the job to start")
        started = time.monotonic()
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
        assert time.monotonic() - started < 20
        assert record.result == Status.CANCELLED
    finally:
        stop(daemon)


def test_an_unknown_runner_stops_with_a_clear_error(protocol_server, tmp_path):
    state_file = register(protocol_server, tmp_path)
    protocol_server.runners.clear()  # deleted on the server
    daemon = start_daemon(state_file, tmp_path)
    try:
        assert daemon.wait(timeout=30) == 1
    finally:
        output = stop(daemon)
    assert "register it again" in output


def test_two_daemons_cannot_share_one_registration(protocol_server, tmp_path):
    state_file = register(protocol_server, tmp_path)
    first = start_daemon(state_file, tmp_path)
    try:
        wait_for(lambda: any(m == "FetchTask" for m, _ in protocol_server.calls), what="a poll")
        second = plue("daemon", "--file", str(state_file), "--workdir", str(tmp_path / "w2"))
        assert second.returncode == 1 and "another runner daemon" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=15)
        stop(first)


def in_process_daemon(server, tmp_path, **settings):
    runner_uuid, token = server.register_runner()
    state = RunnerState(address=server.url, uuid=runner_uuid, token=token, name="inproc",
                        labels=["linux:host"])
    daemon = RunnerDaemon(state, fast_settings(tmp_path, **settings))
    thread = threading.Thread(target=daemon.run, daemon=True)
    thread.start()
    return daemon, thread


def test_capacity_runs_that_many_jobs_at_once(protocol_server, tmp_path):
    daemon, thread = in_process_daemon(protocol_server, tmp_path, capacity=2)
    try:
        records = [protocol_server.queue_task(payload_yaml(f"- run: echo job{i}; sleep 4"))
                   for i in range(3)]
        wait_for(lambda: sum(1 for r in records if r.log) >= 2, what="two jobs to start")
        assert len(daemon.running) == 2  # the third waits for a free slot
        assert records[2].log == []
        for record in records:
            assert record.finished.wait(30)
        assert [r.result for r in records] == [Status.SUCCESS] * 3
    finally:
        daemon.shutdown()
        thread.join(30)


def test_an_idle_runner_waits_in_held_polls_not_in_a_busy_loop(protocol_server, tmp_path):
    daemon, thread = in_process_daemon(protocol_server, tmp_path, fetch_timeout=2.0)
    try:
        time.sleep(3.0)
        fetches = sum(1 for m, _ in protocol_server.calls if m == "FetchTask")
        assert 1 <= fetches <= 4  # each poll is held ~1.8 s by the server
        record = protocol_server.queue_task(payload_yaml("- run: echo picked"))
        assert record.finished.wait(30) and record.result == Status.SUCCESS
    finally:
        daemon.shutdown()
        thread.join(30)


def test_fetch_errors_back_off_and_the_runner_recovers(protocol_server, tmp_path):
    protocol_server.fail_next["FetchTask"] = [
        (503, {"code": "unavailable", "message": "restarting"})] * 3
    daemon, thread = in_process_daemon(protocol_server, tmp_path)
    try:
        record = protocol_server.queue_task(payload_yaml("- run: echo recovered"))
        assert record.finished.wait(30) and record.result == Status.SUCCESS
        assert protocol_server.fail_next["FetchTask"] == []
    finally:
        daemon.shutdown()
        thread.join(30)


def test_a_third_signal_stops_the_clean_up_steps_too(protocol_server, tmp_path):
    state_file = register(protocol_server, tmp_path)
    daemon = start_daemon(state_file, tmp_path)
    try:
        record = protocol_server.queue_task(payload_yaml("""
            - run: echo begun; sleep 300
            - if: always()
              run: echo "slow cleanup"; sleep 300
        """))
        wait_for(lambda: "begun" in record.log, what="the job to start")
        daemon.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        daemon.send_signal(signal.SIGTERM)
        wait_for(lambda: "slow cleanup" in record.log, what="the clean-up step")
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
        assert record.result == Status.CANCELLED
        assert record.step_results() == ["RESULT_CANCELLED", "RESULT_CANCELLED"]
    finally:
        stop(daemon)


def _niceness(stat_path) -> int:
    return int(pathlib.Path(stat_path).read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.parametrize("job_niceness", ["4", "0"])
def test_jobs_run_below_the_daemon_whose_own_threads_keep_its_priority(protocol_server, tmp_path,
                                                                       job_niceness):
    """``--job-niceness``: a job's processes run that many steps below the daemon (their
    niceness in /proc/<pid>/stat); the poller that takes jobs stays where it was."""
    base = os.getpriority(os.PRIO_PROCESS, 0)
    state_file = register(protocol_server, tmp_path)
    daemon = start_daemon(state_file, tmp_path, "--job-niceness", job_niceness)
    try:
        wait_for(lambda: any(m == "FetchTask" for m, _ in protocol_server.calls), what="a poll")
        record = protocol_server.queue_task(payload_yaml(
            "- run: echo \"niceness $(cut -d' ' -f19 /proc/self/stat)\""))
        assert record.finished.wait(30)
        assert record.result == Status.SUCCESS
        assert f"niceness {min(19, base + int(job_niceness))}" in record.step_log(0)
        # The job's thread ends just after its last report; the daemon's own stay as they were.
        wait_for(lambda: {_niceness(stat) for stat in pathlib.Path(
            f"/proc/{daemon.pid}/task").glob("*/stat")} == {base}, what="the daemon's threads")
    finally:
        stop(daemon)
