"""FetchTask's statements on the wake-up path: the global and the scope's queue versions in
one query, the claimed run's locked row reused for the task payload (not read again), and a
claim that reads nothing it can tell without reading (issue 13, round nine)."""

from __future__ import annotations

import re

import pytest

from plue_core.testing import recorded_statements
from plue_workflows.statuses import Status, aggregate_job_statuses
from plue_actions.models import Job, Run
from plue_actions.testing import ONE_JOB


TWO_JOBS = ONE_JOB + """  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo there
"""


@pytest.fixture
def recorded(actions_forge):
    """``recorded(call)``: the statements ``call()`` sent, and its result."""
    db = actions_forge.ctx.db

    def record(call):
        with recorded_statements(db) as statements:
            result = call()
        return statements, result
    return record


def _shape(sql: str) -> str:
    """A statement as its verb and table: ``SELECT action_run``, ``UPDATE action_run_job``."""
    if sql.startswith(("SELECT", "(SELECT")):
        return "SELECT " + re.search(r'FROM "(\w+)"', sql).group(1)
    if sql.startswith("INSERT"):
        return "INSERT " + re.match(r'INSERT INTO "(\w+)"', sql).group(1)
    return " ".join(re.match(r'(\w+) "(\w+)"', sql).groups())


def test_a_fetch_reads_the_queue_versions_once_and_the_run_once(actions_forge, recorded):
    runner = actions_forge.runner()  # a repository runner: its scope is not the global one
    assert runner.fetch(timeout_ms=0) is None
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    statements, task = recorded(lambda: runner.fetch(timeout_ms=0))
    assert task is not None and task["context"]["run_number"]

    def selects_from(table: str) -> list[str]:
        return [sql for sql in statements
                if sql.startswith("SELECT") and re.search(rf'FROM "{table}" AS', sql)]

    assert len(selects_from("action_tasks_version")) == 1, statements
    assert len(selects_from("action_run")) == 1, statements  # the claim's locked read


CLAIM_OF_A_WAITING_RUN = [
    "SELECT action_runner",  # the runner by its uuid
    "SELECT action_tasks_version",  # the global and the scope's versions
    "SELECT action_run_job",  # the Waiting jobs of the runner's scope
    "SELECT runnerhub_queue",  # the paused queues, asked at the first job the runner could take
    "SELECT action_run",  # the run locked
    "INSERT action_task",
    "UPDATE action_run_job",  # the claim (WHERE task_id IS NULL AND status = Waiting)
    "INSERT action_task_step",
    "INSERT action_commit_status",  # "Has started running": no read of the last state first
    "SELECT repository",  # the webhooks' payload of the job's events, and who may hear them
    "SELECT webhook",
    "UPDATE action_run",  # Waiting → Running, told by the run's stored status: no jobs read
    "UPDATE action_run_attempt",
    "UPDATE action_runner",  # last_active (debounced: a runner's first claim writes it)
    "SELECT account",  # the task payload: the actor's name
    "SELECT action_secret",  # its secrets and variables, in one statement
]


def test_a_claim_reads_neither_the_last_commit_states_nor_the_jobs_back(actions_forge, recorded):
    """A FetchTask that finds a job: 18 → 16 statements (the runner's first claim), and its
    second claim within the debounce of last_active, in a run already Running, 13."""
    runner = actions_forge.runner()
    assert runner.fetch(timeout_ms=0) is None
    actions_forge.push_file(".gitea/workflows/ci.yml", TWO_JOBS)
    statements, first = recorded(lambda: runner.fetch(timeout_ms=0))
    assert first is not None
    assert [_shape(sql) for sql in statements] == CLAIM_OF_A_WAITING_RUN, statements
    statements, second = recorded(lambda: runner.fetch(timeout_ms=0))
    assert second is not None and second["id"] != first["id"]
    assert [_shape(sql) for sql in statements] == [
        shape for shape in CLAIM_OF_A_WAITING_RUN
        if shape not in ("UPDATE action_run", "UPDATE action_run_attempt", "UPDATE action_runner")
    ] and len(statements) == 13, statements


def _stored_and_aggregate():
    run = Run.get()
    jobs = Job.select().where((Job.run == run.id) & (Job.attempt == run.attempt))
    return Status(run.status), aggregate_job_statuses(
        [(Status(job.status), job.continue_on_error) for job in jobs])


def test_a_claim_stores_the_status_its_jobs_give(actions_forge):
    """The claim tells the run's new status from its stored one: the same as reading its
    jobs, also when a finished job failed while another waited (Waiting, then Running)."""
    runner = actions_forge.runner()
    actions_forge.push_file(".gitea/workflows/ci.yml", TWO_JOBS)
    assert _stored_and_aggregate() == (Status.WAITING, Status.WAITING)
    first = runner.fetch(timeout_ms=0)
    assert _stored_and_aggregate() == (Status.RUNNING, Status.RUNNING)
    runner.update_task(int(first["id"]), "RESULT_FAILURE")
    assert _stored_and_aggregate() == (Status.WAITING, Status.WAITING)
    assert runner.fetch(timeout_ms=0) is not None
    assert _stored_and_aggregate() == (Status.RUNNING, Status.RUNNING)


def test_a_pick_that_finds_no_job_asks_no_claim_filter(actions_forge, recorded):
    runner = actions_forge.runner()
    assert runner.fetch(timeout_ms=0) is None
    runner.tasks_version = 0  # a pick, as after a wake-up another runner won
    statements, task = recorded(lambda: runner.fetch(timeout_ms=0))
    assert task is None
    assert [_shape(sql) for sql in statements] == [
        "SELECT action_runner", "SELECT action_tasks_version", "SELECT action_run_job"], statements
