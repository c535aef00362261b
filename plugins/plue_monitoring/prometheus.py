"""``GET /metrics``: Prometheus text exposition of the app's own registry: this worker's
request counters plus gauges read from the database at scrape time (the same for every
worker, so any worker can answer a scrape)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily

from plugins.plue_monitoring import activity


class ForgeCollector:
    """Gauges computed when scraped; a plugin that is disabled leaves its gauges out."""

    def __init__(self, ctx):
        self.ctx = ctx

    def describe(self):
        return []  # computed per scrape; nothing to check at registration

    def collect(self):
        ctx = self.ctx
        jobs = activity.by_status(ctx, "action_run_job")
        if jobs is not None:
            gauge = GaugeMetricFamily("plue_jobs", "Workflow jobs by status", labels=["status"])
            for status, count in jobs.items():
                gauge.add_metric([status], count)
            yield gauge
            yield GaugeMetricFamily("plue_active_jobs", "Workflow jobs running now",
                                    value=jobs["running"])
        runners = activity.runner_counts(ctx)
        if runners is not None:
            yield GaugeMetricFamily("plue_runners", "Registered runners", value=runners["total"])
            yield GaugeMetricFamily("plue_runners_online", "Runners seen within runner_offline_after",
                                    value=runners["online"])
            yield GaugeMetricFamily("plue_runners_busy", "Runners holding a running task",
                                    value=runners["busy"])
        for name, help_text, value in (
                ("plue_users", "User accounts", activity.users(ctx)),
                ("plue_repositories", "Repositories", activity.repositories(ctx))):
            if value is not None:
                yield GaugeMetricFamily(name, help_text, value=value)


class PrometheusResource:
    """No authentication, like /health: scrapers rarely carry credentials. Restrict it at
    the reverse proxy when the numbers are not for everyone (docs/monitoring.md)."""

    def __init__(self, registry):
        self.registry = registry

    def on_get(self, req, resp):
        resp.content_type = CONTENT_TYPE_LATEST
        resp.data = generate_latest(self.registry)
