"""``ctx.services["monitoring"]``: the app's metrics registry and request counters, and the
numbers RunnerHub's /api/metrics and dashboard answer."""

from __future__ import annotations

import datetime

from prometheus_client import CollectorRegistry

from plue_monitoring import activity, system_metrics
from plue_monitoring.prometheus import ForgeCollector
from plue_monitoring.request_metrics import RequestMetrics


class MonitoringService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("monitoring")
        # One registry per app: two apps in one process (tests, embedding) never mix counts.
        self.registry = CollectorRegistry()
        self.requests = RequestMetrics(self.registry)
        self.registry.register(ForgeCollector(ctx))
        system_metrics.prime()

    def system(self) -> dict:
        return system_metrics.system(self.ctx.config.data_path)

    def health_metrics(self) -> dict:
        """The ``metrics`` section of ``GET /health`` (seed 002); null without actions."""
        runners = activity.runner_counts(self.ctx)
        return {"active_jobs": activity.active_jobs(self.ctx),
                "total_runners": runners["total"] if runners is not None else None,
                "online_runners": runners["online"] if runners is not None else None}

    def metrics(self) -> dict:
        """RunnerHub's ``GET /api/metrics`` document (null where Plue has no real number)."""
        per_minute, average_ms = self.requests.last_minute()
        finished = activity.jobs_finished_today(self.ctx)
        return {
            "system": self.system(),
            "application": {
                "active_jobs": activity.active_jobs(self.ctx),
                "completed_jobs_today": finished[0] if finished is not None else None,
                "average_job_duration": finished[1] if finished is not None else None,
                "api_requests_per_minute": per_minute,
            },
            "github": None,
            "performance": {
                "cache_hit_ratio": None,
                "average_response_time": average_ms,
                "container_startup_time": None,
            },
        }

    def dashboard(self, identity) -> dict:
        """A compact real-time summary; see docs/monitoring.md for every field. Runs and jobs
        are those of the repositories the caller may read (administrators: all)."""
        per_minute, average_ms = self.requests.last_minute()
        visible = (activity.visible_repository_ids(self.ctx, identity)
                   if "git_hosting" in self.ctx.services else None)
        return {
            "generated_at": datetime.datetime.now(datetime.UTC),
            "runs": activity.by_status(self.ctx, "action_run", visible),
            "jobs": activity.by_status(self.ctx, "action_run_job", visible),
            "runners": activity.runner_counts(self.ctx),
            "recent_failures": activity.recent_failures(self.ctx, identity),
            "system": self.system(),
            "requests": {"per_minute": per_minute, "average_response_time": average_ms},
        }
