"""A commit status per job, as Gitea posts them: context ``<workflow> / <job> (<event>)``."""

from __future__ import annotations

from plue_core.db import utcnow

from plue_workflows.statuses import Status, commit_status_state
from plue_actions.models import CommitStatus

_DESCRIPTIONS = {
    "pending": "Waiting to run", "success": "Successful", "failure": "Failing",
    "skipped": "Skipped", "error": "Has errors",
}


def record_job(service, run, job) -> None:
    """Add a status row when the job's state differs from the last one recorded for it."""
    if not run.commit_sha:
        return
    status = Status(job.status)
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
    CommitStatus.create(repository_id=run.repository_id, sha=run.commit_sha, context=context,
                        state=state, description=description,
                        target_url=service.run_html_url(run, job), creator_id=run.trigger_user_id,
                        job=job.id, created=now, updated=now)
