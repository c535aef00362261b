"""runners: pilot_runner and pilot_runner_instance (frozen copies of the models at this version)."""

import uuid

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Runner(Base):
        uid = peewee.UUIDField(default=uuid.uuid4, unique=True)
        org_id = peewee.IntegerField(index=True)
        name = peewee.CharField(max_length=100)
        lower_name = peewee.CharField(max_length=100)
        docker_image = peewee.CharField(max_length=255)
        github_repo = peewee.CharField(max_length=255)
        token_sealed = peewee.TextField()
        token_masked = peewee.CharField(max_length=32)
        status = peewee.CharField(max_length=16, default="idle")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "pilot_runner"
            indexes = ((("org_id", "lower_name"), True),)

    class RunnerInstance(Base):
        uid = peewee.UUIDField(default=uuid.uuid4, unique=True)
        runner = peewee.ForeignKeyField(Runner, backref="instances", on_delete="CASCADE")
        node_id = peewee.IntegerField(index=True)
        container_id = peewee.CharField(max_length=64)
        instance_identifier = peewee.CharField(max_length=128)
        instance_host = peewee.CharField(max_length=255)
        status = peewee.CharField(max_length=16, default="online")
        last_heartbeat = peewee.DateTimeField(null=True)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "pilot_runner_instance"

    db.create_tables([Runner, RunnerInstance])
