"""Tasks (one attempt of a job on a runner), their steps, outputs, log lines and masks."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel, utcnow

from plue_workflows.statuses import Status
from plue_actions.models.runs import Job


class Task(BaseModel):
    job = peewee.ForeignKeyField(Job, backref="tasks", on_delete="CASCADE")
    attempt = peewee.IntegerField(default=1)
    runner_id = peewee.IntegerField(null=True, index=True)
    status = peewee.IntegerField(default=int(Status.RUNNING), index=True)
    repository_id = peewee.IntegerField()
    owner_id = peewee.IntegerField()
    commit_sha = peewee.CharField(max_length=64, default="")
    is_fork_pull_request = peewee.BooleanField(default=False)
    token_hash = peewee.CharField(max_length=64, unique=True)  # sha256 of the task token
    log_length = peewee.IntegerField(default=0)  # lines stored
    log_size = peewee.BigIntegerField(default=0)  # bytes stored
    log_in_storage = peewee.BooleanField(default=False)  # archived to a file at noMore
    log_filename = peewee.CharField(max_length=512, default="")
    log_expired = peewee.BooleanField(default=False)
    started = peewee.DateTimeField(default=utcnow)
    stopped = peewee.DateTimeField(null=True)
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow, index=True)  # the runner's heartbeat

    class Meta:
        table_name = "action_task"


class TaskStep(BaseModel):
    task = peewee.ForeignKeyField(Task, backref="steps", on_delete="CASCADE")
    index = peewee.BigIntegerField()  # runner.v1's StepState: int64, as Gitea's columns
    name = peewee.CharField(max_length=255)
    status = peewee.IntegerField(default=int(Status.WAITING))
    log_index = peewee.BigIntegerField(default=0)
    log_length = peewee.BigIntegerField(default=0)
    started = peewee.DateTimeField(null=True)
    stopped = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "action_task_step"
        indexes = ((("task", "index"), True),)


class TaskOutput(BaseModel):
    task = peewee.ForeignKeyField(Task, backref="outputs", on_delete="CASCADE")
    key = peewee.CharField(max_length=255)
    value = peewee.TextField()

    class Meta:
        table_name = "action_task_output"
        indexes = ((("task", "key"), True),)


class LogLine(BaseModel):
    """A live log line; at ``noMore`` the lines move to a file and these rows go."""

    task = peewee.ForeignKeyField(Task, on_delete="CASCADE")
    index = peewee.IntegerField()
    time = peewee.DateTimeField()
    content = peewee.TextField()

    class Meta:
        table_name = "action_log_line"
        indexes = ((("task", "index"), True),)


class TaskMask(BaseModel):
    """A value registered with ``::add-mask::`` (encrypted): later lines hide it too."""

    task = peewee.ForeignKeyField(Task, on_delete="CASCADE")
    value = peewee.TextField()

    class Meta:
        table_name = "action_task_mask"
