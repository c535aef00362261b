"""runner.v1 at the protocol level: registration, auth, codecs, the held FetchTask, the
atomic claim, logs, cancel and the heartbeat reaper, driven as a runner drives them."""

import datetime
import threading
import time

from google.protobuf import json_format

from plue_core.db import connection
from plue_actions import scheduled_jobs as reapers
from plue_actions.models import Task
from plue_actions.protocol.messages import message_class
from plue_actions.testing import ONE_JOB, ProtocolRunner, transport_for_client


MATRIX = """
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    steps:
      - run: echo ${{ matrix.n }}
"""


def test_register_with_an_unknown_registration_token_is_unauthenticated(actions_forge):
    runner = ProtocolRunner(transport_for_client(actions_forge.client))
    body = runner.call("Register", {"name": "r", "token": "f" * 40}, expect=401)
    assert body["code"] == "unauthenticated" and "registration token" in body["message"]


def test_calls_without_runner_credentials_are_unauthenticated(actions_forge):
    runner = ProtocolRunner(transport_for_client(actions_forge.client))
    assert runner.call("FetchTask", {}, expect=401)["code"] == "unauthenticated"
    runner.uuid, runner.token = "00000000-0000-0000-0000-000000000000", "x"
    assert runner.call("Declare", {}, expect=401)["message"] == "unregistered runner"


def test_an_unknown_method_is_not_found_in_connect_shape(actions_forge):
    runner = actions_forge.runner()
    body = runner.call("FetchSomething", {}, expect=404)
    assert body["code"] == "not_found"


def test_declare_replaces_labels_and_only_matching_runners_get_the_job(actions_forge):
    runner = actions_forge.runner(labels=("windows",))
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    assert runner.fetch(timeout_ms=500) is None
    declared = runner.declare(("ubuntu-latest:docker://busybox", "self-hosted"))
    assert declared["labels"] == ["ubuntu-latest", "self-hosted"]
    assert runner.fetch(timeout_ms=500) is not None


