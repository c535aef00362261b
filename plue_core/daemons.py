"""Long-running services a plugin contributes (``register_daemons``), run together by
``plue daemons`` in ONE process per deployment: ``plue serve`` starts it beside the gunicorn
workers (hosts/gunicorn.conf.py), so a listener such as the SSH server is never opened once
per worker. Each daemon runs in its own thread until the process is asked to stop.
"""

from __future__ import annotations

import dataclasses
import logging
import signal
import threading
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from plue_core.context import PlueContext

log = logging.getLogger("plue.daemons")


@dataclasses.dataclass(frozen=True)
class Daemon:
    """``run(ctx, stopping)`` serves until the ``threading.Event`` ``stopping`` is set, then
    returns. An exception ends the whole daemons process (the host restarts it), never
    silently one service."""

    name: str
    run: Callable[["PlueContext", threading.Event], None]
    description: str = ""


def serve_daemons(ctx: "PlueContext", *, plugins: bool, scheduler: bool) -> list[Daemon]:
    """What one deployment's daemons process runs: the plugins' daemons, the scheduled jobs as
    one more (``plue daemons --with-scheduler``), or both: ``plue daemons`` and the child of
    ``plue serve`` (plue_hosts.background)."""
    found = [daemon for _, daemon in ctx.plugins.daemons(ctx).values()] if plugins else []
    if scheduler:
        from plue_core.scheduler import scheduler_daemon
        found.append(scheduler_daemon())
    return found


def run_daemons(ctx: "PlueContext", daemons: list[Daemon],
                stopping: threading.Event | None = None) -> int:
    """Run ``daemons`` until SIGTERM/SIGINT (or ``stopping``) or until one of them fails.
    Returns the exit status: 0 after a requested stop, 1 when a daemon failed."""
    stopping = stopping or threading.Event()
    failed: list[str] = []

    def serve(daemon: Daemon) -> None:
        try:
            daemon.run(ctx, stopping)
        except Exception:
            log.exception("daemon %s failed", daemon.name)
            failed.append(daemon.name)
        finally:
            stopping.set()  # one service down stops the others: the host restarts the process

    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
    threads = [threading.Thread(target=serve, args=(daemon,), name=f"daemon-{daemon.name}")
               for daemon in daemons]
    for thread in threads:
        thread.start()
    while not stopping.wait(1.0):
        pass
    for thread in threads:
        thread.join(timeout=15)
    return 1 if failed else 0
