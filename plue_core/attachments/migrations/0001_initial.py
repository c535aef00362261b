"""attachments: Gitea's one ``attachment`` table (releases' files move in with releases'
migration 0002)."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Attachment(Base):
        uuid = peewee.CharField(max_length=40, unique=True)
        repository_id = peewee.BigIntegerField(null=True)
        release_id = peewee.BigIntegerField(null=True)
        issue_id = peewee.BigIntegerField(null=True)
        comment_id = peewee.BigIntegerField(null=True)
        uploader_id = peewee.BigIntegerField(null=True)
        name = peewee.CharField(max_length=255)
        size = peewee.BigIntegerField(default=0)
        download_count = peewee.BigIntegerField(default=0)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "attachment"
            indexes = ((("release_id", "name"), False),
                       (("issue_id", "comment_id"), False),
                       (("comment_id",), False),
                       (("repository_id",), False))

    db.create_tables([Attachment])
