"""Accounts: ``follow`` (Gitea's: who follows whom) and the User body's counters on the
account, ``num_followers``, ``num_following`` and ``num_stars`` (models.py says who keeps
each). Nobody followed anyone before, so the follow counters start at 0; git_hosting's own
migration counts the stars made before."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    class Account(peewee.Model):  # created by 0001: only referenced here
        class Meta:
            database = db
            table_name = "account"

    class Follow(peewee.Model):
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        followed = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "follow"
            indexes = ((("user", "followed"), True),
                       (("followed", "id"), False))

    migrate(*(migrator.add_column("account", name, peewee.IntegerField(default=0))
              for name in ("num_followers", "num_following", "num_stars")))
    db.create_tables([Follow])
