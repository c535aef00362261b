"""Gitea organizations: ``/orgs``, ``/orgs/{org}``, ``/user/orgs``, ``/users/{username}/orgs``
and ``/users/{username}/orgs/{org}/permissions``."""

from __future__ import annotations

import falcon
from plue_core.accounts import deletion, orgs, visibility
from plue_core.accounts.resources.common import (
    AccountsResource, optional_identity, require_org_owner, require_scopes,
)
from plue_core.accounts.schemas.orgs import CreateOrgOption, EditOrgOption, ORGANIZATION_SHAPE
from plue_core.identity import Identity, require_identity
from plue_core.openapi import operation
from plue_core.shapes import Shape, boolean, item
from plue_core.validation import load_body


ORGANIZATION_PERMISSIONS_SHAPE = Shape("OrganizationPermissions", [
    boolean("is_owner", item("is_owner")),
    boolean("is_admin", item("is_admin")),
    boolean("can_write", item("can_write")),
    boolean("can_read", item("can_read")),
    boolean("can_create_repository", item("can_create_repository")),
])


def create_org_from(settings: dict, creator, body: dict):
    """``CreateOrgOption`` -> a new org owned by ``creator`` (also used by the admin route)."""
    orgs.ensure_can_create_org(settings, creator)
    return orgs.create_org(creator, name=body["username"], **{k: v for k, v in body.items()
                                                             if k != "username"})


class OrgsResource(AccountsResource):
    @operation("Get list of organizations", response=ORGANIZATION_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"), operation_id="orgGetAll")
    def on_get(self, req, resp):
        identity = optional_identity(req, "organization")
        query = orgs.all_orgs(visibility.listable_visibilities(identity))
        resp.media = ORGANIZATION_SHAPE.many(self.page(req, resp, query), self.site_view)

    @operation("Create an organization", request=CreateOrgOption, response=ORGANIZATION_SHAPE,
               status=201, tags=("organization",), operation_id="orgCreate")
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "organization"))
        body = load_body(req, CreateOrgOption)
        org = create_org_from(self.settings, self.accounts.account_for(identity), body)
        resp.status = falcon.HTTP_201
        resp.media = ORGANIZATION_SHAPE(org, self.site_view)


class OrgResource(AccountsResource):
    @operation("Get an organization", response=ORGANIZATION_SHAPE, tags=("organization",),
               operation_id="orgGet")
    def on_get(self, req, resp, org):
        identity = optional_identity(req, "organization")
        resp.media = ORGANIZATION_SHAPE(orgs.get_visible_org(identity, org), self.site_view)

    @operation("Edit an organization", request=EditOrgOption, response=ORGANIZATION_SHAPE,
               tags=("organization",), operation_id="orgEdit")
    def on_patch(self, req, resp, org):
        identity = require_identity(req, scope=("write", "organization"))
        account = orgs.get_visible_org(identity, org)
        require_org_owner(identity, account)
        body = load_body(req, EditOrgOption)
        resp.media = ORGANIZATION_SHAPE(orgs.update_org(account, body), self.site_view)

    @operation("Delete an organization", status=204, tags=("organization",),
               operation_id="orgDelete")
    def on_delete(self, req, resp, org):
        identity = require_identity(req, scope=("write", "organization"))
        account = orgs.get_visible_org(identity, org)
        require_org_owner(identity, account)
        deletion.delete_org(self.ctx, account)
        resp.status = falcon.HTTP_204


class CurrentUserOrgsResource(AccountsResource):
    @operation("List the current user's organizations", response=ORGANIZATION_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"),
               operation_id="orgListCurrentUserOrgs")
    def on_get(self, req, resp):
        identity = require_scopes(req, "user", "organization")
        query = orgs.orgs_of(identity.user_id)
        resp.media = ORGANIZATION_SHAPE.many(self.page(req, resp, query), self.site_view)


class UserOrgsResource(AccountsResource):
    @operation("List a user's organizations", response=ORGANIZATION_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"), operation_id="orgListUserOrgs")
    def on_get(self, req, resp, username):
        identity = require_scopes(req, "user", "organization")
        user = self.visible_user(identity, username)
        query = orgs.orgs_of_seen_by(identity, user)
        resp.media = ORGANIZATION_SHAPE.many(self.page(req, resp, query), self.site_view)


class UserOrgPermissionsResource(AccountsResource):
    @operation("Get user permissions in organization", response=ORGANIZATION_PERMISSIONS_SHAPE,
               tags=("organization",), operation_id="orgGetUserPermissions")
    def on_get(self, req, resp, username, org):
        identity = require_scopes(req, "user", "organization")
        user = self.visible_user(identity, username)
        account = orgs.get_visible_org(identity, org)
        permission = orgs.permission_of(account, user.id)
        rank = orgs.PERMISSION_RANK[permission]
        can_create = any(team.can_create_org_repo for team in self.accounts.teams_of_user(user.id)
                         if team.org_id == account.id)
        resp.media = ORGANIZATION_PERMISSIONS_SHAPE({
            "is_owner": permission == "owner",
            "is_admin": rank >= orgs.PERMISSION_RANK["admin"],
            "can_write": rank >= orgs.PERMISSION_RANK["write"],
            "can_read": visibility.can_see(
                Identity(user_id=user.id, username=user.name, is_admin=user.is_admin), account),
            "can_create_repository": can_create or permission == "owner",
        })