def test_fetch_task_speaks_binary_protobuf(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    request = message_class("runner.v1.FetchTaskRequest")(tasks_version=0)
    result = actions_forge.client.simulate_post(
        "/api/actions/runner.v1.RunnerService/FetchTask", body=request.SerializeToString(),
        headers={"Content-Type": "application/proto", **runner.headers})
    assert result.status_code == 200 and result.headers["content-type"] == "application/proto"
    reply = message_class("runner.v1.FetchTaskResponse").FromString(result.content)
    assert reply.task.id > 0 and b"echo one" in reply.task.workflow_payload
    context = json_format.MessageToDict(reply.task.context)
    assert context["repository"] == "alice/demo" and reply.tasks_version > 0


def test_an_idle_fetch_is_held_and_wakes_when_a_job_is_queued(actions_forge):
    runner = actions_forge.runner()
    assert runner.fetch(timeout_ms=200) is None  # learn the current version
    outcome = {}

    def fetch():
        started = time.monotonic()
        outcome["task"] = runner.fetch()
        outcome["returned"] = time.monotonic()
        outcome["held"] = outcome["returned"] - started

    thread = threading.Thread(target=fetch)
    thread.start()
    time.sleep(0.7)
    assert thread.is_alive(), "an idle FetchTask must be held, not answered at once"
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    pushed = time.monotonic()
    thread.join(10)
    assert outcome["task"] is not None
    # Woken by the push, not by the hold running out (long_poll_timeout, 25 s): a margin a
    # loaded machine keeps (how fast is for bench/push_to_pickup.py to say).
    assert outcome["returned"] - pushed < 5.0


def test_a_held_fetch_honours_the_clients_connect_timeout(actions_forge):
    runner = actions_forge.runner()
    runner.fetch(timeout_ms=200)
    started = time.monotonic()
    assert runner.fetch(timeout_ms=1500) is None
    assert time.monotonic() - started < 1.4


def test_two_concurrent_fetchers_never_get_the_same_job(actions_forge):
    first, second = actions_forge.runner(name="a"), actions_forge.runner(name="b")
    actions_forge.push_file(".gitea/workflows/ci.yml", MATRIX)
    claimed: list[tuple[str, int]] = []

    def work(runner, name):
        while True:
            task = runner.fetch(timeout_ms=300)
            if task is None:
                return
            claimed.append((name, int(task["id"])))
            runner.update_task(int(task["id"]), "RESULT_SUCCESS")

    threads = [threading.Thread(target=work, args=(r, n)) for r, n in ((first, "a"), (second, "b"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    task_ids = [task_id for _, task_id in claimed]
    assert len(task_ids) == 10 and len(set(task_ids)) == 10
    with connection(actions_forge.ctx.db):
        job_ids = [Task.get_by_id(task_id).job_id for task_id in task_ids]
    assert len(set(job_ids)) == 10
    run = actions_forge.runs()[0]
    assert (run["status"], run["conclusion"]) == ("completed", "success")


def test_logs_are_masked_acked_idempotent_and_closed_by_no_more(actions_forge):
    assert actions_forge.api("PUT", "/repos/alice/demo/actions/secrets/PASSWORD",
                             {"data": "hunter2"}).status_code == 201
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task = runner.fetch()
    task_id = int(task["id"])
    assert task["secrets"]["PASSWORD"] == "hunter2"
    assert runner.update_log(task_id, 0, ["the password is hunter2", "::add-mask::s3cr3t"])["ackIndex"] == "2"
    # a re-send overlapping what is stored adds only the new line
    assert runner.update_log(task_id, 1, ["::add-mask::s3cr3t", "value s3cr3t here"])["ackIndex"] == "3"
    # a gap is refused by answering the current ack
    assert runner.update_log(task_id, 7, ["lost"])["ackIndex"] == "3"
    job_id = actions_forge.jobs(actions_forge.runs()[0]["id"])[0]["id"]
    live = actions_forge.api("GET", f"/repos/alice/demo/actions/jobs/{job_id}/logs").text
    assert "hunter2" not in live and "s3cr3t" not in live
    assert "the password is ***" in live and "value *** here" in live
    assert runner.update_log(task_id, 3, ["last"], no_more=True)["ackIndex"] == "4"
    closed = runner.update_log(task_id, 4, ["late"], expect=409)
    assert closed["code"] == "already_exists"
    archived = actions_forge.api("GET", f"/repos/alice/demo/actions/jobs/{job_id}/logs").text
    assert archived.splitlines()[-1].endswith(" last") and "hunter2" not in archived


def test_outputs_are_stored_once_and_feed_the_jobs_that_need_them(actions_forge):
    workflow = """
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    outputs:
      word: ${{ steps.s.outputs.word }}
    steps:
      - id: s
        run: echo "word=hi" >> $GITHUB_OUTPUT
  b:
    needs: a
    runs-on: ubuntu-latest
    steps:
      - run: echo ${{ needs.a.outputs.word }}
"""
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", workflow)
    first = runner.fetch()
    assert runner.fetch(timeout_ms=300) is None  # b is blocked until a is done
    reply = runner.update_task(int(first["id"]), outputs={"word": "hi"})
    assert reply["sentOutputs"] == ["word"]
    runner.update_task(int(first["id"]), outputs={"word": "changed"})
    runner.update_task(int(first["id"]), "RESULT_SUCCESS")
    second = runner.fetch()
    assert second["needs"]["a"] == {"outputs": {"word": "hi"}, "result": "RESULT_SUCCESS"}


def test_a_failed_need_skips_the_dependent_job(actions_forge):
    workflow = ONE_JOB + """
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo deploy
"""
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", workflow)
    runner.update_task(int(runner.fetch()["id"]), "RESULT_FAILURE")
    run = actions_forge.runs()[0]
    assert (run["status"], run["conclusion"]) == ("completed", "failure")
    conclusions = {job["name"]: job["conclusion"] for job in actions_forge.jobs(run["id"])}
    assert conclusions == {"build": "failure", "deploy": "skipped"}


def test_cancel_reaches_the_runner_in_its_next_update_task(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task_id = int(runner.fetch()["id"])
    assert runner.update_task(task_id)["state"].get("result", "RESULT_UNSPECIFIED") == "RESULT_UNSPECIFIED"
    run_id = actions_forge.runs()[0]["id"]
    assert actions_forge.api("POST", f"/repos/alice/demo/actions/runs/{run_id}/cancel").status_code == 202
    assert runner.update_task(task_id)["state"]["result"] == "RESULT_CANCELLED"
    # the runner's own final report after stopping is ignored: the run stays cancelled
    runner.update_task(task_id, "RESULT_SUCCESS")
    run = actions_forge.runs()[0]
    assert (run["status"], run["conclusion"]) == ("completed", "cancelled")


def test_a_silent_runners_job_fails_after_the_heartbeat_timeout(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    task_id = int(runner.fetch()["id"])
    service = actions_forge.ctx.services["actions"]
    with connection(actions_forge.ctx.db):
        assert reapers.reap_tasks(service) == 0  # still fresh
        stale = datetime.datetime.utcnow() - datetime.timedelta(
            seconds=service.settings["heartbeat_timeout"] + 5)
        Task.update(updated=stale).where(Task.id == task_id).execute()
        assert reapers.reap_tasks(service) == 1
    run = actions_forge.runs()[0]
    assert (run["status"], run["conclusion"]) == ("completed", "failure")
    job = actions_forge.jobs(run["id"])[0]
    log = actions_forge.api("GET", f"/repos/alice/demo/actions/jobs/{job['id']}/logs").text
    assert "no heartbeat" in log
    assert runner.update_task(task_id)["state"]["result"] == "RESULT_FAILURE"


def test_ping_answers_and_unknown_paths_under_api_actions_speak_connect(actions_forge):
    result = actions_forge.client.simulate_post("/api/actions/ping.v1.PingService/Ping",
                                                json={"data": "runner"})
    assert result.status_code == 200 and result.json == {"data": "Hello, runner!"}
    missing = actions_forge.client.simulate_post("/api/actions/nothing.v1.Service/Call", json={})
    assert missing.status_code == 404 and missing.json["code"] == "not_found"


def test_gzip_request_bodies_are_accepted(actions_forge):
    import gzip
    import json as json_module

    runner = actions_forge.runner()
    body = gzip.compress(json_module.dumps({"version": "v2", "labels": ["gz"]}).encode())
    result = actions_forge.client.simulate_post(
        "/api/actions/runner.v1.RunnerService/Declare", body=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip", **runner.headers})
    assert result.status_code == 200 and result.json["runner"]["labels"] == ["gz"]
    broken = actions_forge.client.simulate_post(
        "/api/actions/runner.v1.RunnerService/Declare", body=b"not gzip",
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip", **runner.headers})
    assert broken.status_code == 400 and broken.json["code"] == "invalid_argument"


def test_a_fork_pull_request_gets_no_secrets_but_the_token(actions_forge):
    import types

    from plue_core.db import write_transaction
    from plue_actions import triggers

    assert actions_forge.api("PUT", "/repos/alice/demo/actions/secrets/DEPLOY", {"data": "x"}).status_code == 201
    head = actions_forge.push_file(".gitea/workflows/pr.yml",
                                   ONE_JOB.replace("on: [push]", "on: [pull_request]"))["commit"]["sha"]
    service = actions_forge.ctx.services["actions"]
    with connection(actions_forge.ctx.db), write_transaction(actions_forge.ctx.db):
        repository = service.hosting.find_repository("alice", "demo")
        event = types.SimpleNamespace(name="pull_request", action="opened",
                                      repository_id=repository.id, number=7, title="from a fork",
                                      head_sha=head, head_ref="patch", base_ref="main",
                                      head_repository_id=repository.id + 100, is_fork=True,
                                      sender_id=None, sender="mallory")
        assert len(triggers.on_pull_request(service, event)) == 1
    secrets = actions_forge.runner().fetch()["secrets"]
    assert "DEPLOY" not in secrets and set(secrets) == {"GITHUB_TOKEN", "GITEA_TOKEN"}


def test_max_parallel_hands_out_one_matrix_job_at_a_time(actions_forge):
    workflow = MATRIX.replace("      matrix:", "      max-parallel: 1\n      matrix:").replace(
        "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", "[1, 2]")
    first, second = actions_forge.runner(name="a"), actions_forge.runner(name="b")
    actions_forge.push_file(".gitea/workflows/ci.yml", workflow)
    task = first.fetch()
    assert second.fetch(timeout_ms=300) is None  # the one slot is taken
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.update(task=second.fetch(timeout_ms=10000)))
    thread.start()
    time.sleep(0.3)
    first.update_task(int(task["id"]), "RESULT_SUCCESS")
    thread.join(10)
    assert outcome["task"] is not None
