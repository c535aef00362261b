"""Pins, as Gitea's routers/api/v1/repo/issue_pin.go: ``POST``/``DELETE
.../issues/{index}/pin`` and ``PATCH .../issues/{index}/pin/{position}`` (repository
administrators; 204), ``GET .../issues/pinned`` and ``GET .../new_pin_allowed``. The pinned
pull requests (``GET .../pulls/pinned``, Gitea's ``PullRequest`` bodies) are the pulls
plugin's to render."""

from __future__ import annotations

import falcon

from plue_core.errors import Invalid
from plue_core.integers import parse_int64
from plue_core.openapi import operation
from plue_core.shapes import Shape, boolean

from plue_issues.resources.common import IssuesApiResource, optional_identity
from plue_issues.schemas.shapes import ISSUE_SHAPE

TAGS = ("issue",)

NEW_PIN_ALLOWED_SHAPE = Shape("NewIssuePinsAllowed", [
    boolean("issues", lambda allowed, _: allowed["issues"]),
    boolean("pull_requests", lambda allowed, _: allowed["pull_requests"]),
])


class _Pin(IssuesApiResource):
    def admin_issue(self, req, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        access.require_admin(f"pin or unpin #{issue.number}")
        return issue, doer


class IssuePinResource(_Pin):
    @operation("Pin an Issue", status=204, tags=TAGS, operation_id="pinIssue")
    def on_post(self, req, resp, owner, repo, index):
        issue, doer = self.admin_issue(req, owner, repo, index)
        self.issues.pin(issue, doer)
        resp.status = falcon.HTTP_204

    @operation("Unpin an Issue", status=204, tags=TAGS, operation_id="unpinIssue")
    def on_delete(self, req, resp, owner, repo, index):
        issue, doer = self.admin_issue(req, owner, repo, index)
        self.issues.unpin(issue, doer)
        resp.status = falcon.HTTP_204


class IssuePinPositionResource(_Pin):
    @operation("Moves the Pin to the given Position", status=204, tags=TAGS,
               operation_id="moveIssuePin")
    def on_patch(self, req, resp, owner, repo, index, position):
        issue, _ = self.admin_issue(req, owner, repo, index)
        place = parse_int64(position)
        if place is None:
            raise Invalid(f"position: must be a 64-bit integer, got {position!r}")
        self.issues.move_pin(issue, place)
        resp.status = falcon.HTTP_204


class PinnedIssuesResource(IssuesApiResource):
    @operation("List a repo's pinned issues", response=ISSUE_SHAPE, many=True,
               tags=("repository",), operation_id="repoListPinnedIssues")
    def on_get(self, req, resp, owner, repo):
        access = self.read_access(req, owner, repo)
        access.require_unit(False)
        rows = list(self.issues.pinned(access.repository, is_pull=False))
        resp.media = self.presenter(req, access).issues(rows)


class NewPinAllowedResource(IssuesApiResource):
    @operation("Returns if new Issue Pins are allowed", response=NEW_PIN_ALLOWED_SHAPE,
               tags=("repository",), operation_id="repoNewPinAllowed")
    def on_get(self, req, resp, owner, repo):
        # Gitea serves it under the repository scope, not the issue one.
        access = self.issues.access(optional_identity(req, "repository"), owner, repo)
        resp.media = NEW_PIN_ALLOWED_SHAPE({
            "issues": self.issues.pin_allowed(access.repository, is_pull=False),
            "pull_requests": self.issues.pin_allowed(access.repository, is_pull=True)})
