"""git_hosting: repositories, their branches and collaborators."""

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

    class Repository(Base):
        owner = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        name = peewee.CharField(max_length=100)
        lower_name = peewee.CharField(max_length=100)
        description = peewee.TextField(default="")
        website = peewee.CharField(max_length=2048, default="")
        default_branch = peewee.CharField(max_length=255, default="main")
        is_private = peewee.BooleanField(default=False)
        is_empty = peewee.BooleanField(default=True)
        is_archived = peewee.BooleanField(default=False)
        archived_at = peewee.DateTimeField(null=True)
        is_template = peewee.BooleanField(default=False)
        is_fork = peewee.BooleanField(default=False)
        fork_parent = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL")
        size = peewee.BigIntegerField(default=0)  # bytes on disk
        num_forks = peewee.IntegerField(default=0)
        num_stars = peewee.IntegerField(default=0)
        num_watches = peewee.IntegerField(default=0)
        num_open_issues = peewee.IntegerField(default=0)
        num_open_pulls = peewee.IntegerField(default=0)
        num_releases = peewee.IntegerField(default=0)
        has_code = peewee.BooleanField(default=True)
        has_issues = peewee.BooleanField(default=True)
        has_wiki = peewee.BooleanField(default=True)
        has_pull_requests = peewee.BooleanField(default=True)
        has_projects = peewee.BooleanField(default=True)
        has_releases = peewee.BooleanField(default=True)
        has_packages = peewee.BooleanField(default=True)
        has_actions = peewee.BooleanField(default=True)
        projects_mode = peewee.CharField(max_length=16, default="all")
        ignore_whitespace_conflicts = peewee.BooleanField(default=False)
        allow_merge_commits = peewee.BooleanField(default=True)
        allow_rebase = peewee.BooleanField(default=True)
        allow_rebase_explicit = peewee.BooleanField(default=True)
        allow_squash_merge = peewee.BooleanField(default=True)
        allow_fast_forward_only_merge = peewee.BooleanField(default=True)
        allow_rebase_update = peewee.BooleanField(default=True)
        allow_merge_update = peewee.BooleanField(default=True)
        allow_manual_merge = peewee.BooleanField(default=False)
        autodetect_manual_merge = peewee.BooleanField(default=False)
        default_delete_branch_after_merge = peewee.BooleanField(default=False)
        default_merge_style = peewee.CharField(max_length=32, default="merge")
        default_update_style = peewee.CharField(max_length=32, default="merge")
        default_allow_maintainer_edit = peewee.BooleanField(default=False)
        unit_config = peewee.TextField(default="{}")
        topics = peewee.TextField(default="")  # comma-separated
        object_format_name = peewee.CharField(max_length=16, default="sha1")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "repository"
            indexes = ((("owner", "lower_name"), True),)

    class Branch(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        name = peewee.CharField(max_length=255)
        commit_sha = peewee.CharField(max_length=64)
        commit_message = peewee.TextField(default="")
        author_name = peewee.CharField(max_length=255, default="")
        author_email = peewee.CharField(max_length=255, default="")
        committer_name = peewee.CharField(max_length=255, default="")
        committer_email = peewee.CharField(max_length=255, default="")
        commit_time = peewee.DateTimeField(default=now)  # author time, naive UTC
        pusher = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "repository_branch"
            indexes = ((("repository", "name"), True),)

    class Collaborator(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
        permission = peewee.CharField(max_length=16, default="write")  # read | write | admin
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "repository_collaborator"
            indexes = ((("repository", "user"), True),)

    db.create_tables([Repository, Branch, Collaborator])
