"""A run's jobs move on: Blocked jobs become Waiting, Skipped or Failed as their needs finish
(Gitea's job emitter, decided by ``planning.resolve_blocked_jobs``), finished jobs apply
fail-fast, cancelling stops everything, and queued work wakes the runners."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plue_core.db import utcnow

from plue_workflows.errors import WorkflowError
from plue_workflows.statuses import Status
from plue_actions import commit_statuses, wakeups
from plue_actions.models import Job, Run, Task, TaskOutput
from plue_actions.contexts import planning_contexts
from plue_actions.run_lock import lock_run
from plue_actions.run_status import refresh_status

# plue_workflows' planner is imported where a run's jobs move (tests/hosts/
# test_imports_per_process.py): a worker that serves no push nor run does not load it.
if TYPE_CHECKING:
    from plue_workflows.planning import JobRow


def current_jobs(run: Run) -> list[Job]:
    return list(Job.select().where((Job.run == run.id) & (Job.attempt == run.attempt))
                .order_by(Job.id))


def job_outputs(jobs: list[Job]) -> dict[int, dict[str, str]]:
    """Outputs of the finished jobs' latest tasks, by job id (one query)."""
    task_ids = {job.task_id: job.id for job in jobs if job.task_id and Status(job.status).is_done()}
    outputs: dict[int, dict[str, str]] = {}
    if task_ids:
        for row in TaskOutput.select().where(TaskOutput.task.in_(list(task_ids))):
            outputs.setdefault(task_ids[row.task_id], {})[row.key] = row.value
    return outputs


def _row(job: Job, outputs: dict) -> JobRow:
    from plue_workflows.planning import JobRow

    return JobRow(key=job.id, job_id=job.job_id, needs=tuple(job.needs or ()),
                  status=Status(job.status), if_condition=job.if_condition,
                  continue_on_error=job.continue_on_error, outputs=outputs.get(job.id, {}),
                  fail_fast=job.fail_fast, max_parallel=job.max_parallel,
                  matrix_pending=job.matrix_pending)


def _expand(service, run: Run, placeholder: Job, contexts: dict, needs: dict) -> list[Job]:
    """Replace a pending matrix placeholder by its rows, now that ``needs`` is known."""
    from plue_workflows import parse_workflow
    from plue_workflows.expressions import EvaluationContext
    from plue_workflows.planning import plan_job

    try:
        workflow = parse_workflow(run.workflow_content, run.workflow_id)
        planned = plan_job(workflow, workflow.jobs[placeholder.job_id],
                           EvaluationContext(contexts={**contexts, "needs": needs}))
    except WorkflowError as error:
        _set_status(service, run, placeholder, Status.FAILURE, str(error))
        return []
    created = []
    for job in planned:
        created.append(Job.create(
            run=run, repository_id=run.repository_id, owner_id=run.owner_id,
            commit_sha=run.commit_sha, is_fork_pull_request=run.is_fork_pull_request,
            attempt=run.attempt, job_id=job.job_id, name=job.name[:255], needs=list(job.needs),
            runs_on=list(job.runs_on), matrix=job.as_record()["matrix"],
            if_condition=job.if_condition, continue_on_error=job.continue_on_error,
            fail_fast=job.fail_fast, max_parallel=job.max_parallel,
            timeout_minutes=job.timeout_minutes or 360, payload=job.payload,
            status=int(Status.WAITING)))
    placeholder.delete_instance()
    return created


def _set_status(service, run: Run, job: Job, status: Status, reason: str = "") -> None:
    now = utcnow()
    job.status = int(status)
    job.updated = now
    if reason:
        job.reason = reason
    if status.is_done():
        job.stopped = now
        job.started = job.started or now
    job.save()
    commit_statuses.record_job(service, run, job)


def advance(service, run: Run, *, repository=None, actor: str | None = None,
            initial: bool = False, jobs: list[Job] | None = None) -> None:
    """Decide Blocked jobs until nothing changes, wake runners for newly queued jobs and
    refresh the run status. Call after creating a run and whenever a job finishes.
    ``jobs``: the run's current jobs in id order, when the caller has just written them."""

    jobs = current_jobs(run) if jobs is None else jobs
    queued = initial and any(job.status == Status.WAITING for job in jobs)
    if initial:
        commit_statuses.record_jobs(service, run, jobs)
    contexts = None
    while any(job.status == Status.BLOCKED for job in jobs):
        if contexts is None:
            repository = repository or service.hosting.get_repository_by_id(run.repository_id)
            contexts = planning_contexts(service, run, repository,
                                         actor if actor is not None else service.actor_name(run))
        from plue_workflows.planning import resolve_blocked_jobs

        rows = [_row(job, job_outputs(jobs)) for job in jobs]
        transitions = resolve_blocked_jobs(rows, contexts, run_cancelled=False)
        if not transitions:
            break
        by_id = {job.id: job for job in jobs}
        for transition in transitions:
            job = by_id[transition.key]
            if transition.expand:
                _expand(service, run, job, contexts, transition.needs)
                queued = True
                continue
            _set_status(service, run, job, transition.status, transition.reason)
            queued = queued or transition.status == Status.WAITING
        jobs = current_jobs(run)
    if queued:
        wakeups.bump_versions(service.ctx.db, run.owner_id, run.repository_id, service.watcher)
    refresh_status(run, service, jobs=jobs)  # ``jobs`` is current here: not read again


def finish_job(service, job: Job, status: Status, reason: str = "") -> None:
    """A job is done (its runner's final result, a reaper, a cancel): record it, cancel its
    matrix siblings under fail-fast, move the run on."""
    run = Run.get_by_id(job.run_id)
    _set_status(service, run, job, status, reason)
    if status == Status.FAILURE and job.fail_fast and not job.continue_on_error:
        siblings = Job.select().where((Job.run == run.id) & (Job.attempt == job.attempt)
                                      & (Job.job_id == job.job_id) & (Job.id != job.id)
                                      & Job.status.in_([int(Status.WAITING), int(Status.BLOCKED),
                                                        int(Status.RUNNING)]))
        for sibling in siblings:
            stop_job(service, run, sibling, "cancelled by fail-fast: a matrix job failed")
    elif job.max_parallel:
        # A slot of a max-parallel matrix opened: waiting siblings may be picked now.
        wakeups.bump_versions(service.ctx.db, run.owner_id, run.repository_id, service.watcher)
    advance(service, run)


def stop_job(service, run: Run, job: Job, reason: str, status: Status = Status.CANCELLED) -> None:
    """Stop one unfinished job: its task (if any) too, so its runner sees it on the next
    UpdateTask."""
    now = utcnow()
    if job.task_id:
        (Task.update(status=int(status), stopped=now, updated=now)
         .where((Task.id == job.task_id) & (Task.status == int(Status.RUNNING))).execute())
    _set_status(service, run, job, status, reason)


def cancel_run(service, run: Run, reason: str = "cancelled") -> int:
    """Cancel every unfinished job of the current attempt; returns how many."""
    run = lock_run(service.ctx.db, run.id)
    unfinished = [job for job in current_jobs(run) if not Status(job.status).is_done()]
    for job in unfinished:
        stop_job(service, run, job, reason)
    refresh_status(run, service)
    return len(unfinished)
