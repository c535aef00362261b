"""A run's rows are written in bulk (issue 13, push-to-pickup): a push that starts a run of
four jobs writes them in one INSERT, reads their contexts' last commit states in one SELECT
and writes their pending statuses in one INSERT, each row tied to its own job; a claim
writes its task's steps in one INSERT and reads the repository once."""

from __future__ import annotations

import re

from plue_actions.models import CommitStatus, Job, TaskStep
from plue_core.db import connection
from plue_core.testing import recorded_statements

MATRIX = """name: ci
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.10", "3.11", "3.12"]
    steps:
      - run: echo one
      - name: second
        run: echo two
      - uses: actions/checkout@v4
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: echo lint
"""

SAME_NAME = """name: twins
on: push
jobs:
  a:
    name: same
    runs-on: ubuntu-latest
    steps:
      - run: echo a
  b:
    name: same
    runs-on: ubuntu-latest
    steps:
      - run: echo b
"""


def touching(statements: list[str], verb: str, table: str) -> list[str]:
    return [sql for sql in statements
            if sql.startswith(verb) and re.search(rf'(FROM|INTO) "{table}"', sql)]


def test_a_run_of_four_jobs_writes_its_jobs_and_statuses_in_one_statement_each(actions_forge):
    with recorded_statements(actions_forge.ctx.db) as statements:
        actions_forge.push_file(".gitea/workflows/ci.yml", MATRIX)
    assert len(touching(statements, "INSERT", "action_run_job")) == 1, statements
    assert len(touching(statements, "SELECT", "action_commit_status")) == 1, statements
    assert len(touching(statements, "INSERT", "action_commit_status")) == 1, statements
    run = actions_forge.runs()[0]
    jobs = actions_forge.jobs(run["id"])
    assert [job["name"] for job in jobs] == ["build (3.10)", "build (3.11)", "build (3.12)",
                                             "lint"]
    with connection(actions_forge.ctx.db):
        rows = {job.id: job for job in Job.select().where(Job.run == run["id"])}
        statuses = list(CommitStatus.select().where(CommitStatus.sha == run["head_sha"])
                        .order_by(CommitStatus.id))
    assert sorted(rows) == [job["id"] for job in jobs]  # the ids handed back are the rows'
    assert rows[jobs[1]["id"]].matrix == {"python": "3.11"}
    assert "name: build (3.11)" in rows[jobs[1]["id"]].payload
    # Each pending status names its own job, in context and address alike.
    assert len(statuses) == 4
    for status in statuses:
        job = rows[status.job_id]
        assert status.context == f"ci / {job.name} (push)"
        assert status.state == "pending"
        assert status.target_url.endswith(f"/actions/runs/{run['run_number']}/jobs/{job.id}")


def test_two_jobs_of_one_context_add_one_pending_status(actions_forge):
    actions_forge.push_file(".gitea/workflows/twins.yml", SAME_NAME)
    run = actions_forge.runs()[0]
    with connection(actions_forge.ctx.db):
        contexts = [row.context for row in CommitStatus.select()
                    .where(CommitStatus.sha == run["head_sha"])]
    assert contexts == ["twins / same (push)"]  # as when each job read the one before it


def test_a_claim_writes_its_steps_at_once_and_reads_its_repository_once(actions_forge):
    runner = actions_forge.runner()
    assert runner.fetch(timeout_ms=0) is None
    actions_forge.push_file(".gitea/workflows/ci.yml", MATRIX)
    with recorded_statements(actions_forge.ctx.db) as statements:
        task = runner.fetch(timeout_ms=0)
    assert task is not None
    assert len(touching(statements, "INSERT", "action_task_step")) == 1, statements
    assert len(touching(statements, "SELECT", "repository")) == 1, statements
    with connection(actions_forge.ctx.db):
        steps = [(step.index, step.name) for step in TaskStep.select()
                 .where(TaskStep.task == int(task["id"])).order_by(TaskStep.id)]
    assert steps == [(0, "Run echo one"), (1, "second"), (2, "Run actions/checkout@v4")]
