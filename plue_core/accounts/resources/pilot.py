"""Runner Pilot (seed 001): ``/onboarding``, ``/common/me``, ``/org`` and ``/org/{org_id}``.

These are the same organizations as Gitea's ``/api/v1/orgs``: Pilot's ``name`` is the display
name (Gitea ``full_name``), the Gitea login is derived from it, ``org_id`` is the org's ``uid``
or its ``short_name`` (``orgs.get_member_org``, the one resolver of every ``/org/{org_id}/...``).
Orgs created here are private (Pilot shows an org to its members only); only members see or
change an org (404 for everyone else), and changing it takes an owner (403 for members).
"""

from __future__ import annotations

from marshmallow import RAISE

from plue_core.accounts import naming, orgs
from plue_core.accounts.resources.common import AccountsResource, require_org_owner
from plue_core.accounts.schemas.pilot import (
    OnboardingRequest, PILOT_ME_SHAPE, PilotOrganizationRequest, PILOT_ORGANIZATION_SHAPE,
    PilotOrganizationUpdate,
)
from plue_core.errors import Conflict
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body


def _create(settings: dict, creator, body: dict):
    orgs.ensure_can_create_org(settings, creator)
    return orgs.create_org(creator, name=naming.org_name_from_display_name(body["name"]),
                           full_name=body["name"], short_name=body["short_name"],
                           kind=body["type"], visibility="private")


class OnboardingResource(AccountsResource):
    @operation("Create the first organization", request=OnboardingRequest, tags=("pilot",))
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "organization"))
        body = load_body(req, OnboardingRequest, unknown=RAISE)
        user = self.accounts.account_for(identity)
        existing = [org.full_name or org.name for org in orgs.orgs_of(user.id)]
        if existing:
            raise Conflict(f"onboarding is already done: you belong to {', '.join(existing)}; "
                           "create more organizations with POST /org")
        org = _create(self.settings, user, body["organization"])
        resp.media = {"organization": PILOT_ORGANIZATION_SHAPE(org)}


class MeResource(AccountsResource):
    @operation("The authenticated user, with their organizations", response=PILOT_ME_SHAPE,
               tags=("pilot",))
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "user"))
        user = self.accounts.account_for(identity)
        user.pilot_organizations = list(orgs.orgs_of(user.id))
        resp.media = PILOT_ME_SHAPE(user)


class PilotOrgsResource(AccountsResource):
    @operation("List the organizations the user belongs to", response=PILOT_ORGANIZATION_SHAPE,
               many=True, tags=("pilot",))
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "organization"))
        resp.media = PILOT_ORGANIZATION_SHAPE.many(orgs.orgs_of(identity.user_id))

    @operation("Create an organization", request=PilotOrganizationRequest,
               response=PILOT_ORGANIZATION_SHAPE, tags=("pilot",))
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "organization"))
        body = load_body(req, PilotOrganizationRequest, unknown=RAISE)
        org = _create(self.settings, self.accounts.account_for(identity), body)
        resp.media = PILOT_ORGANIZATION_SHAPE(org)


class PilotOrgResource(AccountsResource):
    @operation("Get organization details", response=PILOT_ORGANIZATION_SHAPE, tags=("pilot",))
    def on_get(self, req, resp, org_id):
        identity = require_identity(req, scope=("read", "organization"))
        resp.media = PILOT_ORGANIZATION_SHAPE(orgs.get_member_org(identity, org_id))

    @operation("Update organization details", request=PilotOrganizationUpdate,
               response=PILOT_ORGANIZATION_SHAPE, tags=("pilot",))
    def on_put(self, req, resp, org_id):
        identity = require_identity(req, scope=("write", "organization"))
        org = orgs.get_member_org(identity, org_id)
        require_org_owner(identity, org)
        body = load_body(req, PilotOrganizationUpdate, unknown=RAISE)
        changes = {"full_name": body.get("name"), "short_name": body.get("short_name"),
                   "org_kind": body.get("type")}
        resp.media = PILOT_ORGANIZATION_SHAPE(orgs.update_org(org, changes))
