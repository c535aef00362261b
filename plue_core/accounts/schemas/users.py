"""Gitea's User and AccessToken, and the password-login requests of every family."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from plue_core.accounts.schemas.common import avatar_url, gitea_time
from plue_core.shapes import Shape, array, boolean, integer, string, time


def is_self_or_admin(viewer, account) -> bool:
    """Gitea's ``authed``: the user themself or a site administrator."""
    return viewer is not None and (viewer.is_admin or viewer.user_id == account.id)


def shows_email(viewer, account) -> bool:
    """Gitea shows a user's e-mail to the user themself and to site administrators, and to
    other signed-in users unless the user keeps it private (``hide_email``, Plue's default)."""
    return viewer is not None and (is_self_or_admin(viewer, account)
                                   or not account.keep_email_private)


class UserView:
    """What a ``User`` body depends on besides the account: the site's URL and the viewer."""

    __slots__ = ("base_url", "viewer")

    def __init__(self, base_url: str, viewer=None):
        self.base_url = base_url.rstrip("/")
        self.viewer = viewer


USER_SHAPE = Shape("User", [
    integer("id"),
    string("login", "name"),
    string("login_name", const=""),
    integer("source_id", const=0),
    string("full_name"),
    string("email", lambda account, view: account.email if shows_email(view.viewer, account) else ""),
    string("avatar_url", lambda account, view: avatar_url(view.base_url, account)),
    string("html_url", lambda account, view: f"{view.base_url}/{account.name}"),
    string("language", lambda account, view: account.language
           if is_self_or_admin(view.viewer, account) else ""),
    boolean("is_admin"),
    time("last_login", lambda account, view: gitea_time(account.last_login)),
    time("created", lambda account, view: gitea_time(account.created_at)),
    boolean("restricted"),
    boolean("active"),
    boolean("prohibit_login"),
    string("location"),
    string("website"),
    string("description"),
    string("visibility"),
    integer("followers_count", "num_followers"),
    integer("following_count", "num_following"),
    integer("starred_repos_count", "num_stars"),
    string("username", "name"),
], description="Gitea's User")


ACCESS_TOKEN_SHAPE = Shape("AccessToken", [
    integer("id"),
    string("name"),
    # The token itself exists only in the creation response.
    string("sha1", lambda row, _: getattr(row, "plain_token", "")),
    string("token_last_eight"),
    array("scopes", lambda row, _: [s for s in row.scopes.split(",") if s], items="string"),
    time("created_at", lambda row, _: gitea_time(row.created_at)),
    time("last_used_at", lambda row, _: gitea_time(row.last_used_at)),
], description="Gitea's AccessToken")


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
