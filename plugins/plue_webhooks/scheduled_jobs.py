"""The webhooks plugin's scheduled jobs: the sender's pass, and pruning old records."""

from __future__ import annotations

import datetime

import peewee

from plue_core.db import utcnow, write_transaction

from plue_webhooks.models import WebhookAttempt, WebhookDelivery, WebhookPayload


def prune_deliveries(service) -> int:
    """Delete finished deliveries (and their attempts) older than ``retention_days``; pending
    ones stay whatever their age. Then the payloads no delivery points at any more (their
    hooks deleted, or their last delivery pruned), once fanned out and that old. Returns how
    many deliveries went."""
    cutoff = utcnow() - datetime.timedelta(days=service.settings["retention_days"])
    old = (WebhookDelivery.select(WebhookDelivery.id)
           .where((WebhookDelivery.state != "pending") & (WebhookDelivery.created_at < cutoff)))
    ids = [row.id for row in old]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        with write_transaction():
            WebhookAttempt.delete().where(WebhookAttempt.delivery.in_(chunk)).execute()
            WebhookDelivery.delete().where(WebhookDelivery.id.in_(chunk)).execute()
    used = WebhookDelivery.select(WebhookDelivery.payload).where(
        WebhookDelivery.payload == WebhookPayload.id)
    with write_transaction():
        (WebhookPayload.delete()
         .where(WebhookPayload.fanned_out & (WebhookPayload.created_at < cutoff)
                & ~peewee.fn.EXISTS(used)).execute())
    return len(ids)
