"""Accounts: ``email_address``, a user's further e-mail addresses (Gitea's ``email_address``;
the primary one stays ``account.email``)."""

import peewee


def up(migrator, db):
    class Account(peewee.Model):  # created by 0001: only referenced here
        class Meta:
            database = db
            table_name = "account"

    class EmailAddress(peewee.Model):
        account = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        email = peewee.CharField(max_length=255)
        lower_email = peewee.CharField(max_length=255, unique=True)
        created_at = peewee.DateTimeField()

        class Meta:
            database = db
            table_name = "email_address"

    db.create_tables([EmailAddress])
