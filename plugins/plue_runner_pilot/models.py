"""The runners plugin's tables: runner definitions and their instances (containers on nodes)."""

from __future__ import annotations

import uuid

import peewee

from plue_core.db import BaseModel, utcnow

RUNNER_STATUSES = ("idle", "busy", "offline")
INSTANCE_STATUSES = ("online", "offline")


class Runner(BaseModel):
    uid = peewee.UUIDField(default=uuid.uuid4, unique=True)
    org_id = peewee.IntegerField(index=True)  # the organization's account id (as nodes)
    name = peewee.CharField(max_length=100)
    lower_name = peewee.CharField(max_length=100)
    docker_image = peewee.CharField(max_length=255)
    github_repo = peewee.CharField(max_length=255)
    token_sealed = peewee.TextField()         # github_runner_token, encrypted (token_vault)
    token_masked = peewee.CharField(max_length=32)  # what responses show
    status = peewee.CharField(max_length=16, default="idle")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "pilot_runner"
        indexes = ((("org_id", "lower_name"), True),)


class RunnerInstance(BaseModel):
    uid = peewee.UUIDField(default=uuid.uuid4, unique=True)
    runner = peewee.ForeignKeyField(Runner, backref="instances", on_delete="CASCADE")
    node_id = peewee.IntegerField(index=True)  # a nodes plugin row (its blockers hook guards it)
    container_id = peewee.CharField(max_length=64)
    instance_identifier = peewee.CharField(max_length=128)  # the container's name
    instance_host = peewee.CharField(max_length=255)
    status = peewee.CharField(max_length=16, default="online")
    last_heartbeat = peewee.DateTimeField(null=True)  # when Plue last saw the container running
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "pilot_runner_instance"


MODELS = [Runner, RunnerInstance]
