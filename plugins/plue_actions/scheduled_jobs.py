"""Scheduled work (run by the one scheduler process, each under a lease): schedules, and the
reapers for silent runners, endless tasks, abandoned jobs and expired artifacts."""

from __future__ import annotations

import datetime
import logging

from plue_core.db import utcnow, write_transaction

from plue_workflows.statuses import Status
from plue_actions import emitter, logs, triggers
from plue_actions.models import Artifact, Job, Task
from plue_actions.run_lock import lock_run

log = logging.getLogger("plue.actions.scheduled_jobs")


def start_schedules(service) -> int:
    with write_transaction(service.ctx.db):
        return triggers.start_due_schedules(service)


def _stop_task(service, task: Task, reason: str) -> bool:
    """Fail a running task and its job; False when it finished meanwhile."""
    now = utcnow()
    with write_transaction(service.ctx.db):
        lock_run(service.ctx.db, Job.select(Job.run).where(Job.id == task.job_id).scalar())
        stopped = (Task.update(status=int(Status.FAILURE), stopped=now, updated=now)
                   .where((Task.id == task.id) & (Task.status == int(Status.RUNNING))).execute())
        if not stopped:
            return False
        task = Task.get_by_id(task.id)
        logs.append(service, task, task.log_length, [(now, f"::error::{reason}")], True)
        job = Job.get_by_id(task.job_id)
        if job.task_id == task.id and not Status(job.status).is_done():
            emitter.finish_job(service, job, Status.FAILURE, reason)
    log.warning("task %s stopped: %s", task.id, reason)
    return True


def reap_tasks(service) -> int:
    """Fail tasks whose runner went silent past the heartbeat timeout, and tasks running
    longer than the endless-task timeout. Returns how many were stopped."""
    settings = service.settings
    now = utcnow()
    silent_since = now - datetime.timedelta(seconds=settings["heartbeat_timeout"])
    endless_since = now - datetime.timedelta(seconds=settings["endless_task_timeout"])
    stopped = 0
    running = Task.select().where((Task.status == int(Status.RUNNING))
                                  & ((Task.updated < silent_since) | (Task.started < endless_since)))
    for task in list(running):
        if task.updated < silent_since:
            reason = (f"the runner stopped reporting: no heartbeat for "
                      f"{settings['heartbeat_timeout']} s")
        else:
            reason = f"the job ran longer than {settings['endless_task_timeout']} s"
        stopped += _stop_task(service, task, reason)
    # Finished (cancelled) tasks whose runner never closed the log: archive what arrived.
    unclosed = Task.select().where((Task.status != int(Status.RUNNING)) & ~Task.log_in_storage
                                   & (Task.updated < silent_since))
    for task in list(unclosed):
        with write_transaction(service.ctx.db):
            logs.archive(service, Task.get_by_id(task.id))
    return stopped


def reap_abandoned_jobs(service) -> int:
    """Cancel jobs that waited (no runner) or stayed blocked past the abandoned timeout."""
    since = utcnow() - datetime.timedelta(seconds=service.settings["abandoned_job_timeout"])
    count = 0
    stale = Job.select().where(Job.status.in_([int(Status.WAITING), int(Status.BLOCKED)])
                               & (Job.updated < since))
    for job in list(stale):
        with write_transaction(service.ctx.db):
            run = lock_run(service.ctx.db, job.run_id)
            job = Job.get_by_id(job.id)
            if job.status not in (Status.WAITING, Status.BLOCKED):
                continue
            emitter.stop_job(service, run, job, "cancelled: no runner picked the job in time")
            emitter.advance(service, run)
            count += 1
    return count


def expire_artifacts(service) -> int:
    """Delete the files of artifacts past their retention; the rows stay, marked expired."""
    count = 0
    for artifact in Artifact.select().where((Artifact.expires_at < utcnow())
                                            & (Artifact.status != "expired")):
        path = service.storage / artifact.storage_path if artifact.storage_path else None
        if path is not None and path.exists():
            path.unlink()
        artifact.status, artifact.updated = "expired", utcnow()
        artifact.save()
        count += 1
    return count
