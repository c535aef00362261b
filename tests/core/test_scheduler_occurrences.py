"""Several hosts each run a scheduler: every occurrence of a job runs on one of them only."""

from __future__ import annotations

import datetime

from plue_core import scheduler
from plue_core.db import connection, utcnow
from plue_core.scheduler import (
    ScheduledJob,
    ScheduledJobLease,
    ScheduledJobRun,
    next_occurrence,
    run_scheduled_job,
)


def test_a_finished_run_keeps_the_job_from_other_hosts_until_its_next_occurrence(ctx, monkeypatch):
    calls = []
    job = ScheduledJob("probe.every_minute", lambda ctx: calls.append(scheduler.holder_name()),
                       "interval", {"minutes": 1})
    monkeypatch.setattr(scheduler, "holder_name", lambda: "host-a:1")
    assert run_scheduled_job(ctx, job) is True
    monkeypatch.setattr(scheduler, "holder_name", lambda: "host-b:2")
    assert run_scheduled_job(ctx, job) is False  # host B fires the same occurrence a moment later
    monkeypatch.setattr(scheduler, "holder_name", lambda: "host-a:1")
    assert run_scheduled_job(ctx, job) is True  # the holder's own next run is never held back
    assert calls == ["host-a:1", "host-a:1"]

    with connection(ctx.db):
        lease = ScheduledJobLease.get_by_id(job.id)
        last = ScheduledJobRun.select().order_by(ScheduledJobRun.id.desc()).first()
        assert lease.expires_at == last.started_at + datetime.timedelta(minutes=1)
        # The next occurrence is due: whichever host fires first runs it.
        ScheduledJobLease.update(expires_at=utcnow() - datetime.timedelta(seconds=1)).execute()
    monkeypatch.setattr(scheduler, "holder_name", lambda: "host-b:2")
    assert run_scheduled_job(ctx, job) is True
    assert calls[-1] == "host-b:2"


def test_next_occurrence_of_interval_cron_and_one_off_jobs():
    started = datetime.datetime(2026, 1, 1, 10, 2, 30)
    assert next_occurrence(ScheduledJob("a", print, "interval", {"seconds": 90}), started) == \
        datetime.datetime(2026, 1, 1, 10, 4, 0)
    assert next_occurrence(ScheduledJob("b", print, "cron", {"minute": "*/5"}), started) == \
        datetime.datetime(2026, 1, 1, 10, 4, 59)
    assert next_occurrence(ScheduledJob("c", print, "date", {"run_date": started}), started) is None
