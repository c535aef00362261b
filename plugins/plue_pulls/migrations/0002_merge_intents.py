"""pulls: merges in flight, so that a merge killed after it moved the base branch is still
recorded as merged when its push is replayed."""

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

    class PullRequest(Base):  # 0001's table: only referenced here
        class Meta:
            table_name = "pull_request"

    class MergeIntent(Base):
        pull = peewee.ForeignKeyField(PullRequest, unique=True, on_delete="CASCADE")
        style = peewee.CharField(max_length=32)
        before_sha = peewee.CharField(max_length=64)
        after_sha = peewee.CharField(max_length=64)
        doer = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "pull_merge_intent"

    db.create_tables([MergeIntent])
