"""Scheduled jobs (:class:`ScheduledJob`) from ``register_jobs``, run by APScheduler in exactly
one process. "Scheduled" because a job elsewhere is a workflow's job (``action_run_job``), a
RunnerHub job or a CI job view: here it is only ever periodic work of a plugin.

Every run first takes a lease row in ``plue_job_lease`` (an atomic conditional update), so two
scheduler processes, by mistake or during a rolling restart, never run the same job at once.
A finished run keeps the lease until the job's next occurrence, so the schedulers of several
hosts (each firing on its own clock) run each occurrence once, not once per host.
Each run is recorded in ``plue_job_run`` for ``plue jobs``-style inspection and tests.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import socket
import warnings
from typing import TYPE_CHECKING, Any, Callable

import peewee

from plue_core.db import BaseModel, connection, utcnow

if TYPE_CHECKING:
    from plue_core.context import PlueContext

log = logging.getLogger("plue.scheduler")


@dataclasses.dataclass(frozen=True)
class ScheduledJob:
    """``func(ctx)`` run on an APScheduler ``trigger`` ("interval", "cron", "date")."""

    id: str
    func: Callable[["PlueContext"], Any]
    trigger: str = "interval"
    trigger_args: dict = dataclasses.field(default_factory=dict)


class ScheduledJobLease(BaseModel):
    job_id = peewee.CharField(max_length=200, primary_key=True)
    holder = peewee.CharField(max_length=200)
    expires_at = peewee.DateTimeField()

    class Meta:
        table_name = "plue_job_lease"


class ScheduledJobRun(BaseModel):
    job_id = peewee.CharField(max_length=200, index=True)
    holder = peewee.CharField(max_length=200)
    started_at = peewee.DateTimeField(default=utcnow)
    finished_at = peewee.DateTimeField(null=True)
    succeeded = peewee.BooleanField(null=True)
    error = peewee.TextField(null=True)

    class Meta:
        table_name = "plue_job_run"


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire_lease(job_id: str, holder: str, seconds: int) -> bool:
    """Take the lease for ``job_id`` unless someone else holds an unexpired one."""
    now = utcnow()
    expires = now + datetime.timedelta(seconds=seconds)
    taken = (ScheduledJobLease.update(holder=holder, expires_at=expires)
             .where((ScheduledJobLease.job_id == job_id)
                    & ((ScheduledJobLease.expires_at < now) | (ScheduledJobLease.holder == holder)))
             .execute())
    if taken:
        return True
    try:
        with ScheduledJobLease._meta.database.atomic():
            ScheduledJobLease.create(job_id=job_id, holder=holder, expires_at=expires)
        return True
    except peewee.IntegrityError:
        return False


def release_lease(job_id: str, holder: str, until: datetime.datetime | None = None) -> None:
    """End the holder's lease now, or keep it until ``until`` (naive UTC) against others."""
    (ScheduledJobLease.update(expires_at=max(until or utcnow(), utcnow()))
     .where((ScheduledJobLease.job_id == job_id) & (ScheduledJobLease.holder == holder)).execute())


def next_occurrence(job: ScheduledJob, started: datetime.datetime) -> datetime.datetime | None:
    """When the run after one started at ``started`` (naive UTC) is due; None for one-off jobs.
    Another host's scheduler fires the same job on its own clock, up to one period later, so
    the finished run's lease is kept until then: that host skips the occurrence this one ran."""
    if job.trigger == "interval":
        period = {key: value for key, value in job.trigger_args.items()
                  if key in ("weeks", "days", "hours", "minutes", "seconds")}
        return started + datetime.timedelta(**period)
    if job.trigger == "cron":
        from apscheduler.triggers.cron import CronTrigger

        trigger = CronTrigger(**job.trigger_args, timezone="UTC")
        due = trigger.get_next_fire_time(None, started.replace(tzinfo=datetime.timezone.utc)
                                         + datetime.timedelta(seconds=1))
        # Less a moment: the next occurrence, fired on time, must find the lease free.
        return None if due is None else due.replace(tzinfo=None) - datetime.timedelta(seconds=1)
    return None


def run_scheduled_job(ctx: PlueContext, job: ScheduledJob) -> bool:
    """One leased, recorded run of ``job``; returns whether it ran."""
    holder = holder_name()
    lease_seconds = ctx.config.scheduler["lease_seconds"]
    with connection(ctx.db):
        if not acquire_lease(job.id, holder, lease_seconds):
            log.debug("job %s skipped: another scheduler holds its lease", job.id)
            return False
        record = ScheduledJobRun.create(job_id=job.id, holder=holder)
        try:
            job.func(ctx)
        except Exception as exc:  # a failing job must not kill the scheduler
            log.exception("job %s failed", job.id)
            record.succeeded, record.error = False, f"{type(exc).__name__}: {exc}"
        else:
            record.succeeded = True
        finally:
            record.finished_at = utcnow()
            record.save()
            release_lease(job.id, holder, until=next_occurrence(job, record.started_at))
    return True


def prune_scheduled_job_runs(ctx: PlueContext) -> int:
    """Forget the runs older than ``scheduler.job_runs_kept_hours``; how many went."""
    kept = datetime.timedelta(hours=ctx.config.scheduler["job_runs_kept_hours"])
    return ScheduledJobRun.delete().where(ScheduledJobRun.started_at < utcnow() - kept).execute()


def scheduler_daemon():
    """The scheduler as one of the ``plue daemons`` services (``plue daemons --with-scheduler``,
    what ``plue serve`` starts when both run beside it): one process instead of two, so the
    server tree holds one interpreter less (docs/serving.md, Memory). Each run leases its job
    as in ``plue scheduler``."""
    from plue_core.daemons import Daemon

    def run(ctx: PlueContext, stopping) -> None:
        scheduler = build_scheduler(ctx, blocking=False)
        scheduler.start()
        try:
            stopping.wait()
        finally:
            scheduler.shutdown(wait=True)

    return Daemon("scheduler", run, "the scheduled jobs (register_jobs)")


# The core's own job, beside the plugins' (registered by the meta plugin).
PRUNE_JOB_RUNS = ScheduledJob("scheduler.prune_job_runs", prune_scheduled_job_runs, "interval",
                              {"hours": 1})


def build_scheduler(ctx: PlueContext, *, blocking: bool):
    """An APScheduler with every registered job; the caller starts it."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    # APScheduler logs two INFO lines per run: with jobs every second that drowns the log.
    # Its warnings and errors (a missed run, a crash outside run_scheduled_job) still show;
    # DEBUG shows all.
    executor_log = logging.getLogger("apscheduler.executors")
    if not executor_log.isEnabledFor(logging.DEBUG):
        executor_log.setLevel(logging.WARNING)
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")
    for job in ctx.jobs.values():
        scheduler.add_job(run_scheduled_job, job.trigger, args=(ctx, job), id=job.id,
                          max_instances=1, coalesce=True, **job.trigger_args)
    return scheduler


# Former names, for third-party plugins written against them (docs/hooks.md, "Scheduled jobs:
# former names"): each still works, with a DeprecationWarning where it is imported.
DEPRECATED_NAMES = {"Job": "ScheduledJob", "JobLease": "ScheduledJobLease",
                    "JobRun": "ScheduledJobRun", "run_job": "run_scheduled_job"}


def __getattr__(name: str) -> Any:
    if name in DEPRECATED_NAMES:
        new = DEPRECATED_NAMES[name]
        warnings.warn(f"plue_core.scheduler.{name} is now {new}; the old name is deprecated",
                      DeprecationWarning, stacklevel=2)
        return globals()[new]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
