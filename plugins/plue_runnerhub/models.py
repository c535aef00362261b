"""RunnerHub's own rows: what a runner declared about itself, the queues' switches, the
delegations that started actions runs, and the external jobs (of repositories Plue does not
host) with their log lines. Hosted runners, jobs and logs are read from the actions plugin's
tables through its service."""

from __future__ import annotations

import json

import peewee

from plue_core.db import BaseModel, utcnow


class JSONText(peewee.TextField):
    """JSON text in the database, plain Python values in the model."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, separators=(",", ":"))

    def python_value(self, value):
        return None if value is None else json.loads(value)


class RunnerProfile(BaseModel):
    """What ``POST /api/runners`` declared: os, architecture, capabilities, resources."""

    runner_id = peewee.IntegerField(unique=True)  # action_runner.id
    os = peewee.CharField(max_length=64, default="")
    architecture = peewee.CharField(max_length=64, default="")
    capabilities = JSONText(default=dict)
    resource_info = JSONText(default=dict)
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "runnerhub_runner_profile"


class QueueState(BaseModel):
    """A queue (a runs-on label set) paused by an operator, or whose failed jobs were cleared
    from its counts (failed jobs stopped at or before ``failed_cleared_at`` are not counted)."""

    name = peewee.CharField(max_length=512, unique=True)
    paused = peewee.BooleanField(default=False)
    failed_cleared_at = peewee.DateTimeField(null=True)
    updated = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "runnerhub_queue"


class Delegation(BaseModel):
    """A ``POST /api/jobs/delegate``: the actions run it started and the job it asked for."""

    run_id = peewee.IntegerField(index=True)  # action_run.id
    job_key = peewee.CharField(max_length=255)  # the key under jobs: in the workflow
    external_job_id = peewee.CharField(max_length=255, default="")  # the caller's job_id
    repository_id = peewee.IntegerField(index=True)
    labels = JSONText(default=list)
    branch = peewee.CharField(max_length=1024, default="")
    commit_sha = peewee.CharField(max_length=64, default="")
    pr_number = peewee.BigIntegerField(null=True)  # Gitea's and GitHub's int64
    creator_id = peewee.IntegerField()
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "runnerhub_delegation"


class ExternalJob(BaseModel):
    """A job of a repository Plue does not host (a GitHub ``owner/repo``), delegated to hub
    runners: ``pending`` until one with matching labels takes it, then ``assigned``,
    ``running`` and ``completed`` or ``failed`` (``result`` says how it ended)."""

    github_job_id = peewee.CharField(max_length=255, default="")  # the caller's job_id
    repository = peewee.CharField(max_length=255)  # owner/repo as the caller wrote it
    repository_key = peewee.CharField(max_length=255, index=True)  # lower-cased, for filters
    job_name = peewee.CharField(max_length=255, default="")
    workflow_name = peewee.CharField(max_length=1024, default="")
    labels = JSONText(default=list)
    queue = peewee.CharField(max_length=512, index=True)  # the labels' queue name
    metadata = JSONText(default=dict)
    status = peewee.CharField(max_length=16, index=True, default="pending")
    result = peewee.CharField(max_length=16, null=True)
    runner_id = peewee.IntegerField(null=True, index=True)  # action_runner.id
    container_id = peewee.CharField(max_length=255, null=True)
    exit_code = peewee.IntegerField(null=True)
    artifacts = JSONText(default=list)
    log_lines = peewee.IntegerField(default=0)
    creator_id = peewee.IntegerField(index=True)
    # GitHub's ``repository.private`` for a job its webhook recorded; None: not told (a
    # delegation). Organization runners only take jobs of repositories known to be public
    # from the webhook (``runner_scopes``).
    private = peewee.BooleanField(null=True)
    created = peewee.DateTimeField(default=utcnow)
    assigned = peewee.DateTimeField(null=True)
    started = peewee.DateTimeField(null=True)
    stopped = peewee.DateTimeField(null=True)
    updated = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "runnerhub_external_job"


class ExternalJobLog(BaseModel):
    """One log line a hub runner sent for an external job (``line`` counts from 0)."""

    job_id = peewee.IntegerField()  # runnerhub_external_job.id
    line = peewee.IntegerField()
    timestamp = peewee.DateTimeField()
    level = peewee.CharField(max_length=16, default="info")
    message = peewee.TextField()
    step = peewee.CharField(max_length=255, null=True)

    class Meta:
        table_name = "runnerhub_external_job_log"
        indexes = ((("job_id", "line"), True),)


class GitHubDelivery(BaseModel):
    """A GitHub webhook delivery accepted at ``POST /api/github/webhook``: its
    ``X-GitHub-Delivery`` id (unique: a redelivery does nothing twice), what it was about and
    the external job it created or updated. The /api/ws feed announces each new row as a
    ``github_webhook`` event."""

    delivery_id = peewee.CharField(max_length=64, unique=True)
    event = peewee.CharField(max_length=64)
    action = peewee.CharField(max_length=64, default="")
    repository = peewee.CharField(max_length=255, default="")
    sender = peewee.CharField(max_length=255, default="")
    job_id = peewee.IntegerField(null=True)  # runnerhub_external_job.id
    received = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "runnerhub_github_delivery"


MODELS = [RunnerProfile, QueueState, Delegation, ExternalJob, ExternalJobLog, GitHubDelivery]
