"""Gitea access tokens: ``/users/{username}/tokens``. Creating or listing them needs the
user's password (Basic auth), as in Gitea, so a leaked token cannot mint more tokens."""

from __future__ import annotations

import falcon

from plue_core.accounts import users
from plue_core.accounts.resources.common import AccountsResource
from plue_core.accounts.schemas.users import ACCESS_TOKEN_SHAPE, CreateAccessTokenOption
from plue_core.errors import Forbidden, Unauthorized
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.validation import load_body


class _TokenOwnerResource(AccountsResource):
    def _owner(self, req, username):
        identity = require_identity(req)
        if identity.method == "token":
            raise Unauthorized("managing access tokens requires Basic authentication with the "
                               "account password, not a token",
                               headers={"WWW-Authenticate": 'Basic realm="plue"'})
        user = users.get_user(username)
        if user.id != identity.user_id and not identity.is_admin:
            raise Forbidden("you can only manage your own access tokens")
        return user


class TokensResource(_TokenOwnerResource):
    @operation("List the authenticated user's access tokens", response=ACCESS_TOKEN_SHAPE,
               many=True, tags=("user",), operation_id="userGetTokens")
    def on_get(self, req, resp, username):
        user = self._owner(req, username)
        query = users.access_tokens_of(user)
        resp.media = ACCESS_TOKEN_SHAPE.many(
            paginate(req, resp, query, self.ctx.config.pagination))

    @operation("Create an access token", request=CreateAccessTokenOption,
               response=ACCESS_TOKEN_SHAPE, status=201, tags=("user",),
               operation_id="userCreateToken")
    def on_post(self, req, resp, username):
        user = self._owner(req, username)
        body = load_body(req, CreateAccessTokenOption)
        row, token = users.create_access_token(user, body["name"], body["scopes"])
        row.plain_token = token
        resp.status = falcon.HTTP_201
        resp.media = ACCESS_TOKEN_SHAPE(row)


class TokenResource(_TokenOwnerResource):
    @operation("Delete an access token (by id or name)", status=204, tags=("user",),
               operation_id="userDeleteAccessToken")
    def on_delete(self, req, resp, username, token):
        user = self._owner(req, username)
        users.delete_access_token(user, token)
        resp.status = falcon.HTTP_204
