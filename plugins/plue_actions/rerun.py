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


def kept_jobs(run: Run, job_key: str | None = None) -> dict[str, list[Job]]:
    """The current attempt's jobs a partial re-run keeps, by job key: every key that is not
    run again — ``job_key`` (Gitea's re-run of one job), or without it every key with a row
    that failed or was cancelled — and needs no key that is run again. NotRerunnable when
    there is nothing to re-run."""
    previous = list(Job.select().where((Job.run == run.id) & (Job.attempt == run.attempt))
                    .order_by(Job.id))
    if job_key is not None:
        again = {job.job_id for job in previous if job.job_id == job_key}
        if not again:
            raise NotRerunnable(f"run {run.number} has no job {job_key!r} in its attempt "
                                f"{run.attempt}")
    else:
        again = {job.job_id for job in previous if Status(job.status) in RERUN_AGAIN}
        if not again:
            raise NotRerunnable("this workflow run has no failed jobs to re-run")
    grew = True
    while grew:  # the jobs that need a job run again run again too
        grew = False
        for job in previous:
            if job.job_id not in again and again.intersection(job.needs or ()):
                again.add(job.job_id)
                grew = True
    kept: dict[str, list[Job]] = {}
    for job in previous:
        if job.job_id not in again:
            kept.setdefault(job.job_id, []).append(job)
    return kept


def _copy_into_attempt(job: Job, attempt: int) -> Job:
    data = dict(job.__data__)
    data.pop("id")
    data.update(attempt=attempt, updated=utcnow())
    return Job.create(**data)


def rerun(service, run: Run, repository, identity, *, failed_only: bool = False,
          job_key: str | None = None) -> Run:
    """A new attempt of the finished ``run``: of every job, or of its failed jobs
    (``failed_only``) or of the job ``job_key``, and of the jobs that need them. Call inside a
    write transaction, with the run locked."""
    if not Status(run.status).is_done():
        raise NotRerunnable("this workflow run is not done")
    if run.workflow_id in disabled_workflows(run.repository_id):
        raise NotRerunnable(f"workflow {run.workflow_id} is disabled")
    kept = kept_jobs(run, job_key) if failed_only or job_key is not None else {}
    kept_keys = set(kept)

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
    for job in planned:
        if job.job_id in kept_keys:  # each matrix row of it as it was, once
            for row in kept.pop(job.job_id, None) or ():
                _copy_into_attempt(row, run.attempt)
            continue
        Job.create(run=run, repository_id=run.repository_id, owner_id=run.owner_id,
                   commit_sha=run.commit_sha, is_fork_pull_request=run.is_fork_pull_request,
                   attempt=run.attempt, job_id=job.job_id, name=job.name[:255],
                   needs=list(job.needs), runs_on=list(job.runs_on),
                   matrix=job.as_record()["matrix"], if_condition=job.if_condition,
                   continue_on_error=job.continue_on_error, fail_fast=job.fail_fast,
                   max_parallel=job.max_parallel, matrix_pending=job.matrix_pending,
                   timeout_minutes=job.timeout_minutes or 360, payload=job.payload,
                   status=int(job.initial_status))
    emitter.advance(service, run, repository=repository, actor=actor, initial=True)
    return run
