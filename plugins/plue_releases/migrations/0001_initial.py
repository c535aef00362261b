"""releases: a repository's releases and the files attached to them."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Account(Base):  # owned by accounts: only referenced here
        class Meta:
            table_name = "account"

    class Repository(Base):  # owned by git_hosting: only referenced here
        class Meta:
            table_name = "repository"

    class Release(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        publisher = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        tag_name = peewee.CharField(max_length=255)
        target = peewee.CharField(max_length=255, default="")
        title = peewee.CharField(max_length=255, default="")
        note = peewee.TextField(default="")
        sha1 = peewee.CharField(max_length=64, default="")
        is_draft = peewee.BooleanField(default=False)
        is_prerelease = peewee.BooleanField(default=False)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "release"
            indexes = ((("repository", "tag_name"), True),
                       (("repository", "created_at"), False))

    class ReleaseAttachment(Base):
        uuid = peewee.CharField(max_length=40, unique=True)
        release = peewee.ForeignKeyField(Release, on_delete="CASCADE")
        uploader = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        name = peewee.CharField(max_length=255)
        size = peewee.BigIntegerField(default=0)
        download_count = peewee.BigIntegerField(default=0)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "release_attachment"
            indexes = ((("release", "name"), False),)

    db.create_tables([Release, ReleaseAttachment])

