"""``GET /repos/issues/search``: Gitea's ``issueSearchIssues``, the issues and pull requests
of every repository the caller may read (``search.py``). A page costs the same statements
however many repositories it spans (tests/plugins/issues/test_issue_search.py)."""

from __future__ import annotations

from plue_core.errors import BadRequest, NotFound
from plue_core.list_query import form_bool, list_state
from plue_core.openapi import operation
from plue_core.pagination import Page

from plue_issues.access import for_repository_permission
from plue_issues.resources.common import IssuesApiResource, optional_identity, split_param
from plue_issues.schemas.shapes import ISSUE_SHAPE
from plue_issues.schemas.times import parse_query_time

QUERY = ("state", "labels", "milestones", "q", "type", "since", "before", "assigned",
         "created", "mentioned", "owner", "page", "limit")


class IssueSearchResource(IssuesApiResource):
    def _owner_id(self, identity, req) -> int | None:
        name = req.get_param("owner")
        if not name:
            return None
        try:
            return self.issues.accounts.get_visible_user(identity, name,
                                                         organizations_too=True).id
        except NotFound:  # Gitea's 400 for an unknown owner; one the caller may not see too
            raise BadRequest(f"owner: user {name!r} does not exist") from None

    @operation("Search for issues across the repositories that the user has access to",
               response=ISSUE_SHAPE, many=True, tags=("issue",), query=QUERY,
               operation_id="issueSearchIssues")
    def on_get(self, req, resp):
        identity = optional_identity(req)
        mine = identity.user_id if identity is not None else None
        filters = self.issues.SearchFilters(
            state=list_state(req, otherwise="open"),
            is_pull={"issues": False, "pulls": True}.get(req.get_param("type") or ""),
            keyword=(req.get_param("q") or "").strip(),
            label_names=split_param(req, "labels"),
            milestone_names=split_param(req, "milestones"),
            since=parse_query_time(req, "since"), before=parse_query_time(req, "before"),
            owner_id=self._owner_id(identity, req),
            # The caller's own: only for a signed-in caller, as Gitea's.
            poster_id=mine if form_bool(req, "created") else None,
            assignee_id=mine if form_bool(req, "assigned") else None,
            mentioned_id=mine if form_bool(req, "mentioned") else None)
        page = Page.from_request(req, self.ctx.config.pagination)
        total, rows = self.issues.search_across(for_repository_permission(identity), filters,
                                                page.limit, page.offset)
        page.set_headers(req, resp, total)
        resp.media = self.issues.presenter(identity).issues_across(rows)
