"""Each worker's open connections, in memory the workers of one server share, so that they
spread kept-alive connections evenly between them.

gthread workers all accept from one listening socket, and whichever worker's main thread
calls ``accept`` first takes the connection; a client that keeps its connections open (a
browser, a reverse proxy's pool, wrk) keeps whatever split the first seconds made. Measured
with 32 connections and two workers: 24/8, 32/0, 32/0, 31/1 — one worker, one GIL and so one
core doing almost all the work while the other idled (docs/serving.md, "Connections spread
over the workers"). With this table a worker leaves a new connection to another one when it
already holds two more than the least loaded worker that can take it.

The table is an anonymous shared mapping made by the master (a worker object is built in the
master, then forked): one row per worker slot, ``pid, connections, can accept, heartbeat``.
The master reserves a slot for each worker it builds; the worker writes its pid there when it
starts. A row whose heartbeat is older than ``STALE_SECONDS`` (a worker stopped or stuck —
its loop writes at least once a second) or whose pid is gone counts for nothing, so no worker
ever waits for one that cannot take connections."""

from __future__ import annotations

import mmap
import os
import time

__all__ = ["SharedCounts", "should_accept"]

SLOTS = 64
_FIELDS = 4  # pid, connections, can accept (0/1), heartbeat (monotonic milliseconds)
_RESERVED = -1  # a slot the master gave a worker that has not started yet
STALE_SECONDS = 3.0
# A worker takes a new connection unless it holds this many more than the least loaded
# worker that accepts: 1 would have the two bounce the listening socket between them.
MARGIN = 2


def should_accept(mine: int, others: list[int]) -> bool:
    """Whether a worker holding ``mine`` connections takes the next one, given the counts of
    the other workers that can take it now."""
    return not others or mine < min(others) + MARGIN


class SharedCounts:
    def __init__(self, slots: int = SLOTS):
        self.slots = slots
        self._memory = mmap.mmap(-1, slots * _FIELDS * 8)  # MAP_SHARED: seen after fork
        self._rows = memoryview(self._memory).cast("q")

    def reserve(self) -> int | None:
        """A slot for a worker about to be forked (the master, which builds workers one by
        one, calls this): an unused one, or one whose worker is gone; None when every slot
        is taken (that worker then accepts as gthread does)."""
        for slot in range(self.slots):
            pid = self._rows[slot * _FIELDS]
            if pid == 0 or (pid > 0 and not _alive(pid)):
                self._write(slot, _RESERVED, 0, 0)
                return slot
        return None

    def publish(self, slot: int, connections: int, can_accept: bool) -> None:
        """The worker's own row, written on each pass of its loop."""
        self._write(slot, os.getpid(), connections, int(can_accept))

    def release(self, slot: int) -> None:
        self._write(slot, 0, 0, 0)

    def others_accepting(self, slot: int) -> list[int]:
        """Connection counts of the other live workers that can take a connection now."""
        rows = self._rows.tolist()
        oldest = _now_ms() - STALE_SECONDS * 1000
        mine = slot * _FIELDS
        return [rows[row + 1] for row in range(0, len(rows), _FIELDS)
                if rows[row] > 0 and row != mine and rows[row + 2] and rows[row + 3] >= oldest]

    def _write(self, slot: int, pid: int, connections: int, can_accept: int) -> None:
        # Aligned 8-byte stores, each whole; a reader may see a row half updated, which
        # costs at most one connection taken by the other worker.
        start = slot * _FIELDS
        self._rows[start + 1] = connections
        self._rows[start + 2] = can_accept
        self._rows[start + 3] = _now_ms()
        self._rows[start] = pid


def _now_ms() -> int:
    return int(time.monotonic() * 1000)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
