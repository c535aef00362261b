"""Accounts: Gitea's user settings (``/user/settings``) on the account: ``language``, ``theme``,
``diff_view_style``, ``keep_email_private`` (``hide_email``; true for every account, so no
e-mail shown before is shown now) and ``keep_activity_private`` (``hide_activity``)."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(
        migrator.add_column("account", "language", peewee.CharField(max_length=5, default="")),
        migrator.add_column("account", "theme",
                            peewee.CharField(max_length=30, default="gitea-auto")),
        migrator.add_column("account", "diff_view_style",
                            peewee.CharField(max_length=10, default="")),
        migrator.add_column("account", "keep_email_private", peewee.BooleanField(default=True)),
        migrator.add_column("account", "keep_activity_private",
                            peewee.BooleanField(default=False)),
    )
