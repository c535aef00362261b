"""Gitea ``/user``, ``/users/{username}``, ``/users/search``."""

from __future__ import annotations

from plue_core.accounts import users
from plue_core.accounts.models import USER, Account
from plue_core.accounts.resources.common import AccountsResource
from plue_core.accounts.schemas import UserSchema
from plue_core.errors import NotFound
from plue_core.identity import current_identity, require_identity
from plue_core.openapi import operation
from plue_core.pagination import paginate


class CurrentUserResource(AccountsResource):
    @operation("Get the authenticated user", response=UserSchema, tags=("user",),
               operation_id="userGetCurrent")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "user"))
        resp.media = self.user_schema(req).dump(self.accounts.account_for(identity))


class UserResource(AccountsResource):
    @operation("Get a user", response=UserSchema, tags=("user",), operation_id="userGet")
    def on_get(self, req, resp, username):
        user = users.find_user(username)
        if user is None or not self.accounts.can_see_account(current_identity(req), user):
            raise NotFound(f"user {username!r} does not exist")
        resp.media = self.user_schema(req).dump(user)


class UserSearchResource(AccountsResource):
    @operation("Search for users", tags=("user",), query=("q", "uid", "page", "limit"),
               operation_id="userSearch")
    def on_get(self, req, resp):
        identity = current_identity(req)
        query = Account.select().where(Account.type == USER).order_by(Account.id)
        if q := (req.get_param("q") or "").strip().lower():
            query = query.where(Account.lower_name.contains(q) | Account.full_name.contains(q))
        if uid := req.get_param_as_int("uid"):
            query = query.where(Account.id == uid)
        if identity is None:
            query = query.where(Account.visibility == "public")
        elif not identity.is_admin:
            query = query.where((Account.visibility != "private") | (Account.id == identity.user_id))
        rows = paginate(req, resp, query, self.ctx.config.pagination)
        resp.media = {"ok": True, "data": self.user_schema(req, many=True).dump(rows)}
