"""git_hosting: ``repo_transfer`` (Gitea's), a transfer offered and not yet accepted or
rejected, and ``repository.transfer_pending`` (Gitea's RepositoryPendingTransfer status), so a
``Repository`` body knows to show its ``repo_transfer`` without a query (transfers.py)."""

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

    class Repository(Base):  # created by 0001: only referenced here
        class Meta:
            table_name = "repository"

    class RepoTransfer(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE", unique=True)
        doer = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        recipient = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        team_ids = peewee.TextField(default="[]")
        created_at = peewee.DateTimeField()

        class Meta:
            table_name = "repo_transfer"

    migrate(migrator.add_column("repository", "transfer_pending",
                                peewee.BooleanField(default=False)))
    db.create_tables([RepoTransfer])
