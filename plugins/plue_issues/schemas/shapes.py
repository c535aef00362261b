"""Gitea's ``Issue``, ``Comment``, ``Label`` and ``Milestone``, rendered for one viewer.

A :class:`Presenter` knows the request's viewer and repository (or organization) and loads
what a page of issues refers to (labels, assignees, milestones and their counts, pull-request
state) in a handful of queries, never one per row. Users are the accounts plugin's ``User``;
a deleted poster is Gitea's "Ghost".
"""

from __future__ import annotations

import functools

import peewee

from plue_core.accounts.models import Account
from plue_core.accounts.schemas.orgs import TEAM_SHAPE
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.attachments.shapes import ATTACHMENT_SHAPE
from plue_core.shapes import Shape, array, boolean, integer, obj, string, time
from plue_core.timestamps import rfc3339

from plue_issues import assignees as assignee_rules
from plue_issues import labels as label_rules
from plue_issues import milestones as milestone_rules
from plue_issues import issues as issue_rules
from plue_issues import time_tracking
from plue_issues.models import Comment, Issue, TrackedTime


def ghost() -> Account:
    """Gitea's stand-in for a deleted user."""
    return Account(id=-1, name="Ghost", full_name="", email="", visibility="public")


def _time(name: str, *, nullable: bool = False):
    """An RFC 3339 time of the row; null where Gitea leaves it unset."""
    return time(name, lambda row, _: rfc3339(getattr(row, name)), nullable=nullable)


# Every shape below renders with the request's Presenter as its view.
LABEL_SHAPE = Shape("Label", [
    integer("id"),
    string("name"),
    boolean("exclusive"),
    boolean("is_archived", lambda label, _: label.archived_at is not None),
    string("color", lambda label, _: label.color.lstrip("#")),
    string("description"),
    string("url", lambda label, presenter: presenter.label_url(label)),
])

MILESTONE_SHAPE = Shape("Milestone", [
    integer("id"),
    string("title"),
    string("description"),
    string("state", lambda m, _: "closed" if m.is_closed else "open"),
    integer("open_issues"),
    integer("closed_issues"),
    _time("created_at"),
    _time("updated_at"),
    _time("closed_at", nullable=True),
    _time("due_on", nullable=True),
])

REPOSITORY_META_SHAPE = Shape("RepositoryMeta", [
    integer("id"),
    string("name"),
    string("owner", "owner.name"),
    string("full_name"),
])

PULL_REQUEST_META_SHAPE = Shape("PullRequestMeta", [
    boolean("merged", lambda meta, _: meta["merged"]),
    time("merged_at", lambda meta, _: meta["merged_at"], nullable=True),
    boolean("draft", lambda meta, _: meta["draft"]),
    string("html_url", lambda meta, _: meta["html_url"]),
])


def _assignee(issue, presenter) -> dict | None:
    assignees = issue.prefetched_assignees
    return presenter.user(assignees[0]) if assignees else None


def _pull_request(issue, presenter) -> dict | None:
    return PULL_REQUEST_META_SHAPE(issue.prefetched_pull) if issue.is_pull else None


# Issues are rendered after ``Presenter.prefetch`` attached their labels, assignees,
# milestone and pull-request state.
ISSUE_SHAPE = Shape("Issue", [
    integer("id"),
    string("url", lambda issue, p: f"{p.repo_api_url}/issues/{issue.number}"),
    string("html_url", lambda issue, p: p.issue_html_url(issue)),
    integer("number"),
    obj("user", lambda issue, p: p.user(issue.poster), shape=USER_SHAPE),
    string("original_author", const=""),
    integer("original_author_id", const=0),
    string("title"),
    string("body"),
    string("ref"),
    array("assets", lambda issue, p: ATTACHMENT_SHAPE.many(issue.prefetched_assets, p),
          items=ATTACHMENT_SHAPE),
    array("labels", lambda issue, p: p.labels(issue.prefetched_labels), items=LABEL_SHAPE),
    obj("milestone", lambda issue, p: None if issue.prefetched_milestone is None
        else p.milestone(issue.prefetched_milestone), shape=MILESTONE_SHAPE, nullable=True),
    obj("assignee", _assignee, shape=USER_SHAPE, nullable=True),
    # Gitea leaves the list null, not empty, when nobody is assigned.
    array("assignees", lambda issue, p: [p.user(a) for a in issue.prefetched_assignees] or None,
          items=USER_SHAPE, nullable=True),
    string("state", lambda issue, _: "closed" if issue.is_closed else "open"),
    boolean("is_locked"),
    integer("comments", "num_comments"),
    _time("created_at"),
    _time("updated_at"),
    _time("closed_at", nullable=True),
    _time("due_date", nullable=True),
    integer("time_estimate", const=0),
    obj("pull_request", _pull_request, shape=PULL_REQUEST_META_SHAPE, nullable=True),
    obj("repository", lambda issue, p: p.repository_meta, shape=REPOSITORY_META_SHAPE),
    # 0 for a row read without the column (a partial select), as for one not pinned.
    integer("pin_order", lambda issue, _: issue.pin_order or 0),
    integer("content_version"),
    array("projects", const=[]),
])

