"""plue_job_run stays bounded (the core's scheduler.prune_job_runs job) and APScheduler's
per-run chatter stays out of an INFO log."""

from __future__ import annotations

import datetime
import logging

from plue_core.db import connection, utcnow
from plue_core.scheduler import ScheduledJobRun, build_scheduler, run_scheduled_job


def test_runs_older_than_the_setting_are_forgotten(ctx):
    job = ctx.jobs["scheduler.prune_job_runs"]
    assert ctx.config.scheduler["job_runs_kept_hours"] == 24
    with connection(ctx.db):
        now = utcnow()
        old = ScheduledJobRun.create(job_id="webhooks.deliver", holder="h",
                                     started_at=now - datetime.timedelta(hours=25))
        recent = ScheduledJobRun.create(job_id="webhooks.deliver", holder="h",
                                        started_at=now - datetime.timedelta(hours=23))
    assert run_scheduled_job(ctx, job) is True
    with connection(ctx.db):
        left = {row.id for row in ScheduledJobRun.select()}
    assert old.id not in left and recent.id in left
    # The pruning run itself is recorded, like any run.
    runs = ScheduledJobRun.select().where(ScheduledJobRun.job_id == "scheduler.prune_job_runs")
    assert runs.count() == 1


def test_the_scheduler_logs_no_line_per_run_at_info(ctx):
    executors = logging.getLogger("apscheduler.executors")
    previous = executors.level
    try:
        executors.setLevel(logging.NOTSET)
        build_scheduler(ctx, blocking=False)
        assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
        assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.ERROR)
        executors.setLevel(logging.DEBUG)
        build_scheduler(ctx, blocking=False)
        assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    finally:
        executors.setLevel(previous)
