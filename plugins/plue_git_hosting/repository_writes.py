"""The one way an API write changes refs: under the repository's lock, journaled
(``ref_journal``), inside a database transaction, with the refs put back if anything after the
move fails."""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Iterator

from plue_core.db import write_transaction
from plue_core.errors import Forbidden, Invalid

from plue_core import crash_points

from plue_git_hosting import history, ref_journal, ref_rules, ref_updates

if TYPE_CHECKING:
    from dulwich.repo import Repo

ZERO = ref_rules.ZERO.encode()

log = logging.getLogger("plue.git_hosting.writes")


@contextlib.contextmanager
def changing_refs(hosting, repository, pusher) -> Iterator[Repo]:
    """Yield the open repository; on exit, the refs moved meanwhile are recorded (branch rows,
    push events) in the same transaction. If that fails, the refs go back to where they were
    (objects written meanwhile stay unreferenced until git gc). A journal entry committed
    before the yield covers a process that dies after moving a ref and before the commit."""
    with hosting.storage.write_lock(repository.id):
        ref_journal.replay_pending(hosting, repository)
        with hosting.storage.open(hosting.path_of(repository)) as git_repo:
            before = ref_updates.snapshot(git_repo)
            entry = ref_journal.open_entry(repository, pusher, "api", before)
            try:
                with write_transaction():
                    yield git_repo
                    crash_points.reached("api-after-ref-update")
                    updates = ref_updates.diff_refs(before, ref_updates.snapshot(git_repo))
                    _check_rules(hosting, repository, git_repo, updates, pusher)
                    ref_updates.record(hosting, repository, git_repo, updates, pusher=pusher,
                                       via="api", before_refs=before)
                    ref_journal.close_entry(entry)
            except BaseException:
                _restore(git_repo, before)
                ref_journal.discard_entry(entry)
                raise


def _check_rules(hosting, repository, git_repo: Repo, updates, pusher) -> None:
    """Branch and tag protection (``ref_rules``) apply to API writes as to pushes: 403 naming
    why for a branch; for a tag Gitea's 422 (its tags and releases APIs)."""
    rules = ref_rules.rules_for(hosting.ctx, repository, pusher) if updates else []
    for update in updates:
        reason = ref_rules.refusal(
            rules, update.ref.decode("utf-8", "surrogateescape"),
            (update.before or ZERO).decode(), (update.after or ZERO).decode(),
            lambda old, new: history.is_ancestor(git_repo, old.encode(), new.encode()))
        if reason and update.ref.startswith(b"refs/tags/"):
            action = "delete" if update.after is None else "create"
            raise Invalid(f"user not allowed to {action} protected tag")
        if reason:
            raise Forbidden(reason)


def _restore(git_repo: Repo, before: dict[bytes, bytes]) -> None:
    for update in ref_updates.diff_refs(before, ref_updates.snapshot(git_repo)):
        try:
            if update.before is None:
                git_repo.refs.remove_if_equals(update.ref, None)
            else:
                git_repo.refs[update.ref] = update.before
        except Exception:  # keep restoring the others; the log names what stayed moved
            log.exception("could not restore %s to %s", update.ref, update.before)
