"""Accounts: an account's ``max_repo_creation`` is a 64-bit integer, as the admin API's body
admits it (docs/plugins.md, section 5, body integers): PostgreSQL's INTEGER refused one past
2**31 - 1 with a 500. SQLite's INTEGER column holds 64 bits already, so only PostgreSQL's
column changes."""

import peewee
from playhouse.migrate import PostgresqlMigrator, migrate


def up(migrator, db):
    if isinstance(migrator, PostgresqlMigrator):
        migrate(migrator.alter_column_type("account", "max_repo_creation",
                                           peewee.BigIntegerField(default=-1)))
