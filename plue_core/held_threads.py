"""Server threads held by a long wait — a runner's long-poll, which keeps its thread for up to
a minute while nothing is queued.

A busy thread is free again in milliseconds; a held one is not, so a server that hands a new
connection to a process whose every thread is held makes that request wait for a poll to end.
The gunicorn worker (``plue_hosts.worker.PlueWorker``) reads this count to stop accepting new
connections while none of its threads is free of a hold, leaving them in the shared backlog for
another worker (docs/serving.md, "The common path and the tail"). The count is per process:
each worker is one."""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["count", "hold", "release", "on_change"]

_lock = threading.Lock()
_held = 0
_listeners: list[Callable[[], None]] = []


def count() -> int:
    """How many of this process's threads are held now."""
    return _held


def hold() -> None:
    """The calling thread starts a long wait; pair it with ``release()``."""
    global _held
    with _lock:
        _held += 1
    _changed()


def release() -> None:
    """The calling thread's long wait ended."""
    global _held
    with _lock:
        _held -= 1
    _changed()


def on_change(listener: Callable[[], None]) -> Callable[[], None]:
    """Call ``listener`` (from the holding thread) each time the count changes; it must be
    quick and thread-safe. Returns a function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def _changed() -> None:
    for listener in list(_listeners):
        listener()
