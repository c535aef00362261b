"""Gitea ``/user``, ``/users/{username}``, ``/users/search``."""

from __future__ import annotations

from plue_core.accounts import visibility
from plue_core.accounts.models import USER, Account
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
        query = Account.select().where(Account.type == USER).order_by(Account.id)
        if q := (req.get_param("q") or "").strip().lower():
            query = query.where(Account.lower_name.contains(q) | Account.full_name.contains(q))
        if uid := req.get_param_as_int("uid"):
            query = query.where(Account.id == uid)
        if identity is None:
            query = query.where(Account.visibility == "public")
        elif not identity.is_admin:
            condition = (Account.visibility == "public") | (Account.id == identity.user_id)
            if not visibility.viewer_is_restricted(identity):
                condition |= (Account.visibility == "limited") | Account.id.in_(
                    visibility.co_member_ids(identity.user_id))
            query = query.where(condition)
        rows = self.page(req, resp, query)
        resp.media = {"ok": True, "data": USER_SHAPE.many(rows, self.user_view(req))}
