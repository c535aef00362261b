"""``github_webhook``: each GitHub webhook delivery RunnerHub accepted
(``runnerhub_github_delivery``, insert-only, its ``received`` stamp indexed), with the data
``POST /api/github/webhook`` answered. Deliveries concern the whole hub (any repository, any
runner), so RunnerHub admins hear them."""

from __future__ import annotations

from plue_core.db import connection, utcnow
from plue_runnerhub.live_feed.changes import OVERLAP
from plue_runnerhub.models import GitHubDelivery
from plue_runnerhub.schemas import DELIVERY_SHAPE


class GitHubWebhookChanges:
    kind = "github_webhook"
    AUDIENCE = "runnerhub_admins"

    def __init__(self, ctx):
        self.ctx = ctx
        self.started = self.since = utcnow()
        self.reported: dict[int, object] = {}  # delivery id -> received, while in the window

    def look(self) -> list[tuple[str, dict]]:
        """Deliveries received since this object was made and not reported yet."""
        with connection(self.ctx.db):
            now = utcnow()
            rows = list(GitHubDelivery.select()
                        .where(GitHubDelivery.received >= max(self.since - OVERLAP,
                                                              self.started))
                        .order_by(GitHubDelivery.received, GitHubDelivery.id))
        changes = []
        for row in rows:
            if row.id not in self.reported:
                self.reported[row.id] = row.received
                data = DELIVERY_SHAPE(row, False)
                del data["duplicate"]
                changes.append((self.AUDIENCE, data))
        self.since = now
        self.reported = {key: received for key, received in self.reported.items()
                         if received >= now - 2 * OVERLAP}
        return changes

    def audience(self, identity, keys: set) -> set:
        return keys if identity.administers_runnerhub else set()
