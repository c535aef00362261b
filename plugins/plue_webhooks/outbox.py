"""The outbox: a webhook event becomes one ``pending`` delivery row per hook that wants it,
written in the transaction of the change that caused it, so a crash between the commit and
the send loses nothing; the sender (``sender``) takes the rows from there."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any, Callable

import peewee

from plue_core.db import utcnow

from plue_webhooks.hooks import wanted_by
from plue_webhooks.models import Webhook, WebhookDelivery, dump_json


@dataclasses.dataclass(frozen=True)
class WebhookEvent:
    """One webhook event: its Gitea event ``type`` (what hooks select, ``X-Gitea-Event-Type``),
    the JSON ``payload`` a ``gitea`` hook receives (or a function returning it, called only
    when some hook wants the event), and who hears it: the hooks of ``repository_id``, of the
    organization or user ``owner_id``, and every system hook. ``branch`` (a short branch
    name) is matched against the hooks' ``branch_filter``."""

    type: str
    payload: dict | Callable[[], dict]
    repository_id: int | None = None
    owner_id: int | None = None
    branch: str | None = None

    def body(self) -> dict:
        return self.payload() if callable(self.payload) else self.payload


def hooks_hearing(event: WebhookEvent) -> list[int]:
    """The ids of the active hooks that receive ``event`` (only the columns that decide)."""
    audience = Webhook.owner_kind == "system"
    if event.repository_id is not None:
        audience |= ((Webhook.owner_kind == "repository")
                     & (Webhook.repository_id == event.repository_id))
    if event.owner_id is not None:
        audience |= (Webhook.owner_kind.in_(("organization", "user"))
                     & (Webhook.owner_id == event.owner_id))
    candidates = (Webhook.select(Webhook.id, Webhook.events, Webhook.branch_filter)
                  .where(Webhook.active & audience).order_by(Webhook.id).tuples())
    return [hook_id for hook_id, events, branch_filter in candidates
            if wanted_by(events, branch_filter, event.type, event.branch)]


def pending_counts(hook_ids: list[int]) -> dict[int, int]:
    rows = (WebhookDelivery.select(WebhookDelivery.webhook, peewee.fn.COUNT(WebhookDelivery.id))
            .where(WebhookDelivery.webhook.in_(hook_ids) & (WebhookDelivery.state == "pending"))
            .group_by(WebhookDelivery.webhook).tuples())
    return dict(rows)


COLUMNS = ("uuid", "webhook_id", "event", "payload", "state", "attempts", "next_attempt_at",
           "created_at", "finished_at")


# Rows per INSERT: 9 columns x 100 rows stays under SQLite's oldest limit of 999 parameters.
INSERT_BATCH = 100


def _insert(rows: list[tuple]) -> None:
    """One multi-row INSERT for up to ``INSERT_BATCH`` rows: peewee would build the SQL of each
    row, and the driver's ``executemany`` costs PostgreSQL one round trip per row (for fifty
    hooks, most of what webhooks added to a push)."""
    db = WebhookDelivery._meta.database
    one = "(" + ", ".join([db.param] * len(COLUMNS)) + ")"
    head = f'INSERT INTO "{WebhookDelivery._meta.table_name}" ({", ".join(COLUMNS)}) VALUES '
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start:start + INSERT_BATCH]
        db.execute_sql(head + ", ".join([one] * len(batch)),
                       [value for row in batch for value in row])


def enqueue(service, event: WebhookEvent) -> int:
    """Write the deliveries of ``event``; returns how many are pending. A hook whose queue
    holds ``queue_limit`` pending deliveries gets this one recorded as ``dropped``."""
    targets = hooks_hearing(event)
    if not targets:
        return 0
    payload = dump_json(event.body())
    limit = service.settings["queue_limit"]
    queued = pending_counts(targets)
    now = WebhookDelivery.created_at.db_value(utcnow())
    rows = []
    for hook_id in targets:
        full = queued.get(hook_id, 0) >= limit
        rows.append((str(uuid.uuid4()), hook_id, event.type, payload,
                     "dropped" if full else "pending", 0, now, now, now if full else None))
    _insert(rows)
    return sum(1 for row in rows if row[4] == "pending")


def enqueue_all(service, events: list[Any]) -> int:
    return sum(enqueue(service, event) for event in events)
