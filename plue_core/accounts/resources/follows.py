"""Gitea's following: ``/user/followers``, ``/user/following[/{username}]``,
``/users/{username}/followers``, ``/users/{username}/following[/{target}]``. An account the
caller may not see is 404, and the lists leave out the accounts the caller may not see."""

from __future__ import annotations

import falcon

from plue_core.accounts import follows
from plue_core.accounts.resources.common import AccountsResource, optional_identity
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.errors import NotFound
from plue_core.identity import require_identity
from plue_core.openapi import operation


def _not_following(follower, followed) -> NotFound:
    return NotFound(f"user {follower.name!r} is not following {followed.name!r}")


class _FollowList(AccountsResource):
    """A list of accounts, rendered as Gitea's ``User``."""

    def respond(self, req, resp, query) -> None:
        resp.media = USER_SHAPE.many(self.page(req, resp, query), self.user_view(req))


class CurrentUserFollowersResource(_FollowList):
    @operation("List the authenticated user's followers", response=USER_SHAPE, many=True,
               tags=("user",), query=("page", "limit"), operation_id="userCurrentListFollowers")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "user"))
        self.respond(req, resp, follows.followers_seen_by(
            identity, self.accounts.account_for(identity)))


class CurrentUserFollowingResource(_FollowList):
    @operation("List the users that the authenticated user is following", response=USER_SHAPE,
               many=True, tags=("user",), query=("page", "limit"),
               operation_id="userCurrentListFollowing")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "user"))
        self.respond(req, resp, follows.following_seen_by(
            identity, self.accounts.account_for(identity)))


class CurrentUserFollowResource(AccountsResource):
    def _accounts(self, req, username, access: str):
        identity = require_identity(req, scope=(access, "user"))
        target = self.visible_user(identity, username, organizations_too=True)
        return self.accounts.account_for(identity), target

    @operation("Check whether a user is followed by the authenticated user", status=204,
               tags=("user",), operation_id="userCurrentCheckFollowing")
    def on_get(self, req, resp, username):
        me, target = self._accounts(req, username, "read")
        if not follows.is_following(me.id, target.id):
            raise _not_following(me, target)
        resp.status = falcon.HTTP_204

    @operation("Follow a user", status=204, tags=("user",), operation_id="userCurrentPutFollow")
    def on_put(self, req, resp, username):
        follows.follow(*self._accounts(req, username, "write"))
        resp.status = falcon.HTTP_204

    @operation("Unfollow a user", status=204, tags=("user",),
               operation_id="userCurrentDeleteFollow")
    def on_delete(self, req, resp, username):
        follows.unfollow(*self._accounts(req, username, "write"))
        resp.status = falcon.HTTP_204


class UserFollowersResource(_FollowList):
    @operation("List the given user's followers", response=USER_SHAPE, many=True,
               tags=("user",), query=("page", "limit"), operation_id="userListFollowers")
    def on_get(self, req, resp, username):
        identity = optional_identity(req, "user")
        account = self.visible_user(identity, username, organizations_too=True)
        self.respond(req, resp, follows.followers_seen_by(identity, account))


class UserFollowingResource(_FollowList):
    @operation("List the users that the given user is following", response=USER_SHAPE,
               many=True, tags=("user",), query=("page", "limit"),
               operation_id="userListFollowing")
    def on_get(self, req, resp, username):
        identity = optional_identity(req, "user")
        account = self.visible_user(identity, username, organizations_too=True)
        self.respond(req, resp, follows.following_seen_by(identity, account))


class UserCheckFollowingResource(AccountsResource):
    @operation("Check if one user is following another user", status=204, tags=("user",),
               operation_id="userCheckFollowing")
    def on_get(self, req, resp, username, target):
        identity = optional_identity(req, "user")
        follower = self.visible_user(identity, username, organizations_too=True)
        followed = self.visible_user(identity, target, organizations_too=True)
        if not follows.is_following(follower.id, followed.id):
            raise _not_following(follower, followed)
        resp.status = falcon.HTTP_204
