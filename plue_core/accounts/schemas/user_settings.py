"""Gitea's UserSettings and UserSettingsOptions (``/user/settings``)."""

from __future__ import annotations

from marshmallow import fields, validate

from plue_core.accounts.schemas.admin import ProfileFields
from plue_core.shapes import Shape, boolean, string

USER_SETTINGS_SHAPE = Shape("UserSettings", [
    string("full_name"),
    string("website"),
    string("description"),
    string("location"),
    string("language"),
    string("theme"),
    string("diff_view_style"),
    boolean("hide_email", "keep_email_private"),
    boolean("hide_activity", "keep_activity_private"),
], description="Gitea's UserSettings")


class UserSettingsOptions(ProfileFields):
    # Gitea's limits (modules/structs/user.go).
    language = fields.String(validate=validate.Length(max=5))
    theme = fields.String(validate=validate.Length(max=30))
    diff_view_style = fields.String(validate=validate.Length(max=10))
    hide_email = fields.Boolean()
    hide_activity = fields.Boolean()
