"""Response shapes of the monitoring plugin: RunnerHub's ``/api/metrics`` and
``/api/monitoring/dashboard`` documents (docs/monitoring.md), served in ``/api/openapi.json``
inside RunnerHub's envelope. They read the numbers where they are -- the host (``system_metrics``), the database
(``activity``), one request's :class:`~plue_monitoring.service.Reading` -- as they render,
so each body's fields are listed here only."""

from __future__ import annotations

import datetime

from plue_core.families import hub_envelope
from plue_core.shapes import Shape, array, integer, item, nested, number, obj, string, time

from plue_monitoring import activity, system_metrics
from plue_monitoring.activity import STATUS_LABELS

# Over the data directory (the rest is the host's).
SYSTEM_METRICS_SHAPE = Shape("SystemMetrics", [
    number("cpu_usage", lambda data_dir, view: system_metrics.cpu_usage(),
           description="percent, this process's host, since the last call"),
    number("memory_usage", lambda data_dir, view: system_metrics.memory_usage(),
           description="percent of the host's memory in use"),
    number("disk_usage", lambda data_dir, view: system_metrics.disk_usage(data_dir),
           description="percent of the data directory's disk in use"),
    integer("uptime", lambda data_dir, view: system_metrics.uptime(),
            description="seconds since the host booted"),
])


def _finished_today(index: int):
    """The count (0) or mean duration (1) of the jobs finished today, null without actions."""
    def get(reading, view):
        finished = reading.finished_today
        return finished[index] if finished is not None else None
    return get


# The shapes below read a Reading.
APPLICATION_METRICS_SHAPE = Shape("ApplicationMetrics", [
    integer("active_jobs", lambda reading, view: activity.active_jobs(reading.ctx),
            nullable=True),
    integer("completed_jobs_today", _finished_today(0), nullable=True),
    number("average_job_duration", _finished_today(1), nullable=True, description="seconds"),
    integer("api_requests_per_minute", "requests_per_minute"),
])

PERFORMANCE_METRICS_SHAPE = Shape("PerformanceMetrics", [
    number("cache_hit_ratio", const=None, nullable=True, description="always null: Plue keeps "
                                                                     "no cache whose hits it counts"),
    number("average_response_time", nullable=True, description="milliseconds, last minute"),
    number("container_startup_time", const=None, nullable=True, description="always null"),
])

METRICS_SHAPE = Shape("RunnerHubMetrics", [
    nested(obj, "system", "data_dir", shape=SYSTEM_METRICS_SHAPE),
    nested(obj, "application", lambda reading, view: reading, shape=APPLICATION_METRICS_SHAPE),
    obj("github", const=None, nullable=True, description="always null: Plue keeps no GitHub "
                                                         "API metrics"),
    nested(obj, "performance", lambda reading, view: reading, shape=PERFORMANCE_METRICS_SHAPE),
])

# Over activity.by_status's {label: count}: the labels are STATUS_LABELS'.
STATUS_COUNTS_SHAPE = Shape("StatusCounts", [
    integer(label, item(label)) for label in dict.fromkeys(STATUS_LABELS.values())
], description="how many runs or jobs have each status (zeros included)")

# Over activity.RunnerCounts.
RUNNER_COUNTS_SHAPE = Shape("RunnerCounts", [
    integer("total"), integer("online"), integer("busy"), integer("offline"),
])

# Over activity.Failure: a failed job (its run joined) and its repository's full name.
RECENT_FAILURE_SHAPE = Shape("RecentFailure", [
    string("job_id", lambda failure, view: f"job_{failure.job.id}"),
    string("job_name", "job.name"), integer("run_id", "job.run.id"),
    integer("run_number", "job.run.number"), string("workflow", "job.run.workflow_id"),
    string("repository"), time("stopped_at", "job.stopped", nullable=True),
    string("reason", lambda failure, view: failure.job.reason or None, nullable=True),
])

REQUEST_METRICS_SHAPE = Shape("RequestMetrics", [
    integer("per_minute", "requests_per_minute"),
    number("average_response_time", nullable=True, description="milliseconds"),
])


def _status_counts(table: str):
    def get(reading, view):
        return activity.by_status(reading.ctx, table, reading.visible_repository_ids)
    return get


DASHBOARD_SHAPE = Shape("MonitoringDashboard", [
    time("generated_at", lambda reading, view: datetime.datetime.now(datetime.UTC)),
    nested(obj, "runs", _status_counts("action_run"), shape=STATUS_COUNTS_SHAPE, nullable=True),
    nested(obj, "jobs", _status_counts("action_run_job"), shape=STATUS_COUNTS_SHAPE,
           nullable=True),
    nested(obj, "runners", lambda reading, view: activity.runner_counts(reading.ctx),
           shape=RUNNER_COUNTS_SHAPE, nullable=True),
    nested(array, "recent_failures",
           lambda reading, view: activity.recent_failures(reading.ctx, reading.identity),
           items=RECENT_FAILURE_SHAPE, nullable=True),
    nested(obj, "system", "data_dir", shape=SYSTEM_METRICS_SHAPE),
    nested(obj, "requests", lambda reading, view: reading, shape=REQUEST_METRICS_SHAPE),
])

METRICS_ENVELOPE = hub_envelope(METRICS_SHAPE)
DASHBOARD_ENVELOPE = hub_envelope(DASHBOARD_SHAPE)
