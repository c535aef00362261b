"""The statements of a push that starts a run (issue 13, push-to-pickup): counted, never
timed. A one-commit contents-API commit that triggers one workflow reads the repository's
disabled workflows and schedules once (in one statement, for its schedules and its runs),
writes no schedule when its cron lines did not change, bumps the three queue versions in one
statement that returns the new ones (it was three upserts and a select), reads the
repository row once in its transaction, asks which webhooks may hear it once, and writes the
run row once."""

from __future__ import annotations

import base64
import re

from plue_actions import wakeups
from plue_actions.models import TasksVersion
from plue_core.db import connection, is_sqlite
from plue_core.testing import recorded_statements
from plue_actions.testing import ONE_JOB


# Every statement of that commit (the forge signs in with Basic: the credential's lookup
# with its login-lock counters) to the ref journal's cleanup. Changing it is a decision: say
# why in the commit. (Was 40, then 36, then 25: docs/serving.md, push-to-pickup; 24 since the
# run's status is worked out from the jobs it has just written instead of reading them back;
# 22 since the recording runs in the write's own transaction, without a SAVEPOINT and
# RELEASE; 21 since Basic auth reads the login-lock counters with the account; 22 since a
# push is checked against the repository's tag protections: one indexed read of its rules,
# none or few, beside the branch protections' own.)
PUSH_STATEMENTS = 22
# PostgreSQL adds the run number's advisory lock and the wake-up's NOTIFY.
ON_POSTGRESQL = 2


def statements_of_a_push(forge) -> list[str]:
    body = {"content": base64.b64encode(b"a file\n").decode(), "message": "a file"}
    with recorded_statements(forge.ctx.db) as statements:
        response = forge.api("POST", f"/repos/{forge.repo}/contents/second.txt", body)
    assert response.status_code == 201, response.text
    return statements


def test_a_push_that_starts_one_run_costs_its_statements_once(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    statements = statements_of_a_push(actions_forge)
    assert len([s for s in statements if s.startswith("INSERT INTO \"action_run\"")]) == 1
    touching = {table: [s for s in statements if re.search(rf'(FROM|INTO|UPDATE) "{table}"', s)]
                for table in ("action_workflow_state", "action_tasks_version", "action_schedule",
                              "repository", "webhook", "action_run")}
    assert len(touching["action_workflow_state"]) == 1, touching
    assert touching["action_schedule"] == touching["action_workflow_state"]  # the same one
    assert len(touching["action_tasks_version"]) == 1, touching
    assert "RETURNING" in touching["action_tasks_version"][0]
    # The request's lookup, then the fresh read in the push's transaction (which updates it).
    assert [s.split()[0] for s in touching["repository"]] == ["SELECT", "SELECT", "UPDATE"]
    assert len(touching["webhook"]) == 1, touching  # push, run, job and status: one audience
    assert [s.split()[0] for s in touching["action_run"]] == ["SELECT", "INSERT"]  # its number
    assert not [s for s in statements if "SAVEPOINT" in s]  # one transaction, no nesting
    expected = PUSH_STATEMENTS + (0 if is_sqlite(actions_forge.ctx.db) else ON_POSTGRESQL)
    assert len(statements) == expected, "\n".join(s[:160] for s in statements)


def test_bumping_the_versions_returns_the_global_one_whatever_the_scope(actions_forge):
    ctx = actions_forge.ctx
    with connection(ctx.db), ctx.db.atomic():
        before = wakeups.current_version()
        first = wakeups.bump_versions(ctx.db, 7, 9)
        second = wakeups.bump_versions(ctx.db, 0, 9)  # no owner: the scopes overlap
        third = wakeups.bump_versions(ctx.db, 0, 0)
        versions = {(row.owner_id, row.repository_id): row.version
                    for row in TasksVersion.select()}
    assert (first, second, third) == (before + 1, before + 2, before + 3)
    assert versions[(7, 0)] == 2 and versions[(0, 9)] == 3
