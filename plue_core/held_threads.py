"""Server threads held by a long wait — a runner's long-poll, which keeps its thread for up to
a minute while nothing is queued.

A busy thread is free again in milliseconds; a held one is not, so a server that hands a new
connection to a process whose every thread is held makes that request wait for a poll to end.
The gunicorn worker (``plue_hosts.worker.PlueWorker``) reads this count to stop accepting new
connections while none of its threads is free of a hold, leaving them in the shared backlog for
another worker (docs/serving.md, "The common path and the tail"). The count is per process:
each worker is one.

A process that starts to stop ends its long waits at once (``end_all``): a held poll answers
"nothing yet" and its client asks again, of a process that is not stopping, instead of keeping
the stop waiting until its hold ends or the host's grace period kills it mid-answer."""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["count", "hold", "release", "on_change", "on_end", "end_all"]

_lock = threading.Lock()
_held = 0
_listeners: list[Callable[[], None]] = []
_enders: list[Callable[[], None]] = []


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


def on_end(ender: Callable[[], None]) -> Callable[[], None]:
    """Register what ends the long waits of whoever holds them (a queue watcher): called by
    ``end_all``, it must wake every held wait, have it answer now, and refuse new holds.
    Returns a function that removes it."""
    _enders.append(ender)
    return lambda: _enders.remove(ender) if ender in _enders else None


def end_all() -> None:
    """This process is stopping (the host calls it as a graceful stop begins): end every long
    wait now. Safe to call from a signal handler: enders only set a flag and notify."""
    for ender in list(_enders):
        ender()


def _changed() -> None:
    for listener in list(_listeners):
        listener()
