"""Scheduled upkeep: the trash of deleted repositories, and the temporary object directories
and packs of pushes whose process was killed."""

from __future__ import annotations

import logging
import os
import pathlib
import shutil
import time

from plue_core.db import connection

from plue_git_hosting.permissions import find_repository, find_repository_by_id

log = logging.getLogger("plue.git_hosting.maintenance")

# A deletion in progress must not be mistaken for one that rolled back.
SETTLE_SECONDS = 600
# What receive-pack writes before a push is accepted: its quarantine directory (git) and
# packs being indexed; a killed push leaves them behind and nothing else removes them.
INCOMING_PATTERNS = ("objects/tmp_objdir-*", "objects/pack/tmp_pack_*", "objects/pack/tmp_idx_*")
INCOMING_MAX_AGE = 3600


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
            if ".wiki.git~" in entry.name:  # its wiki (no repository name ends in ".wiki")
                home = hosting.storage.wiki_path_of(home)
            if home.exists():
                log.warning("trashed %s belongs to %s, whose directory exists: left for the "
                            "administrator", entry.name, repository.full_name)
                continue
            hosting.storage.move(entry, home)
            log.warning("restored %s: its deletion did not commit", repository.full_name)


def remove_incoming_leftovers(ctx, *, max_age: float = INCOMING_MAX_AGE) -> int:
    """Remove what killed pushes left in repositories: entries matching ``INCOMING_PATTERNS``
    untouched for ``max_age`` seconds (the newest file inside counts), in repositories whose
    write lock is free (a push holds it while it writes there). Returns how many went."""
    hosting = ctx.services["git_hosting"]
    cutoff = time.time() - max_age
    removed = 0
    with connection(ctx.db):
        for git_dir in sorted(hosting.storage.root.glob("*/*.git")):
            leftovers = [entry for pattern in INCOMING_PATTERNS for entry in git_dir.glob(pattern)
                         if _last_change(entry) < cutoff]
            if not leftovers:
                continue
            name = git_dir.name[:-len(".git")]
            wiki = name.endswith(".wiki")  # a wiki: a push to it holds the wiki's lock
            repository = find_repository(git_dir.parent.name, name[:-len(".wiki")] if wiki else name)
            if repository is None:  # no row: nothing of Plue's writes there
                removed += _remove(leftovers)
                continue
            key = hosting.storage.wiki_lock_key(repository.id) if wiki else repository.id
            with hosting.storage.try_write_lock(key) as locked:
                if locked:
                    removed += _remove(leftovers)
    if removed:
        log.info("removed %d abandoned incoming object entries", removed)
    return removed


def _last_change(entry: pathlib.Path) -> float:
    try:
        newest = entry.lstat().st_mtime
        for directory, _dirs, files in os.walk(entry):
            for name in files:
                newest = max(newest, os.lstat(os.path.join(directory, name)).st_mtime)
        return newest
    except FileNotFoundError:
        return time.time()  # going away already


def _remove(entries: list[pathlib.Path]) -> int:
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        log.warning("removed %s, left by a push that did not finish", entry)
    return len(entries)
