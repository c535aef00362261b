"""git_hosting: ``team_repository`` (Gitea's ``team_repo``), the repositories a team reaches
when it does not include all of its org's. Until now every team reached every repository of
its org: the teams that exist keep that reach (``includes_all_repositories`` set), so nobody
loses access by this migration."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Repository(Base):  # created by 0001: only referenced here
        class Meta:
            table_name = "repository"

    class Team(Base):  # owned by accounts: only referenced here
        includes_all_repositories = peewee.BooleanField()

        class Meta:
            table_name = "team"

    class TeamRepository(Base):
        team = peewee.ForeignKeyField(Team, on_delete="CASCADE")
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE", index=True)

        class Meta:
            table_name = "team_repository"
            indexes = ((("team", "repository"), True),)

    db.create_tables([TeamRepository])
    Team.update(includes_all_repositories=True).execute()
