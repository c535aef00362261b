"""A commit status per job, as Gitea posts them: context ``<workflow> / <job> (<event>)``."""

from __future__ import annotations

from plue_core.db import utcnow

from plue_workflows.statuses import Status, commit_status_state
from plue_actions.events import CommitStatusEvent, WorkflowJobEvent, job_action
from plue_actions.models import CommitStatus

_DESCRIPTIONS = {
    "pending": "Waiting to run", "success": "Successful", "failure": "Failing",
    "skipped": "Skipped", "error": "Has errors",
}


def create_status(service, **fields) -> CommitStatus:
    """Add a commit status row and announce it (``commit_status``), in the caller's
    transaction: jobs' statuses and those posted through the API alike."""
    row = CommitStatus.create(**fields)
    service.ctx.events.publish(CommitStatusEvent(
        repository_id=row.repository_id, status_id=row.id, sha=row.sha, state=row.state,
        context=row.context, creator_id=row.creator_id))
    return row


def record_job(service, run, job) -> None:
    """Announce the job's new status (``workflow_job``), and add a status row when the job's
    state differs from the last one recorded for it."""
    status = Status(job.status)
    service.ctx.events.publish(WorkflowJobEvent(
        repository_id=run.repository_id, run_id=run.id, job_id=job.id,
        action=job_action(status), status=int(status), trigger_user_id=run.trigger_user_id))
    if not run.commit_sha:
        return
    state = commit_status_state(status)
    context = f"{run.workflow_name or run.workflow_id} / {job.name} ({run.event})"[:255]
    last = (CommitStatus.select(CommitStatus.state)
            .where((CommitStatus.repository_id == run.repository_id)
                   & (CommitStatus.sha == run.commit_sha) & (CommitStatus.context == context))
            .order_by(CommitStatus.id.desc()).first())
    description = "Has started running" if status == Status.RUNNING else _DESCRIPTIONS[state]
    if status == Status.CANCELLED:
        description = "Has been cancelled"
    if last is not None and last.state == state and status != Status.RUNNING:
        return
    now = utcnow()
    create_status(service, repository_id=run.repository_id, sha=run.commit_sha, context=context,
                        state=state, description=description,
                  target_url=service.run_html_url(run, job), creator_id=run.trigger_user_id,
                  job=job.id, created=now, updated=now)
