"""Gitea org membership: ``/orgs/{org}/members[/{username}]`` and
``/orgs/{org}/public_members[/{username}]``. Members are added through teams
(``PUT /teams/{id}/members/{username}``)."""

from __future__ import annotations

import urllib.parse

import falcon

from plue_core.accounts import orgs, users
from plue_core.accounts.resources.common import (
    AccountsResource, optional_identity, require_org_member, require_org_owner,
)
from plue_core.accounts.schemas.users import USER_SHAPE
from plue_core.errors import Forbidden, NotFound
from plue_core.identity import require_identity
from plue_core.openapi import operation


class MembersResource(AccountsResource):
    @operation("List an organization's members", response=USER_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"), operation_id="orgListMembers")
    def on_get(self, req, resp, org):
        identity = require_identity(req, scope=("read", "organization"))
        account = orgs.get_visible_org(identity, org)
        query = orgs.members_seen_by(identity, account)
        resp.media = USER_SHAPE.many(self.page(req, resp, query), self.user_view(req))


class MemberResource(AccountsResource):
    @operation("Check if a user is a member of an organization", status=204,
               tags=("organization",), operation_id="orgIsMember")
    def on_get(self, req, resp, org, username):
        identity = require_identity(req, scope=("read", "organization"))
        account = orgs.get_visible_org(identity, org)
        target = users.get_user(username)
        if identity.is_admin or orgs.is_member(account, identity.user_id):
            if not orgs.is_member(account, target.id):
                raise NotFound(f"user {username!r} is not a member of {account.name!r}")
            resp.status = falcon.HTTP_204
            return
        if identity.user_id == target.id:
            raise NotFound(f"user {username!r} is not a member of {account.name!r}")
        # Outsiders may only learn about public memberships, as in Gitea.
        raise falcon.HTTPSeeOther(
            f"{req.prefix}/api/v1/orgs/{urllib.parse.quote(account.name)}/public_members/"
            f"{urllib.parse.quote(target.name)}")

    @operation("Remove a member from an organization", status=204, tags=("organization",),
               operation_id="orgDeleteMember")
    def on_delete(self, req, resp, org, username):
        identity = require_identity(req, scope=("write", "organization"))
        account = orgs.get_visible_org(identity, org)
        require_org_owner(identity, account)
        orgs.remove_member(account, users.get_user(username))
        resp.status = falcon.HTTP_204


class PublicMembersResource(AccountsResource):
    @operation("List an organization's public members", response=USER_SHAPE, many=True,
               tags=("organization",), query=("page", "limit"),
               operation_id="orgListPublicMembers")
    def on_get(self, req, resp, org):
        identity = optional_identity(req, "organization")
        account = orgs.get_visible_org(identity, org)
        query = orgs.public_members(account)
        resp.media = USER_SHAPE.many(self.page(req, resp, query), self.user_view(req))


class PublicMemberResource(AccountsResource):
    @operation("Check if a user is a public member of an organization", status=204,
               tags=("organization",), operation_id="orgIsPublicMember")
    def on_get(self, req, resp, org, username):
        identity = optional_identity(req, "organization")
        account = orgs.get_visible_org(identity, org)
        if not orgs.is_public_member(account, users.get_user(username).id):
            raise NotFound(f"user {username!r} is not a public member of {account.name!r}")
        resp.status = falcon.HTTP_204

    def _own_membership(self, req, org, username):
        identity = require_identity(req, scope=("write", "organization"))
        account = orgs.get_visible_org(identity, org)
        require_org_member(identity, account)
        target = users.get_user(username)
        if target.id != identity.user_id:
            raise Forbidden("you can only publicize or conceal your own membership")
        return account, target

    @operation("Publicize a user's membership", status=204, tags=("organization",),
               operation_id="orgPublicizeMember")
    def on_put(self, req, resp, org, username):
        account, target = self._own_membership(req, org, username)
        orgs.set_membership_public(account, target, True)
        resp.status = falcon.HTTP_204

    @operation("Conceal a user's membership", status=204, tags=("organization",),
               operation_id="orgConcealMember")
    def on_delete(self, req, resp, org, username):
        account, target = self._own_membership(req, org, username)
        orgs.set_membership_public(account, target, False)
        resp.status = falcon.HTTP_204
