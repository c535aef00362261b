"""Runner Pilot's organization and ``/common/me`` shapes (seed 001). Pilot rejects unknown
fields (its bodies are small and a typo should not pass silently)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plue_core.accounts.orgs import ORG_KINDS
from plue_core.accounts.schemas.common import gitea_time
from plue_core.shapes import Shape, array, string, time


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


# ``name`` is the display name (Gitea's full_name); ``login`` the /api/v1 org name.
PILOT_ORGANIZATION_SHAPE = Shape("PilotOrganization", [
    string("uid", lambda row, _: str(row.uid)),  # a UUID
    string("name", lambda org, _: org.full_name or org.name),
    string("short_name"),
    string("type", "org_kind"),
    string("login", "name"),
    time("created_at", lambda org, _: gitea_time(org.created_at)),
])

# The user with ``pilot_organizations`` attached.
PILOT_ME_SHAPE = Shape("PilotMe", [
    string("uid", lambda row, _: str(row.uid)),  # a UUID
    string("full_name"),
    string("email"),
    time("created_at", lambda user, _: gitea_time(user.created_at)),
    array("organizations", lambda user, _: PILOT_ORGANIZATION_SHAPE.many(user.pilot_organizations),
          items=PILOT_ORGANIZATION_SHAPE),
])
