"""runnerhub: GitHub webhook deliveries accepted at POST /api/github/webhook."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    class GitHubDelivery(Base):
        delivery_id = peewee.CharField(max_length=64, unique=True)
        event = peewee.CharField(max_length=64)
        action = peewee.CharField(max_length=64, default="")
        repository = peewee.CharField(max_length=255, default="")
        sender = peewee.CharField(max_length=255, default="")
        job_id = peewee.IntegerField(null=True)
        received = peewee.DateTimeField(default=now, index=True)

        class Meta:
            table_name = "runnerhub_github_delivery"

    db.create_tables([GitHubDelivery])
