"""What a hub runner reports about an external job: its status (``PUT /api/jobs/{id}/status``,
the seed's body) and its log lines (``POST /api/jobs/{id}/logs``), and how the log reads back.

Only the runner holding the job (runner.v1 headers ``x-runner-uuid``/``x-runner-token``) may
report; a site administrator may also set a status (e.g. mark a job nobody runs failed).
Each report is one transaction over the job's locked row, so two reports never interleave.
"""

from __future__ import annotations

from typing import NamedTuple

from plue_core.db import is_sqlite, utcnow, write_transaction
from plue_core.errors import Conflict, Forbidden
from plue_core.timestamps import naive_utc
from plue_workflows.statuses import Status
from plue_runnerhub import external_assignment
from plue_runnerhub.envelope import parse_timestamp, prefixed
from plue_runnerhub.external_jobs import FINISHED, PREFIX, touch
from plue_runnerhub.job_updates import target_status
from plue_runnerhub.job_logs import JobLog
from plue_runnerhub.jobs import hub_status
from plue_runnerhub.models import ExternalJob, ExternalJobLog


def check_caller(job: ExternalJob, runner, is_admin: bool) -> None:
    if runner is not None:
        if job.runner_id != runner.id:
            raise Forbidden(f"{prefixed(PREFIX, job.id)} is not held by this runner")
    elif not is_admin:
        raise Forbidden("only the runner holding the job or a site administrator may set "
                        "its status")


def _locked(db, job_id: int) -> ExternalJob:
    query = ExternalJob.select().where(ExternalJob.id == job_id)
    if not is_sqlite(db):
        query = query.for_update()
    return query.get()


def apply(service, job: ExternalJob, body: dict) -> ExternalJob:
    """Apply a status report; returns the job as stored afterwards."""
    name = prefixed(PREFIX, job.id)
    wanted = target_status(body)
    with write_transaction(service.ctx.db):
        job = _locked(service.ctx.db, job.id)
        if job.status in FINISHED:
            raise Conflict(f"{name} is already finished ({job.result})")
        changes: dict = {}
        if body.get("container_id"):
            changes["container_id"] = body["container_id"]
        now = utcnow()
        if wanted is None:
            if job.status == "pending":
                raise Conflict(f"{name} is pending: no runner holds it yet")
            changes.update(status="running", started=job.started or now)
        else:
            if job.status == "pending" and wanted not in (Status.FAILURE, Status.CANCELLED):
                raise Conflict(f"{name} never ran on a runner: it can only be marked failed "
                               "or cancelled")
            changes.update(status=hub_status(wanted), result=wanted.label,
                           stopped=naive_utc(body.get("completed_at")) or now,
                           exit_code=body.get("exit_code"),
                           artifacts=body.get("artifacts") or [])
        touch(job, **changes)
    if job.status in FINISHED:
        external_assignment.assign_pending(service)  # a slot came free
    return job


def append_logs(service, job: ExternalJob, entries: list[dict]) -> int:
    """Store the runner's lines after the ones it sent before; returns the new total."""
    name = prefixed(PREFIX, job.id)
    with write_transaction(service.ctx.db):
        job = _locked(service.ctx.db, job.id)
        if job.status in FINISHED:
            raise Conflict(f"{name} is finished: its log is closed")
        now = utcnow()
        rows = [{"job_id": job.id, "line": job.log_lines + offset,
                 "timestamp": naive_utc(entry.get("timestamp")) or now,
                 "level": entry.get("level") or "info", "message": entry["message"],
                 "step": entry.get("step")} for offset, entry in enumerate(entries)]
        ExternalJobLog.insert_many(rows).execute()
        total = job.log_lines + len(rows)
        ExternalJob.update(log_lines=total).where(ExternalJob.id == job.id).execute()
    return total


def job_log(job: ExternalJob, *, lines: int | None = None, since: str | None = None) -> JobLog:
    """The same document as a hosted job's log (see job_logs.job_log)."""
    query = ExternalJobLog.select().where(ExternalJobLog.job_id == job.id)
    if since:
        query = query.where(ExternalJobLog.timestamp >= parse_timestamp("since", since))
    if lines is not None:
        rows = list(query.order_by(ExternalJobLog.line.desc()).limit(lines))[::-1] if lines else []
    else:
        rows = list(query.order_by(ExternalJobLog.line))
    newest = (ExternalJobLog.select(ExternalJobLog.timestamp)
              .where(ExternalJobLog.job_id == job.id)
              .order_by(ExternalJobLog.line.desc()).first())
    last_update = max(job.updated, newest.timestamp) if newest else job.updated
    return JobLog(rows, job.log_lines, job.status, last_update, job.status in FINISHED)


class LogsReceived(NamedTuple):
    """The answer to a hub runner's log lines (``HubLogsReceived``)."""

    job_id: str  # as the runner named it
    received: int
    total_lines: int
