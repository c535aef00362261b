"""git_hosting: the journal of ref changes in progress (crash recovery, see ref_journal.py)."""

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

    class Repository(Base):  # created by 0001: only referenced here
        class Meta:
            table_name = "repository"

    class RefJournalEntry(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE", index=True)
        pusher = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        via = peewee.CharField(max_length=16)
        refs = peewee.TextField()
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "repository_ref_journal"

    db.create_tables([RefJournalEntry])
