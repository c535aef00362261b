"""The ``[monitoring]`` config section (environment: ``PLUE_MONITORING__<KEY>``)."""

from marshmallow import Schema, fields, validate


def _doc(text: str) -> dict:
    return {"description": text}


class MonitoringSettings(Schema):
    """Who may scrape /metrics; RunnerHub rate limits (fixed windows counted in the database)."""

    metrics_access = fields.String(
        load_default="protected", validate=validate.OneOf(["protected", "public"]),
        metadata=_doc("Who may read GET /metrics: \"protected\" (site administrators, and "
                      "whoever sends metrics_token as a Bearer token) or \"public\" (anyone)."))
    metrics_token = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=16),
        metadata=_doc("The Bearer token a Prometheus scraper sends to read /metrics "
                      "(Authorization: Bearer <token>); unset: administrators only."))

    rate_limit_enabled = fields.Boolean(
        load_default=True,
        metadata=_doc("Whether RunnerHub API requests (/api/... outside /api/v1, /api/repos and "
                      "/api/actions) and the incoming GitLab webhooks (/api/repos/{id}/webhook) "
                      "are rate limited and carry X-RateLimit-* headers."))
    rate_limit_window_seconds = fields.Integer(
        load_default=3600, validate=validate.Range(min=1),
        metadata=_doc("Length of a rate limit window; counts restart at each window boundary."))
    rate_limit_auth = fields.Integer(
        load_default=100, validate=validate.Range(min=1),
        metadata=_doc("Anonymous requests (logins) per window to /api/auth/* per client IP."))
    rate_limit_general = fields.Integer(
        load_default=1000, validate=validate.Range(min=1),
        metadata=_doc("Requests per window to the other RunnerHub endpoints per authenticated "
                      "user (per client IP for anonymous requests)."))
