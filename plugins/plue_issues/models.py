"""Issue tracker tables. As in Gitea, a pull request is an issue (``is_pull``) so both share
the per-repository number sequence, comments, labels, milestones and assignees; the pulls
plugin keeps its head/base/merge state in its own table pointing at the issue row."""

from __future__ import annotations

import peewee

from plue_core.accounts.models import Account, Team
from plue_core.db import BaseModel, utcnow

from plue_git_hosting.models import Repository


def now():
    """The core clock to the second: Gitea keeps times in whole seconds, so a time a client
    read back from the API works exactly as a ``since`` / ``before`` filter."""
    return utcnow().replace(microsecond=0)


class IssueIndex(BaseModel):
    """The per-repository counter behind issue and pull numbers: one row per repository,
    bumped inside the creating transaction, so numbers are never duplicated or skipped."""

    repository = peewee.ForeignKeyField(Repository, primary_key=True, on_delete="CASCADE")
    max_index = peewee.IntegerField(default=0)

    class Meta:
        table_name = "issue_index"


class Milestone(BaseModel):
    repository = peewee.ForeignKeyField(Repository, backref="milestones", on_delete="CASCADE")
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


class Issue(BaseModel):
    repository = peewee.ForeignKeyField(Repository, backref="issues", on_delete="CASCADE")
    number = peewee.IntegerField()
    # A deleted poster leaves the issue behind, shown as Gitea's "Ghost" user.
    poster = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    title = peewee.CharField(max_length=255)
    body = peewee.TextField(default="")
    ref = peewee.CharField(max_length=255, default="")
    is_pull = peewee.BooleanField(default=False)
    is_closed = peewee.BooleanField(default=False)
    is_locked = peewee.BooleanField(default=False)
    milestone = peewee.ForeignKeyField(Milestone, null=True, backref="issues", on_delete="SET NULL")
    num_comments = peewee.IntegerField(default=0)
    content_version = peewee.IntegerField(default=0)
    due_date = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=now)
    updated_at = peewee.DateTimeField(default=now)
    closed_at = peewee.DateTimeField(null=True)
    # Its place among the repository's pinned issues (or pinned pull requests), 1 first, the
    # places dense; 0 when not pinned (Gitea's ``pin_order``; ``pins.py``, migration 0010).
    pin_order = peewee.IntegerField(default=0)

    class Meta:
        table_name = "issue"
        indexes = (
            (("repository", "number"), True),
            (("repository", "is_pull", "is_closed", "created_at"), False),
            (("repository", "updated_at"), False),
            # The list's order, with or without a state (migration 0002).
            (("repository", "is_closed", "created_at", "id"), False),
            (("repository", "created_at", "id"), False),
            # A milestone's open and closed issues counted from the index (migration 0008).
            (("milestone", "is_closed"), False),
            # The pinned issues or pull requests of a repository, in order (migration 0010).
            (("repository", "is_pull", "pin_order"), False),
        )


class Label(BaseModel):
    """A repository label (``repository`` set) or an organization label (``org`` set), usable
    on every repository of that organization. ``color`` is stored as ``#rrggbb``."""

    repository = peewee.ForeignKeyField(Repository, null=True, backref="labels",
                                        on_delete="CASCADE")
    org = peewee.ForeignKeyField(Account, null=True, backref="labels", on_delete="CASCADE")
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

    @property
    def exclusive_scope(self) -> str:
        """Gitea's scoped labels: ``kind/bug`` and ``kind/feature`` exclude each other."""
        if not self.exclusive or "/" not in self.name:
            return ""
        return self.name.rsplit("/", 1)[0]


