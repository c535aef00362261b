"""The webhooks tables: hooks, the outbox of deliveries (one row per event and hook, sent by
the sender and kept as its record) and each attempt at sending one."""

from __future__ import annotations

import json

import peewee

from plue_core.db import BaseModel, utcnow


def dump_json(value) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class JSONText(peewee.TextField):
    """JSON text in the database, plain Python values in the model."""

    def db_value(self, value):
        return None if value is None else dump_json(value)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class Webhook(BaseModel):
    """One hook. ``owner_kind`` says whose: ``repository`` (``repository_id``), ``organization``
    or ``user`` (``owner_id``, the account) or ``system`` (every repository, admins only). The
    secret and the authorization header are sealed (``plue_core.sealing``), never stored
    in clear."""

    owner_kind = peewee.CharField(max_length=16)
    repository_id = peewee.IntegerField(null=True, index=True)
    owner_id = peewee.IntegerField(null=True, index=True)
    name = peewee.CharField(max_length=255, default="")
    type = peewee.CharField(max_length=16)
    url = peewee.TextField()
    http_method = peewee.CharField(max_length=8, default="POST")
    content_type = peewee.CharField(max_length=8, default="json")
    # The type's own settings (slack's channel, username, icon_url, color).
    extra_config = JSONText(default=dict)
    sealed_secret = peewee.TextField(default="")
    sealed_authorization = peewee.TextField(default="")
    events = JSONText(default=list)
    branch_filter = peewee.CharField(max_length=255, default="")
    active = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)


class WebhookDelivery(BaseModel):
    """One event for one hook: ``pending`` in the outbox until the sender delivers it
    (``delivered``), gives up (``failed``), or the hook's queue was full (``dropped``).
    Written in the transaction of the change that caused it."""

    uuid = peewee.CharField(max_length=36, unique=True)
    webhook = peewee.ForeignKeyField(Webhook, on_delete="CASCADE")
    event = peewee.CharField(max_length=64)
    payload = JSONText()
    state = peewee.CharField(max_length=16, default="pending")
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(default=utcnow)
    # A sender holds the row until then while it sends; an expired lease is free again.
    lease_until = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    finished_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("state", "next_attempt_at"), False), (("webhook", "state"), False))


class WebhookAttempt(BaseModel):
    """One try at sending a delivery, as the receiver saw it; the secret, the signature and
    the authorization header are redacted in ``request_headers``."""

    delivery = peewee.ForeignKeyField(WebhookDelivery, on_delete="CASCADE", index=True)
    attempt = peewee.IntegerField()
    started_at = peewee.DateTimeField(default=utcnow)
    duration_ms = peewee.IntegerField(default=0)
    request_url = peewee.TextField()
    request_headers = JSONText(default=dict)
    request_body = peewee.TextField(default="")
    response_status = peewee.IntegerField(null=True)
    response_headers = JSONText(default=dict)
    response_body = peewee.TextField(default="")
    error = peewee.TextField(default="")


MODELS = [Webhook, WebhookDelivery, WebhookAttempt]
