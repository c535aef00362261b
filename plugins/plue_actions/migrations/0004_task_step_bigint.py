"""actions: a step's ``index``, ``log_index`` and ``log_length`` are 64-bit, as runner.v1's
StepState and Gitea's columns (int64): PostgreSQL's INTEGER made a runner's report of a log
position past 2**31 - 1 a 400. SQLite's INTEGER column holds 64 bits already, so only
PostgreSQL's columns change."""

import peewee
from playhouse.migrate import PostgresqlMigrator, migrate


def up(migrator, db):
    if isinstance(migrator, PostgresqlMigrator):
        migrate(*(migrator.alter_column_type("action_task_step", column,
                                             peewee.BigIntegerField(default=0))
                  for column in ("index", "log_index", "log_length")))
