"""Core: scheduler leases and the record of job runs."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db

    class JobLease(Base):
        job_id = peewee.CharField(max_length=200, primary_key=True)
        holder = peewee.CharField(max_length=200)
        expires_at = peewee.DateTimeField()

        class Meta:
            table_name = "plue_job_lease"

    class JobRun(Base):
        job_id = peewee.CharField(max_length=200, index=True)
        holder = peewee.CharField(max_length=200)
        started_at = peewee.DateTimeField()
        finished_at = peewee.DateTimeField(null=True)
        succeeded = peewee.BooleanField(null=True)
        error = peewee.TextField(null=True)

        class Meta:
            table_name = "plue_job_run"

    db.create_tables([JobLease, JobRun])