class Comment(BaseModel):
    """A comment on an issue or pull request, or an event of its timeline. ``kind`` is
    ``comment`` for what the comment API serves; the other kinds are Gitea's comment types for
    timeline events (``close``, ``reopen``, ``merge_pull``, ``label``, ``milestone``,
    ``assignees``, ``change_title``: see ``timeline.py``), which name what changed in the
    columns below (migration 0003) and are served by the timeline API and the issue page.
    References (``issue_ref``, ``pull_ref``, ``comment_ref``, ``commit_ref``: ``references.py``)
    name where they come from in the ``ref_*`` columns and ``commit_sha`` (migration 0004).
    A pull request's ``review_request`` (the pulls plugin records it) names the user asked in
    ``assignee`` or the team in ``assignee_team`` (migration 0005), ``removed_assignee`` on
    withdrawal. A submitted pull request review is a ``review`` row (its body the review's)
    naming the review in ``review_id`` (migration 0006), written by the pulls plugin through
    the service, as are ``change_target_branch`` (the old and new base in ``old_ref`` /
    ``new_ref``) and ``delete_branch`` (the deleted head in ``old_ref``; migration 0007)."""

    issue = peewee.ForeignKeyField(Issue, backref="comments", on_delete="CASCADE")
    poster = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    kind = peewee.CharField(max_length=32, default="comment")
    body = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=now)
    updated_at = peewee.DateTimeField(default=now)
    # A deleted label or assignee takes its events with it; a deleted milestone leaves them.
    label = peewee.ForeignKeyField(Label, null=True, backref="+", on_delete="CASCADE")
    milestone = peewee.ForeignKeyField(Milestone, null=True, backref="+", on_delete="SET NULL")
    old_milestone = peewee.ForeignKeyField(Milestone, null=True, backref="+",
                                           on_delete="SET NULL")
    assignee = peewee.ForeignKeyField(Account, null=True, backref="+", on_delete="CASCADE")
    assignee_team = peewee.ForeignKeyField(Team, null=True, backref="+", on_delete="CASCADE")
    removed_assignee = peewee.BooleanField(default=False)
    old_title = peewee.CharField(max_length=255, default="")
    new_title = peewee.CharField(max_length=255, default="")
    old_ref = peewee.CharField(max_length=255, default="")
    new_ref = peewee.CharField(max_length=255, default="")
    # Where a reference comes from: the repository (who may see it), the issue or pull request
    # and the comment mentioning this issue; a commit's id (also on the ``close`` / ``reopen``
    # a commit message made). ``ref_action``: Gitea's ``closes``, ``reopens``, ``neutered``
    # (the mention was edited away) or empty.
    ref_repository = peewee.ForeignKeyField(Repository, null=True, backref="+",
                                            on_delete="CASCADE", column_name="ref_repo_id",
                                            object_id_name="ref_repository_id")
    ref_issue = peewee.ForeignKeyField(Issue, null=True, backref="+", on_delete="CASCADE")
    ref_comment = peewee.ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    ref_action = peewee.CharField(max_length=16, default="")
    ref_is_pull = peewee.BooleanField(default=False)
    commit_sha = peewee.CharField(max_length=64, default="")
    # A ``review`` row's pull request review (the pulls plugin's ``pull_review.id``; migration
    # 0006): not a foreign key, that table being the pulls plugin's.
    review_id = peewee.IntegerField(null=True)
    # An ``add_dependency`` / ``remove_dependency`` event names the other issue of the link;
    # deleting that issue takes the event with it, as Gitea's deleteIssue does (migration
    # 0010, ``dependencies.py``).
    dependent_issue = peewee.ForeignKeyField(Issue, null=True, backref="+", on_delete="CASCADE")
    # Time tracking's ``stop_tracking`` and ``add_time_manual`` name the time they tracked
    # (migration 0011; ``time_tracking.py``). Not a foreign key: a deleted time leaves the
    # event, which then names none.
    tracked_time_id = peewee.IntegerField(null=True)

    class Meta:
        table_name = "issue_comment"
        indexes = ((("issue", "created_at"), False), (("updated_at",), False),
                   (("ref_issue", "ref_comment"), False), (("review_id",), False))


