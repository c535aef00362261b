"""``GET /metrics``: Prometheus text exposition of the app's own registry: this worker's
request counters plus gauges read from the database at scrape time (the same for every
worker, so any worker can answer a scrape)."""

from __future__ import annotations

import hmac

from plue_core.errors import Unauthorized
from plue_core.identity import Identity, current_identity, require_admin
from plue_monitoring import activity

SCRAPER_METHOD = "metrics_token"


class ForgeCollector:
    """Gauges computed when scraped; a plugin that is disabled leaves its gauges out."""

    def __init__(self, ctx):
        self.ctx = ctx

    def describe(self):
        return []  # computed per scrape; nothing to check at registration

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

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
            yield GaugeMetricFamily("plue_runners", "Registered runners", value=runners.total)
            yield GaugeMetricFamily("plue_runners_online", "Runners seen within runner_offline_after",
                                    value=runners.online)
            yield GaugeMetricFamily("plue_runners_busy", "Runners holding a running task",
                                    value=runners.busy)
        for name, help_text, value in (
                ("plue_users", "User accounts", activity.users(ctx)),
                ("plue_repositories", "Repositories", activity.repositories(ctx))):
            if value is not None:
                yield GaugeMetricFamily(name, help_text, value=value)


class PrometheusResource:
    """``GET /metrics``, for site administrators and the scraper holding ``metrics_token``
    (``metrics_access = "protected"``, the default), or for anyone (``"public"``)."""

    def __init__(self, service, settings: dict):
        self.service = service  # its registry is made on first use
        self.settings = settings

    def on_get(self, req, resp):
        if self.settings["metrics_access"] != "public":
            _require_scraper(req)
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        resp.content_type = CONTENT_TYPE_LATEST
        resp.data = generate_latest(self.service.registry)


def scraper_identity(settings: dict, req) -> Identity | None:
    """The scraper, when ``req`` asks for /metrics with ``Authorization: Bearer
    <metrics_token>`` (the ``authenticate`` hook, so the token is not taken for an access
    token); ``None`` for anything else."""
    token = settings["metrics_token"]
    header = req.get_header("Authorization") or ""
    if not token or req.path != "/metrics" or not header.startswith("Bearer "):
        return None
    if not hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode()):
        return None
    # No account and no scope: require_identity(scope=...) refuses it everywhere else.
    return Identity(user_id=0, username="metrics-scraper", scopes=frozenset(),
                    method=SCRAPER_METHOD)


def _require_scraper(req) -> None:
    identity = current_identity(req)
    if identity is None:
        raise Unauthorized("/metrics needs a site administrator's credentials or the metrics "
                           "Bearer token ([monitoring] metrics_token)",
                           headers={"WWW-Authenticate": 'Bearer realm="plue metrics"'})
    if identity.method == SCRAPER_METHOD:
        return
    require_admin(req)
