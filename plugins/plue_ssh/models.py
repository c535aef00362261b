"""Deploy keys: an SSH key that opens one repository (read-only unless ``read_only`` is
false). As in Gitea, one key may be a deploy key of several repositories, never a user's key."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel, utcnow


class DeployKey(BaseModel):
    # git_hosting's repository id (no foreign key across plugins: the rows go with the
    # repository through its repository_deleted event).
    repository_id = peewee.BigIntegerField(index=True)
    title = peewee.CharField(max_length=255)
    content = peewee.TextField()
    key_type = peewee.CharField(max_length=32)
    fingerprint = peewee.CharField(max_length=100, index=True)
    read_only = peewee.BooleanField(default=True)
    created_by_id = peewee.BigIntegerField(null=True)  # the account that added it: the pusher
    created_at = peewee.DateTimeField(default=utcnow)
    last_used_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "ssh_deploy_key"
        indexes = ((("repository_id", "fingerprint"), True), (("repository_id", "title"), True))


MODELS = [DeployKey]
