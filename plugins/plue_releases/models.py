"""Gitea's ``release`` table: a release names a tag of the repository (created at ``target``
when it is published; a draft has none yet). Its files are rows of the one attachment store
(``ctx.services["attachments"]``, ``release_id``)."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.db import BaseModel, utcnow


class RepositoryKey(BaseModel):
    """git_hosting's ``repository`` table as far as this plugin knows it: its key, so that
    ``Release.repository_id`` declares the database's foreign key without importing
    git_hosting. Never queried: repositories come from ``ctx.services["git_hosting"]``."""

    class Meta:
        table_name = "repository"


class Release(BaseModel):
    repository = peewee.ForeignKeyField(RepositoryKey, on_delete="CASCADE")
    publisher = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    tag_name = peewee.CharField(max_length=255)
    # What the tag is created at when it does not exist yet (a branch, tag or commit id).
    target = peewee.CharField(max_length=255, default="")
    title = peewee.CharField(max_length=255, default="")
    note = peewee.TextField(default="")
    # The commit the tag named when the release was last published; "" for a draft.
    sha1 = peewee.CharField(max_length=64, default="")
    is_draft = peewee.BooleanField(default=False)
    is_prerelease = peewee.BooleanField(default=False)
    # Gitea's created_unix: both created_at and published_at; a draft's becomes the moment
    # it is published.
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "release"
        indexes = ((("repository", "tag_name"), True),
                   (("repository", "created_at"), False))


MODELS = [Release]
