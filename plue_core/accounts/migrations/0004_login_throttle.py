"""Accounts: login throttling counts per address, per account and per (account, address), with
exponential lock times; the old per-key window table goes (its counts expire within minutes)."""

import peewee


def up(migrator, db):
    class LoginThrottle(peewee.Model):
        key = peewee.CharField(max_length=255, primary_key=True)
        scope = peewee.CharField(max_length=16)
        account = peewee.CharField(max_length=255, null=True, index=True)
        address = peewee.CharField(max_length=64, null=True, index=True)
        failures = peewee.IntegerField(default=0)
        last_failure = peewee.DateTimeField(null=True)
        locked_until = peewee.DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "login_throttle"

    db.execute_sql("DROP TABLE IF EXISTS login_failure")
    db.create_tables([LoginThrottle])
