"""pulls: a branch protection's ``priority`` is a 64-bit integer, as Gitea's (``int64``, a
BIGINT column): PostgreSQL's INTEGER refused a priority past 2**31 - 1 with a 500. SQLite's
INTEGER column holds 64 bits already, so only PostgreSQL's column changes."""

import peewee
from playhouse.migrate import PostgresqlMigrator, migrate


def up(migrator, db):
    if isinstance(migrator, PostgresqlMigrator):
        migrate(migrator.alter_column_type("branch_protection", "priority",
                                           peewee.BigIntegerField(default=0)))
