"""Crash recovery of ref changes: git holds the truth about refs, and every ref change reaches
the database (branch rows) and the event bus (``PushEvent``) exactly once, whatever dies when.

A writer holding the repository's write lock commits a journal entry with the refs as they
are *before* git moves any of them; the transaction that records the change (branch rows,
push events and the listeners' durable work) deletes the entry. If the process dies between
the two, the entry stays, and whoever next holds the lock replays it: the next push or API
write to the repository, the advertisement of a push to it (``git push`` retried), and the
scheduler (``git_hosting.replay_ref_journal``, at start and every 30 seconds). A replay records
the difference between the entry's refs and git's, with the entry's pusher, and deletes the
entry in the same transaction; a crash before the refs moved replays as nothing.

The lock proves an entry orphaned: a push holds it from writing its entry to recording the
change, and git inherits it (see ``transport``), so a receive-pack that outlives a killed
worker keeps the repository locked until it exits and the replay sees its final refs.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from plue_core.db import CompiledSelect, CompiledWrite, connection, create_row, write_transaction

from plue_git_hosting import ref_updates
from plue_git_hosting.models import RefJournalEntry
from plue_git_hosting.permissions import find_repository_by_id

if TYPE_CHECKING:
    from dulwich.repo import Repo
    from plue_core.accounts.models import Account
    from plue_git_hosting.models import Repository
    from plue_git_hosting.service import GitHosting

log = logging.getLogger("plue.git_hosting.ref_journal")

# Pull-request heads (``refs/pull/N/head``): the server writes them itself (under the lock,
# outside any journal), and they are not changes to publish.
UNJOURNALED_PREFIX = b"refs/pull/"


def journaled(refs: dict[bytes, bytes]) -> dict[bytes, bytes]:
    return {ref: sha for ref, sha in refs.items() if not ref.startswith(UNJOURNALED_PREFIX)}


def open_entry(repository: Repository, pusher: Account | None, via: str,
               refs: dict[bytes, bytes]) -> int:
    """Commit an entry before any ref moves (the caller holds the write lock). Inside an
    enclosing transaction it commits with that transaction instead. One ``INSERT``, compiled
    once, which commits by itself (the connection is in autocommit mode): no ``BEGIN`` and
    ``COMMIT`` round trips around it (issue 13, the push's request before receive-pack)."""
    return create_row(
        RefJournalEntry, repository=repository.id,
        pusher=pusher.id if pusher is not None else None, via=via,
        refs=json.dumps({ref.decode("utf-8", "surrogateescape"): sha.decode()
                         for ref, sha in journaled(refs).items()})).id


_CLOSE = CompiledWrite(
    lambda entry_id: RefJournalEntry.delete().where(RefJournalEntry.id == entry_id), int)


def close_entry(entry_id: int) -> None:
    """Inside the transaction that recorded the change."""
    _CLOSE.execute(entry_id)


def discard_entry(entry_id: int) -> None:
    """After the refs were put back: nothing to record. If this fails too, the entry replays
    as an empty change later."""
    try:
        with write_transaction():
            close_entry(entry_id)
    except Exception:
        log.exception("could not discard ref journal entry %s", entry_id)


def record_and_close(hosting: GitHosting, repository: Repository, git_repo: Repo, entry_id: int,
                     before: dict[bytes, bytes], *, pusher: Account | None, via: str) -> None:
    """Record what moved since ``before`` (rows, events) and close the entry, atomically."""
    updates = ref_updates.diff_refs(before, ref_updates.snapshot(git_repo))
    with write_transaction():
        ref_updates.record(hosting, repository, git_repo, updates, pusher=pusher, via=via,
                           before_refs=before)
        close_entry(entry_id)


def replay_pending(hosting: GitHosting, repository: Repository) -> int:
    """Replay the entries of ``repository`` left by writers that died; the caller holds the
    write lock. One indexed query when there are none (the common case). Returns how many.
    A failing replay is logged and left for the next try: it never blocks the caller's write,
    whose own entry keeps the oldest base."""
    try:
        return _replay(hosting, repository)
    except Exception:
        log.exception("replaying the ref journal of %s failed", repository.full_name)
        return 0


# A repository's entries, oldest first (normally none): read by every push's advertisement
# and again under its write lock, so compiled once.
_ENTRIES = CompiledSelect(
    lambda repository_id: RefJournalEntry.select()
    .where(RefJournalEntry.repository == repository_id).order_by(RefJournalEntry.id), int)


def _replay(hosting: GitHosting, repository: Repository) -> int:
    entries = _ENTRIES.rows(repository.id)
    if not entries:
        return 0
    # Normally one; more only if a replay failed and writes went on. The oldest entry's refs
    # are the base of all of them, so nothing between is lost (it is published as one change).
    first = entries[0]
    before = {ref.encode("utf-8", "surrogateescape"): sha.encode()
              for ref, sha in json.loads(first.refs).items()}
    with hosting.storage.open(hosting.path_of(repository)) as git_repo:
        updates = ref_updates.diff_refs(before, journaled(ref_updates.snapshot(git_repo)))
        with write_transaction():
            ref_updates.record(hosting, repository, git_repo, updates, pusher=first.pusher,
                               via=first.via, before_refs=before)
            (RefJournalEntry.delete()
             .where(RefJournalEntry.id.in_([entry.id for entry in entries])).execute())
    log.warning("replayed %d unfinished ref change(s) of %s: %s", len(entries),
                repository.full_name, ", ".join(
                    f"{u.ref.decode('utf-8', 'replace')} {(u.before or b'-').decode()[:10]}.."
                    f"{(u.after or b'-').decode()[:10]}" for u in updates) or "nothing had moved")
    return len(entries)


def replay_if_pending(hosting: GitHosting, repository: Repository) -> None:
    """On access (a push's advertisement): one query; a replay only when an entry waits and no
    write holds the lock (that write replays or closes it itself)."""
    if not _ENTRIES.rows(repository.id):
        return
    with hosting.storage.try_write_lock(repository.id) as locked:
        if locked:
            replay_pending(hosting, repository)


def replay_orphans(ctx) -> int:
    """The scheduled job: replay every entry whose writer died, skipping repositories whose
    lock is held (a write in progress). Returns how many entries were replayed."""
    hosting = ctx.services["git_hosting"]
    replayed = 0
    with connection(ctx.db):
        repository_ids = [row.repository_id for row in
                          RefJournalEntry.select(RefJournalEntry.repository).distinct()]
        for repository_id in repository_ids:
            with hosting.storage.try_write_lock(repository_id) as locked:
                if not locked:
                    continue
                repository = find_repository_by_id(repository_id)
                if repository is None:
                    continue  # deleted meanwhile; its entries went with it
                replayed += replay_pending(hosting, repository)
    return replayed
