"""runnerhub: whether GitHub called an external job's repository private (its webhook says;
null for delegations, which do not), so an organization's hub runners never get the jobs of
a private repository Plue cannot show the organization may see."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(migrator.add_column("runnerhub_external_job", "private",
                                peewee.BooleanField(null=True)))
