"""issues: issue subscriptions -- a user's explicit subscription to (or unsubscription from)
an issue's notifications (Gitea's ``issue_watch``)."""

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

    class Issue(Base):
        class Meta:
            table_name = "issue"

    class IssueWatch(Base):
        issue = peewee.ForeignKeyField(Issue, backref="+", on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, backref="+", on_delete="CASCADE")
        is_watching = peewee.BooleanField()
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "issue_watch"
            indexes = ((("issue", "user"), True), (("user",), False))

    db.create_tables([IssueWatch])
