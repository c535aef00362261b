"""``/repos/{owner}/{repo}/issues/{index}/dependencies`` (the issues that block it) and
``.../blocks`` (the issues it blocks), as Gitea's routers/api/v1/repo/issue_dependency.go:
the other issue is named by an ``IssueMeta`` body, possibly in another repository. The
blocked issue's writers link and unlink (404 to others, as Gitea answers), and must be able to
read the blocking one; its repository must have dependencies on and not be archived (404)."""

from __future__ import annotations

import falcon

from plue_core.errors import BadRequest, NotFound
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues.resources.common import IssuesApiResource
from plue_issues.schemas.options import IssueMeta
from plue_issues.schemas.shapes import ISSUE_SHAPE

TAGS = ("issue",)


class _Links(IssuesApiResource):
    def _list(self, req, resp, owner, repo, index, *, blocking: bool) -> None:
        access = self.read_access(req, owner, repo)
        if blocking and not self.issues.dependencies_enabled(access.repository):
            raise NotFound(f"repository {access.full_name} has issue dependencies disabled")
        issue = self.issues.get_issue(access, index)
        rows = self.page(req, resp, self.issues.linked_issues(issue, access.identity,
                                                             blocking=blocking))
        resp.media = self.issues.issues_json_across(rows, access.identity)

    def _other(self, req, access):
        """The access to and the issue the ``IssueMeta`` body names (404 when it cannot be
        seen; 400 across repositories when the instance forbids it)."""
        body = load_body(req, IssueMeta)
        owner, name = body.get("owner") or "", body.get("repo") or ""
        repository = access.repository
        if (owner or name) and (owner.lower(), name.lower()) != (
                repository.owner.name.lower(), repository.lower_name):
            if not self.ctx.section("issues")["cross_repository_dependencies"]:
                raise BadRequest("CrossRepositoryDependencies not enabled")
            access = self.issues.access(access.identity, owner, name)
        return access, self.issues.get_issue(access, body["index"])

    def _change(self, target_access, target, dependency, doer, *, add: bool) -> None:
        """Gitea's ``createIssueDependency`` / ``removeIssueDependency`` checks, each a 404
        (that the caller may read ``dependency`` was checked when it was found)."""
        repository = target_access.repository
        if repository.is_archived or not self.issues.dependencies_enabled(repository):
            raise NotFound(f"repository {target_access.full_name} has issue dependencies "
                           "disabled")
        if not target_access.can_write(target.is_pull):
            raise NotFound(f"issue #{target.number} does not exist in {target_access.full_name}")
        change = self.issues.add_dependency if add else self.issues.remove_dependency
        change(target, dependency, doer)

    def _write(self, req, resp, owner, repo, index, *, path_is_blocked: bool, add: bool):
        access, doer = self.write_access(req, owner, repo)
        path_issue = self.issues.get_issue(access, index)
        other_access, other = self._other(req, access)
        if path_is_blocked:
            self._change(access, path_issue, other, doer, add=add)
        else:
            self._change(other_access, other, path_issue, doer, add=add)
        # Gitea answers 201 with the path's issue, removals included.
        resp.status = falcon.HTTP_201
        resp.media = self.presenter(req, access).issue(self.issues.get_issue(access, index))


class IssueDependenciesResource(_Links):
    @operation("List an issue's dependencies, i.e all issues that block this issue",
               response=ISSUE_SHAPE, many=True, tags=TAGS, query=("page", "limit"),
               operation_id="issueListIssueDependencies")
    def on_get(self, req, resp, owner, repo, index):
        self._list(req, resp, owner, repo, index, blocking=True)

    @operation("Make the issue in the url depend on the issue in the form", request=IssueMeta,
               response=ISSUE_SHAPE, status=201, tags=TAGS,
               operation_id="issueCreateIssueDependencies")
    def on_post(self, req, resp, owner, repo, index):
        self._write(req, resp, owner, repo, index, path_is_blocked=True, add=True)

    @operation("Remove an issue dependency (Gitea answers 201)", request=IssueMeta,
               response=ISSUE_SHAPE, status=201, tags=TAGS,
               operation_id="issueRemoveIssueDependencies")
    def on_delete(self, req, resp, owner, repo, index):
        self._write(req, resp, owner, repo, index, path_is_blocked=True, add=False)


class IssueBlocksResource(_Links):
    @operation("List issues that are blocked by this issue", response=ISSUE_SHAPE, many=True,
               tags=TAGS, query=("page", "limit"), operation_id="issueListBlocks")
    def on_get(self, req, resp, owner, repo, index):
        self._list(req, resp, owner, repo, index, blocking=False)

    @operation("Block the issue given in the body by the issue in path", request=IssueMeta,
               response=ISSUE_SHAPE, status=201, tags=TAGS,
               operation_id="issueCreateIssueBlocking")
    def on_post(self, req, resp, owner, repo, index):
        self._write(req, resp, owner, repo, index, path_is_blocked=False, add=True)

    @operation("Unblock the issue given in the body by the issue in path (Gitea answers 201)",
               request=IssueMeta, response=ISSUE_SHAPE, status=201, tags=TAGS,
               operation_id="issueRemoveIssueBlocking")
    def on_delete(self, req, resp, owner, repo, index):
        self._write(req, resp, owner, repo, index, path_is_blocked=False, add=False)
