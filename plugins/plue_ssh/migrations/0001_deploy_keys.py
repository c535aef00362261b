"""ssh: deploy keys."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    class DeployKey(Base):
        repository_id = peewee.BigIntegerField(index=True)
        title = peewee.CharField(max_length=255)
        content = peewee.TextField()
        key_type = peewee.CharField(max_length=32)
        fingerprint = peewee.CharField(max_length=100, index=True)
        read_only = peewee.BooleanField(default=True)
        created_by_id = peewee.BigIntegerField(null=True)
        created_at = peewee.DateTimeField(default=now)
        last_used_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "ssh_deploy_key"
            indexes = ((("repository_id", "fingerprint"), True), (("repository_id", "title"), True))

    db.create_tables([DeployKey])