COMMENT_SHAPE = Shape("Comment", [
    integer("id"),
    string("html_url", lambda c, p: f"{p.issue_html_url(c.issue)}#issuecomment-{c.id}"),
    # Gitea fills exactly one of these two with the web address of the issue or pull request.
    string("pull_request_url", lambda c, p: p.issue_html_url(c.issue) if c.issue.is_pull else ""),
    string("issue_url", lambda c, p: "" if c.issue.is_pull else p.issue_html_url(c.issue)),
    obj("user", lambda c, p: p.user(c.poster), shape=USER_SHAPE),
    string("original_author", const=""),
    integer("original_author_id", const=0),
    string("body"),
    array("assets", lambda c, p: ATTACHMENT_SHAPE.many(p.comment_assets.get(c.id, ()), p),
          items=ATTACHMENT_SHAPE),
    _time("created_at"),
    _time("updated_at"),
])


# An issue's or a comment's reaction (``reaction.user`` joined): the issue's own presenter.
REACTION_SHAPE = Shape("Reaction", [
    obj("user", lambda r, p: p.user(r.user), shape=USER_SHAPE),
    string("content", lambda r, _: r.type),
    _time("created_at"),
])


# Time tracked on an issue (``time.user`` joined), with the issue's body: rendered with a dict
# of the rendered issues by id as its view (``schemas/time_tracking.py``, the timeline).
TRACKED_TIME_SHAPE = Shape("TrackedTime", [
    integer("id"),
    time("created", lambda t, _: rfc3339(t.created_at)),
    integer("time"),
    integer("user_id"),
    string("user_name", "user.name"),
    integer("issue_id"),
    obj("issue", lambda t, issues: issues[t.issue_id], shape=ISSUE_SHAPE),
])


def _named(attribute: str, render: str):
    """What an event names (a label, a milestone, an assignee), null when it names none."""
    def get(comment, presenter):
        value = getattr(comment, attribute)
        return None if value is None else getattr(presenter, render)(value)
    return get


# Gitea's ``TimelineComment``: a plain comment or an event (``type``: Gitea's comment type).
# A reference names its source issue (``ref_issue``, an ``Issue``) and comment
# (``ref_comment``), rendered by ``Presenter.timeline``; a ``review`` row names its pull request
# review (``review_id``), a ``review_request`` its team (``assignee_team``), an
# ``add_dependency`` / ``remove_dependency`` the other issue (``dependent_issue``), time
# tracking's ``stop_tracking`` / ``add_time_manual`` the time tracked (``tracked_time``).
# Projects are not recorded by Plue: their fields stay zero or null, as Gitea serves them for
# an event that has none.
TIMELINE_COMMENT_SHAPE = Shape("TimelineComment", [
    integer("id"),
    string("type", "kind"),
    string("html_url", lambda c, p: f"{p.issue_html_url(c.issue)}#issuecomment-{c.id}"),
    string("pull_request_url", lambda c, p: p.issue_html_url(c.issue) if c.issue.is_pull else ""),
    string("issue_url", lambda c, p: "" if c.issue.is_pull else p.issue_html_url(c.issue)),
    obj("user", lambda c, p: p.user(c.poster), shape=USER_SHAPE),
    string("body"),
    _time("created_at"),
    _time("updated_at"),
    integer("old_project_id", const=0),
    integer("project_id", const=0),
    obj("old_milestone", _named("old_milestone", "milestone"), shape=MILESTONE_SHAPE,
        nullable=True),
    obj("milestone", _named("milestone", "milestone"), shape=MILESTONE_SHAPE, nullable=True),
    obj("tracked_time", lambda c, p: p.tracked_times.get(c.tracked_time_id),
        shape=TRACKED_TIME_SHAPE, nullable=True),
    string("old_title"),
    string("new_title"),
    string("old_ref"),
    string("new_ref"),
    obj("ref_issue", lambda c, p: p.ref_issues.get(c.ref_issue_id), shape=ISSUE_SHAPE,
        nullable=True),
    obj("ref_comment", lambda c, p: p.ref_comments.get(c.ref_comment_id), shape=COMMENT_SHAPE,
        nullable=True),
    string("ref_action"),
    string("ref_commit_sha", "commit_sha"),
    integer("review_id", lambda c, _: c.review_id or 0),
    obj("label", _named("label", "label"), shape=LABEL_SHAPE, nullable=True),
    obj("assignee", _named("assignee", "user"), shape=USER_SHAPE, nullable=True),
    obj("assignee_team", lambda c, p: p.accounts.team_json(c.assignee_team)
        if c.assignee_team is not None else None, shape=TEAM_SHAPE, nullable=True),
    boolean("removed_assignee"),
    obj("resolve_doer", const=None, nullable=True),
    obj("dependent_issue", lambda c, p: p.dependent_issues.get(c.dependent_issue_id),
        shape=ISSUE_SHAPE, nullable=True),
])


