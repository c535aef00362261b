"""tracked_repos: tracked repositories, their commits, provider state (frozen copies)."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    class TrackedRepository(Base):
        user_id = peewee.IntegerField(index=True)
        owner = peewee.CharField(max_length=255)
        name = peewee.CharField(max_length=255)
        provider = peewee.CharField(max_length=16)
        full_name_key = peewee.CharField(max_length=511)
        url = peewee.CharField(max_length=2048)
        is_valid = peewee.BooleanField(default=True)
        last_synced_at = peewee.DateTimeField(null=True, index=True)
        last_sync_error = peewee.TextField(default="")
        provider_id = peewee.BigIntegerField(null=True)
        private = peewee.BooleanField(null=True)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "tracked_repository"
            indexes = ((("user_id", "provider", "full_name_key"), True),)

    class TrackedCommit(Base):
        repository = peewee.ForeignKeyField(TrackedRepository, on_delete="CASCADE")
        sha = peewee.CharField(max_length=64)
        message = peewee.TextField(default="")
        author = peewee.CharField(max_length=255, default="")
        date = peewee.DateTimeField(null=True, index=True)

        class Meta:
            table_name = "tracked_commit"
            indexes = ((("repository", "sha"), True),)

    class ProviderState(Base):
        provider = peewee.CharField(max_length=16, primary_key=True)
        api_status = peewee.CharField(max_length=32, default="unknown")
        last_error = peewee.TextField(default="")
        rate_limit = peewee.IntegerField(null=True)
        rate_remaining = peewee.IntegerField(null=True)
        rate_used = peewee.IntegerField(null=True)
        rate_reset = peewee.DateTimeField(null=True)
        checked_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "tracked_provider_state"

    db.create_tables([TrackedRepository, TrackedCommit, ProviderState])
