"""A run's status kept in step with its jobs (and its current attempt's row with it)."""

from __future__ import annotations

from plue_core.db import utcnow

from plue_workflows.statuses import Status, aggregate_job_statuses
from plue_actions.models import Job, Run, RunAttempt


def refresh_status(run: Run) -> Status:
    """Recompute the run's status from its current attempt's jobs (and the attempt row's)."""
    rows = Job.select(Job.status, Job.continue_on_error).where(
        (Job.run == run.id) & (Job.attempt == run.attempt))
    status = aggregate_job_statuses([(Status(row.status), row.continue_on_error) for row in rows])
    if status == Status.UNKNOWN:
        status = Status.SUCCESS  # a run whose every job vanished (cannot happen in practice)
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
        Run.update(**changes).where(Run.id == run.id).execute()
        for key, value in changes.items():
            setattr(run, key, value)
        (RunAttempt.update(status=int(status), started=run.started, stopped=run.stopped)
         .where((RunAttempt.run == run.id) & (RunAttempt.attempt == run.attempt)).execute())
    return status
