"""git_hosting: ``repository_star`` and ``repository_watch``, who starred and who watches which
repository (Gitea's ``star`` and ``watch``), counted in ``repository.num_stars`` and
``num_watches`` (repository_marks.py)."""

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

    def mark_table(name):
        class Mark(Base):
            user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
            repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
            created_at = peewee.DateTimeField()

            class Meta:
                table_name = name
                indexes = ((("user", "repository"), True),
                           (("repository", "id"), False))

        return Mark

    db.create_tables([mark_table("repository_star"), mark_table("repository_watch")])
