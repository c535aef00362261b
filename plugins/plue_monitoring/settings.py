"""The ``[monitoring]`` config section (environment: ``PLUE_MONITORING__<KEY>``)."""

from marshmallow import Schema, fields, validate


def _doc(text: str) -> dict:
    return {"description": text}


class MonitoringSettings(Schema):
    """RunnerHub rate limits (fixed windows counted in the database)."""

    rate_limit_enabled = fields.Boolean(
        load_default=True,
        metadata=_doc("Whether RunnerHub API requests (/api/... outside /api/v1, /api/repos and "
                      "/api/actions) are rate limited and carry X-RateLimit-* headers."))
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
