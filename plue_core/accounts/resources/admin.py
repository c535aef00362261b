"""Gitea site administration: ``/admin/users[...]`` and ``/admin/orgs``. Every route needs a
site administrator (403 otherwise) whose token carries the ``admin`` scope."""

from __future__ import annotations

import falcon

from plue_core.accounts import admin_users, deletion, orgs, ssh_keys, users
from plue_core.accounts.resources.common import AccountsResource
from plue_core.accounts.schemas.admin import CreateUserOption, EditUserOption
from plue_core.accounts.schemas.keys import CreateKeyOption, PUBLIC_KEY_SHAPE
from plue_core.accounts.schemas.orgs import CreateOrgOption, ORGANIZATION_SHAPE
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.errors import Invalid
from plue_core.identity import require_admin
from plue_core.openapi import operation
from plue_core.validation import load_body

_SEARCH_QUERY = ("q", "visibility", "is_active", "is_admin", "is_restricted", "is_prohibit_login",
                 "sort", "order", "page", "limit")


class AdminUsersResource(AccountsResource):
    @operation("Search users according filter conditions", response=USER_SHAPE, many=True,
               tags=("admin",), query=_SEARCH_QUERY, operation_id="adminSearchUsers")
    def on_get(self, req, resp):
        require_admin(req)
        flags = {name: req.get_param_as_bool(name) for name in
                 ("is_active", "is_admin", "is_restricted", "is_prohibit_login")}
        query = admin_users.search_users(q=req.get_param("q") or "",
                                         visibility=req.get_param("visibility"), flags=flags,
                                         sort=req.get_param("sort"), order=req.get_param("order"))
        resp.media = USER_SHAPE.many(self.page(req, resp, query), self.user_view(req))

    @operation("Create a user", request=CreateUserOption, response=USER_SHAPE, status=201,
               tags=("admin",), operation_id="adminCreateUser")
    def on_post(self, req, resp):
        require_admin(req)
        body = load_body(req, CreateUserOption)
        if body.get("source_id"):
            raise Invalid("source_id: Plue has no external authentication sources; use 0")
        created_at = body.get("created_at")
        user = users.create_user(
            self.settings, username=body["username"], email=body["email"],
            password=body["password"], full_name=body["full_name"],
            must_change_password=body["must_change_password"], visibility=body["visibility"],
            restricted=body["restricted"], role=body.get("role"),
            created_at=created_at.replace(tzinfo=None) if created_at else None)
        resp.status = falcon.HTTP_201
        resp.media = USER_SHAPE(user, self.user_view(req))


class AdminUserResource(AccountsResource):
    @operation("Edit an existing user", request=EditUserOption, response=USER_SHAPE,
               tags=("admin",), operation_id="adminEditUser")
    def on_patch(self, req, resp, username):
        require_admin(req)
        user = admin_users.target_user(username)
        body = load_body(req, EditUserOption)
        resp.media = USER_SHAPE(admin_users.update_user(self.settings, user, body), self.user_view(req))

    @operation("Delete a user", status=204, tags=("admin",), query=("purge",),
               operation_id="adminDeleteUser")
    def on_delete(self, req, resp, username):
        identity = require_admin(req)
        user = admin_users.target_user(username)
        if user.id == identity.user_id:
            raise Invalid("you cannot delete yourself")
        deletion.delete_user(self.ctx, user, purge=req.get_param_as_bool("purge", default=False))
        resp.status = falcon.HTTP_204


class AdminUserKeysResource(AccountsResource):
    @operation("Add a public key on behalf of a user", request=CreateKeyOption,
               response=PUBLIC_KEY_SHAPE, status=201, tags=("admin",),
               operation_id="adminCreatePublicKey")
    def on_post(self, req, resp, username):
        require_admin(req)
        user = admin_users.target_user(username)
        key = ssh_keys.add_key(self.settings, user, **load_body(req, CreateKeyOption),
                               in_use=self.accounts.ssh_key_in_use)
        resp.status = falcon.HTTP_201
        resp.media = PUBLIC_KEY_SHAPE(key, self.user_view(req))


class AdminUserKeyResource(AccountsResource):
    @operation("Delete a user's public key", status=204, tags=("admin",),
               operation_id="adminDeleteUserPublicKey")
    def on_delete(self, req, resp, username, key_id):
        require_admin(req)
        ssh_keys.delete_key(admin_users.target_user(username), key_id)
        resp.status = falcon.HTTP_204


class AdminOrgsResource(AccountsResource):
    @operation("List all organizations", response=ORGANIZATION_SHAPE, many=True,
               tags=("admin",), query=("page", "limit"), operation_id="adminGetAllOrgs")
    def on_get(self, req, resp):
        require_admin(req)
        query = orgs.all_orgs(("public", "limited", "private"))
        resp.media = ORGANIZATION_SHAPE.many(self.page(req, resp, query), self.site_view)


class AdminUserOrgsResource(AccountsResource):
    @operation("List a user's organizations", response=ORGANIZATION_SHAPE, many=True,
               tags=("admin",), query=("page", "limit"), operation_id="adminListUserOrgs")
    def on_get(self, req, resp, username):
        require_admin(req)
        query = orgs.orgs_of(admin_users.target_user(username).id)
        resp.media = ORGANIZATION_SHAPE.many(self.page(req, resp, query), self.site_view)

    @operation("Create an organization", request=CreateOrgOption, response=ORGANIZATION_SHAPE,
               status=201, tags=("admin",), operation_id="adminCreateOrg")
    def on_post(self, req, resp, username):
        require_admin(req)
        user = admin_users.target_user(username)
        body = load_body(req, CreateOrgOption)
        # The admin creates it on the user's behalf: the user's own permission does not apply.
        org = orgs.create_org(user, name=body["username"],
                              **{k: v for k, v in body.items() if k != "username"})
        resp.status = falcon.HTTP_201
        resp.media = ORGANIZATION_SHAPE(org, self.site_view)
