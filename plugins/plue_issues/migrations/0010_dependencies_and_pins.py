"""issues: Gitea's issue dependencies (``issue_dependency``: an issue blocked by another,
possibly another repository's), the issue's place among the pinned ones (``issue.pin_order``,
0 when not pinned) and the other issue an ``add_dependency`` / ``remove_dependency`` timeline
event names (``issue_comment.dependent_issue_id``)."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Account(Base):  # owned by accounts: only referenced here
        class Meta:
            table_name = "account"

    class Issue(Base):
        class Meta:
            table_name = "issue"

    class IssueDependency(Base):
        issue = peewee.ForeignKeyField(Issue, backref="+", on_delete="CASCADE")
        dependency = peewee.ForeignKeyField(Issue, backref="+", on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "issue_dependency"
            indexes = ((("issue", "dependency"), True), (("dependency",), False))

    db.create_tables([IssueDependency])
    migrate(
        migrator.add_column("issue", "pin_order", peewee.IntegerField(default=0)),
        migrator.add_index("issue", ("repository_id", "is_pull", "pin_order"), False),
        migrator.add_column("issue_comment", "dependent_issue_id",
                            peewee.ForeignKeyField(Issue, null=True, field=Issue.id,
                                                   on_delete="CASCADE")),
    )
