"""``ctx.services["issues"]``: what other plugins (pulls first of all) may ask of the issue
tracker without importing its internals. A pull request is an issue with ``is_pull`` set, so
the pulls plugin numbers, comments, labels, assigns and mile-stones its pull requests here and
renders them with the same shapes. Documented in docs/issues.md."""

from __future__ import annotations

from plue_issues import access as access_rules
from plue_issues import assignees as assignee_rules
from plue_issues import comments, issues, labels, milestones, numbering
from plue_issues.models import Issue
from plue_issues.schemas.shapes import Presenter


class IssuesService:
    def __init__(self, ctx):
        self.ctx = ctx

    @property
    def hosting(self):
        # Looked up late: services are collected from every plugin before any is published.
        return self.ctx.services["git_hosting"]

    @property
    def accounts(self):
        return self.ctx.services["accounts"]

    # --- who may do what ------------------------------------------------------------------

    def access(self, identity, owner: str, repo: str) -> access_rules.RepositoryAccess:
        """The caller's access to a repository's issues and pulls (404 if invisible)."""
        return access_rules.resolve_access(self.hosting, identity, owner, repo)

    # --- numbering --------------------------------------------------------------------------

    def allocate_number(self, repository_id: int) -> int:
        """The next issue/pull number; only inside the transaction inserting the row."""
        return numbering.allocate_number(repository_id)

    # --- issues (and the issue rows of pull requests) -----------------------------------------

    def create_issue(self, repository, poster, **options) -> Issue:
        """See :func:`plue_issues.issues.create_issue`; pass ``is_pull=True`` from the
        pulls plugin (inside its own ``write_transaction``) to number a pull request."""
        return issues.create_issue(self.ctx, repository, poster, **options)

    def find_issue(self, repository, number: int) -> Issue | None:
        return issues.find_issue(repository, number)

    def get_issue(self, access, number: int) -> Issue:
        return issues.get_issue(access, number)

    def set_state(self, issue: Issue, *, closed: bool, doer) -> Issue:
        """Close or reopen; for a pull request the ``num_open_pulls`` counter follows."""
        return issues.set_state(self.ctx, issue, closed=closed, doer=doer)

    def edit_issue(self, access, issue: Issue, changes: dict, doer) -> Issue:
        return issues.edit_issue(self.ctx, access, issue, changes, doer)

    def delete_issue(self, issue: Issue) -> None:
        issues.delete_issue(self.ctx, issue)

    IssueFilters = issues.IssueFilters

    def search_issues(self, repository, filters: issues.IssueFilters):
        return issues.search_issues(repository, filters)

    # Across repositories (a subquery of their ids), for the front page.
    issues_across = staticmethod(issues.issues_across)
    comments_across = staticmethod(issues.comments_across)

    count_matching = staticmethod(issues.count_matching)
    # The ids of the issues carrying any of the given label ids, as a subquery (pulls' list).
    issue_ids_labelled = staticmethod(issues.issue_ids_labelled)

    # --- comments, labels, milestones, assignees ---------------------------------------------

    def create_comment(self, access, issue: Issue, poster, body: str, *, kind: str = "comment"):
        return comments.create_comment(self.ctx, access, issue, poster, body, kind=kind)

    def comments_of_issue(self, issue: Issue, *, since=None, before=None):
        return comments.comments_of_issue(issue, since=since, before=before)

    def labels_by_ids(self, repository, label_ids: list[int]):
        return labels.labels_by_ids(repository, label_ids)

    def labels_from_option(self, repository, values: list):
        return labels.labels_from_option(repository, values)

    def labels_of_issue(self, issue: Issue):
        return labels.labels_of_issue(issue)

    def set_issue_labels(self, issue: Issue, chosen, *, replace: bool, doer=None):
        """With ``doer`` the change is announced (``issue_changed``), as the API's is."""
        return labels.set_issue_labels(issue, chosen, replace=replace,
                                       ctx=self.ctx if doer is not None else None, doer=doer)

    def usable_labels(self, repository) -> list:
        """The labels an issue of ``repository`` may carry (its own and its organization's),
        by name."""
        return labels.usable_labels(repository)

    def open_milestones(self, repository) -> list:
        return list(milestones.milestones_of(repository, state="open"))

    def milestone_by_id(self, repository, milestone_id: int):
        return milestones.milestone_by_id(repository, milestone_id)

    assignee_logins = staticmethod(assignee_rules.logins_from_option)

    def resolve_assignees(self, repository, logins: list[str]):
        """Accounts for ``logins``; 422 for unknown users and users without write access."""
        return assignee_rules.resolve_assignees(self.hosting, self.accounts, repository, logins)

    # --- wire shapes --------------------------------------------------------------------------

    def presenter(self, viewer, *, repository=None, org=None) -> Presenter:
        """Renders Gitea's Issue / Comment / Label / Milestone for ``viewer``."""
        return Presenter(self.ctx, viewer, repository=repository, org=org)

    def issue_json(self, issue: Issue, viewer) -> dict:
        return self.presenter(viewer, repository=issue.repository).issue(issue)

    def issue_by_id(self, issue_id: int) -> Issue | None:
        """The issue row (repository joined) by id, for faces that heard an event
        (webhooks); None when it is gone."""
        return issues.issue_by_id(self.hosting, issue_id)

    def comment_json(self, comment_id: int, viewer) -> dict | None:
        """Gitea's ``Comment`` by id (None when it is gone): what webhooks send."""
        comment = comments.comment_by_id(self.hosting, comment_id)
        if comment is None:
            return None
        return self.presenter(viewer, repository=comment.issue.repository).comment(comment)