def _once(kept: dict, model, render, *extra) -> dict:
    """A copy of the body kept for ``model``'s id in ``kept``, rendered by ``render()`` when
    none is kept or it was rendered from another row (other columns, changed values, other
    ``extra`` values); each caller gets its own dict to change."""
    found = kept.get(model.id)
    if found is None or found[0] != model.__data__ or found[1] != extra:
        found = kept[model.id] = (dict(model.__data__), extra, render())
    return dict(found[2])


class Presenter:
    def __init__(self, ctx, viewer, *, repository=None, org=None):
        self.ctx = ctx
        self.viewer = viewer
        self.repository = repository
        self.org = org
        self.base_url = ctx.config.base_url.rstrip("/")
        self.accounts = ctx.services["accounts"]
        # The rendered sources of a timeline's references, by id (``timeline``).
        self.ref_issues: dict[int, dict] = {}
        self.ref_comments: dict[int, dict] = {}
        # The rendered other issues of a timeline's dependency events, by id.
        self.dependent_issues: dict[int, dict] = {}
        # The rendered times a timeline's time-tracking events name, by id (``timeline``).
        self.tracked_times: dict[int, dict] = {}
        # Each account's ``User`` as rendered for this viewer, by id, with the row it was
        # rendered from (``user``); each label's and milestone's body likewise (``_once``).
        self._users: dict[int, tuple] = {}
        self._labels: dict[int, tuple] = {}
        self._milestones: dict[int, tuple] = {}
        # The files of the comments being rendered, by comment id (``comments``).
        self.comment_assets: dict[int, list] = {}

    # The repository's two addresses: every issue and label of a page names them.
    @functools.cached_property
    def repo_api_url(self) -> str:
        return f"{self.base_url}/api/v1/repos/{self.repository.owner.name}/{self.repository.name}"

    @functools.cached_property
    def repo_html_url(self) -> str:
        return f"{self.base_url}/{self.repository.owner.name}/{self.repository.name}"

    @functools.cached_property
    def attachment_store(self):
        return self.ctx.services["attachments"]

    def download_url(self, attachment) -> str:
        """An issue's or comment's file's ``browser_download_url`` (the attachments' view)."""
        return self.attachment_store.download_url(attachment)

    def issue_html_url(self, issue) -> str:
        return f"{self.repo_html_url}/{'pulls' if issue.is_pull else 'issues'}/{issue.number}"

    def user(self, account: Account | None) -> dict:
        """Gitea's ``User`` of ``account`` (a deleted one: Ghost). A page names the same few
        people again and again (posters, assignees: 90 users on a page of 30 issues): each is
        rendered once per presenter, and again only if its row differs (a read of fewer
        columns); the caller gets its own copy."""
        if account is None:
            account = ghost()
        return _once(self._users, account, lambda: self.accounts.user_json(account, self.viewer))

    def label_url(self, label) -> str:
        if label.org_id:
            org_name = self.org.name if self.org is not None else self.repository.owner.name
            return f"{self.base_url}/api/v1/orgs/{org_name}/labels/{label.id}"
        return f"{self.repo_api_url}/labels/{label.id}"

    # --- labels and milestones ---------------------------------------------------------------

    @functools.cached_property
    def repository_meta(self) -> dict:
        """The issue's ``repository`` (the same for every issue of a page)."""
        return REPOSITORY_META_SHAPE(self.repository)

    def labels(self, labels) -> list[dict]:
        return [self.label(label) for label in labels]

    def label(self, label) -> dict:
        """Gitea's ``Label``; a page names the same few labels on many issues (60 labels on
        a page of 30 issues, three distinct): each is rendered once per presenter, as
        :meth:`user` renders people."""
        return _once(self._labels, label, lambda: LABEL_SHAPE(label, self))

    def milestones(self, milestones) -> list[dict]:
        return MILESTONE_SHAPE.many(milestone_rules.attach_counts(list(milestones)), self)

    def milestone(self, milestone) -> dict:
        if not hasattr(milestone, "open_issues"):
            milestone_rules.attach_counts([milestone])
        # Kept like a label, its counts part of what it was rendered from.
        return _once(self._milestones, milestone, lambda: MILESTONE_SHAPE(milestone, self),
                     milestone.open_issues, milestone.closed_issues)

    # --- issues and comments -------------------------------------------------------------------

    def prefetch(self, issues: list, pull_parts: dict | None = None) -> list:
        """Labels, assignees, milestones (with counts) and pull-request state of a page of
        this presenter's repository; ``pull_parts``: the ``pull_request`` parts the caller
        knows already, by issue id (the pulls plugin rendering its own rows), which no hook
        is asked for."""
        for issue in issues:  # before the pull requests' part reads it: no query per row
            issue.repository = self.repository
        return self._read_parts(issues, pull_parts)

    def _read_parts(self, issues: list, pull_parts: dict | None = None) -> list:
        """:meth:`prefetch` of issues whose ``repository`` is set, whichever it is."""
        # An issue read with its labels and assignees (``issues.with_labels_and_assignees``)
        # needs no read of them.
        ids = [issue.id for issue in issues if "read_labels" not in issue.__dict__]
        labels = label_rules.labels_for_issues(ids)
        assigned = assignee_rules.assignees_for_issues(ids)
        milestone_ids = {issue.milestone_id for issue in issues if issue.milestone_id}
        milestones = {}
        if milestone_ids:
            rows = milestone_rules.milestones_by_ids(sorted(milestone_ids))
            milestones = {m.id: m for m in milestone_rules.attach_counts(rows)}
        pull_meta = dict(pull_parts or {})
        pulls = [issue for issue in issues if issue.is_pull and issue.id not in pull_meta]
        if pulls:
            pull_meta.update(self._pull_meta(pulls))
        for issue in issues:
            read = issue.__dict__
            if "read_labels" in read:
                issue.prefetched_labels = read["read_labels"]
                issue.prefetched_assignees = read["read_assignees"]
            else:
                issue.prefetched_labels = labels.get(issue.id, [])
                issue.prefetched_assignees = assigned.get(issue.id, [])
            issue.prefetched_milestone = milestones.get(issue.milestone_id)
            if issue.is_pull:
                issue.prefetched_pull = pull_meta.get(issue.id) or {
                    "merged": False, "merged_at": None, "draft": False,
                    "html_url": f"{self.base_url}/{issue.repository.owner.name}/"
                                f"{issue.repository.name}/pulls/{issue.number}"}
        return issues

    def _pull_meta(self, pulls: list) -> dict:
        merged: dict = {}
        hook = getattr(self.ctx.plugins.hook, "issue_pull_request_meta", None)
        if hook is not None:
            for answer in hook(ctx=self.ctx, issues=pulls):
                merged.update(answer or {})
        return merged

    def issues(self, issues, *, pull_parts: dict | None = None,
               assets: bool = True) -> list[dict]:
        """Gitea's ``Issue`` of each of ``issues`` (one page: a statement per kind of thing
        they show); ``pull_parts`` as :meth:`prefetch`; ``assets=False``: their files are not
        read (the pulls plugin takes other fields of these bodies for its ``PullRequest``,
        which has none), so ``assets`` is left empty."""
        issues = self.prefetch(list(issues), pull_parts)
        # An issue read with its files (``issues.find_issue``'s ``with_parts``) needs no read.
        unread = [issue.id for issue in issues if "read_files" not in issue.__dict__]
        found = self.attachment_store.of_issues(unread) if assets and unread else {}
        for issue in issues:
            issue.prefetched_assets = issue.__dict__.get("read_files") or found.get(issue.id, [])
        return ISSUE_SHAPE.many(issues, self)

    def issue(self, issue) -> dict:
        return self.issues([issue])[0]

    def issues_across(self, issues) -> list[dict]:
        """Gitea's ``Issue`` of each of ``issues``, which may belong to many repositories
        (each issue's ``repository`` set, owner joined): their parts read as one page's
        whatever the number of repositories, each body rendered by a presenter of its
        repository (``/repos/issues/search``)."""
        issues = self._read_parts(list(issues))
        found = self.attachment_store.of_issues([issue.id for issue in issues]) if issues else {}
        presenters: dict[int, Presenter] = {}
        bodies = []
        for issue in issues:
            issue.prefetched_assets = found.get(issue.id, [])
            presenter = presenters.get(issue.repository_id)
            if presenter is None:
                presenter = presenters[issue.repository_id] = Presenter(
                    self.ctx, self.viewer, repository=issue.repository)
                presenter._users = self._users  # people rendered once for the whole page
            bodies.append(ISSUE_SHAPE(issue, presenter))
        return bodies

    def comments(self, comments, assets: dict | None = None) -> list[dict]:
        """Gitea's ``Comment`` of each; their files read in one query unless ``assets``
        (comment id -> files) holds them already."""
        comments = list(comments)
        for comment in comments:
            comment.issue.repository = self.repository
        self.comment_assets = (assets if assets is not None
                               else self.attachment_store.of_comments(c.id for c in comments))
        return COMMENT_SHAPE.many(comments, self)

    def reactions(self, reactions) -> list[dict]:
        return REACTION_SHAPE.many(list(reactions), self)

    def reaction(self, reaction) -> dict:
        return self.reactions([reaction])[0]

    def comment(self, comment) -> dict:
        return self.comments([comment])[0]

    def timeline(self, issue, rows) -> list[dict]:
        """``TimelineComment``s of ``issue``'s rows (``timeline.timeline_of_issue``): the
        milestones they name are counted in one query, the issues and comments references
        come from rendered in a few per source repository."""
        rows = list(rows)
        milestone_rules.attach_counts([m for row in rows for m in (row.milestone, row.old_milestone)
                                       if m is not None])
        issue.repository = self.repository
        for row in rows:
            row.issue = issue
        self._load_references(rows)
        self._load_dependent_issues(rows)
        self._load_tracked_times(issue, rows)
        return TIMELINE_COMMENT_SHAPE.many(rows, self)

    def _load_dependent_issues(self, rows) -> None:
        """The other issues dependency events name, each rendered by a presenter of its own
        repository (none read when no row names one)."""
        linked = {row.dependent_issue_id for row in rows if row.dependent_issue_id}
        self.dependent_issues = {}
        if linked:
            service = self.ctx.services["issues"]
            found = list(issue_rules.issues_with_posters().where(Issue.id.in_(list(linked))))
            self.dependent_issues = dict(zip([issue.id for issue in found],
                                             service.issues_json_across(found, self.viewer)))

    def _load_tracked_times(self, issue, rows) -> None:
        """The times the rows name (all of ``issue``): one query, the issue rendered once."""
        ids = sorted({row.tracked_time_id for row in rows if row.tracked_time_id is not None})
        times = list(time_tracking.times_query(issue_id=issue.id).where(
            TrackedTime.id.in_(ids))) if ids else []
        issues = {issue.id: self.issue(issue)} if times else {}
        self.tracked_times = {t.id: TRACKED_TIME_SHAPE(t, issues) for t in times}

    def _load_references(self, rows) -> None:
        """Gitea's ``ref_issue`` and ``ref_comment`` of the rows, each rendered by a presenter
        of its own repository (the timeline's query joined the source issue and repository)."""
        by_repository: dict[int, tuple] = {}
        for row in rows:
            if row.ref_issue_id is not None and row.ref_repository is not None:
                by_repository.setdefault(row.ref_repository.id, (row.ref_repository, {}))[1][
                    row.ref_issue_id] = row.ref_issue
        comment_ids = {row.ref_comment_id for row in rows if row.ref_comment_id is not None}
        comments = {}
        if comment_ids:
            comments = {comment.id: comment for comment in Comment.select(Comment, Account).join(
                Account, peewee.JOIN.LEFT_OUTER, on=(Comment.poster == Account.id),
                attr="poster").where(Comment.id.in_(list(comment_ids)))}
        self.ref_issues, self.ref_comments = {}, {}
        # Every referencing comment's files at once, whichever repository it is in.
        comment_assets = self.attachment_store.of_comments(comments) if comments else {}
        for repository, issues in by_repository.values():
            presenter = self if repository.id == self.repository.id else Presenter(
                self.ctx, self.viewer, repository=repository)
            posters = {account.id: account for account in Account.select().where(
                Account.id.in_([i.poster_id for i in issues.values() if i.poster_id]))}
            for source in issues.values():
                source.poster = posters.get(source.poster_id)
            for source, rendered in zip(issues.values(), presenter.issues(list(issues.values()))):
                self.ref_issues[source.id] = rendered
            for comment in comments.values():
                if comment.issue_id in issues:
                    comment.issue = issues[comment.issue_id]
                    self.ref_comments[comment.id] = presenter.comments([comment],
                                                                       comment_assets)[0]
