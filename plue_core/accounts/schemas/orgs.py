"""Gitea's Organization and Team, and the options that create and edit them."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.accounts.models import VISIBILITIES
from plue_core.accounts.schemas.common import avatar_url
from plue_core.accounts.teams import TEAM_PERMISSIONS, TEAM_VISIBILITIES, UNITS, units_map_of

_URL = validate.Regexp(r"^(https?://\S+)?$", error="must be an http(s) URL")


class OrganizationSchema(Schema):
    def __init__(self, *, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url

    id = fields.Integer()
    name = fields.String()
    full_name = fields.String()
    email = fields.String()
    avatar_url = fields.Method("get_avatar_url")
    description = fields.String()
    website = fields.String()
    location = fields.String()
    visibility = fields.String()
    repo_admin_change_team_access = fields.Boolean()
    username = fields.Function(lambda org: org.name)  # deprecated in Gitea, equal to name

    def get_avatar_url(self, org):
        return avatar_url(self.base_url, org)


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


class TeamSchema(Schema):
    def __init__(self, *, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url

    id = fields.Integer()
    name = fields.String()
    description = fields.String()
    organization = fields.Method("get_organization")
    includes_all_repositories = fields.Boolean()
    permission = fields.String()
    can_create_org_repo = fields.Boolean()
    units = fields.Method("get_units")
    units_map = fields.Method("get_units_map")
    visibility = fields.String()

    def get_organization(self, team):
        return OrganizationSchema(base_url=self.base_url).dump(team.org)

    def get_units(self, team):
        return [unit for unit, access in units_map_of(team).items() if access != "none"]

    def get_units_map(self, team):
        return units_map_of(team)


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
