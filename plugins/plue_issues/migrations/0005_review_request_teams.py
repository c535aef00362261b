"""issues: a pull request's ``review_request`` timeline event names the team asked (Gitea's
``comment.assignee_team_id``); a deleted team takes its events with it, as a deleted
assignee does."""

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
        migrator.add_column("issue_comment", "assignee_team_id",
                            peewee.ForeignKeyField(Team, null=True, field=Team.id,
                                                   on_delete="CASCADE")),
    )
