"""Gitea's watch endpoints: the caller's subscription to a repository (``WatchInfo``), the
repositories a user watches, a repository's watchers."""

from __future__ import annotations

import falcon

from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.errors import NotFound
from plue_core.identity import current_identity, require_identity
from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.watch_info import WATCH_INFO_SHAPE, watch_info

from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.resources.repositories import RepositoryListing
from plue_git_hosting.schemas.shapes.repository import REPOSITORY_SHAPE
from plue_git_hosting.watches import WATCHES

class SubscriptionResource(GitHostingResource):
    """``/repos/{owner}/{repo}/subscription``: anyone who can read a repository may watch it,
    an archived one too."""

    def _info(self, repository) -> dict:
        # Always "subscribed" (not watching is a 404); the repository's creation time as
        # ``created_at``, as Gitea's.
        api_url = self.links(repository).api
        return watch_info(True, repository.created_at, f"{api_url}/subscription", api_url)

    @operation("Whether the authenticated user watches the repository (404 when not)",
               response=WATCH_INFO_SHAPE, tags=("repository",),
               operation_id="userCurrentCheckSubscription")
    def on_get(self, req, resp, owner, repo):
        identity = require_identity(req, scope=("read", "repository"))
        repository = self.readable(req, owner, repo)
        if not WATCHES.has(identity.user_id, repository.id):
            raise NotFound(f"{repository.full_name} is not watched")
        resp.media = self._info(repository)

    @operation("Watch the repository", response=WATCH_INFO_SHAPE, tags=("repository",),
               operation_id="userCurrentPutSubscription")
    def on_put(self, req, resp, owner, repo):
        identity = require_identity(req, scope=("write", "repository"))
        repository = self.readable(req, owner, repo)
        WATCHES.add(identity.user_id, repository.id)
        resp.media = self._info(repository)

    @operation("Unwatch the repository (204 whether it was watched or not)", status=204,
               tags=("repository",), operation_id="userCurrentDeleteSubscription")
    def on_delete(self, req, resp, owner, repo):
        identity = require_identity(req, scope=("write", "repository"))
        WATCHES.remove(identity.user_id, self.readable(req, owner, repo).id)
        resp.status = falcon.HTTP_204


class CurrentUserSubscriptionsResource(RepositoryListing):
    @operation("The repositories the authenticated user watches", response=REPOSITORY_SHAPE,
               many=True, tags=("user",), query=("page", "limit"),
               operation_id="userCurrentListSubscriptions")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "repository"))
        user = self.accounts.account_for(identity)
        resp.media = self.respond_page(req, resp, WATCHES.repositories_query(
            self.accounts, identity, user, public_only=False))


class UserSubscriptionsResource(RepositoryListing):
    @operation("The repositories a user watches (only public ones to others)",
               response=REPOSITORY_SHAPE, many=True, tags=("user",), query=("page", "limit"),
               operation_id="userListSubscriptions")
    def on_get(self, req, resp, username):
        identity = current_identity(req)
        user = self.accounts.get_visible_user(identity, username)
        mine = identity is not None and identity.user_id == user.id
        resp.media = self.respond_page(req, resp, WATCHES.repositories_query(
            self.accounts, identity, user, public_only=not mine))


class SubscribersResource(GitHostingResource):
    @operation("List a repository's watchers", response=USER_SHAPE, many=True,
               tags=("repository",), query=("page", "limit"), operation_id="repoListSubscribers")
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        rows = paginate(req, resp, WATCHES.users_query(repository), self.pagination)
        resp.media = [self.accounts.user_json(row, req.context.identity) for row in rows]
