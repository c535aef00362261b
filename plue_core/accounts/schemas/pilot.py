"""Runner Pilot's organization and ``/common/me`` shapes (seed 001). Pilot rejects unknown
fields (its bodies are small and a typo should not pass silently)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plue_core.accounts.orgs import ORG_KINDS
from plue_core.accounts.schemas.common import Timestamp


class PilotOrganizationRequest(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    short_name = fields.String(load_default="", validate=validate.Length(max=40))
    type = fields.String(load_default="organization", validate=validate.OneOf(ORG_KINDS))


class PilotOrganizationUpdate(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(validate=validate.Length(min=1, max=100))
    short_name = fields.String(validate=validate.Length(max=40))
    type = fields.String(validate=validate.OneOf(ORG_KINDS))


class OnboardingRequest(Schema):
    class Meta:
        unknown = RAISE

    organization = fields.Nested(PilotOrganizationRequest, required=True)


class PilotOrganizationSchema(Schema):
    """``name`` is the display name (Gitea's full_name); ``login`` the /api/v1 org name."""

    uid = fields.String()
    name = fields.Function(lambda org: org.full_name or org.name)
    short_name = fields.String()
    type = fields.String(attribute="org_kind")
    login = fields.Function(lambda org: org.name)
    created_at = Timestamp()


class PilotMeSchema(Schema):
    uid = fields.String()
    full_name = fields.String()
    email = fields.String()
    created_at = Timestamp()
    organizations = fields.Method("get_organizations")

    def get_organizations(self, user):
        return PilotOrganizationSchema(many=True).dump(user.pilot_organizations)
