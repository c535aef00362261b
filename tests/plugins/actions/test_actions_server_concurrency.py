"""Reports that race: two jobs of one run finishing at the same moment, a cancel meeting a
heartbeat. Each side runs in its own transaction, the first held open while the second
starts, which is how two gunicorn threads interleave on PostgreSQL (READ COMMITTED)."""

import threading

from plue_core.db import connection, write_transaction
from plue_core.testing import interleave_transactions as _interleave
from plue_workflows.statuses import Status
from plue_actions import emitter, reporting
from plue_actions.models import Job, Run, Runner, Task

FAN_IN = """
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        flavour: [red, blue]
    steps:
      - run: echo build
  publish:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo publish
"""

LONG = """
on: push
jobs:
  wait:
    runs-on: ubuntu-latest
    steps:
      - run: sleep 300
"""


def _finish(service, runner_uuid: str, task_id: int):
    def work():
        runner = Runner.get(Runner.uuid == runner_uuid)
        reporting.update_task(service, runner, task_id, 1, None, None, [], {})
    return work


def test_matrix_jobs_finishing_together_still_unblock_the_job_that_needs_them(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", FAN_IN)
    red, blue = runner.fetch(), runner.fetch()
    assert red is not None and blue is not None
    service = actions_forge.ctx.services["actions"]

    _interleave(actions_forge.ctx.db, _finish(service, runner.uuid, int(red["id"])),
                _finish(service, runner.uuid, int(blue["id"])))

    with connection(actions_forge.ctx.db):
        publish = Job.get(Job.job_id == "publish")
    assert Status(publish.status) == Status.WAITING
    task = runner.fetch(timeout_ms=3000)
    assert task is not None and "echo publish" in task["workflowPayload"]


def test_a_cancel_is_not_undone_by_a_progress_report_that_raced_it(actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", LONG)
    task_id = int(runner.fetch()["id"])
    service = actions_forge.ctx.services["actions"]

    def cancel():
        run = Run.get()
        emitter.cancel_run(service, run)

    def heartbeat():
        runner_row = Runner.get(Runner.uuid == runner.uuid)
        reporting.update_task(service, runner_row, task_id, 0, None, None, [], {})

    _interleave(actions_forge.ctx.db, cancel, heartbeat)

    with connection(actions_forge.ctx.db):
        assert Status(Task.get_by_id(task_id).status) == Status.CANCELLED
    reply = runner.update_task(task_id)
    assert reply["state"]["result"] == "RESULT_CANCELLED"


def test_a_waiting_job_that_another_transaction_has_locked_is_handed_out_not_skipped(
        actions_forge):
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", LONG)
    db = actions_forge.ctx.db
    locked, release = threading.Event(), threading.Event()

    def touch_the_job():  # e.g. a reaper looking at it
        with connection(db), write_transaction(db):
            Job.update(reason="").where(Job.job_id == "wait").execute()
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=touch_the_job)
    holder.start()
    assert locked.wait(10)
    threading.Timer(0.5, release.set).start()
    task = runner.fetch(timeout_ms=4000)
    holder.join(10)
    assert task is not None and "sleep 300" in task["workflowPayload"]
