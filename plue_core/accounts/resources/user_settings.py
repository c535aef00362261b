"""Gitea's ``/user/settings``: the caller's own settings."""

from __future__ import annotations

from plue_core.accounts import user_settings, users
from plue_core.accounts.resources.common import AccountsResource
from plue_core.accounts.schemas.user_settings import USER_SETTINGS_SHAPE, UserSettingsOptions
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body


class UserSettingsResource(AccountsResource):
    def _mine(self, req, access: str):
        # Read whole: the settings are columns a token's narrow account leaves out.
        return users.find_account_by_id(require_identity(req, scope=(access, "user")).user_id)

    @operation("Get user settings", response=USER_SETTINGS_SHAPE, tags=("user",),
               operation_id="getUserSettings")
    def on_get(self, req, resp):
        resp.media = USER_SETTINGS_SHAPE(self._mine(req, "read"), self.site_view)

    @operation("Update user settings", request=UserSettingsOptions, response=USER_SETTINGS_SHAPE,
               tags=("user",), operation_id="updateUserSettings")
    def on_patch(self, req, resp):
        user = self._mine(req, "write")
        changes = load_body(req, UserSettingsOptions)
        resp.media = USER_SETTINGS_SHAPE(
            user_settings.update_settings(self.settings, user, changes), self.site_view)
