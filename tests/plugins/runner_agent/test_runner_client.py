"""The runner.v1 client: proto3 JSON on the wire, Connect errors, retries; and the reporter's
index/ack handling when the server stores only part of a batch."""

from __future__ import annotations

import pytest

from plue_workflows.statuses import Status
from plue_runner_agent.client import ConnectError, RunnerClient
from plue_runner_agent.protocol import LogRow, StepState, TaskState, utcnow


def test_register_declare_and_fetch_speak_proto3_json(protocol_server):
    client = RunnerClient(protocol_server.url, attempts=1)
    assert client.ping("runner") == "Hello, runner!"
    info = client.register("r1", "reg-token", ["linux", "busybox"])
    assert info.uuid and info.token and info.id == 1 and info.name == "r1"
    client.uuid, client.token = info.uuid, info.token
    declared = client.declare(["linux"])
    assert declared.labels == ["linux"]
    record = protocol_server.queue_task("name: x\non: push\njobs: {}\n", secrets_={"A": "b"})
    task, version = client.fetch_task(0, timeout=2.0)
    assert task.id == record.id and version == protocol_server.tasks_version
    assert task.workflow_payload.startswith(b"name: x")
    assert task.secrets == {"A": "b"} and task.context["repository"] == "alice/demo"
    assert not any(method == "VIOLATION" for method, _ in protocol_server.calls)


def test_a_wrong_registration_token_is_refused_with_the_servers_message(protocol_server):
    client = RunnerClient(protocol_server.url, attempts=1)
    with pytest.raises(ConnectError) as caught:
        client.register("r1", "wrong", ["linux"])
    assert caught.value.code == "invalid_argument"
    assert "registration token" in caught.value.message


def test_unknown_credentials_are_unauthenticated(protocol_server):
    client = RunnerClient(protocol_server.url, "no-such-uuid", "no-token", attempts=1)
    with pytest.raises(ConnectError) as caught:
        client.declare(["linux"])
    assert caught.value.code == "unauthenticated" and caught.value.http_status == 401


def test_transient_errors_are_retried_with_backoff(protocol_server):
    runner_uuid, token = protocol_server.register_runner()
    record = protocol_server.queue_task("jobs: {}")
    protocol_server.fail_next["UpdateLog"] = [
        (503, {"code": "unavailable", "message": "busy"}),
        (502, {"code": "unavailable", "message": "proxy"})]
    delays = []
    client = RunnerClient(protocol_server.url, runner_uuid, token, sleep=delays.append)
    ack = client.update_log(record.id, 0, [LogRow(utcnow(), "one"), LogRow(utcnow(), "two")])
    assert ack == 2 and record.log == ["one", "two"]
    assert len(delays) == 2 and delays[1] > delays[0]
    # Idempotent: the same rows sent again are not stored twice.
    assert client.update_log(record.id, 0, [LogRow(utcnow(), "one")]) == 2


def test_errors_that_retrying_cannot_fix_are_raised_at_once(protocol_server):
    runner_uuid, token = protocol_server.register_runner()
    protocol_server.fail_next["UpdateTask"] = [(400, {"code": "invalid_argument", "message": "x"})]
    delays = []
    client = RunnerClient(protocol_server.url, runner_uuid, token, sleep=delays.append)
    with pytest.raises(ConnectError):
        client.update_task(TaskState(id=1, steps=[StepState(id=0)]))
    assert delays == []


def test_an_unreachable_server_is_unavailable():
    client = RunnerClient("http://127.0.0.1:9", "u", "t", attempts=1)
    with pytest.raises(ConnectError) as caught:
        client.declare(["linux"])
    assert caught.value.code == "unavailable" and caught.value.retryable


def test_the_reporter_resends_what_the_server_did_not_acknowledge(job_runner):
    job_runner.server.max_rows_per_update = 3
    result, task = job_runner.run("""
        - run: for i in $(seq 1 40); do echo "line $i"; done
    """)
    assert result == Status.SUCCESS
    step = task.step_log(0)
    assert [line for line in step if line.startswith("line ")] == \
        [f"line {i}" for i in range(1, 41)]
    assert len(task.log_updates) > 14  # 3 rows at a time
    assert task.no_more
