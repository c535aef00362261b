"""The hourly backstop of ``ref_journal``: branch rows compared with git's ``refs/heads`` in
every repository, both ways (a branch git has and the database lacks, a row for a branch git
no longer has, a different head), for what no journal entry covers — refs moved by hand on
the server, a backup restored, a file system that lost a ref write. Git wins: the rows are
made equal to it and one ``PushEvent`` per difference is published in the same transaction
(``pusher`` empty: nobody is known to have made it), so each difference is published once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from plue_core.db import connection, write_transaction

from plue_git_hosting import git_reading, ref_journal, ref_updates
from plue_git_hosting.models import Branch, Repository
from plue_git_hosting.permissions import find_repository_by_id

if TYPE_CHECKING:
    from plue_git_hosting.service import GitHosting

log = logging.getLogger("plue.git_hosting.reconciliation")


def reconcile_branches(hosting: GitHosting, repository: Repository) -> list[ref_updates.RefUpdate]:
    """Make the branch rows of ``repository`` equal git's heads, publishing the differences;
    the caller holds the write lock. Returns the differences."""
    path = hosting.path_of(repository)
    if not path.exists():
        return []  # being deleted or renamed; tidy_trash owns that
    recorded = {git_reading.HEADS + row.name.encode(): row.commit_sha.encode() for row in
                Branch.select(Branch.name, Branch.commit_sha).where(Branch.repository == repository)}
    with hosting.storage.open(path) as git_repo:
        heads = {ref: sha for ref, sha in ref_updates.snapshot(git_repo).items()
                 if ref.startswith(git_reading.HEADS)}
        updates = ref_updates.diff_refs(recorded, heads)
        if updates:
            with write_transaction():
                ref_updates.record(hosting, repository, git_repo, updates, pusher=None,
                                   via="git", before_refs=recorded)
            log.warning("branch rows of %s differed from git (%s): recorded git's",
                        repository.full_name, ", ".join(
                            u.ref.decode("utf-8", "replace") for u in updates))
    return updates


def reconcile_all(ctx) -> int:
    """The scheduled job: every repository whose write lock is free — its journal replayed
    first (so a known pusher is credited), then its branch rows checked. Returns how many
    repositories had to be corrected."""
    hosting = ctx.services["git_hosting"]
    corrected = 0
    with connection(ctx.db):
        repository_ids = [row.id for row in Repository.select(Repository.id).order_by(Repository.id)]
        for repository_id in repository_ids:
            with hosting.storage.try_write_lock(repository_id) as locked:
                if not locked:
                    continue  # a write in progress records its own changes
                repository = find_repository_by_id(repository_id)
                if repository is None:
                    continue
                try:
                    ref_journal.replay_pending(hosting, repository)
                    corrected += bool(reconcile_branches(hosting, repository))
                except Exception:  # one broken repository must not stop the others
                    log.exception("reconciling %s with git failed", repository.full_name)
    return corrected
