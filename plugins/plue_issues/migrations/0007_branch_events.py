"""issues: a pull request's ``change_target_branch`` and ``delete_branch`` timeline events name
their branches (Gitea's ``comment.old_ref`` / ``new_ref``)."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(
        migrator.add_column("issue_comment", "old_ref",
                            peewee.CharField(max_length=255, default="")),
        migrator.add_column("issue_comment", "new_ref",
                            peewee.CharField(max_length=255, default="")),
    )
