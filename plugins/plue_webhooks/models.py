"""The webhooks tables: hooks, the outbox of events (one payload row per event, written with
the change), the deliveries the sender fans each event out to (one per hook, kept as its
record, pointing at the payload) and each attempt at sending one."""

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


class WebhookPayload(BaseModel):
    """One webhook event, stored once whatever the number of hooks: written in the
    transaction of the change that caused it (``fanned_out`` false), then turned by the
    sender into one delivery per hook that hears it (``repository_id``, ``owner_id``,
    ``branch`` say who, as ``outbox.WebhookEvent``) in one transaction that sets
    ``fanned_out``. ``body`` is what a ``gitea`` hook receives."""

    event = peewee.CharField(max_length=64)
    body = JSONText()
    repository_id = peewee.IntegerField(null=True)
    owner_id = peewee.IntegerField(null=True)
    branch = peewee.CharField(max_length=255, null=True)
    fanned_out = peewee.BooleanField(default=False, index=True)
    created_at = peewee.DateTimeField(default=utcnow)


class WebhookDelivery(BaseModel):
    """One event for one hook: ``pending`` until the sender delivers it (``delivered``),
    gives up (``failed``), or the hook's queue was full (``dropped``). Its ``payload`` is
    shared with the other hooks that heard the event (and with its redeliveries)."""

    uuid = peewee.CharField(max_length=36, unique=True)
    webhook = peewee.ForeignKeyField(Webhook, on_delete="CASCADE")
    event = peewee.CharField(max_length=64)
    # Never null; nullable only because migration 0002 could not add it otherwise on SQLite.
    payload = peewee.ForeignKeyField(WebhookPayload, index=True, null=True)
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


MODELS = [Webhook, WebhookPayload, WebhookDelivery, WebhookAttempt]
