"""A commit status per job, as Gitea posts them: context ``<workflow> / <job> (<event>)``."""

from __future__ import annotations

from plue_core.db import CompiledIdsSelect, insert_rows, utcnow

from plue_workflows.statuses import Status, commit_status_state
from plue_actions.events import CommitStatusEvent, WorkflowJobEvent, job_action
from plue_actions.models import CommitStatus

_DESCRIPTIONS = {
    "pending": "Waiting to run", "success": "Successful", "failure": "Failing",
    "skipped": "Skipped", "error": "Has errors",
}


def _announce(service, row: CommitStatus) -> None:
    service.ctx.events.publish(CommitStatusEvent(
        repository_id=row.repository_id, status_id=row.id, sha=row.sha, state=row.state,
        context=row.context, creator_id=row.creator_id))


def create_status(service, **fields) -> CommitStatus:
    """Add a commit status row and announce it (``commit_status``), in the caller's
    transaction: jobs' statuses and those posted through the API alike."""
    row = CommitStatus.create(**fields)
    _announce(service, row)
    return row


# The last state of each of a commit's contexts, for a run's jobs: one statement, compiled
# once per number of contexts (a bucket of CompiledIdsSelect).
_STATES = CompiledIdsSelect(
    lambda repository_id, sha, contexts: (
        CommitStatus.select(CommitStatus.context, CommitStatus.state)
        .where((CommitStatus.repository_id == repository_id) & (CommitStatus.sha == sha)
               & CommitStatus.context.in_(contexts))
        .order_by(CommitStatus.id).tuples()),
    int, str, id_kind=str)


def record_job(service, run, job) -> None:
    """Announce the job's new status (``workflow_job``), and add a status row when the job's
    state differs from the last one recorded for it."""
    record_jobs(service, run, [job])


def record_jobs(service, run, jobs) -> None:
    """:func:`record_job` for several jobs of ``run`` (a new run's): their last states read
    in one statement and their new rows written in one, then announced job by job."""
    added: dict[int, CommitStatus] = {}
    if run.commit_sha:
        contexts = {job.id: f"{run.workflow_name or run.workflow_id} / {job.name} "
                            f"({run.event})"[:255] for job in jobs}
        # A job starting always gets its row ("Has started running"): the last states are
        # read only when some job may repeat its context's last one (a claim reads none).
        last = {} if all(job.status == Status.RUNNING for job in jobs) else dict(
            _STATES.rows(run.repository_id, run.commit_sha,
                         ids=list(dict.fromkeys(contexts.values()))))
        now = utcnow()
        for job in jobs:
            status = Status(job.status)
            state = commit_status_state(status)
            if last.get(contexts[job.id]) == state and status != Status.RUNNING:
                continue
            last[contexts[job.id]] = state
            description = "Has started running" if status == Status.RUNNING else _DESCRIPTIONS[state]
            if status == Status.CANCELLED:
                description = "Has been cancelled"
            added[job.id] = CommitStatus(
                repository_id=run.repository_id, sha=run.commit_sha, context=contexts[job.id],
                state=state, description=description, target_url=service.run_html_url(run, job),
                creator_id=run.trigger_user_id, job=job.id, created=now, updated=now)
        insert_rows(list(added.values()))
    for job in jobs:
        status = Status(job.status)
        service.ctx.events.publish(WorkflowJobEvent(
            repository_id=run.repository_id, run_id=run.id, job_id=job.id,
            action=job_action(status), status=int(status), trigger_user_id=run.trigger_user_id))
        if job.id in added:
            _announce(service, added[job.id])
