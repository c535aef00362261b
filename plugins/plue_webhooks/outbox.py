"""The outbox: a webhook event becomes one ``pending`` delivery row per hook that wants it,
written in the transaction of the change that caused it, so a crash between the commit and
the send loses nothing; the sender (``sender``) takes the rows from there."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any, Callable

import peewee

from plue_core.db import CompiledSelect, utcnow

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


def _audience(repository_id, owner_id):
    """The active hooks that hear an event of ``repository_id`` owned by ``owner_id`` (0 for
    none: no row has that id), whatever they select."""
    return Webhook.active & (
        (Webhook.owner_kind == "system")
        | ((Webhook.owner_kind == "repository") & (Webhook.repository_id == repository_id))
        | (Webhook.owner_kind.in_(("organization", "user")) & (Webhook.owner_id == owner_id)))


# Compiled once: peewee building these two queries' SQL was most of what hooks added to a push.
_HEARING = CompiledSelect(
    lambda repository_id, owner_id: Webhook.select(
        Webhook.id, Webhook.events, Webhook.branch_filter)
    .where(_audience(repository_id, owner_id)).order_by(Webhook.id).tuples(), int, int)
_PENDING = CompiledSelect(
    lambda repository_id, owner_id: WebhookDelivery.select(
        WebhookDelivery.webhook, peewee.fn.COUNT(WebhookDelivery.id))
    .join(Webhook).where(_audience(repository_id, owner_id)
                         & (WebhookDelivery.state == "pending"))
    .group_by(WebhookDelivery.webhook).tuples(), int, int)


def hooks_hearing(event: WebhookEvent) -> list[int]:
    """The ids of the active hooks that receive ``event`` (only the columns that decide)."""
    candidates = _HEARING.rows(event.repository_id or 0, event.owner_id or 0)
    return [hook_id for hook_id, events, branch_filter in candidates
            if wanted_by(events, branch_filter, event.type, event.branch)]


def pending_counts(event: WebhookEvent) -> dict[int, int]:
    """How many deliveries wait, per hook that hears ``event``."""
    return dict(_PENDING.rows(event.repository_id or 0, event.owner_id or 0))


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
    queued = pending_counts(event)
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
