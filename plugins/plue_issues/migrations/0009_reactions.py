"""issues: reactions (``+1``, ``heart``, ...) of users to issues and to comments, each at most
once per user and kind."""

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

    class Issue(Base):
        class Meta:
            table_name = "issue"

    class Comment(Base):
        class Meta:
            table_name = "issue_comment"

    class IssueReaction(Base):
        issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        type = peewee.CharField(max_length=32)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "issue_reaction"
            indexes = ((("issue", "type", "user"), True), (("user",), False))

    class CommentReaction(Base):
        comment = peewee.ForeignKeyField(Comment, on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        type = peewee.CharField(max_length=32)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "comment_reaction"
            indexes = ((("comment", "type", "user"), True), (("user",), False))

    db.create_tables([IssueReaction, CommentReaction])
