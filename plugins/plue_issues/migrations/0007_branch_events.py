"""issues: a pull request's ``change_target_branch`` and ``delete_branch`` timeline events name
their branches (Gitea's ``comment.old_ref`` / ``new_ref``)."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    # A default in the database too: pulls' migration 0004 writes timeline rows with a model
    # frozen before these columns, and may run after this one on a database that upgrades
    # from before both.
    def branch_name():
        return peewee.CharField(max_length=255, default="", constraints=[peewee.SQL("DEFAULT ''")])

    migrate(
        migrator.add_column("issue_comment", "old_ref", branch_name()),
        migrator.add_column("issue_comment", "new_ref", branch_name()),
    )
