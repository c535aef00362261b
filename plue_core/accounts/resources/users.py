"""Gitea ``/user``, ``/users/{username}``, ``/users/search``."""

from __future__ import annotations

from plue_core.accounts import users
from plue_core.accounts.resources.common import AccountsResource, optional_identity
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.identity import require_identity
from plue_core.openapi import operation


class CurrentUserResource(AccountsResource):
    @operation("Get the authenticated user", response=USER_SHAPE, tags=("user",),
               operation_id="userGetCurrent")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "user"))
        resp.media = USER_SHAPE(self.accounts.account_for(identity), self.user_view(req))


class UserResource(AccountsResource):
    @operation("Get a user (or an organization's public profile, as Gitea does)",
               response=USER_SHAPE, tags=("user",), operation_id="userGet")
    def on_get(self, req, resp, username):
        identity = optional_identity(req, "user")
        account = self.visible_user(identity, username, organizations_too=True)
        resp.media = USER_SHAPE(account, self.user_view(req))


class UserSearchResource(AccountsResource):
    @operation("Search for users", tags=("user",), query=("q", "uid", "page", "limit"),
               operation_id="userSearch")
    def on_get(self, req, resp):
        identity = optional_identity(req, "user")
        query = users.search_users(identity, q=req.get_param("q") or "",
                                   uid=req.get_param_as_int("uid"))
        rows = self.page(req, resp, query)
        resp.media = {"ok": True, "data": USER_SHAPE.many(rows, self.user_view(req))}
