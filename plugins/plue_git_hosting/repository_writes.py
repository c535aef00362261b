"""The one way an API write changes refs: under the repository's lock, inside a database
transaction, with the refs put back if anything after the move fails."""

from __future__ import annotations

import contextlib
import logging
from typing import Iterator

from dulwich.repo import Repo

from plue_core.db import write_transaction

from plugins.plue_git_hosting import ref_updates

log = logging.getLogger("plue.git_hosting.writes")


@contextlib.contextmanager
def changing_refs(hosting, repository, pusher) -> Iterator[Repo]:
    """Yield the open repository; on exit, the refs moved meanwhile are recorded (branch rows,
    push events) in the same transaction. If that fails, the refs go back to where they were
    (objects written meanwhile stay unreferenced until git gc)."""
    with hosting.storage.write_lock(repository.id):
        with hosting.storage.open(hosting.path_of(repository)) as git_repo:
            before = ref_updates.snapshot(git_repo)
            try:
                with write_transaction():
                    yield git_repo
                    updates = ref_updates.diff_refs(before, ref_updates.snapshot(git_repo))
                    ref_updates.record(hosting, repository, git_repo, updates, pusher=pusher,
                                       via="api", before_refs=before)
            except BaseException:
                _restore(git_repo, before)
                raise


def _restore(git_repo: Repo, before: dict[bytes, bytes]) -> None:
    for update in ref_updates.diff_refs(before, ref_updates.snapshot(git_repo)):
        try:
            if update.before is None:
                git_repo.refs.remove_if_equals(update.ref, None)
            else:
                git_repo.refs[update.ref] = update.before
        except Exception:  # keep restoring the others; the log names what stayed moved
            log.exception("could not restore %s to %s", update.ref, update.before)
