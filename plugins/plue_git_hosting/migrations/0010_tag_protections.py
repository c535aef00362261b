"""git_hosting: ``protected_tag`` (Gitea's tag protections, tag_protections.py)."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Repository(Base):  # created by 0001: only referenced here
        class Meta:
            table_name = "repository"

    class TagProtection(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE", index=True)
        name_pattern = peewee.CharField(max_length=255)
        allowlist_user_ids = peewee.TextField()
        allowlist_team_ids = peewee.TextField()
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()

        class Meta:
            table_name = "protected_tag"

    db.create_tables([TagProtection])
