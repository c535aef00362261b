"""Runs, their attempts and jobs (Gitea's ActionRun, ActionRunAttempt, ActionRunJob), the
per-scope queue version runners poll, and the workflow switches of a repository."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel, utcnow

from plue_workflows.statuses import Status
from plue_actions.models.fields import JSONField


class Run(BaseModel):
    repository_id = peewee.IntegerField(index=True)
    owner_id = peewee.IntegerField(index=True)
    number = peewee.IntegerField()  # per repository, from 1 (Gitea's index)
    title = peewee.CharField(max_length=255, default="")
    workflow_id = peewee.CharField(max_length=255)  # file name below the workflows directory
    workflow_path = peewee.CharField(max_length=1024, default="")
    workflow_name = peewee.CharField(max_length=255, default="")
    event = peewee.CharField(max_length=64)
    event_payload = JSONField(default=dict)
    inputs = JSONField(default=dict)  # workflow_dispatch inputs
    workflow_content = peewee.TextField(default="")  # the file as run (matrix expansion later)
    ref = peewee.CharField(max_length=1024, default="")
    commit_sha = peewee.CharField(max_length=64, default="")
    trigger_user_id = peewee.IntegerField(null=True)
    is_fork_pull_request = peewee.BooleanField(default=False)
    status = peewee.IntegerField(default=int(Status.WAITING), index=True)
    attempt = peewee.IntegerField(default=1)
    error = peewee.TextField(default="")  # why the workflow could not be planned
    started = peewee.DateTimeField(null=True)
    stopped = peewee.DateTimeField(null=True)
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_run"
        indexes = ((("repository_id", "number"), True),
                   # one workflow's runs, newest first (ActionsListWorkflowRuns), as Gitea's index
                   (("repository_id", "workflow_id", "id"), False))


class RunAttempt(BaseModel):
    """One attempt of a run; a rerun adds one and keeps the earlier ones as history."""

    run = peewee.ForeignKeyField(Run, backref="attempts", on_delete="CASCADE")
    attempt = peewee.IntegerField()
    status = peewee.IntegerField(default=int(Status.WAITING))
    trigger_user_id = peewee.IntegerField(null=True)
    started = peewee.DateTimeField(null=True)
    stopped = peewee.DateTimeField(null=True)
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_run_attempt"
        indexes = ((("run", "attempt"), True),)


class Job(BaseModel):
    """One job of one attempt, one row per matrix combination."""

    run = peewee.ForeignKeyField(Run, backref="jobs", on_delete="CASCADE")
    repository_id = peewee.IntegerField(index=True)
    owner_id = peewee.IntegerField(index=True)
    commit_sha = peewee.CharField(max_length=64, default="")
    is_fork_pull_request = peewee.BooleanField(default=False)
    attempt = peewee.IntegerField(default=1)
    job_id = peewee.CharField(max_length=255)  # the key under jobs:
    name = peewee.CharField(max_length=255)
    needs = JSONField(default=list)
    runs_on = JSONField(default=list)
    matrix = JSONField(default=dict)
    if_condition = JSONField(null=True)
    continue_on_error = peewee.BooleanField(default=False)
    fail_fast = peewee.BooleanField(default=True)
    max_parallel = peewee.IntegerField(null=True)
    matrix_pending = peewee.BooleanField(default=False)
    timeout_minutes = peewee.FloatField(default=360)
    payload = peewee.TextField(default="")  # single-job workflow YAML for the runner
    task_id = peewee.IntegerField(null=True, index=True)  # the latest task
    status = peewee.IntegerField(default=int(Status.WAITING))  # (status, id) below
    reason = peewee.TextField(default="")  # why it failed or was skipped, when not a runner's result
    started = peewee.DateTimeField(null=True)
    stopped = peewee.DateTimeField(null=True)
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "action_run_job"
        indexes = ((("run", "attempt"), False),
                   # RunnerHub's job list in its default order, newest first (migration 0002).
                   (("created", "id"), False),
                   # Each status's jobs in id order: RunnerHub's list by status (0003).
                   (("status", "id"), False))


class TasksVersion(BaseModel):
    """Bumped whenever a job becomes Waiting in the scope: runners skip the pick query while
    their version is current. Scope (0, 0) is global, (owner, 0) an owner, (0, repo) a repo."""

    owner_id = peewee.IntegerField(default=0)
    repository_id = peewee.IntegerField(default=0)
    version = peewee.BigIntegerField(default=1)

    class Meta:
        table_name = "action_tasks_version"
        indexes = ((("owner_id", "repository_id"), True),)


class WorkflowState(BaseModel):
    """A workflow switched off with PUT .../workflows/{id}/disable."""

    repository_id = peewee.IntegerField()
    workflow_id = peewee.CharField(max_length=255)
    disabled = peewee.BooleanField(default=True)
    updated = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_workflow_state"
        indexes = ((("repository_id", "workflow_id"), True),)


class Schedule(BaseModel):
    """A cron line of a workflow on a repository's default branch, refreshed on every push
    to it; the scheduler job starts a run when ``next_run_at`` has passed."""

    repository_id = peewee.IntegerField(index=True)
    workflow_id = peewee.CharField(max_length=255)
    workflow_path = peewee.CharField(max_length=1024)
    cron = peewee.CharField(max_length=255)
    commit_sha = peewee.CharField(max_length=64)
    ref = peewee.CharField(max_length=1024)
    trigger_user_id = peewee.IntegerField(null=True)
    next_run_at = peewee.DateTimeField(index=True)

    class Meta:
        table_name = "action_schedule"


class CommitStatus(BaseModel):
    """A commit status: one row per change (history); the latest per context counts."""

    repository_id = peewee.IntegerField()
    sha = peewee.CharField(max_length=64)
    context = peewee.CharField(max_length=255)
    state = peewee.CharField(max_length=16)
    description = peewee.CharField(max_length=255, default="")
    target_url = peewee.CharField(max_length=2048, default="")
    creator_id = peewee.IntegerField(null=True)
    job = peewee.ForeignKeyField(Job, null=True, on_delete="SET NULL")
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_commit_status"
        indexes = ((("repository_id", "sha"), False),)
