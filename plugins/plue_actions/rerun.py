"""Re-running a run: a new attempt with fresh job rows (the earlier attempt's jobs, tasks and
logs stay as history), planned again from the workflow as the run stored it. Re-running only
the failed jobs (GitHub's "Re-run failed jobs") or one job (Gitea's re-run of a job) plans the
same, but copies into the new attempt, finished as they were, the jobs that are not run again
and need none that is, directly or through others; their outputs come with their task."""

from __future__ import annotations

from plue_core.db import utcnow
from plue_core.errors import Conflict

from plue_workflows.errors import WorkflowError
from plue_workflows.statuses import Status
from plue_actions import emitter
from plue_actions.contexts import planning_contexts
from plue_actions.models import Job, Run, RunAttempt
from plue_actions.runs import fail_run
from plue_actions.triggers import disabled_workflows
from plue_actions.workflow_files import parse_workflow


RERUN_AGAIN = (Status.FAILURE, Status.CANCELLED)


class NotRerunnable(Conflict):
    """The run cannot be re-run as asked: it still runs, its workflow is disabled, or it has
    nothing to re-run. The web pages answer 409; Gitea's API answers 400
    (services/actions/rerun.go: an invalid argument)."""


def kept_jobs(run: Run, job: Job | None = None) -> tuple[dict[str, list[Job]], set[str]]:
    """The current attempt's rows a partial re-run keeps, by job key, and the keys of which
    some rows run again. As Gitea's ``GetAllRerunJobs``, what runs again is a row — ``job``
    (Gitea's re-run of one job: one matrix row), or without it every row that failed or was
    cancelled — and every row of the keys that need a key with such a row, directly or
    through others. NotRerunnable when there is nothing to re-run."""
    previous = list(Job.select().where((Job.run == run.id) & (Job.attempt == run.attempt))
                    .order_by(Job.id))
    if job is not None:
        again_rows = {row.id for row in previous if row.id == job.id}
        if not again_rows:
            raise NotRerunnable(f"run {run.number} has no job {job.id} in its attempt "
                                f"{run.attempt}")
    else:
        again_rows = {row.id for row in previous if Status(row.status) in RERUN_AGAIN}
        if not again_rows:
            raise NotRerunnable("this workflow run has no failed jobs to re-run")
    partly = {row.job_id for row in previous if row.id in again_rows}
    whole: set[str] = set()
    grew = True
    while grew:  # the jobs that need a job run again run again too, every row of them
        grew = False
        for row in previous:
            if row.job_id not in whole and (partly | whole).intersection(row.needs or ()):
                whole.add(row.job_id)
                grew = True
    kept: dict[str, list[Job]] = {}
    for row in previous:
        if row.job_id not in whole and row.id not in again_rows:
            kept.setdefault(row.job_id, []).append(row)
    return kept, partly - whole


def _copy_into_attempt(job: Job, attempt: int) -> Job:
    data = dict(job.__data__)
    data.pop("id")
    data.update(attempt=attempt, updated=utcnow())
    return Job.create(**data)


def rerun(service, run: Run, repository, identity, *, failed_only: bool = False,
          job: Job | None = None) -> Run:
    """A new attempt of the finished ``run``: of every job, or of its failed jobs
    (``failed_only``) or of the job ``job`` (a row of the current attempt), and of the jobs
    that need them. Call inside a write transaction, with the run locked."""
    if not Status(run.status).is_done():
        raise NotRerunnable("this workflow run is not done")
    if run.workflow_id in disabled_workflows(run.repository_id):
        raise NotRerunnable(f"workflow {run.workflow_id} is disabled")
    kept, partly = kept_jobs(run, job) if failed_only or job is not None else ({}, set())
    kept_whole = set(kept) - partly

    run.attempt += 1
    run.status = int(Status.WAITING)
    run.started = run.stopped = None
    run.updated = utcnow()
    if identity is not None:
        run.trigger_user_id = identity.user_id
    run.error = ""
    run.save()
    RunAttempt.create(run=run, attempt=run.attempt, trigger_user_id=run.trigger_user_id)
    actor = service.actor_name(run)
    # The planner arrives with its first use (tests/hosts/test_imports_per_process.py).
    from plue_workflows.expressions import EvaluationContext
    from plue_workflows.planning import plan_workflow

    try:
        workflow = parse_workflow(run.workflow_content, run.workflow_id)
        planned = plan_workflow(workflow, EvaluationContext(
            contexts=planning_contexts(service, run, repository, actor)))
    except WorkflowError as error:
        return fail_run(service, run, str(error))
    for plan in planned:
        if plan.job_id in kept_whole:  # each row as it was, once
            for row in kept.pop(plan.job_id, None) or ():
                _copy_into_attempt(row, run.attempt)
            continue
        if plan.job_id in partly and not plan.matrix_pending:  # the rows not run again
            matrix = plan.as_record()["matrix"]
            same = next((row for row in kept.get(plan.job_id, ()) if row.matrix == matrix), None)
            if same is not None:
                kept[plan.job_id].remove(same)
                _copy_into_attempt(same, run.attempt)
                continue
        # A matrix computed from what the job needs is planned whole: every row runs again.
        Job.create(run=run, repository_id=run.repository_id, owner_id=run.owner_id,
                   commit_sha=run.commit_sha, is_fork_pull_request=run.is_fork_pull_request,
                   attempt=run.attempt, job_id=plan.job_id, name=plan.name[:255],
                   needs=list(plan.needs), runs_on=list(plan.runs_on),
                   matrix=plan.as_record()["matrix"], if_condition=plan.if_condition,
                   continue_on_error=plan.continue_on_error, fail_fast=plan.fail_fast,
                   max_parallel=plan.max_parallel, matrix_pending=plan.matrix_pending,
                   timeout_minutes=plan.timeout_minutes or 360, payload=plan.payload,
                   status=int(plan.initial_status))
    emitter.advance(service, run, repository=repository, actor=actor, initial=True)
    return run
