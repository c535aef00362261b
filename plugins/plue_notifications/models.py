"""Gitea's ``notification`` table: one thread per (user, issue or pull request), its status
unread, read or pinned, moved to the top (``updated_at``) and back to unread by new activity
(``fan_out``). Repositories and issues are other plugins' tables, named here only for the
database's foreign keys: a deleted issue or repository takes its threads with it."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account
from plue_core.db import BaseModel, utcnow

from plue_notifications.statuses import UNREAD



class RepositoryKey(BaseModel):
    """git_hosting's ``repository`` as far as this plugin knows it: its key. Never queried."""

    class Meta:
        table_name = "repository"


class IssueKey(BaseModel):
    """issues' ``issue`` as far as this plugin knows it: its key. Never queried."""

    class Meta:
        table_name = "issue"


class Notification(BaseModel):
    user = peewee.ForeignKeyField(Account, on_delete="CASCADE", index=False)
    repository = peewee.ForeignKeyField(RepositoryKey, on_delete="CASCADE")
    issue = peewee.ForeignKeyField(IssueKey, on_delete="CASCADE")
    source = peewee.CharField(max_length=16)
    status = peewee.SmallIntegerField(default=UNREAD)
    # The comment that made it unread (no key: a deleted comment leaves the thread).
    comment_id = peewee.BigIntegerField(null=True)
    updated_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "notification"
        indexes = ((("user", "issue"), True),
                   # A user's threads newest first: the lists read a page from it in order.
                   (("user", "updated_at"), False))


MODELS = [Notification]
