"""Thin Falcon resources of /api/metrics and /api/monitoring (RunnerHub's envelope)."""

from __future__ import annotations

from plue_core.families import hub_success
from plue_core.identity import require_identity
from plue_core.openapi import operation

from plue_monitoring.schemas import (
    DASHBOARD_ENVELOPE,
    METRICS_ENVELOPE,
)


class MetricsResource:
    def __init__(self, service):
        self.service = service

    @operation("System, application and performance metrics", response=METRICS_ENVELOPE,
               tags=["monitoring"])
    def on_get(self, req, resp):
        require_identity(req)
        resp.media = hub_success(self.service.metrics())


class DashboardResource:
    def __init__(self, service):
        self.service = service

    @operation("Real-time dashboard summary: runs, jobs, runners, failures, system",
               response=DASHBOARD_ENVELOPE, tags=["monitoring"])
    def on_get(self, req, resp):
        identity = require_identity(req)
        resp.media = hub_success(self.service.dashboard(identity))
