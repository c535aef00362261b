"""Secrets (encrypted at rest), variables, the per-scope sealed-box key pairs, artifacts."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel, utcnow

from plue_actions.models.runs import Run


class Secret(BaseModel):
    owner_id = peewee.IntegerField(default=0)
    repository_id = peewee.IntegerField(default=0)
    name = peewee.CharField(max_length=255)  # upper-cased
    data = peewee.TextField()  # AES-GCM ciphertext, base64
    description = peewee.TextField(default="")
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_secret"
        indexes = ((("owner_id", "repository_id", "name"), True),)


class SecretKeyPair(BaseModel):
    """The X25519 key pair of a scope for GitHub's sealed-box secret upload."""

    owner_id = peewee.IntegerField(default=0)
    repository_id = peewee.IntegerField(default=0)
    key_id = peewee.CharField(max_length=64)
    public_key = peewee.CharField(max_length=64)  # base64
    private_key = peewee.TextField()  # encrypted, base64
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_secret_key"
        indexes = ((("owner_id", "repository_id"), True),)


class Variable(BaseModel):
    owner_id = peewee.IntegerField(default=0)
    repository_id = peewee.IntegerField(default=0)
    name = peewee.CharField(max_length=255)  # upper-cased
    data = peewee.TextField()
    description = peewee.TextField(default="")
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_variable"
        indexes = ((("owner_id", "repository_id", "name"), True),)


class Artifact(BaseModel):
    run = peewee.ForeignKeyField(Run, backref="artifacts", on_delete="CASCADE")
    attempt = peewee.IntegerField(default=1)
    job_id = peewee.IntegerField(null=True)
    repository_id = peewee.IntegerField(index=True)
    owner_id = peewee.IntegerField()
    name = peewee.CharField(max_length=255)
    size = peewee.BigIntegerField(default=0)
    digest = peewee.CharField(max_length=80, default="")  # sha256:<hex>
    storage_path = peewee.CharField(max_length=1024, default="")
    status = peewee.CharField(max_length=16, default="pending")  # pending|confirmed|expired
    expires_at = peewee.DateTimeField(index=True)
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "action_artifact"
        indexes = ((("run", "name"), True),)
