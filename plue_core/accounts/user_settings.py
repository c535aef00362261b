"""A user's own settings (Gitea's ``/user/settings``): the profile fields are the account's
(checked by the rules an administrator's edit uses, ``ProfileFields``), the others are
Gitea's columns of the account; ``hide_email`` decides whether other signed-in users see the
e-mail in the ``User`` body (``schemas.users.shows_email``)."""

from __future__ import annotations

from plue_core.accounts import admin_users
from plue_core.accounts.models import Account

# UserSettingsOptions' names for the account's columns.
_COLUMNS = {"language": "language", "theme": "theme", "diff_view_style": "diff_view_style",
            "hide_email": "keep_email_private", "hide_activity": "keep_activity_private"}


def update_settings(settings: dict, user: Account, changes: dict) -> Account:
    """Apply ``changes`` (UserSettingsOptions, loaded); an absent or null field stays."""
    for option, column in _COLUMNS.items():
        if changes.get(option) is not None:
            setattr(user, column, changes[option])
    profile = {key: value for key, value in changes.items() if key not in _COLUMNS}
    return admin_users.update_user(settings, user, profile)  # saves the row
