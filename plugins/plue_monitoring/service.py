"""``ctx.services["monitoring"]``: the app's metrics registry and request counters, and the
numbers RunnerHub's /api/metrics and dashboard answer."""

from __future__ import annotations

import functools
import threading

from plue_monitoring import activity
from plue_monitoring.prometheus import ForgeCollector
from plue_monitoring.request_metrics import RequestMetrics
from plue_monitoring.schemas import DASHBOARD_SHAPE, METRICS_SHAPE


class Reading:
    """What one request's metrics or dashboard body is read from: the app's context, the
    caller, and what two fields share, measured once (the last minute's requests, the jobs
    finished today, the repositories the caller may read). The shapes in ``schemas`` read
    the rest as they render."""

    def __init__(self, service: MonitoringService, identity=None):
        self.ctx = service.ctx
        self.identity = identity
        self.data_dir = service.ctx.config.data_path
        self.requests_per_minute, self.average_response_time = service.requests.last_minute()

    @functools.cached_property
    def finished_today(self) -> tuple[int, float | None] | None:
        return activity.jobs_finished_today(self.ctx)

    @functools.cached_property
    def visible_repository_ids(self):
        """The dashboard's runs and jobs: those of the repositories the caller may read
        (administrators: all); every repository's without git_hosting."""
        return (activity.visible_repository_ids(self.ctx, self.identity)
                if "git_hosting" in self.ctx.services else None)


class MonitoringService:
    def __init__(self, ctx):
        self.ctx = ctx
        self.settings = ctx.section("monitoring")
        self._registry = None
        self._registry_lock = threading.Lock()
        self.requests = RequestMetrics(lambda: self.registry)

    @property
    def registry(self):
        """The app's Prometheus registry, made (prometheus_client imported) by the first
        request a process answers, not with the app: the gunicorn master and the background
        child never hold it (docs/serving.md, Memory). One registry per app: two apps in one
        process (tests, embedding) never mix counts."""
        if self._registry is None:
            with self._registry_lock:
                if self._registry is None:
                    from prometheus_client import CollectorRegistry

                    registry = CollectorRegistry()
                    registry.register(ForgeCollector(self.ctx))
                    self._registry = registry
        return self._registry

    def health_metrics(self) -> dict:
        """The ``metrics`` section of ``GET /health`` (seed 002); null without actions."""
        runners = activity.runner_counts(self.ctx)
        return {"active_jobs": activity.active_jobs(self.ctx),
                "total_runners": runners.total if runners is not None else None,
                "online_runners": runners.online if runners is not None else None}

    def metrics(self) -> dict:
        """RunnerHub's ``GET /api/metrics`` document (null where Plue has no real number)."""
        return METRICS_SHAPE(Reading(self))

    def dashboard(self, identity) -> dict:
        """A compact real-time summary; see docs/monitoring.md for every field. Runs and jobs
        are those of the repositories the caller may read (administrators: all)."""
        return DASHBOARD_SHAPE(Reading(self, identity))
