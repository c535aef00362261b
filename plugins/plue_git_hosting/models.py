"""Repository metadata. Git holds the content (bare repositories on disk); these rows hold what
the API lists and filters on, so no list endpoint has to open a git repository per row."""

from __future__ import annotations

import json

import peewee

from plue_core.accounts.models import Account, Team
from plue_core.db import BaseModel, utcnow

PERMISSIONS = ("none", "read", "write", "admin")


INTERNAL_TRACKER_DEFAULTS = {"enable_time_tracker": True,
                             "allow_only_contributors_to_track_time": True,
                             "enable_issue_dependencies": True}


class Repository(BaseModel):
    # Deleting an account deletes its repositories' rows (as Gitea's user deletion does).
    owner = peewee.ForeignKeyField(Account, backref="repositories", on_delete="CASCADE")
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
    fork_parent = peewee.ForeignKeyField("self", null=True, backref="forks", on_delete="SET NULL")
    size = peewee.BigIntegerField(default=0)  # bytes on disk
    num_forks = peewee.IntegerField(default=0)
    num_stars = peewee.IntegerField(default=0)
    num_watches = peewee.IntegerField(default=0)
    # Kept by the issues and pulls plugins through ctx.services["git_hosting"].
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
    # Pull-request unit settings (Gitea's defaults).
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
    # Gitea's RepositoryPendingTransfer status: a RepoTransfer row waits for its recipient
    # (transfers.py); kept on the row so a body knows without asking.
    transfer_pending = peewee.BooleanField(default=False)
    default_update_style = peewee.CharField(max_length=32, default="merge")
    default_allow_maintainer_edit = peewee.BooleanField(default=False)
    # internal_tracker / external_tracker / external_wiki objects, as JSON.
    unit_config = peewee.TextField(default="{}")
    topics = peewee.TextField(default="")  # comma-separated
    object_format_name = peewee.CharField(max_length=16, default="sha1")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "repository"
        # (is_private, lower_name, id): the search's public repositories by name (0003).
        indexes = ((("owner", "lower_name"), True),
                   (("is_private", "lower_name", "id"), False))

    @property
    def full_name(self) -> str:
        return f"{self.owner.name}/{self.name}"

    @property
    def units(self) -> dict:
        return json.loads(self.unit_config or "{}")

    @property
    def internal_tracker(self) -> dict:
        """Gitea's ``InternalTracker`` settings, each on unless set: the one reading of them
        (the Repository body, time tracking, issue dependencies)."""
        return {**INTERNAL_TRACKER_DEFAULTS, **(self.units.get("internal_tracker") or {})}

    @property
    def topic_list(self) -> list[str]:
        return [t for t in self.topics.split(",") if t]


class Branch(BaseModel):
    """One row per ``refs/heads/*``, refreshed after every push and API write, with the head
    commit's summary so branch lists never read git."""

    repository = peewee.ForeignKeyField(Repository, backref="branches", on_delete="CASCADE")
    name = peewee.CharField(max_length=255)
    commit_sha = peewee.CharField(max_length=64)
    commit_message = peewee.TextField(default="")
    author_name = peewee.CharField(max_length=255, default="")
    author_email = peewee.CharField(max_length=255, default="")
    committer_name = peewee.CharField(max_length=255, default="")
    committer_email = peewee.CharField(max_length=255, default="")
    commit_time = peewee.DateTimeField(default=utcnow)  # author time (Gitea's timestamp), naive UTC
    pusher = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "repository_branch"
        indexes = ((("repository", "name"), True),)


