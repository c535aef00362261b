"""pulls: review requests to a team of the base repository's organization (Gitea's
``review.reviewer_team_id``): a deleted team takes its requests with it (the
column is indexed, as every foreign key)."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Team(Base):  # owned by accounts: only referenced here
        class Meta:
            table_name = "team"

    migrate(
        migrator.add_column("pull_review", "reviewer_team_id",
                            peewee.ForeignKeyField(Team, null=True, field=Team.id,
                                                   on_delete="CASCADE")),
    )
