"""runnerhub: runner profiles, queue switches, delegations (frozen copies at this version)."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    class RunnerProfile(Base):
        runner_id = peewee.IntegerField(unique=True)
        os = peewee.CharField(max_length=64, default="")
        architecture = peewee.CharField(max_length=64, default="")
        capabilities = peewee.TextField(default="{}")
        resource_info = peewee.TextField(default="{}")
        created = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "runnerhub_runner_profile"

    class QueueState(Base):
        name = peewee.CharField(max_length=512, unique=True)
        paused = peewee.BooleanField(default=False)
        failed_cleared_at = peewee.DateTimeField(null=True)
        updated = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "runnerhub_queue"

    class Delegation(Base):
        run_id = peewee.IntegerField(index=True)
        job_key = peewee.CharField(max_length=255)
        external_job_id = peewee.CharField(max_length=255, default="")
        repository_id = peewee.IntegerField(index=True)
        labels = peewee.TextField(default="[]")
        branch = peewee.CharField(max_length=1024, default="")
        commit_sha = peewee.CharField(max_length=64, default="")
        pr_number = peewee.IntegerField(null=True)
        creator_id = peewee.IntegerField()
        created = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "runnerhub_delegation"

    db.create_tables([RunnerProfile, QueueState, Delegation])