class Collaborator(BaseModel):
    repository = peewee.ForeignKeyField(Repository, backref="collaborators", on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    permission = peewee.CharField(max_length=16, default="write")  # read | write | admin
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "repository_collaborator"
        indexes = ((("repository", "user"), True),)


class RefJournalEntry(BaseModel):
    """A ref change in progress, committed before git moves any ref and deleted in the
    transaction that records the change (branch rows, push events). An entry that outlives
    its writer (the process died) is replayed by ``ref_journal``: git is the truth, ``refs``
    (JSON ``{ref: sha}`` of ``refs/heads`` and ``refs/tags`` before the change) is the base the
    events are computed from, so each change is recorded and published exactly once."""

    repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE", index=True)
    pusher = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    via = peewee.CharField(max_length=16)  # "git", "ssh" or "api", as PushEvent.via
    refs = peewee.TextField()
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "repository_ref_journal"


class RepositoryRedirect(BaseModel):
    """Gitea's ``repo_redirect``: a name a repository had under ``owner`` (lower-cased),
    followed when nothing else has it (``redirects``). Gone with the repository (cascade), and
    when a repository takes the name again."""

    owner = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    lower_name = peewee.CharField(max_length=100)
    repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE", index=True)

    class Meta:
        table_name = "repository_redirect"
        indexes = ((("owner", "lower_name"), True),)


class Star(BaseModel):
    """Gitea's ``star``: ``user`` starred ``repository``, counted in ``num_stars``
    (``repository_marks``)."""

    user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "repository_star"
        # (user, repository): "is starring" and a user's starred list, by repository;
        # (repository, id): a repository's stargazers in the order they starred (0005).
        indexes = ((("user", "repository"), True),
                   (("repository", "id"), False))


class Watch(BaseModel):
    """Gitea's ``watch``: ``user`` watches ``repository``, counted in ``num_watches``
    (``repository_marks``). Indexes as ``Star``'s."""

    user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "repository_watch"
        indexes = ((("user", "repository"), True),
                   (("repository", "id"), False))


class Topic(BaseModel):
    """Gitea's ``topic``: a name (lower-case, ``topics.valid``) and how many repositories
    carry it; gone when the last one drops it (``topics``)."""

    name = peewee.CharField(max_length=50, unique=True)
    repo_count = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "topic"


class RepoTopic(BaseModel):
    """Gitea's ``repo_topic``: ``repository`` carries ``topic``. The repository's ``topics``
    column holds the same names, for its body without a query."""

    repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
    topic = peewee.ForeignKeyField(Topic, on_delete="CASCADE", index=True)

    class Meta:
        table_name = "repo_topic"
        indexes = ((("repository", "topic"), True),)


class TagProtection(BaseModel):
    """Gitea's ``protected_tag``: tags matching ``name_pattern`` (a glob, or a regexp between
    slashes) may be created, moved or deleted only by the accounts and teams whose ids the
    JSON arrays list (``tag_protections``)."""

    repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE", index=True)
    name_pattern = peewee.CharField(max_length=255)
    allowlist_user_ids = peewee.TextField(default="[]")
    allowlist_team_ids = peewee.TextField(default="[]")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "protected_tag"


class TeamRepository(BaseModel):
    """Gitea's ``team_repo``: ``team`` reaches ``repository`` (of its org) at its permission.
    A team that includes all repositories needs no rows (team_repositories.py)."""

    team = peewee.ForeignKeyField(Team, backref="+", on_delete="CASCADE")
    repository = peewee.ForeignKeyField(Repository, backref="+", on_delete="CASCADE", index=True)

    class Meta:
        table_name = "team_repository"
        indexes = ((("team", "repository"), True),)


class RepoTransfer(BaseModel):
    """Gitea's ``repo_transfer``: ``doer`` offered the repository to ``recipient``, who has
    not yet accepted or rejected it; ``team_ids`` (JSON) the recipient org's teams to add."""

    repository = peewee.ForeignKeyField(Repository, backref="+", on_delete="CASCADE", unique=True)
    doer = peewee.ForeignKeyField(Account, backref="+", on_delete="CASCADE")
    recipient = peewee.ForeignKeyField(Account, backref="+", on_delete="CASCADE")
    team_ids = peewee.TextField(default="[]")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "repo_transfer"


MODELS = [Repository, Branch, Collaborator, RefJournalEntry, RepositoryRedirect, Star,
          Watch, Topic, RepoTopic, TagProtection, TeamRepository, RepoTransfer]
