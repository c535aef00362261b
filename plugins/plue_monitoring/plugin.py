"""monitoring: Prometheus /metrics, RunnerHub's /api/metrics and /api/monitoring/dashboard,
request metrics and RunnerHub rate limits as middleware. This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route
from plue_core.scheduler import ScheduledJob
from plue_monitoring import models, rate_limits, resources
from plue_monitoring.prometheus import PrometheusResource, scraper_identity
from plue_monitoring.request_metrics import RequestMetricsMiddleware
from plue_monitoring.service import MonitoringService
from plue_monitoring.settings import MonitoringSettings

PLUE_NAME = "monitoring"
PLUE_REQUIRES = ("accounts",)


@hookimpl
def register_settings():
    return [("monitoring", MonitoringSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("monitoring", MonitoringService(ctx))]


@hookimpl
def register_routes(ctx):
    service = ctx.services["monitoring"]
    return [
        Route("/metrics", PrometheusResource(service, service.settings)),
        Route("/api/metrics", resources.MetricsResource(service)),
        Route("/api/monitoring/dashboard", resources.DashboardResource(service)),
    ]


@hookimpl(tryfirst=True)
def authenticate(ctx, req):
    # Before accounts, which would refuse the metrics token as an unknown access token.
    return scraper_identity(ctx.services["monitoring"].settings, req)


@hookimpl
def register_middleware(ctx):
    service = ctx.services["monitoring"]
    # Timing first, so its process_response (which runs last) covers the rate limit check.
    return [RequestMetricsMiddleware(service.requests),
            rate_limits.RateLimitMiddleware(service.settings, ctx.config.trusted_proxies)]


@hookimpl
def register_jobs(ctx):
    settings = ctx.section("monitoring")
    return [ScheduledJob("monitoring.prune_rate_limits",
                         lambda ctx: rate_limits.prune(ctx.db, settings), "interval",
                         {"seconds": 3600})]


@hookimpl
def health_metrics(ctx):
    return ctx.services["monitoring"].health_metrics()
