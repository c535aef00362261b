"""Gitea's User and AccessToken, and the password-login requests of every family."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.accounts.schemas.common import Timestamp, avatar_url


def shows_email(viewer, account) -> bool:
    """Gitea shows a user's e-mail to the user themself and to site administrators only."""
    return viewer is not None and (viewer.is_admin or viewer.user_id == account.id)


class UserSchema(Schema):
    """Gitea's ``User``. ``email`` is shown to the user themself and admins only."""

    def __init__(self, *, base_url: str, viewer=None, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url
        self.viewer = viewer

    id = fields.Integer()
    login = fields.String(attribute="name")
    login_name = fields.Constant("")
    source_id = fields.Constant(0)
    full_name = fields.String()
    email = fields.Method("get_email")
    avatar_url = fields.Method("get_avatar_url")
    html_url = fields.Method("get_html_url")
    language = fields.Constant("")
    is_admin = fields.Boolean()
    last_login = Timestamp()
    created = Timestamp(attribute="created_at")
    restricted = fields.Boolean()
    active = fields.Boolean()
    prohibit_login = fields.Boolean()
    location = fields.String()
    website = fields.String()
    description = fields.String()
    visibility = fields.String()
    followers_count = fields.Constant(0)
    following_count = fields.Constant(0)
    starred_repos_count = fields.Constant(0)
    username = fields.Function(lambda account: account.name)

    def get_email(self, account):
        return account.email if shows_email(self.viewer, account) else ""

    def get_avatar_url(self, account):
        return avatar_url(self.base_url, account)

    def get_html_url(self, account):
        return f"{self.base_url.rstrip('/')}/{account.name}"


class AccessTokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    sha1 = fields.Method("get_sha1")
    token_last_eight = fields.String()
    scopes = fields.Method("get_scopes")
    created_at = Timestamp()
    last_used_at = Timestamp()

    def get_sha1(self, row):
        # The token itself exists only in the creation response.
        return getattr(row, "plain_token", "")

    def get_scopes(self, row):
        return [s for s in row.scopes.split(",") if s]


class CreateAccessTokenOption(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    scopes = fields.List(fields.String(), load_default=list)


class RegisterRequest(Schema):
    """Runner Pilot ``POST /auth/register``."""

    email = fields.Email(required=True)
    password = fields.String(required=True)
    full_name = fields.String(load_default="")
    username = fields.String(load_default=None)  # derived from the e-mail when absent


class PilotLoginRequest(Schema):
    email = fields.String(required=True)
    password = fields.String(required=True)


class HubLoginRequest(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True)
