"""Gitea SSH keys: ``/user/keys``, ``/user/keys/{id}``, ``/users/{username}/keys``."""

from __future__ import annotations

import falcon

from plue_core.accounts import ssh_keys
from plue_core.accounts.resources.common import AccountsResource, optional_identity
from plue_core.accounts.schemas.keys import CreateKeyOption, PUBLIC_KEY_SHAPE
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body


class CurrentUserKeysResource(AccountsResource):
    @operation("List the authenticated user's public keys", response=PUBLIC_KEY_SHAPE, many=True,
               tags=("user",), query=("fingerprint", "page", "limit"),
               operation_id="userCurrentListKeys")
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "user"))
        user = self.accounts.account_for(identity)
        rows = self.page(req, resp, ssh_keys.keys_of(user, req.get_param("fingerprint")))
        resp.media = PUBLIC_KEY_SHAPE.many(rows, self.user_view(req))

    @operation("Create a public key", request=CreateKeyOption, response=PUBLIC_KEY_SHAPE,
               status=201, tags=("user",), operation_id="userCurrentPostKey")
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "user"))
        body = load_body(req, CreateKeyOption)
        key = ssh_keys.add_key(self.settings, self.accounts.account_for(identity), **body,
                               in_use=self.accounts.ssh_key_in_use)
        resp.status = falcon.HTTP_201
        resp.media = PUBLIC_KEY_SHAPE(key, self.user_view(req))


class CurrentUserKeyResource(AccountsResource):
    @operation("Get a public key", response=PUBLIC_KEY_SHAPE, tags=("user",),
               operation_id="userCurrentGetKey")
    def on_get(self, req, resp, key_id):
        identity = require_identity(req, scope=("read", "user"))
        key = ssh_keys.get_key(self.accounts.account_for(identity), key_id)
        resp.media = PUBLIC_KEY_SHAPE(key, self.user_view(req))

    @operation("Delete a public key", status=204, tags=("user",),
               operation_id="userCurrentDeleteKey")
    def on_delete(self, req, resp, key_id):
        identity = require_identity(req, scope=("write", "user"))
        ssh_keys.delete_key(self.accounts.account_for(identity), key_id)
        resp.status = falcon.HTTP_204


class UserKeysResource(AccountsResource):
    @operation("List the given user's public keys", response=PUBLIC_KEY_SHAPE, many=True,
               tags=("user",), query=("fingerprint", "page", "limit"), operation_id="userListKeys")
    def on_get(self, req, resp, username):
        identity = optional_identity(req, "user")
        user = self.visible_user(identity, username)
        rows = self.page(req, resp, ssh_keys.keys_of(user, req.get_param("fingerprint")))
        resp.media = PUBLIC_KEY_SHAPE.many(rows, self.user_view(req))