class IssueLabel(BaseModel):
    issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
    label = peewee.ForeignKeyField(Label, on_delete="CASCADE")

    class Meta:
        table_name = "issue_label"
        indexes = ((("issue", "label"), True),)


class IssueAssignee(BaseModel):
    issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
    assignee = peewee.ForeignKeyField(Account, on_delete="CASCADE")

    class Meta:
        table_name = "issue_assignee"
        indexes = ((("issue", "assignee"), True), (("assignee",), False))


class IssueMention(BaseModel):
    """Users @mentioned in an issue's body or comments (the ``mentioned_by`` filter)."""

    issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, on_delete="CASCADE")

    class Meta:
        table_name = "issue_mention"
        indexes = ((("issue", "user"), True), (("user",), False))


class IssueReaction(BaseModel):
    """A user's reaction (``+1``, ``heart``, ...) to an issue or pull request, once per kind;
    a comment's are :class:`CommentReaction` (Gitea keeps both in one table with comment 0,
    where a NULL comment could not be part of a unique index on both databases)."""

    issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    type = peewee.CharField(max_length=32)
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "issue_reaction"
        indexes = ((("issue", "type", "user"), True), (("user",), False))


class CommentReaction(BaseModel):
    comment = peewee.ForeignKeyField(Comment, on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    type = peewee.CharField(max_length=32)
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "comment_reaction"
        indexes = ((("comment", "type", "user"), True), (("user",), False))


class IssueDependency(BaseModel):
    """``issue`` depends on (is blocked by) ``dependency``, which may be another repository's:
    ``issue`` cannot be closed while ``dependency`` is open (Gitea's ``issue_dependency``;
    ``dependencies.py``, migration 0010). Deleting either issue deletes the link."""

    issue = peewee.ForeignKeyField(Issue, backref="+", on_delete="CASCADE")
    dependency = peewee.ForeignKeyField(Issue, backref="+", on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "issue_dependency"
        indexes = ((("issue", "dependency"), True), (("dependency",), False))



# --- time tracking (``time_tracking.py``; migration 0011) -------------------------------------


class TrackedTime(BaseModel):
    """Seconds ``user`` spent on an issue or pull request (Gitea's ``tracked_time``), added by
    hand or by stopping a stopwatch. A deleted time is gone (Gitea only flags it), as are the
    times of a deleted issue or user."""

    issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    time = peewee.BigIntegerField()
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "tracked_time"
        indexes = ((("issue", "user"), False), (("user", "created_at"), False))


class Stopwatch(BaseModel):
    """A user's running stopwatch: at most one per user (starting another stops it)."""

    issue = peewee.ForeignKeyField(Issue, on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, on_delete="CASCADE", unique=True)
    created_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "stopwatch"
        indexes = ((("issue",), False),)


# --- subscriptions (``subscriptions.py``; migration 0012) -------------------------------------


class IssueWatch(BaseModel):
    """A user's explicit choice about an issue's notifications (Gitea's ``issue_watch``):
    subscribed (``is_watching``) or unsubscribed, which wins over being a participant or a
    watcher of the repository. Deleting the issue or the user deletes it."""

    issue = peewee.ForeignKeyField(Issue, backref="+", on_delete="CASCADE")
    user = peewee.ForeignKeyField(Account, backref="+", on_delete="CASCADE")
    is_watching = peewee.BooleanField()
    created_at = peewee.DateTimeField(default=now)
    updated_at = peewee.DateTimeField(default=now)

    class Meta:
        table_name = "issue_watch"
        indexes = ((("issue", "user"), True), (("user",), False))


MODELS = [IssueIndex, Milestone, Issue, Comment, Label, IssueLabel, IssueAssignee, IssueMention,
          IssueReaction, CommentReaction, IssueDependency, TrackedTime, Stopwatch, IssueWatch]
