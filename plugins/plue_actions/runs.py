"""Creating runs from workflows (inside the triggering transaction). A run's status follows its
jobs in run_status.py; the jobs move in emitter.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import peewee

from plue_core.db import CompiledSelect, create_row, insert_rows, is_sqlite, update_row, utcnow

from plue_workflows.errors import WorkflowError
from plue_workflows.statuses import Status
from plue_actions import commit_statuses, emitter
from plue_actions.contexts import planning_contexts
from plue_actions.events import WorkflowRunEvent
from plue_actions.models import Job, Run, RunAttempt
from plue_actions.run_status import refresh_status

if TYPE_CHECKING:
    from plue_workflows import Workflow

_RUN_NUMBER_LOCK = 0x706C7565  # "plue": the advisory lock namespace for run numbers

_LAST_NUMBER = CompiledSelect(
    lambda repository_id: Run.select(peewee.fn.MAX(Run.number))
    .where(Run.repository_id == repository_id).tuples(), int)


def _next_number(db, repository_id: int) -> int:
    """Per-repository run number. On SQLite the write transaction (BEGIN IMMEDIATE) already
    serialises writers; on PostgreSQL a transaction-scoped advisory lock does."""
    if not is_sqlite(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (_RUN_NUMBER_LOCK, repository_id))
    current = _LAST_NUMBER.scalar(repository_id)
    return (current or 0) + 1


def create_run(service, repository, *, workflow_path: str, workflow_id: str, content: str,
               workflow: Workflow | None, error: str | None, event: str, ref: str, sha: str,
               trigger_user_id: int | None, actor: str, payload: dict, title: str,
               inputs: dict | None = None, is_fork_pull_request: bool = False) -> Run:
    """Store a run with its jobs; call inside a write transaction. A workflow that cannot be
    planned gives a failed run whose one job carries the error."""
    now = utcnow()
    run = create_row(  # compiled once, as the attempt and the jobs below
        Run, repository_id=repository.id, owner_id=repository.owner_id,
        number=_next_number(service.ctx.db, repository.id), title=title[:255],
        workflow_id=workflow_id, workflow_path=workflow_path,
        workflow_name=(workflow.name if workflow else workflow_id)[:255], event=event,
        event_payload=payload, inputs=inputs or {}, workflow_content=content, ref=ref,
        commit_sha=sha, trigger_user_id=trigger_user_id,
        is_fork_pull_request=is_fork_pull_request, created=now, updated=now)
    create_row(RunAttempt, run=run, attempt=1, trigger_user_id=trigger_user_id)
    service.ctx.events.publish(WorkflowRunEvent(
        repository_id=run.repository_id, run_id=run.id, action="requested",
        status=int(run.status), trigger_user_id=trigger_user_id))
    planned = []
    if error is None:
        # The planner arrives with the first run (tests/hosts/test_imports_per_process.py).
        from plue_workflows.expressions import EvaluationContext
        from plue_workflows.planning import plan_workflow, run_title

        contexts = planning_contexts(service, run, repository, actor)
        try:
            planned = plan_workflow(workflow, EvaluationContext(contexts=contexts))
            titled = run_title(workflow, EvaluationContext(contexts=contexts), title)[:255]
        except WorkflowError as problem:
            error = str(problem)
    if error is not None:
        return fail_run(service, run, error)
    jobs = []
    for job in planned:
        record = job.as_record()
        jobs.append(Job(
            run=run, repository_id=run.repository_id, owner_id=run.owner_id,
            commit_sha=sha, is_fork_pull_request=is_fork_pull_request, attempt=1,
            job_id=job.job_id, name=job.name[:255], needs=list(job.needs),
            runs_on=list(job.runs_on), matrix=record["matrix"],
            if_condition=job.if_condition, continue_on_error=job.continue_on_error,
            fail_fast=job.fail_fast, max_parallel=job.max_parallel,
            matrix_pending=job.matrix_pending, timeout_minutes=job.timeout_minutes or 360,
            payload=job.payload, status=int(job.initial_status), created=now, updated=now))
    insert_rows(jobs)  # one statement for the run's jobs, in planning (and id) order
    if titled != run.title:  # ``run-name``: the one column planning changes, written alone
        run.title = titled
        update_row(Run, run.id, title=titled)
    emitter.advance(service, run, repository=repository, actor=actor, initial=True, jobs=jobs)
    return run


def fail_run(service, run: Run, error: str) -> Run:
    """The run cannot start: one failed job named after the file shows why."""
    now = utcnow()
    job = Job.create(run=run, repository_id=run.repository_id, owner_id=run.owner_id,
                     commit_sha=run.commit_sha, is_fork_pull_request=run.is_fork_pull_request,
                     attempt=run.attempt, job_id=run.workflow_id, name=run.workflow_id,
                     status=int(Status.FAILURE), reason=error, started=now, stopped=now)
    run.error = error
    run.save()
    commit_statuses.record_job(service, run, job)
    refresh_status(run, service)
    return run
