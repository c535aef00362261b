"""Re-running a run: a new attempt with fresh job rows (the earlier attempt's jobs, tasks and
logs stay as history), planned again from the workflow as the run stored it."""

from __future__ import annotations

from plue_core.db import utcnow
from plue_core.errors import Conflict

from plue_workflows import WorkflowError, parse_workflow
from plue_workflows.expressions import EvaluationContext
from plue_workflows.planning import plan_workflow
from plue_workflows.statuses import Status
from plue_actions import emitter
from plue_actions.contexts import planning_contexts
from plue_actions.models import Job, Run, RunAttempt
from plue_actions.runs import fail_run


def rerun(service, run: Run, repository, identity) -> Run:
    if not Status(run.status).is_done():
        raise Conflict(f"run {run.id} is still {Status(run.status).label}; it can be re-run "
                       "once it finished")

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
    try:
        workflow = parse_workflow(run.workflow_content, run.workflow_id)
        planned = plan_workflow(workflow, EvaluationContext(
            contexts=planning_contexts(service, run, repository, actor)))
    except WorkflowError as error:
        return fail_run(service, run, str(error))
    for job in planned:
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
