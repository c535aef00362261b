"""Issue subscriptions, as Gitea's routers/api/v1/repo/issue_subscription.go: ``GET
.../issues/{index}/subscriptions`` (the users who subscribed, paged), ``GET
.../subscriptions/check`` (the caller's ``WatchInfo``) and ``PUT`` / ``DELETE
.../subscriptions/{user}`` (200 when already so, 201 when changed; the user themself or a
site administrator, as Gitea's)."""

from __future__ import annotations

import falcon

from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.errors import Forbidden, NotFound
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.watch_info import WATCH_INFO_SHAPE, watch_info

from plue_issues.resources.common import IssuesApiResource

TAGS = ("issue",)

class IssueSubscriptionsResource(IssuesApiResource):
    @operation("Get users who subscribed on an issue.", response=USER_SHAPE, many=True,
               tags=TAGS, query=("page", "limit"), operation_id="issueSubscriptions")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo)
        issue = self.issues.get_issue(access, index)
        presenter = self.presenter(req, access)
        resp.media = [presenter.user(row)
                      for row in self.page(req, resp, self.issues.subscribers(issue.id))]


class IssueSubscriptionCheckResource(IssuesApiResource):
    @operation("Check if user is subscribed to an issue", response=WATCH_INFO_SHAPE,
               tags=TAGS, operation_id="issueCheckSubscription")
    def on_get(self, req, resp, owner, repo, index):
        identity = require_identity(req, scope=("read", "issue"))
        access = self.issues.access(identity, owner, repo)
        issue = self.issues.get_issue(access, index)
        repository_url = self.presenter(req, access).repo_api_url
        # The issue's creation time as ``created_at``, as Gitea's.
        resp.media = watch_info(self.issues.is_subscribed(issue, identity.user_id),
                                issue.created_at,
                                f"{repository_url}/issues/{issue.number}/subscriptions",
                                repository_url)


class IssueSubscriptionResource(IssuesApiResource):
    def _set(self, req, resp, owner, repo, index, user, watching: bool) -> None:
        identity = require_identity(req, scope=("write", "issue"))
        access = self.issues.access(identity, owner, repo)
        issue = self.issues.get_issue(access, index)
        account = self.issues.accounts.find_user(user)
        if account is None:
            raise NotFound(f"user {user} does not exist")
        if account.id != identity.user_id and not identity.is_admin:
            raise Forbidden(f"{identity.username} is not permitted to change subscriptions "
                            f"for {account.name}")
        if self.issues.is_subscribed(issue, account.id) == watching:
            resp.status = falcon.HTTP_200
            return
        self.issues.choose_subscription(issue.id, account.id, watching)
        resp.status = falcon.HTTP_201

    @operation("Subscribe user to issue", status=201, tags=TAGS,
               operation_id="issueAddSubscription")
    def on_put(self, req, resp, owner, repo, index, user):
        self._set(req, resp, owner, repo, index, user, True)

    @operation("Unsubscribe user from issue", status=201, tags=TAGS,
               operation_id="issueDeleteSubscription")
    def on_delete(self, req, resp, owner, repo, index, user):
        self._set(req, resp, owner, repo, index, user, False)
