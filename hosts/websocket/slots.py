"""At most N concurrent WebSocket connections per user, across every worker on this host.

Each connection holds an exclusive ``flock`` on one of the user's N slot files under
``<data_dir>/run/websocket/``. The kernel releases a lock when its holder closes the file or
dies, so a crashed worker never leaks a slot, and no table or cleanup job is needed. The limit
is per host: workers on another machine count their own connections."""

from __future__ import annotations

import fcntl
import os
import pathlib


class ConnectionSlots:
    """Hands out up to ``per_user`` slots per user id; ``acquire`` returns None when all are held."""

    def __init__(self, directory: pathlib.Path, per_user: int):
        self.directory = directory
        self.per_user = per_user

    def acquire(self, user_id: int) -> int | None:
        """A held slot (a file descriptor to pass to :meth:`release`), or None if all are taken."""
        self.directory.mkdir(parents=True, exist_ok=True)
        for index in range(self.per_user):
            descriptor = os.open(self.directory / f"user-{user_id}.{index}.lock",
                                 os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            return descriptor
        return None

    @staticmethod
    def release(descriptor: int) -> None:
        """Give the slot back (closing the file drops its lock)."""
        os.close(descriptor)
