"""``/repos/{owner}/{repo}/issues`` and ``/repos/{owner}/{repo}/issues/{index}``."""

from __future__ import annotations

import falcon

from plue_core.errors import NotFound
from plue_core.list_query import list_state
from plue_core.openapi import operation
from plue_core.pagination import Page
from plue_core.validation import load_body

from plue_issues.resources.common import IssuesApiResource, split_param
from plue_issues.schemas.options import CreateIssueOption, EditIssueOption
from plue_issues.schemas.shapes import ISSUE_SHAPE
from plue_issues.schemas.times import parse_query_time

LIST_QUERY = ("state", "labels", "q", "type", "milestones", "since", "before", "created_by",
              "assigned_by", "mentioned_by", "page", "limit")


class IssuesResource(IssuesApiResource):
    def _user_id(self, req, name: str) -> int | None:
        login = req.get_param(name)
        if not login:
            return None
        user = self.issues.accounts.find_user(login)
        if user is None:
            raise NotFound(f"{name}: user {login!r} does not exist")
        return user.id

    def _is_pull(self, req, access) -> bool | None:
        """``type`` issues|pulls; without it, whichever units the caller may read."""
        wanted = {"issues": False, "pulls": True}.get(req.get_param("type") or "")
        if wanted is not None:
            access.require_unit(wanted)
            return wanted
        readable = [is_pull for is_pull in (False, True) if access.can_read(is_pull)]
        return readable[0] if len(readable) == 1 else None

    @operation("List a repository's issues", response=ISSUE_SHAPE, many=True, tags=("issue",),
               query=LIST_QUERY, operation_id="issueListIssues")
    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo)
        filters = self.issues.IssueFilters(
            state=list_state(req, otherwise="open"), is_pull=self._is_pull(req, access),
            label_names=split_param(req, "labels"), milestones=split_param(req, "milestones"),
            keyword=(req.get_param("q") or "").strip(),
            poster_id=self._user_id(req, "created_by"),
            assignee_id=self._user_id(req, "assigned_by"),
            mentioned_id=self._user_id(req, "mentioned_by"),
            since=parse_query_time(req, "since"), before=parse_query_time(req, "before"))
        page = Page.from_request(req, self.ctx.config.pagination)
        total, rows = self.issues.issue_page(access.repository, filters, page.limit, page.offset)
        page.set_headers(req, resp, total)
        resp.media = self.presenter(req, access).issues(rows)

    @operation("Create an issue", request=CreateIssueOption, response=ISSUE_SHAPE, status=201,
               tags=("issue",), operation_id="issueCreateIssue")
    def on_post(self, req, resp, owner, repo):
        access, doer = self.write_access(req, owner, repo)
        access.require_unit(False)
        body = load_body(req, CreateIssueOption)
        options = {"title": body["title"], "body": body.get("body") or "",
                   "ref": body.get("ref") or "", "closed": body["closed"]}
        # Gitea: only writers set labels, milestone, assignees and due date; a reader's
        # choices are left out and the issue is still opened.
        if access.can_write(False):
            repository = access.repository
            options["labels"] = self.issues.labels_by_ids(repository, body.get("labels") or [])
            if body.get("milestone"):
                options["milestone"] = self.issues.milestone_by_id(repository, body["milestone"])
            logins = self.issues.assignee_logins(body.get("assignee"), body.get("assignees"))
            options["assignees"] = self.issues.resolve_assignees(repository, logins)
            options["due_date"] = body.get("due_date")
        issue = self.issues.create_issue(access.repository, doer, **options)
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).issue(issue)


class IssueResource(IssuesApiResource):
    @operation("Get an issue", response=ISSUE_SHAPE, tags=("issue",), operation_id="issueGetIssue")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo)
        resp.media = self.presenter(req, access).issue(
            self.issues.get_issue(access, index, with_parts=True))

    @operation("Edit an issue", request=EditIssueOption, response=ISSUE_SHAPE, status=201,
               tags=("issue",), operation_id="issueEditIssue")
    def on_patch(self, req, resp, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        changes = load_body(req, EditIssueOption)
        issue = self.issues.edit_issue(access, issue, changes, doer)
        # Gitea answers an issue edit with 201.
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).issue(self.issues.get_issue(access, issue.number))

    @operation("Delete an issue", status=204, tags=("issue",), operation_id="issueDelete")
    def on_delete(self, req, resp, owner, repo, index):
        access, _ = self.write_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        access.require_admin(f"delete #{issue.number}")
        self.issues.delete_issue(issue)
        resp.status = falcon.HTTP_204
