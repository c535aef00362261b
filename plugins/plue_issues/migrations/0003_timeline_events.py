"""issues: timeline events are comment rows of Gitea's other types (``label``, ``milestone``,
``assignees``, ``change_title``, ``close``, ``reopen``, ``merge_pull``); these columns name what
each one changed, as Gitea's ``comment`` table does."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Base):  # owned by accounts: only referenced here
        class Meta:
            table_name = "account"

    class Label(Base):
        class Meta:
            table_name = "label"

    class Milestone(Base):
        class Meta:
            table_name = "milestone"

    def reference(model, on_delete):
        return peewee.ForeignKeyField(model, null=True, field=model.id, on_delete=on_delete)

    migrate(
        migrator.add_column("issue_comment", "label_id", reference(Label, "CASCADE")),
        migrator.add_column("issue_comment", "milestone_id", reference(Milestone, "SET NULL")),
        migrator.add_column("issue_comment", "old_milestone_id",
                            reference(Milestone, "SET NULL")),
        migrator.add_column("issue_comment", "assignee_id", reference(Account, "CASCADE")),
        migrator.add_column("issue_comment", "removed_assignee",
                            peewee.BooleanField(default=False)),
        migrator.add_column("issue_comment", "old_title",
                            peewee.CharField(max_length=255, default="")),
        migrator.add_column("issue_comment", "new_title",
                            peewee.CharField(max_length=255, default="")),
    )
