"""Gitea's CreateUserOption and EditUserOption, plus Plue's RunnerHub ``role``."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.accounts.models import VISIBILITIES
from plue_core.accounts.users import ROLES
from plue_core.validation import int64

_URL = validate.Regexp(r"^(https?://\S+)?$", error="must be an http(s) URL")


class CreateUserOption(Schema):
    username = fields.String(required=True)
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True)
    full_name = fields.String(load_default="", validate=validate.Length(max=100))
    must_change_password = fields.Boolean(load_default=True)  # Gitea's default
    restricted = fields.Boolean(load_default=False)
    send_notify = fields.Boolean()  # accepted; Plue sends no mail
    source_id = fields.Integer(load_default=0, validate=int64)
    login_name = fields.String()
    visibility = fields.String(load_default="public", validate=validate.OneOf(VISIBILITIES))
    created_at = fields.DateTime()
    # Plue: the user's RunnerHub role (admin, operator, viewer).
    role = fields.String(validate=validate.OneOf(ROLES))


class ProfileFields(Schema):
    """The profile a user edits themself too (``UserSettingsOptions``), by the same rules."""

    full_name = fields.String(validate=validate.Length(max=100))
    website = fields.String(validate=[validate.Length(max=255), _URL])
    location = fields.String(validate=validate.Length(max=50))
    description = fields.String(validate=validate.Length(max=255))


class EditUserOption(ProfileFields):
    source_id = fields.Integer(validate=int64)
    login_name = fields.String()
    email = fields.String(validate=validate.Length(max=254))
    password = fields.String()
    must_change_password = fields.Boolean()
    active = fields.Boolean()
    admin = fields.Boolean()
    allow_git_hook = fields.Boolean()      # accepted; Plue has no per-user git hooks
    allow_import_local = fields.Boolean()  # accepted; Plue imports no local paths
    max_repo_creation = fields.Integer(validate=int64)
    prohibit_login = fields.Boolean()
    allow_create_organization = fields.Boolean()
    restricted = fields.Boolean()
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))
    # Plue: the user's RunnerHub role (admin, operator, viewer); site admins are always admin.
    role = fields.String(validate=validate.OneOf(ROLES))
