"""issues: the per-repository number counter, issues, comments, labels, milestones,
assignees and mentions."""

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

    class IssueIndex(Base):
        repository = peewee.ForeignKeyField(Repository, primary_key=True, on_delete="CASCADE")
        max_index = peewee.IntegerField(default=0)

        class Meta:
            table_name = "issue_index"

    class Milestone(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        title = peewee.CharField(max_length=255)
        description = peewee.TextField(default="")
        is_closed = peewee.BooleanField(default=False)
        due_on = peewee.DateTimeField(null=True)
        closed_at = peewee.DateTimeField(null=True)
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "milestone"
            indexes = ((("repository", "is_closed"), False),)

    class Issue(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        number = peewee.IntegerField()
        poster = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        title = peewee.CharField(max_length=255)
        body = peewee.TextField(default="")
        ref = peewee.CharField(max_length=255, default="")
        is_pull = peewee.BooleanField(default=False)
        is_closed = peewee.BooleanField(default=False)
        is_locked = peewee.BooleanField(default=False)
        milestone = peewee.ForeignKeyField(Milestone, null=True, on_delete="SET NULL")
        num_comments = peewee.IntegerField(default=0)
        content_version = peewee.IntegerField(default=0)
        due_date = peewee.DateTimeField(null=True)
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)
        closed_at = peewee.DateTimeField(null=True)

        class Meta:
            table_name = "issue"
            indexes = (
                (("repository", "number"), True),
                (("repository", "is_pull", "is_closed", "created_at"), False),
                (("repository", "updated_at"), False),
            )

    class Comment(Base):
        issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
        poster = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        kind = peewee.CharField(max_length=32, default="comment")
        body = peewee.TextField(default="")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "issue_comment"
            indexes = ((("issue", "created_at"), False), (("updated_at",), False))

    class Label(Base):
        repository = peewee.ForeignKeyField(Repository, null=True, on_delete="CASCADE")
        org = peewee.ForeignKeyField(Account, null=True, on_delete="CASCADE")
        name = peewee.CharField(max_length=255)
        color = peewee.CharField(max_length=7)
        description = peewee.TextField(default="")
        exclusive = peewee.BooleanField(default=False)
        archived_at = peewee.DateTimeField(null=True)
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "label"
            indexes = ((("repository", "name"), False), (("org", "name"), False))

    class IssueLabel(Base):
        issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
        label = peewee.ForeignKeyField(Label, on_delete="CASCADE")

        class Meta:
            table_name = "issue_label"
            indexes = ((("issue", "label"), True),)

    class IssueAssignee(Base):
        issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
        assignee = peewee.ForeignKeyField(Account, on_delete="CASCADE")

        class Meta:
            table_name = "issue_assignee"
            indexes = ((("issue", "assignee"), True), (("assignee",), False))

    class IssueMention(Base):
        issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")

        class Meta:
            table_name = "issue_mention"
            indexes = ((("issue", "user"), True), (("user",), False))

    db.create_tables([IssueIndex, Milestone, Issue, Comment, Label, IssueLabel, IssueAssignee,
                      IssueMention])
