"""Gitea's ``attachment`` table: one row per file, naming what it is attached to by id
(``release_id``, or ``issue_id`` with ``comment_id`` for a comment's), as Gitea's does, with
no foreign key: each owner deletes its rows through the service, so their files go too."""

from __future__ import annotations

import peewee

from plue_core.db import BaseModel, utcnow


class Attachment(BaseModel):
    uuid = peewee.CharField(max_length=40, unique=True)
    repository_id = peewee.BigIntegerField(null=True)
    release_id = peewee.BigIntegerField(null=True)
    issue_id = peewee.BigIntegerField(null=True)
    comment_id = peewee.BigIntegerField(null=True)
    uploader_id = peewee.BigIntegerField(null=True)
    name = peewee.CharField(max_length=255)
    size = peewee.BigIntegerField(default=0)
    download_count = peewee.BigIntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "attachment"
        indexes = ((("release_id", "name"), False),
                   (("issue_id", "comment_id"), False),
                   (("comment_id",), False),
                   (("repository_id",), False))


MODELS = [Attachment]
