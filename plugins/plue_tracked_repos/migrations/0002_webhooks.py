"""tracked_repos: syncs asked for by push webhooks, when a push webhook last arrived, and each
GitLab repository's webhook token."""

import peewee
from playhouse.migrate import migrate


def up(migrator, db):
    migrate(
        migrator.add_column("tracked_repository", "sync_requested_at",
                            peewee.DateTimeField(null=True)),
        migrator.add_column("tracked_repository", "webhook_received_at",
                            peewee.DateTimeField(null=True)),
        migrator.add_column("tracked_repository", "webhook_token", peewee.TextField(default="")),
        migrator.add_index("tracked_repository", ("sync_requested_at",), False),
    )
