"""hello: remember who wrote a greeting (a column added to an existing table)."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_column("hello_greeting", "author", peewee.CharField(max_length=40, null=True)))
