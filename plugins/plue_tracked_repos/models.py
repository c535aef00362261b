"""Tracked repositories, their synced commits, and what the last provider answer said."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel, utcnow


class TrackedRepository(BaseModel):
    """A provider repository one user follows (seed 003). ``provider_id`` and ``private`` are
    learnt from the provider at the first successful sync."""

    user_id = peewee.IntegerField(index=True)
    owner = peewee.CharField(max_length=255)
    name = peewee.CharField(max_length=255)
    provider = peewee.CharField(max_length=16)  # github | gitlab
    # "owner/name" lower-cased: both providers ignore case, so the unique index does too.
    full_name_key = peewee.CharField(max_length=511)
    url = peewee.CharField(max_length=2048)
    is_valid = peewee.BooleanField(default=True)
    last_synced_at = peewee.DateTimeField(null=True, index=True)
    last_sync_error = peewee.TextField(default="")
    provider_id = peewee.BigIntegerField(null=True)
    private = peewee.BooleanField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    # A push webhook asked for a sync (the tracked_repos.sync_pushed job clears it).
    sync_requested_at = peewee.DateTimeField(null=True, index=True)
    # The last push webhook that arrived for it (so a webhook is configured on the provider).
    webhook_received_at = peewee.DateTimeField(null=True)
    # GitLab's X-Gitlab-Token for this repository's push webhook, sealed ("" when unset).
    webhook_token = peewee.TextField(default="")

    class Meta:
        table_name = "tracked_repository"
        indexes = ((("user_id", "provider", "full_name_key"), True),)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


class TrackedCommit(BaseModel):
    """A commit of a tracked repository as the provider listed it."""

    repository = peewee.ForeignKeyField(TrackedRepository, backref="commits", on_delete="CASCADE")
    sha = peewee.CharField(max_length=64)
    message = peewee.TextField(default="")
    author = peewee.CharField(max_length=255, default="")
    date = peewee.DateTimeField(null=True, index=True)

    class Meta:
        table_name = "tracked_commit"
        indexes = ((("repository", "sha"), True),)


class ProviderState(BaseModel):
    """The outcome and rate-limit headers of the last call to one provider API, shared by
    every process (the scheduler and each gunicorn worker)."""

    provider = peewee.CharField(max_length=16, primary_key=True)
    api_status = peewee.CharField(max_length=32, default="unknown")
    last_error = peewee.TextField(default="")
    rate_limit = peewee.IntegerField(null=True)
    rate_remaining = peewee.IntegerField(null=True)
    rate_used = peewee.IntegerField(null=True)
    rate_reset = peewee.DateTimeField(null=True)
    checked_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "tracked_provider_state"


MODELS = [TrackedRepository, TrackedCommit, ProviderState]
