"""Moving a branch on behalf of a pull request (merge, update), so that git and the database
agree whatever fails: the move is journaled first, then made, then recorded."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from plue_core import crash_points


@dataclasses.dataclass(frozen=True)
class RefMove:
    """What git_hosting's ``record_ref_updates`` reads of each moved ref."""

    ref: bytes
    before: bytes | None
    after: bytes | None


def move_branch(service, repository, git, branch: str, old: str, new: str, doer,
                record: Callable[[int], None] | None = None) -> None:
    """Move ``refs/heads/<branch>`` of ``repository`` from ``old`` to ``new`` and record it as
    a push by ``doer`` (events, actions triggers, webhooks), in the caller's write lock.

    The change is journaled before the move, so if the process dies after it git_hosting still
    records it once. ``record(journal_entry)``, when given, records the move itself together
    with the caller's own rows, in one transaction; otherwise the move alone is recorded. If
    recording fails, the branch is put back and the journal entry discarded: nothing half-done.
    """
    ref = f"refs/heads/{branch}"
    hosting = service.hosting
    entry = hosting.journal_ref_change(repository, doer)
    try:
        git.update_ref(ref, new, old)
    except BaseException:
        hosting.discard_ref_change(entry)
        raise
    crash_points.reached("pull-after-ref-update")
    try:
        if record is not None:
            record(entry)
        else:
            with hosting.open_git(repository) as repo:
                hosting.record_ref_updates(
                    repository, repo, [RefMove(ref.encode(), old.encode(), new.encode())],
                    pusher=doer, via="api", journal_entry=entry)
    except BaseException:
        git.update_ref(ref, old, new)  # the bookkeeping rolled back: undo the move
        hosting.discard_ref_change(entry)
        raise
