"""Response shapes of the monitoring plugin: RunnerHub's ``/api/metrics`` and
``/api/monitoring/dashboard`` documents (docs/monitoring.md), rendered from what the service
gathers and served in ``/api/openapi.json`` inside RunnerHub's envelope."""

from __future__ import annotations

from plue_core.families import hub_envelope
from plue_core.shapes import Shape, integer, keyed, number, obj, string, time, array

from plue_monitoring.activity import STATUS_LABELS

SYSTEM_METRICS_SHAPE = Shape("SystemMetrics", [
    keyed(number, "cpu_usage", description="percent, this process's host, since the last call"),
    keyed(number, "memory_usage", description="percent of the host's memory in use"),
    keyed(number, "disk_usage", description="percent of the data directory's disk in use"),
    keyed(integer, "uptime", description="seconds since the host booted"),
])

APPLICATION_METRICS_SHAPE = Shape("ApplicationMetrics", [
    keyed(integer, "active_jobs", nullable=True),
    keyed(integer, "completed_jobs_today", nullable=True),
    keyed(number, "average_job_duration", nullable=True, description="seconds"),
    keyed(integer, "api_requests_per_minute"),
])

PERFORMANCE_METRICS_SHAPE = Shape("PerformanceMetrics", [
    keyed(number, "cache_hit_ratio", nullable=True, description="always null: Plue keeps no "
                                                                "cache whose hits it counts"),
    keyed(number, "average_response_time", nullable=True, description="milliseconds, last minute"),
    keyed(number, "container_startup_time", nullable=True, description="always null"),
])

METRICS_SHAPE = Shape("RunnerHubMetrics", [
    keyed(obj, "system", shape=SYSTEM_METRICS_SHAPE),
    keyed(obj, "application", shape=APPLICATION_METRICS_SHAPE),
    keyed(obj, "github", nullable=True, description="always null: Plue keeps no GitHub API "
                                                    "metrics"),
    keyed(obj, "performance", shape=PERFORMANCE_METRICS_SHAPE),
])

STATUS_COUNTS_SHAPE = Shape("StatusCounts", [
    keyed(integer, label) for label in dict.fromkeys(STATUS_LABELS.values())
], description="how many runs or jobs have each status (zeros included)")

RUNNER_COUNTS_SHAPE = Shape("RunnerCounts", [
    keyed(integer, "total"), keyed(integer, "online"), keyed(integer, "busy"),
    keyed(integer, "offline"),
])

RECENT_FAILURE_SHAPE = Shape("RecentFailure", [
    keyed(string, "job_id"), keyed(string, "job_name"), keyed(integer, "run_id"),
    keyed(integer, "run_number"), keyed(string, "workflow"), keyed(string, "repository"),
    keyed(time, "stopped_at", nullable=True), keyed(string, "reason", nullable=True),
])

REQUEST_METRICS_SHAPE = Shape("RequestMetrics", [
    keyed(integer, "per_minute"),
    keyed(number, "average_response_time", nullable=True, description="milliseconds"),
])

DASHBOARD_SHAPE = Shape("MonitoringDashboard", [
    keyed(time, "generated_at"),
    keyed(obj, "runs", shape=STATUS_COUNTS_SHAPE, nullable=True),
    keyed(obj, "jobs", shape=STATUS_COUNTS_SHAPE, nullable=True),
    keyed(obj, "runners", shape=RUNNER_COUNTS_SHAPE, nullable=True),
    keyed(array, "recent_failures", items=RECENT_FAILURE_SHAPE, nullable=True),
    keyed(obj, "system", shape=SYSTEM_METRICS_SHAPE),
    keyed(obj, "requests", shape=REQUEST_METRICS_SHAPE),
])

METRICS_ENVELOPE = hub_envelope(METRICS_SHAPE)
DASHBOARD_ENVELOPE = hub_envelope(DASHBOARD_SHAPE)
