"""Gitea's ``Issue``, ``Comment``, ``Label`` and ``Milestone``, rendered for one viewer.

A :class:`Presenter` knows the request's viewer and repository (or organization) and loads
what a page of issues refers to (labels, assignees, milestones and their counts, pull-request
state) in a handful of queries, never one per row. Users are the accounts plugin's ``User``;
a deleted poster is Gitea's "Ghost".
"""

from __future__ import annotations

import functools

from marshmallow import Schema, fields

from plue_core.accounts.models import Account

from plue_issues import assignees as assignee_rules
from plue_issues import labels as label_rules
from plue_issues import milestones as milestone_rules
from plue_issues.models import Milestone
from plue_issues.schemas.times import Time


def ghost() -> Account:
    """Gitea's stand-in for a deleted user."""
    return Account(id=-1, name="Ghost", full_name="", email="", visibility="public")


class _Presented(Schema):
    def __init__(self, *, presenter, **kwargs):
        super().__init__(**kwargs)
        self.presenter = presenter


class LabelSchema(_Presented):
    id = fields.Integer()
    name = fields.String()
    exclusive = fields.Boolean()
    is_archived = fields.Function(lambda label: label.archived_at is not None)
    color = fields.Function(lambda label: label.color.lstrip("#"))
    description = fields.String()
    url = fields.Method("get_url")

    def get_url(self, label):
        return self.presenter.label_url(label)


class MilestoneSchema(_Presented):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    state = fields.Function(lambda m: "closed" if m.is_closed else "open")
    open_issues = fields.Integer()
    closed_issues = fields.Integer()
    created_at = Time()
    updated_at = Time()
    closed_at = Time()
    due_on = Time()


class RepositoryMetaSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    owner = fields.Function(lambda repository: repository.owner.name)
    full_name = fields.Function(lambda repository: repository.full_name)


class PullRequestMetaSchema(Schema):
    merged = fields.Boolean()
    merged_at = fields.String(allow_none=True)
    draft = fields.Boolean()
    html_url = fields.String()


class IssueSchema(_Presented):
    id = fields.Integer()
    url = fields.Method("get_url")
    html_url = fields.Method("get_html_url")
    number = fields.Integer()
    user = fields.Method("get_user")
    original_author = fields.Constant("")
    original_author_id = fields.Constant(0)
    title = fields.String()
    body = fields.String()
    ref = fields.String()
    assets = fields.Function(lambda issue: [])
    labels = fields.Method("get_labels")
    milestone = fields.Method("get_milestone")
    assignee = fields.Method("get_assignee")
    assignees = fields.Method("get_assignees")
    state = fields.Function(lambda issue: "closed" if issue.is_closed else "open")
    is_locked = fields.Boolean()
    comments = fields.Integer(attribute="num_comments")
    created_at = Time()
    updated_at = Time()
    closed_at = Time()
    due_date = Time()
    time_estimate = fields.Constant(0)
    pull_request = fields.Method("get_pull_request")
    repository = fields.Method("get_repository")
    pin_order = fields.Constant(0)
    content_version = fields.Integer()
    projects = fields.Function(lambda issue: [])

    def get_url(self, issue):
        return f"{self.presenter.repo_api_url}/issues/{issue.number}"

    def get_html_url(self, issue):
        return self.presenter.issue_html_url(issue)

    def get_user(self, issue):
        return self.presenter.user(issue.poster)

    def get_labels(self, issue):
        return self.presenter.labels(issue.prefetched_labels)

    def get_milestone(self, issue):
        milestone = issue.prefetched_milestone
        return None if milestone is None else self.presenter.milestone(milestone)

    def get_assignee(self, issue):
        assignees = issue.prefetched_assignees
        return self.presenter.user(assignees[0]) if assignees else None

    def get_assignees(self, issue):
        # Gitea leaves the list null, not empty, when nobody is assigned.
        return [self.presenter.user(a) for a in issue.prefetched_assignees] or None

    def get_pull_request(self, issue):
        return issue.prefetched_pull if issue.is_pull else None

    def get_repository(self, issue):
        return self.presenter.repository_meta


class CommentSchema(_Presented):
    id = fields.Integer()
    html_url = fields.Method("get_html_url")
    pull_request_url = fields.Method("get_pull_request_url")
    issue_url = fields.Method("get_issue_url")
    user = fields.Method("get_user")
    original_author = fields.Constant("")
    original_author_id = fields.Constant(0)
    body = fields.String()
    assets = fields.Function(lambda comment: [])
    created_at = Time()
    updated_at = Time()

    def get_html_url(self, comment):
        return f"{self.presenter.issue_html_url(comment.issue)}#issuecomment-{comment.id}"

    # Gitea fills exactly one of these two with the web address of the issue or pull request.
    def get_pull_request_url(self, comment):
        return self.presenter.issue_html_url(comment.issue) if comment.issue.is_pull else ""

    def get_issue_url(self, comment):
        return "" if comment.issue.is_pull else self.presenter.issue_html_url(comment.issue)

    def get_user(self, comment):
        return self.presenter.user(comment.poster)


