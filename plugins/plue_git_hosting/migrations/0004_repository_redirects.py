"""git_hosting: ``repository_redirect``, the old names of renamed repositories (Gitea's
``repo_redirect``): ``{owner}/{old name}`` keeps leading to the repository (redirects.py)."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Base):  # owned by accounts: only referenced here
        class Meta:
            table_name = "account"

    class Repository(Base):  # created by 0001: only referenced here
        class Meta:
            table_name = "repository"

    class RepositoryRedirect(Base):
        owner = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        lower_name = peewee.CharField(max_length=100)
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE", index=True)

        class Meta:
            table_name = "repository_redirect"
            indexes = ((("owner", "lower_name"), True),)

    db.create_tables([RepositoryRedirect])
