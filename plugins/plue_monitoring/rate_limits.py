"""RunnerHub rate limits: fixed windows counted in the database, so every gunicorn worker and
every host shares one count. Auth endpoints count per client IP, the rest per user. The
incoming webhooks (GitHub's ``/api/github/webhook``, a RunnerHub path, and GitLab's
``/api/repos/{id}/webhook`` of the tracked repositories) come under the same rule."""

from __future__ import annotations

import re
import time

from plue_core import families
from plue_core.client_address import client_address
from plue_core.db import CompiledSelect, write_transaction
from plue_core.errors import TooManyRequests
from plue_core.identity import current_identity
from plue_monitoring.models import RateLimitWindow

AUTH_PREFIX = "/api/auth"


# A tracked repository's GitLab webhook: anonymous calls from outside, like GitHub's.
INCOMING_WEBHOOK = re.compile(r"/api/repos/[^/]+/webhook")


def applies_to(req) -> bool:
    """RunnerHub API paths and the incoming webhooks; /health and /metrics (probes,
    scrapers) are never limited."""
    path = req.path
    if INCOMING_WEBHOOK.fullmatch(path):
        return True
    return families.family_of_request(req) is families.RUNNERHUB and path.startswith("/api/")


# One statement, compiled once per database (peewee building it cost more than running it):
# the window's row is created or its count raised, and the new count returned, atomically.
_COUNT_HIT = CompiledSelect(
    lambda bucket, window_start: RateLimitWindow.insert(
        bucket=bucket, window_start=window_start, hits=1).on_conflict(
        conflict_target=[RateLimitWindow.bucket, RateLimitWindow.window_start],
        update={RateLimitWindow.hits: RateLimitWindow.hits + 1}).returning(
        RateLimitWindow.hits).tuples(),
    str, int)


def count_hit(bucket: str, window_start: int) -> int:
    """Add one hit to the bucket's window and return the window's count: one
    ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` (was a transaction of an upsert and a
    select, four statements on SQLite with its BEGIN and COMMIT). The row in the shared
    database is still the one count every worker and host adds to (docs/serving.md)."""
    return _COUNT_HIT.scalar(bucket, window_start)


def prune(db, settings: dict, now: float | None = None) -> int:
    """Delete windows that have ended (a scheduler job); returns how many rows went."""
    now = time.time() if now is None else now
    with write_transaction(db):
        return RateLimitWindow.delete().where(
            RateLimitWindow.window_start < now - settings["rate_limit_window_seconds"]).execute()


class RateLimitMiddleware:
    """Counts each RunnerHub request, sets X-RateLimit-Limit/Remaining/Reset and answers 429
    RATE_LIMIT_EXCEEDED (with Retry-After) once a bucket is over its limit."""

    def __init__(self, settings: dict, trusted_proxies: tuple = ()):
        self.settings = settings
        self.trusted_proxies = trusted_proxies

    def bucket_of(self, req) -> tuple[str, int]:
        """Anonymous requests to /api/auth/* (logins: credentials being tried) count per IP
        against the auth limit; an authenticated caller (``GET /api/auth/me`` with a JWT)
        counts against its own general limit, so a polling dashboard cannot lock out logins."""
        # Behind a reverse proxy, per client: else one client spends everyone's login budget.
        address = client_address(req, self.trusted_proxies) or "unknown"
        identity = current_identity(req)
        if identity is None and (req.path == AUTH_PREFIX or req.path.startswith(AUTH_PREFIX + "/")):
            return f"auth-ip:{address}", self.settings["rate_limit_auth"]
        bucket = f"user:{identity.user_id}" if identity is not None else f"ip:{address}"
        return bucket, self.settings["rate_limit_general"]

    def process_request(self, req, resp):
        if not self.settings["rate_limit_enabled"] or not applies_to(req):
            return
        now = time.time()
        window = self.settings["rate_limit_window_seconds"]
        start = int(now // window) * window
        bucket, limit = self.bucket_of(req)
        hits = count_hit(bucket, start)
        reset = start + window
        headers = {"X-RateLimit-Limit": str(limit),
                   "X-RateLimit-Remaining": str(max(0, limit - hits)),
                   "X-RateLimit-Reset": str(reset)}
        for name, value in headers.items():
            resp.set_header(name, value)
        if hits > limit:
            retry_after = max(1, reset - int(now))
            raise TooManyRequests(
                f"rate limit exceeded: {limit} requests per {window} s; retry in {retry_after} s",
                details={"limit": limit, "window_seconds": window, "reset": reset},
                headers={**headers, "Retry-After": str(retry_after)})
