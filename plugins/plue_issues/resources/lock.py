"""Lock and deadline, as Gitea's routers/api/v1/repo/issue_lock.go and issue.go's
``UpdateIssueDeadline``: ``PUT`` / ``DELETE .../issues/{index}/lock`` (writers of the issues,
or of the pull requests for a pull; 204 whether it changed or not) and ``POST
.../issues/{index}/deadline`` (writers; 201 ``IssueDeadline``)."""

from __future__ import annotations

import falcon

from plue_core.openapi import operation
from plue_core.shapes import Shape, time
from plue_core.timestamps import rfc3339
from plue_core.validation import load_body

from plue_issues.resources.common import IssuesApiResource
from plue_issues.schemas.options import EditDeadlineOption, LockIssueOption

TAGS = ("issue",)

ISSUE_DEADLINE_SHAPE = Shape("IssueDeadline", [
    time("due_date", lambda issue, _: rfc3339(issue.due_date), nullable=True),
], description="Gitea's IssueDeadline")


class _Writer(IssuesApiResource):
    def writable_issue(self, req, owner, repo, index, what: str):
        access, doer = self.write_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        access.require_write(issue.is_pull, f"{what} #{issue.number}")
        return issue, doer


class IssueLockResource(_Writer):
    @operation("Lock an issue", request=LockIssueOption, status=204, tags=TAGS,
               operation_id="issueLockIssue")
    def on_put(self, req, resp, owner, repo, index):
        issue, doer = self.writable_issue(req, owner, repo, index, "lock")
        reason = load_body(req, LockIssueOption)["lock_reason"] or ""
        self.issues.set_locked(issue, doer, True, reason)
        resp.status = falcon.HTTP_204

    @operation("Unlock an issue", status=204, tags=TAGS, operation_id="issueUnlockIssue")
    def on_delete(self, req, resp, owner, repo, index):
        issue, doer = self.writable_issue(req, owner, repo, index, "unlock")
        self.issues.set_locked(issue, doer, False)
        resp.status = falcon.HTTP_204


class IssueDeadlineResource(_Writer):
    @operation("Set an issue deadline. If set to null, the deadline is deleted. If using "
               "deadline only the date will be taken into account, and time of day ignored.",
               request=EditDeadlineOption, response=ISSUE_DEADLINE_SHAPE, status=201,
               tags=TAGS, operation_id="issueEditIssueDeadline")
    def on_post(self, req, resp, owner, repo, index):
        issue, _ = self.writable_issue(req, owner, repo, index, "set the deadline of")
        due_date = load_body(req, EditDeadlineOption)["due_date"]
        self.issues.set_deadline(issue, due_date)
        resp.media = ISSUE_DEADLINE_SHAPE(issue)
        resp.status = falcon.HTTP_201
