"""webhooks: each event's payload stored once (``webhook_payload``), the deliveries pointing at
it, instead of a copy per hook written by the change (issue 14: fifty hooks made a push write
fifty copies). Existing deliveries keep their payload, one row each."""

import datetime

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    def now():
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class WebhookPayload(peewee.Model):
        event = peewee.CharField(max_length=64)
        body = peewee.TextField()
        repository_id = peewee.IntegerField(null=True)
        owner_id = peewee.IntegerField(null=True)
        branch = peewee.CharField(max_length=255, null=True)
        fanned_out = peewee.BooleanField(default=False, index=True)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            database = db
            legacy_table_names = False

    db.create_tables([WebhookPayload])
    migrate(migrator.add_column("webhook_delivery", "payload_id", peewee.ForeignKeyField(
        WebhookPayload, field=WebhookPayload.id, null=True, index=True)))
    rows = db.execute_sql("SELECT id, event, payload, created_at FROM webhook_delivery").fetchall()
    for delivery_id, event, body, created_at in rows:
        payload_id = WebhookPayload.insert(event=event, body=body, fanned_out=True,
                                           created_at=created_at).execute()
        db.execute_sql(f"UPDATE webhook_delivery SET payload_id = {db.param} WHERE id = {db.param}",
                       (payload_id, delivery_id))
    # payload_id stays nullable (never null in use): SQLite adds NOT NULL by rebuilding the
    # table, and dropping the old one would cascade to every attempt's record.
    migrate(migrator.drop_column("webhook_delivery", "payload"))
