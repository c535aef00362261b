"""Delivery records under a hook (Plue's addition to Gitea's API): list them with their
attempts, and send one again."""

from __future__ import annotations

import uuid

from plue_core.db import utcnow
from plue_core.errors import NotFound
from plue_core.timestamps import rfc3339

from plue_webhooks.models import WebhookAttempt, WebhookDelivery, WebhookPayload


def deliveries_of(hook):
    return (WebhookDelivery.select(WebhookDelivery, WebhookPayload.id, WebhookPayload.body)
            .join(WebhookPayload).where(WebhookDelivery.webhook == hook.id)
            .order_by(WebhookDelivery.id.desc()))


def get_delivery(hook, delivery_id: int) -> WebhookDelivery:
    delivery = (deliveries_of(hook)
                .where((WebhookDelivery.webhook == hook.id) & (WebhookDelivery.id == delivery_id))
                .first())
    if delivery is None:
        raise NotFound(f"delivery {delivery_id} of webhook {hook.id} does not exist")
    return delivery


def attempt_json(attempt: WebhookAttempt) -> dict:
    response = None
    if attempt.response_status is not None:
        response = {"status": attempt.response_status, "headers": attempt.response_headers,
                    "body": attempt.response_body}
    return {"attempt": attempt.attempt, "started_at": rfc3339(attempt.started_at),
            "duration_ms": attempt.duration_ms,
            "request": {"url": attempt.request_url, "headers": attempt.request_headers,
                        "body": attempt.request_body},
            "response": response, "error": attempt.error}


def deliveries_json(rows) -> list[dict]:
    rows = list(rows)
    history: dict[int, list] = {row.id: [] for row in rows}
    if rows:
        for attempt in (WebhookAttempt.select()
                        .where(WebhookAttempt.delivery.in_(list(history)))
                        .order_by(WebhookAttempt.attempt)):
            history[attempt.delivery_id].append(attempt_json(attempt))
    return [{"id": row.id, "uuid": row.uuid, "event": row.event, "state": row.state,
             "attempts": row.attempts, "created_at": rfc3339(row.created_at),
             "finished_at": rfc3339(row.finished_at) if row.finished_at else None,
             "next_attempt_at": rfc3339(row.next_attempt_at) if row.state == "pending" else None,
             "payload": row.payload.body, "history": history[row.id]} for row in rows]


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """A new delivery (new id and uuid) of the same event and payload row, sent as soon as
    possible; the original keeps its record."""
    now = utcnow()
    return WebhookDelivery.create(uuid=str(uuid.uuid4()), webhook=delivery.webhook_id,
                                  event=delivery.event, payload=delivery.payload_id,
                                  state="pending", next_attempt_at=now, created_at=now)
