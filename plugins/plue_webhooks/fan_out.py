"""The sender's first step: each event in the outbox (a ``webhook_payload`` row not yet
``fanned_out``) becomes one delivery per hook that hears it — event selection and branch
filter applied here, off the request thread — and a hook whose queue is full gets it as
``dropped``. An event is fanned out in one transaction that claims it (a conditional update:
two senders never fan one event out twice) and writes its deliveries; a sender that dies
before the commit leaves the event to the next pass, so nothing is lost or doubled."""

from __future__ import annotations

import logging
import uuid

import peewee

from plue_core.db import utcnow, write_transaction

from plue_webhooks import payloads
from plue_webhooks.hooks import wanted_by
from plue_webhooks.models import Webhook, WebhookDelivery, WebhookPayload
from plue_webhooks.outbox import audience

log = logging.getLogger("plue.webhooks")

COLUMNS = ("uuid", "webhook_id", "event", "payload_id", "state", "attempts", "next_attempt_at",
           "created_at", "finished_at")

# Rows per INSERT: 9 columns x 100 rows stays under SQLite's oldest limit of 999 parameters.
INSERT_BATCH = 100


def waiting(limit: int) -> list[WebhookPayload]:
    """The oldest events not fanned out yet."""
    return list(WebhookPayload.select().where(~WebhookPayload.fanned_out)
                .order_by(WebhookPayload.id).limit(limit))


def hooks_hearing(payload: WebhookPayload) -> list[int]:
    """The ids of the active hooks that receive the event of ``payload``."""
    candidates = (Webhook.select(Webhook.id, Webhook.events, Webhook.branch_filter)
                  .where(audience(payload.repository_id or 0, payload.owner_id or 0))
                  .order_by(Webhook.id).tuples())
    return [hook_id for hook_id, events, branch_filter in candidates
            if wanted_by(events, branch_filter, payload.event, payload.branch)]


def pending_counts(hook_ids: list[int]) -> dict[int, int]:
    """How many deliveries wait, per hook of ``hook_ids``."""
    return dict(WebhookDelivery.select(WebhookDelivery.webhook, peewee.fn.COUNT(WebhookDelivery.id))
                .where(WebhookDelivery.webhook.in_(hook_ids)
                       & (WebhookDelivery.state == "pending"))
                .group_by(WebhookDelivery.webhook).tuples())


def insert_deliveries(rows: list[tuple]) -> None:
    """Multi-row INSERTs of up to ``INSERT_BATCH`` rows (the driver's ``executemany`` costs
    PostgreSQL one round trip per row)."""
    db = WebhookDelivery._meta.database
    one = "(" + ", ".join([db.param] * len(COLUMNS)) + ")"
    head = f'INSERT INTO "{WebhookDelivery._meta.table_name}" ({", ".join(COLUMNS)}) VALUES '
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start:start + INSERT_BATCH]
        db.execute_sql(head + ", ".join([one] * len(batch)),
                       [value for row in batch for value in row])


def fan_out_one(service, payload: WebhookPayload) -> int:
    """Fan out one event; returns how many deliveries are pending from it (0 also when
    another sender had it)."""
    # What the event left for later (a push's file lists, read from git), filled in once
    # for every hook, before the transaction (reading trees must not hold the write lock).
    completed = payloads.completed(service.ctx, payload.event, payload.body,
                                   service.commit_files)
    with write_transaction():
        changes = {"fanned_out": True}
        if completed is not None:
            changes["body"] = completed
        claimed = (WebhookPayload.update(changes)
                   .where((WebhookPayload.id == payload.id) & ~WebhookPayload.fanned_out)
                   .execute())
        if not claimed:
            return 0
        targets = hooks_hearing(payload)
        if not targets:
            return 0
        limit = service.settings["queue_limit"]
        queued = pending_counts(targets)
        now = WebhookDelivery.created_at.db_value(utcnow())
        rows = []
        for hook_id in targets:
            full = queued.get(hook_id, 0) >= limit
            rows.append((str(uuid.uuid4()), hook_id, payload.event, payload.id,
                         "dropped" if full else "pending", 0, now, now, now if full else None))
        insert_deliveries(rows)
    return sum(1 for row in rows if row[4] == "pending")


def fan_out(service) -> int:
    """One pass over the waiting events (at most ``batch_size``); returns how many
    deliveries became pending. An event that cannot be fanned out now stays waiting (its
    transaction rolled back) and does not hold up the others."""
    pending = 0
    for payload in waiting(service.settings["batch_size"]):
        try:
            pending += fan_out_one(service, payload)
        except Exception:
            log.exception("webhook event %s not fanned out; the next pass tries again",
                          payload.id)
    return pending

