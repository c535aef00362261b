"""What every git transport does around ``receive-pack``, whatever carries the bytes (smart
HTTP, SSH): the push policy (force pushes, size, the protected-branch rules of the pusher), and
the bookkeeping under the repository's write lock (crash journal, the refs before, recording
what moved as branch rows and push events afterwards). One home, so an SSH push behaves
exactly as an HTTP push: protected branches, ``push`` events, actions triggers, webhooks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging

from plue_core.db import connection

from plue_git_hosting import push_maintenance, ref_journal, ref_rules, ref_updates
from plue_git_hosting.transport import PushPolicy

log = logging.getLogger("plue.git_hosting.pushes")


def base_policy(hosting) -> PushPolicy:
    """The instance-wide policy (fetches get it too: it only matters to receive-pack)."""
    return PushPolicy(hosting.settings["allow_force_push"], hosting.settings["max_push_size"])


def push_policy(hosting, repository, pusher) -> PushPolicy:
    """The policy of ``pusher`` (an Account, None for a key that is no user) pushing to
    ``repository``: the base policy plus the ref rules the plugins answer (branch protection),
    enforced by the pre-receive hook of ``ref_rules``."""
    policy = base_policy(hosting)
    rules = ref_rules.rules_for(hosting.ctx, repository, pusher)
    if rules:
        policy = dataclasses.replace(
            policy, ref_rules=tuple(rules),
            hooks_path=str(ref_rules.hooks_directory(hosting.storage.root)))
    return policy


class ReceivingPush:
    """``with ReceivingPush(hosting, repository, pusher) as push:`` holds the write lock (its
    descriptor, ``push.lock_fd``, goes to git through ``PushPolicy.lock_fd``), replays what a
    dead writer left and journals the refs before; run receive-pack inside, then call
    ``push.record()`` to turn what moved into rows and events before the client is answered
    (and to ask for git's maintenance of the repository, which receive-pack no longer runs).
    ``via`` names the transport in the records ("git" for smart HTTP, "ssh")."""

    def __init__(self, hosting, repository, pusher, *, via: str = "git"):
        self.hosting, self.repository, self.pusher, self.via = hosting, repository, pusher, via
        self._stack = contextlib.ExitStack()
        self.lock_fd: int | None = None
        self._entry = None
        self._before = None

    def __enter__(self) -> "ReceivingPush":
        return self.open()

    def __exit__(self, *exc_info) -> None:
        self.close()

    def open(self) -> "ReceivingPush":
        """Take the write lock, replay what a dead writer left, journal the refs before (the
        ``with`` form calls it; an asynchronous face calls it in a thread)."""
        storage, db = self.hosting.storage, self.hosting.ctx.db
        self.lock_fd = self._stack.enter_context(storage.write_lock(self.repository.id))
        try:
            with connection(db):
                ref_journal.replay_pending(self.hosting, self.repository)
                with storage.open(self.hosting.path_of(self.repository)) as git_repo:
                    self._before = ref_updates.snapshot(git_repo)
                self._entry = ref_journal.open_entry(self.repository, self.pusher, self.via,
                                                     self._before)
        except BaseException:
            self._stack.close()
            raise
        return self

    def record(self) -> None:
        """Record the refs that moved and close the journal entry. A failure is logged: the
        refs moved on disk, the entry stays, and the journal replay records them later."""
        storage, db = self.hosting.storage, self.hosting.ctx.db
        try:
            with storage.open(self.hosting.path_of(self.repository)) as git_repo, connection(db):
                ref_journal.record_and_close(self.hosting, self.repository, git_repo, self._entry,
                                             self._before, pusher=self.pusher, via=self.via)
        except Exception:
            log.exception("recording the push to %s failed", self.repository.full_name)
        push_maintenance.after_push(self.hosting, self.repository)

    def close(self) -> None:
        """Release the write lock (a journal entry left open is replayed later)."""
        self._stack.close()
