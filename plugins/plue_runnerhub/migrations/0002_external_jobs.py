"""runnerhub: external jobs (of repositories Plue does not host) and their log lines."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    class ExternalJob(Base):
        github_job_id = peewee.CharField(max_length=255, default="")
        repository = peewee.CharField(max_length=255)
        repository_key = peewee.CharField(max_length=255, index=True)
        job_name = peewee.CharField(max_length=255, default="")
        workflow_name = peewee.CharField(max_length=1024, default="")
        labels = peewee.TextField(default="[]")
        queue = peewee.CharField(max_length=512, index=True)
        metadata = peewee.TextField(default="{}")
        status = peewee.CharField(max_length=16, index=True, default="pending")
        result = peewee.CharField(max_length=16, null=True)
        runner_id = peewee.IntegerField(null=True, index=True)
        container_id = peewee.CharField(max_length=255, null=True)
        exit_code = peewee.IntegerField(null=True)
        artifacts = peewee.TextField(default="[]")
        log_lines = peewee.IntegerField(default=0)
        creator_id = peewee.IntegerField(index=True)
        created = peewee.DateTimeField(default=now)
        assigned = peewee.DateTimeField(null=True)
        started = peewee.DateTimeField(null=True)
        stopped = peewee.DateTimeField(null=True)
        updated = peewee.DateTimeField(default=now, index=True)

        class Meta:
            table_name = "runnerhub_external_job"

    class ExternalJobLog(Base):
        job_id = peewee.IntegerField()
        line = peewee.IntegerField()
        timestamp = peewee.DateTimeField()
        level = peewee.CharField(max_length=16, default="info")
        message = peewee.TextField()
        step = peewee.CharField(max_length=255, null=True)

        class Meta:
            table_name = "runnerhub_external_job_log"
            indexes = ((("job_id", "line"), True),)

    db.create_tables([ExternalJob, ExternalJobLog])
