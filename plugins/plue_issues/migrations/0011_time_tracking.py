"""issues: time tracking -- the seconds users tracked on issues and their running stopwatches
(one per user); the timeline events that name a tracked time (``tracked_time_id``)."""

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

    class TrackedTime(Base):
        issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        time = peewee.BigIntegerField()
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "tracked_time"
            indexes = ((("issue", "user"), False), (("user", "created_at"), False))

    class Stopwatch(Base):
        issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE", unique=True)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "stopwatch"
            indexes = ((("issue",), False),)

    db.create_tables([TrackedTime, Stopwatch])
    migrate(migrator.add_column("issue_comment", "tracked_time_id",
                                peewee.IntegerField(null=True)))
