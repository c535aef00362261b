"""Pull-request tables. As in Gitea a pull request is an issue (the issues plugin's row, with
``is_pull`` set) plus the row here holding its head, base and merge state; reviews and their
line comments hang off the pull request; branch protection rules belong to a repository."""

from __future__ import annotations

import json

import peewee

from plue_core.accounts.models import Account, Team
from plue_core.db import BaseModel, utcnow

# The one kind of import of another plugin's modules (.importlinter lists each): the model
# class a foreign key points at. The issue rows are not read here: see ``IssueKey``.
from plue_git_hosting.models import Repository

# Mergeability, as Gitea's PullRequestStatus: "checking" until the three-way merge of the
# current base and head has been tried; "empty" when the head adds nothing to the base.
STATUSES = ("checking", "mergeable", "conflict", "empty", "error")


class IssueKey(BaseModel):
    """The issues plugin's ``issue`` table as far as this plugin knows it: its key, so that
    ``PullRequest.issue_id`` declares the database's foreign key (as migration 0001 built it)
    without importing the issues plugin. Never queried: the issue rows of pull requests come
    from ``ctx.services["issues"]`` (``issues_by_ids``, ``search_pull_issues``, ...)."""

    class Meta:
        table_name = "issue"


class CommentKey(BaseModel):
    """The issues plugin's ``issue_comment`` table as far as this plugin knows it (as
    ``IssueKey``): the key ``Review.comment_id`` points at. Never queried: the rows are
    written and removed through ``ctx.services["issues"]``."""

    class Meta:
        table_name = "issue_comment"


class PullRequest(BaseModel):
    """A pull request's own row. Its issue (number, title, state, poster) is the issues
    plugin's row ``issue_id``: whoever loads pull requests attaches it as ``issue``
    (``pulls.with_issues``), which every reader of a pull request may rely on."""

    # ``issue_id`` is the column and the attribute; ``issue`` is the attached issue row.
    issue_key = peewee.ForeignKeyField(IssueKey, column_name="issue_id", unique=True,
                                       backref="+", on_delete="CASCADE")
    base_repository = peewee.ForeignKeyField(Repository, backref="pulls", on_delete="CASCADE")
    base_branch = peewee.CharField(max_length=255)
    # The head lives in the base repository or in a fork of it; a deleted fork leaves the
    # pull request behind with its last head in ``refs/pull/<n>/head``.
    head_repository = peewee.ForeignKeyField(Repository, null=True, backref="head_pulls",
                                             on_delete="SET NULL")
    head_branch = peewee.CharField(max_length=255)
    head_sha = peewee.CharField(max_length=64, default="")
    base_sha = peewee.CharField(max_length=64, default="")  # base tip the status was computed on
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
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "pull_request"
        indexes = (
            (("base_repository", "base_branch", "is_merged"), False),
            (("head_repository", "head_branch", "is_merged"), False),
            (("status",), False),
        )

    @property
    def conflicts(self) -> list[str]:
        return json.loads(self.conflicted_files or "[]")

    @property
    def is_fork(self) -> bool:
        return self.head_repository_id is not None and self.head_repository_id != self.base_repository_id

    @property
    def pull_ref(self) -> str:
        """Where the base repository keeps the head (Gitea's ``refs/pull/<index>/head``)."""
        return f"refs/pull/{self.issue.number}/head"


class Review(BaseModel):
    """A review: APPROVED, REQUEST_CHANGES, COMMENT, or PENDING until its author submits it.
    ``official`` when the reviewer could approve (write access, or the protection's approvals
    allowlist); only the reviewer's latest official review counts. A review request
    (REQUEST_REVIEW) names a user or, as Gitea's ``ReviewerTeamID``, a team of the base
    repository's organization (``reviewer_team``, ``reviewer`` then null)."""

    pull = peewee.ForeignKeyField(PullRequest, backref="reviews", on_delete="CASCADE")
    reviewer = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    reviewer_team = peewee.ForeignKeyField(Team, null=True, backref="+", on_delete="CASCADE")
    state = peewee.CharField(max_length=32)
    body = peewee.TextField(default="")
    commit_id = peewee.CharField(max_length=64, default="")
    official = peewee.BooleanField(default=False)
    dismissed = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    # The review's row on the pull request's timeline (Gitea's ``review`` comment, written
    # when it is submitted; migration 0004): its ``#issuecomment-`` anchor is the review's
    # ``html_url``. None while pending (or for a review request).
    comment_key = peewee.ForeignKeyField(CommentKey, column_name="comment_id", null=True,
                                         backref="+", on_delete="SET NULL")

    class Meta:
        table_name = "pull_review"
        indexes = ((("pull", "reviewer", "state"), False),)


class ReviewComment(BaseModel):
    """A comment on one line of the diff: ``line`` counts in the new file, or (negative) in the
    old one, as Gitea stores it; ``diff_hunk`` is the hunk up to that line."""

    review = peewee.ForeignKeyField(Review, backref="comments", on_delete="CASCADE")
    pull = peewee.ForeignKeyField(PullRequest, on_delete="CASCADE")
    poster = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    path = peewee.CharField(max_length=4096)
    line = peewee.IntegerField()
    body = peewee.TextField(default="")
    diff_hunk = peewee.TextField(default="")
    commit_id = peewee.CharField(max_length=64, default="")
    original_commit_id = peewee.CharField(max_length=64, default="")
    resolver = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "pull_review_comment"


class BranchProtection(BaseModel):
    """Gitea's protected-branch rule: ``rule_name`` is a branch name or a glob (``release/*``).
    Lists of allowed users and teams are stored as JSON arrays of names."""

    repository = peewee.ForeignKeyField(Repository, backref="branch_protections", on_delete="CASCADE")
    rule_name = peewee.CharField(max_length=255)
    priority = peewee.BigIntegerField(default=0)  # Gitea's int64
    settings = peewee.TextField(default="{}")
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "branch_protection"
        indexes = ((("repository", "rule_name"), True),)

    @property
    def options(self) -> dict:
        return json.loads(self.settings or "{}")


class MergeIntent(BaseModel):
    """A merge about to move the base branch, committed before git moves it: if the process
    dies after the move, the replayed push finds this row and marks the pull request merged
    (``merge_intents``). Deleted with the merge's own recording, or when the move is undone."""

    pull = peewee.ForeignKeyField(PullRequest, unique=True, on_delete="CASCADE")
    style = peewee.CharField(max_length=32)
    before_sha = peewee.CharField(max_length=64)
    after_sha = peewee.CharField(max_length=64)
    doer = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "pull_merge_intent"


MODELS = [PullRequest, Review, ReviewComment, BranchProtection, MergeIntent]
