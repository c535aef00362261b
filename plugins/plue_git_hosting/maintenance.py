"""Scheduled upkeep: the trash of deleted repositories."""

from __future__ import annotations

import logging
import os
import time

from plue_core.db import connection

from plugins.plue_git_hosting.permissions import find_repository_by_id

log = logging.getLogger("plue.git_hosting.maintenance")

# A deletion in progress must not be mistaken for one that rolled back.
SETTLE_SECONDS = 600


def tidy_trash(ctx) -> None:
    """Purge trashed directories whose repository row is gone; put back those whose row
    survived (the deleting transaction rolled back). Idempotent."""
    hosting = ctx.services["git_hosting"]
    trash = hosting.storage.trash_dir
    if not trash.exists():
        return
    now = time.time()
    with connection(ctx.db):
        for entry in sorted(trash.iterdir()):
            if now - os.stat(entry).st_ctime < SETTLE_SECONDS:
                continue
            repository_id = entry.name.split("~", 1)[0]
            repository = find_repository_by_id(int(repository_id)) if repository_id.isdigit() else None
            if repository is None:
                hosting.storage.purge(entry)
                continue
            home = hosting.path_of(repository)
            if home.exists():
                log.warning("trashed %s belongs to %s, whose directory exists: left for the "
                            "administrator", entry.name, repository.full_name)
                continue
            hosting.storage.move(entry, home)
            log.warning("restored %s: its deletion did not commit", repository.full_name)