class Presenter:
    def __init__(self, ctx, viewer, *, repository=None, org=None):
        self.ctx = ctx
        self.viewer = viewer
        self.repository = repository
        self.org = org
        self.base_url = ctx.config.base_url.rstrip("/")
        self.accounts = ctx.services["accounts"]

    @property
    def repo_api_url(self) -> str:
        return f"{self.base_url}/api/v1/repos/{self.repository.owner.name}/{self.repository.name}"

    @property
    def repo_html_url(self) -> str:
        return f"{self.base_url}/{self.repository.owner.name}/{self.repository.name}"

    def issue_html_url(self, issue) -> str:
        return f"{self.repo_html_url}/{'pulls' if issue.is_pull else 'issues'}/{issue.number}"

    def user(self, account: Account | None) -> dict:
        return self.accounts.user_json(account if account is not None else ghost(), self.viewer)

    def label_url(self, label) -> str:
        if label.org_id:
            org_name = self.org.name if self.org is not None else self.repository.owner.name
            return f"{self.base_url}/api/v1/orgs/{org_name}/labels/{label.id}"
        return f"{self.repo_api_url}/labels/{label.id}"

    # --- labels and milestones ---------------------------------------------------------------

    # Schemas are built once per presenter (one request), not once per row: instantiating a
    # marshmallow schema deep-copies its fields (issue 13).
    @functools.cached_property
    def _label_schema(self) -> LabelSchema:
        return LabelSchema(presenter=self, many=True)

    @functools.cached_property
    def repository_meta(self) -> dict:
        """The issue's ``repository`` (the same for every issue of a page)."""
        return RepositoryMetaSchema().dump(self.repository)

    def labels(self, labels) -> list[dict]:
        return self._label_schema.dump(list(labels))

    def label(self, label) -> dict:
        return LabelSchema(presenter=self).dump(label)

    def milestones(self, milestones) -> list[dict]:
        rows = milestone_rules.attach_counts(list(milestones))
        return MilestoneSchema(presenter=self, many=True).dump(rows)

    def milestone(self, milestone) -> dict:
        if not hasattr(milestone, "open_issues"):
            milestone_rules.attach_counts([milestone])
        return MilestoneSchema(presenter=self).dump(milestone)

    # --- issues and comments -------------------------------------------------------------------

    def prefetch(self, issues: list) -> list:
        """Labels, assignees, milestones (with counts) and pull-request state of a page."""
        ids = [issue.id for issue in issues]
        labels = label_rules.labels_for_issues(ids)
        assigned = assignee_rules.assignees_for_issues(ids)
        milestone_ids = {issue.milestone_id for issue in issues if issue.milestone_id}
        milestones = {}
        if milestone_ids:
            rows = list(Milestone.select().where(Milestone.id.in_(list(milestone_ids))))
            milestones = {m.id: m for m in milestone_rules.attach_counts(rows)}
        for issue in issues:  # before the pull requests' part reads it: no query per row
            issue.repository = self.repository
        pulls = [issue for issue in issues if issue.is_pull]
        pull_meta = self._pull_meta(pulls) if pulls else {}
        for issue in issues:
            issue.prefetched_labels = labels.get(issue.id, [])
            issue.prefetched_assignees = assigned.get(issue.id, [])
            issue.prefetched_milestone = milestones.get(issue.milestone_id)
            if issue.is_pull:
                issue.prefetched_pull = pull_meta.get(issue.id) or {
                    "merged": False, "merged_at": None, "draft": False,
                    "html_url": self.issue_html_url(issue)}
        return issues

    def _pull_meta(self, pulls: list) -> dict:
        merged: dict = {}
        hook = getattr(self.ctx.plugins.hook, "issue_pull_request_meta", None)
        if hook is not None:
            for answer in hook(ctx=self.ctx, issues=pulls):
                merged.update(answer or {})
        return merged

    def issues(self, issues) -> list[dict]:
        return IssueSchema(presenter=self, many=True).dump(self.prefetch(list(issues)))

    def issue(self, issue) -> dict:
        return self.issues([issue])[0]

    def comments(self, comments) -> list[dict]:
        comments = list(comments)
        for comment in comments:
            comment.issue.repository = self.repository
        return CommentSchema(presenter=self, many=True).dump(comments)

    def comment(self, comment) -> dict:
        return self.comments([comment])[0]
