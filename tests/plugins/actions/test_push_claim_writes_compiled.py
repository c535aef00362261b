"""A push that starts a run and the claim of its job write through SQL compiled once (issue 13,
push-to-pickup): after the first push and claim, the next ones have peewee build none of
their hot writes' SQL — the ref journal's entry and its deletion, the branch and repository
rows, the run, its attempt and its job, the commit statuses, the task, its steps, the claimed
job, the run's and attempt's status, the runner's activity — nor of their reads of the ref
journal, the branch heads, the repository row, the branch protection rules (every push's
policy), the pushed branch's open pull requests (asked inside the push's transaction, before
its commit wakes the runner) and the paused queues. The statements and their
order stay those of test_push_statements.py and test_fetch_task_statements.py."""

from __future__ import annotations

import base64
import re

import pytest

from plue_core.testing import sql_built_by_peewee

TWO_STEPS = """on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
      - run: echo again
"""
WRITE = re.compile(r'^(INSERT INTO|UPDATE|DELETE FROM) "([a-z_]+)"')
HOT_TABLES = {"repository_ref_journal", "repository_branch", "repository", "action_run",
              "action_run_attempt", "action_run_job", "action_commit_status", "action_task",
              "action_task_step", "action_runner"}


@pytest.fixture
def built_by_peewee():
    with sql_built_by_peewee() as built:
        yield built


def _finish(runner, task) -> None:
    runner.call("UpdateTask", {"state": {"id": task["id"], "result": "RESULT_SUCCESS",
                                         "startedAt": "2026-01-01T00:00:00Z",
                                         "stoppedAt": "2026-01-01T00:00:01Z"}})


READ = re.compile(r'^SELECT .* FROM "(repository_ref_journal|repository_branch|repository|'
                  r'runnerhub_queue|pull_request|branch_protection)" AS')


def _hot_writes(statements: list[str]) -> list[tuple[str, str]]:
    found = [WRITE.match(sql) for sql in statements]
    return [(m.group(1).split()[0], m.group(2)) for m in found
            if m is not None and m.group(2) in HOT_TABLES] + [
        ("SELECT", m.group(1)) for m in map(READ.match, statements) if m is not None]


def test_a_push_and_its_claim_build_no_hot_write(actions_forge, built_by_peewee):
    forge = actions_forge
    runner = forge.runner()
    forge.push_file(".gitea/workflows/ci.yml", TWO_STEPS)
    _finish(runner, runner.fetch(timeout_ms=0))  # the first of each compiles them
    body = {"content": base64.b64encode(b"a file\n").decode(), "message": "a file"}
    built_by_peewee.clear()
    response = forge.api("POST", f"/repos/{forge.repo}/contents/second.txt", body)
    assert response.status_code == 201, response.text
    assert _hot_writes(built_by_peewee) == [], built_by_peewee
    task = runner.fetch(timeout_ms=0)
    assert task is not None
    assert _hot_writes(built_by_peewee) == [], built_by_peewee
    # What they wrote is what a claim writes: the job in progress with its task and steps.
    jobs = forge.jobs(forge.runs()[0]["id"])
    assert [(job["status"], [step["name"] for step in job["steps"]]) for job in jobs] == [
        ("in_progress", ["Run echo hi", "Run echo again"])], jobs
