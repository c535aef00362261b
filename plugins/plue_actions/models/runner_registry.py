"""Runners and their registration tokens. Scope: owner_id and repository_id both 0 for a
global (instance) runner, one of them set for an owner's or a repository's."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel, utcnow

from plue_actions.models.fields import JSONField


class Runner(BaseModel):
    uuid = peewee.CharField(max_length=36, unique=True)
    name = peewee.CharField(max_length=255)
    owner_id = peewee.IntegerField(default=0, index=True)
    repository_id = peewee.IntegerField(default=0, index=True)
    description = peewee.TextField(default="")
    token_hash = peewee.CharField(max_length=64)  # sha256 of the runner token
    version = peewee.CharField(max_length=64, default="")
    labels = JSONField(default=list)
    ephemeral = peewee.BooleanField(default=False)
    disabled = peewee.BooleanField(default=False)
    last_online = peewee.DateTimeField(null=True)
    last_active = peewee.DateTimeField(null=True)
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_runner"


class RegistrationToken(BaseModel):
    owner_id = peewee.IntegerField(default=0)
    repository_id = peewee.IntegerField(default=0)
    token_hash = peewee.CharField(max_length=64, unique=True)
    token_encrypted = peewee.TextField()  # GET hands the active token out again
    is_active = peewee.BooleanField(default=True)
    expires_at = peewee.DateTimeField()
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_runner_token"
        indexes = ((("owner_id", "repository_id", "is_active"), False),)
