"""pulls: pull requests (head, base, merge state), reviews, review line comments, branch
protection rules."""

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

    class Issue(Base):  # owned by issues: only referenced here
        class Meta:
            table_name = "issue"

    class PullRequest(Base):
        issue = peewee.ForeignKeyField(Issue, unique=True, on_delete="CASCADE")
        base_repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        base_branch = peewee.CharField(max_length=255)
        head_repository = peewee.ForeignKeyField(Repository, null=True, on_delete="SET NULL")
        head_branch = peewee.CharField(max_length=255)
        head_sha = peewee.CharField(max_length=64, default="")
        base_sha = peewee.CharField(max_length=64, default="")
        merge_base = peewee.CharField(max_length=64, default="")
        status = peewee.CharField(max_length=16, default="checking")
        conflicted_files = peewee.TextField(default="[]")
        commits_behind = peewee.IntegerField(default=0)
        additions = peewee.IntegerField(default=0)
        deletions = peewee.IntegerField(default=0)
        changed_files = peewee.IntegerField(default=0)
        allow_maintainer_edit = peewee.BooleanField(default=False)
        is_merged = peewee.BooleanField(default=False)
        merged_at = peewee.DateTimeField(null=True)
        merged_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        merge_commit_sha = peewee.CharField(max_length=64, null=True)
        merge_style = peewee.CharField(max_length=32, default="")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "pull_request"
            indexes = (
                (("base_repository", "base_branch", "is_merged"), False),
                (("head_repository", "head_branch", "is_merged"), False),
                (("status",), False),
            )

    class Review(Base):
        pull = peewee.ForeignKeyField(PullRequest, on_delete="CASCADE")
        reviewer = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        state = peewee.CharField(max_length=32)
        body = peewee.TextField(default="")
        commit_id = peewee.CharField(max_length=64, default="")
        official = peewee.BooleanField(default=False)
        dismissed = peewee.BooleanField(default=False)
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "pull_review"
            indexes = ((("pull", "reviewer", "state"), False),)

    class ReviewComment(Base):
        review = peewee.ForeignKeyField(Review, on_delete="CASCADE")
        pull = peewee.ForeignKeyField(PullRequest, on_delete="CASCADE")
        poster = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        path = peewee.CharField(max_length=4096)
        line = peewee.IntegerField()
        body = peewee.TextField(default="")
        diff_hunk = peewee.TextField(default="")
        commit_id = peewee.CharField(max_length=64, default="")
        original_commit_id = peewee.CharField(max_length=64, default="")
        resolver = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "pull_review_comment"

    class BranchProtection(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        rule_name = peewee.CharField(max_length=255)
        priority = peewee.IntegerField(default=0)
        settings = peewee.TextField(default="{}")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "branch_protection"
            indexes = ((("repository", "rule_name"), True),)

    db.create_tables([PullRequest, Review, ReviewComment, BranchProtection])
