"""Gitea's Organization and Team, and the options that create and edit them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.accounts.models import VISIBILITIES
from plue_core.accounts.schemas.common import avatar_url
from plue_core.shapes import Shape, array, boolean, integer, obj, string
from plue_core.accounts.teams import TEAM_PERMISSIONS, TEAM_VISIBILITIES, UNITS, units_map_of

_URL = validate.Regexp(r"^(https?://\S+)?$", error="must be an http(s) URL")


# Rendered with a UserView (only its base_url matters here).
ORGANIZATION_SHAPE = Shape("Organization", [
    integer("id"),
    string("name"),
    string("full_name"),
    string("email"),
    string("avatar_url", lambda org, view: avatar_url(view.base_url, org)),
    string("description"),
    string("website"),
    string("location"),
    string("visibility"),
    boolean("repo_admin_change_team_access"),
    string("username", "name"),  # deprecated in Gitea, equal to name
], description="Gitea's Organization")


class _OrgFields(Schema):
    full_name = fields.String(validate=validate.Length(max=100))
    email = fields.String(validate=validate.Length(max=255))
    description = fields.String(validate=validate.Length(max=255))
    website = fields.String(validate=[validate.Length(max=255), _URL])
    location = fields.String(validate=validate.Length(max=50))
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))
    repo_admin_change_team_access = fields.Boolean()


class CreateOrgOption(_OrgFields):
    username = fields.String(required=True)


class EditOrgOption(_OrgFields):
    pass


TEAM_SHAPE = Shape("Team", [
    integer("id"),
    string("name"),
    string("description"),
    obj("organization", lambda team, view: ORGANIZATION_SHAPE(team.org, view),
        shape=ORGANIZATION_SHAPE),
    boolean("includes_all_repositories"),
    string("permission"),
    boolean("can_create_org_repo"),
    array("units", lambda team, _: [unit for unit, access in units_map_of(team).items()
                                    if access != "none"], items="string"),
    obj("units_map", lambda team, _: units_map_of(team)),
    string("visibility"),
], description="Gitea's Team")


class _TeamFields(Schema):
    description = fields.String(validate=validate.Length(max=255))
    permission = fields.String(validate=validate.OneOf(TEAM_PERMISSIONS))
    includes_all_repositories = fields.Boolean()
    can_create_org_repo = fields.Boolean()
    units = fields.List(fields.String(validate=validate.OneOf(UNITS)))
    units_map = fields.Dict(keys=fields.String(), values=fields.String())
    visibility = fields.String(validate=validate.OneOf(TEAM_VISIBILITIES))


class CreateTeamOption(_TeamFields):
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))


class EditTeamOption(_TeamFields):
    name = fields.String(validate=validate.Length(min=1, max=255))
