"""A run's status kept in step with its jobs (and its current attempt's row with it)."""

from __future__ import annotations

from plue_core.db import CompiledSelect, CompiledWrite, update_row, utcnow

from plue_workflows.statuses import Status, aggregate_job_statuses
from plue_actions.events import WorkflowRunEvent, run_action
from plue_actions.models import Job, Run, RunAttempt


_JOB_STATES = CompiledSelect(
    lambda run_id, attempt: Job.select(Job.status, Job.continue_on_error).where(
        (Job.run == run_id) & (Job.attempt == attempt)),
    int, int)


_ATTEMPT_STATUS = CompiledWrite(
    lambda run_id, attempt, status, started, stopped: RunAttempt.update(
        status=status, started=started, stopped=stopped).where(
        (RunAttempt.run == run_id) & (RunAttempt.attempt == attempt)),
    int, int, int, RunAttempt.started, RunAttempt.stopped)


def refresh_status(run: Run, service=None, jobs: list[Job] | None = None) -> Status:
    """Recompute the run's status from its current attempt's jobs (and the attempt row's);
    with ``service``, a change is announced (``workflow_run``). ``jobs``: those jobs as the
    caller holds them, written in its transaction (else they are read)."""
    rows = jobs if jobs is not None else _JOB_STATES.rows(run.id, run.attempt)
    status = aggregate_job_statuses([(Status(row.status), row.continue_on_error) for row in rows])
    if status == Status.UNKNOWN:
        status = Status.SUCCESS  # a run whose every job vanished (cannot happen in practice)
    return _store(run, status, service)


def refresh_after_claim(run: Run, job, service=None) -> Status:
    """:func:`refresh_status` once ``job`` went Waiting → Running under the run's lock,
    without reading the jobs back when the run's stored status tells the answer: that status
    is its jobs' aggregate (every move of a job refreshes it under the same lock), and a
    Waiting or Running aggregate has no Cancelled job, so with one job Running it is Running
    (``aggregate_job_statuses``: Cancelled, then Running, wins). Otherwise, or for a job of
    another attempt, the jobs are read."""
    if job.attempt == run.attempt and run.status in (Status.WAITING, Status.RUNNING):
        return _store(run, Status.RUNNING, service)
    return refresh_status(run, service)


def _store(run: Run, status: Status, service) -> Status:
    now = utcnow()
    changes: dict = {}
    if status != run.status:
        changes["status"] = int(status)
    if status == Status.RUNNING and run.started is None:
        changes["started"] = now
    if status.is_done() and run.stopped is None:
        changes["stopped"] = now
        if run.started is None:
            changes["started"] = now
    if not status.is_done() and run.stopped is not None:
        changes["stopped"] = None
    if changes:
        changes["updated"] = now
        update_row(Run, run.id, **changes)
        for key, value in changes.items():
            setattr(run, key, value)
        _ATTEMPT_STATUS.execute(run.id, run.attempt, int(status), run.started, run.stopped)
        if service is not None and "status" in changes:
            service.ctx.events.publish(WorkflowRunEvent(
                repository_id=run.repository_id, run_id=run.id, action=run_action(status),
                status=int(status), trigger_user_id=run.trigger_user_id))
    return status
