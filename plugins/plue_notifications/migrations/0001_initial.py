"""notifications: Gitea's notification threads."""

import peewee


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

    class Repository(Base):  # owned by git_hosting: only referenced here
        class Meta:
            table_name = "repository"

    class Issue(Base):  # owned by issues: only referenced here
        class Meta:
            table_name = "issue"

    class Notification(Base):
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE", index=False)
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
        source = peewee.CharField(max_length=16)
        status = peewee.SmallIntegerField(default=1)
        comment_id = peewee.BigIntegerField(null=True)
        updated_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "notification"
            indexes = ((("user", "issue"), True),
                       (("user", "updated_at"), False))

    db.create_tables([Notification])
