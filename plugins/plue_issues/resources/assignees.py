"""``/repos/{owner}/{repo}/issues/{index}/assignees``: add (201 Issue) and remove (200 Issue)
assignees, and ``.../assignees/{assignee}``: may this user be assigned (204, else 404)."""

from __future__ import annotations

import falcon

from plue_core.constraints import create_or_update
from plue_core.db import write_transaction
from plue_core.errors import Invalid, NotFound
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues import assignees, labels, timeline
from plue_issues.resources.common import IssuesApiResource
from plue_issues.events import announce_change
from plue_issues.schemas.options import IssueAssigneesOption
from plue_issues.schemas.shapes import ISSUE_SHAPE


class IssueAssigneesResource(IssuesApiResource):
    def _change(self, req, resp, owner, repo, index, *, adding: bool):
        access, doer = self.write_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        access.require_write(issue.is_pull, f"change the assignees of #{issue.number}")
        logins = load_body(req, IssueAssigneesOption)["assignees"]
        if adding:
            users = self.issues.resolve_assignees(access.repository, logins)
        else:
            users = [self._existing_user(login) for login in logins]

        def write() -> None:
            with write_transaction():
                before = {user.id for user in
                          assignees.assignees_for_issues([issue.id]).get(issue.id, [])}
                (assignees.add_assignees if adding else assignees.remove_assignees)(issue.id, users)
                labels.touch(issue)
                for user in users:
                    if (user.id in before) != adding:  # only real changes are recorded
                        timeline.record_assignee(issue, doer, user, removed=not adding)
                        announce_change(self.ctx, issue, "assigned" if adding else "unassigned",
                                        doer, assignee=user.name)

        create_or_update(write)  # the same assignee added twice at once: added (and told) once
        resp.media = self.presenter(req, access).issue(self.issues.get_issue(access, index))

    def _existing_user(self, login: str):
        user = self.issues.accounts.find_user(login)
        if user is None:
            raise Invalid(f"assignees: user {login!r} does not exist")
        return user

    @operation("Add assignees to an issue", request=IssueAssigneesOption, response=ISSUE_SHAPE,
               status=201, tags=("issue",), operation_id="issueAddAssignees")
    def on_post(self, req, resp, owner, repo, index):
        self._change(req, resp, owner, repo, index, adding=True)
        resp.status = falcon.HTTP_201

    @operation("Remove assignees from an issue", request=IssueAssigneesOption,
               response=ISSUE_SHAPE, tags=("issue",), operation_id="issueRemoveAssignees")
    def on_delete(self, req, resp, owner, repo, index):
        self._change(req, resp, owner, repo, index, adding=False)


class IssueAssigneeCheckResource(IssuesApiResource):
    @operation("Can this user be assigned to the issue? (204 yes, 404 no)", status=204,
               tags=("issue",), operation_id="issueCheckAssignee")
    def on_get(self, req, resp, owner, repo, index, assignee):
        access = self.read_access(req, owner, repo)
        self.issues.get_issue(access, index)
        user = self.issues.accounts.find_user(assignee)
        hosting = self.issues.hosting
        if user is None or not assignees.can_be_assigned(hosting, access.repository, user):
            raise NotFound(f"{assignee} cannot be assigned in {access.full_name}")
        resp.status = falcon.HTTP_204
