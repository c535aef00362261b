"""webhooks: the webhook, webhook_delivery and webhook_attempt tables (a frozen copy of the
models at this version)."""

import datetime

import peewee


def up(migrator, db):
    def now():
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Webhook(Base):
        owner_kind = peewee.CharField(max_length=16)
        repository_id = peewee.IntegerField(null=True, index=True)
        owner_id = peewee.IntegerField(null=True, index=True)
        name = peewee.CharField(max_length=255, default="")
        type = peewee.CharField(max_length=16)
        url = peewee.TextField()
        http_method = peewee.CharField(max_length=8, default="POST")
        content_type = peewee.CharField(max_length=8, default="json")
        extra_config = peewee.TextField(default="{}")
        sealed_secret = peewee.TextField(default="")
        sealed_authorization = peewee.TextField(default="")
        events = peewee.TextField(default="[]")
        branch_filter = peewee.CharField(max_length=255, default="")
        active = peewee.BooleanField(default=False)
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

    class WebhookDelivery(Base):
        uuid = peewee.CharField(max_length=36, unique=True)
        webhook = peewee.ForeignKeyField(Webhook, on_delete="CASCADE")
        event = peewee.CharField(max_length=64)
        payload = peewee.TextField()
        state = peewee.CharField(max_length=16, default="pending")
        attempts = peewee.IntegerField(default=0)
        next_attempt_at = peewee.DateTimeField(default=now)
        lease_until = peewee.DateTimeField(null=True)
        created_at = peewee.DateTimeField(default=now)
        finished_at = peewee.DateTimeField(null=True)

        class Meta:
            indexes = ((("state", "next_attempt_at"), False), (("webhook", "state"), False))

    class WebhookAttempt(Base):
        delivery = peewee.ForeignKeyField(WebhookDelivery, on_delete="CASCADE", index=True)
        attempt = peewee.IntegerField()
        started_at = peewee.DateTimeField(default=now)
        duration_ms = peewee.IntegerField(default=0)
        request_url = peewee.TextField()
        request_headers = peewee.TextField(default="{}")
        request_body = peewee.TextField(default="")
        response_status = peewee.IntegerField(null=True)
        response_headers = peewee.TextField(default="{}")
        response_body = peewee.TextField(default="")
        error = peewee.TextField(default="")

    db.create_tables([Webhook, WebhookDelivery, WebhookAttempt])
