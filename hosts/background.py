"""The one child process ``plue serve`` runs beside its gunicorn workers: the plugins' daemons
(e.g. the SSH listener), the scheduled jobs, or both (``background_command``).

It is forked from the gunicorn master once the app is preloaded, as the workers are, rather
than exec'ed as a fresh interpreter: it shares the master's pages copy-on-write and reuses its
context (issue 13, idle memory; docs/serving.md, Memory). Its process title is the command it
stands for (``plue daemons --with-scheduler``), so ``ps`` and the tests tell it apart.

- The child drops what it inherited from the master that is not its own: the listening
  sockets, gunicorn's signal handlers, the workers' heartbeat files. It opens its own database
  connections (the preloaded master holds none: tests/hosts/test_preload_safety.py).
- It stops on SIGTERM/SIGINT (``run_daemons``), when one of its daemons fails, and when the
  master is gone (it would otherwise be left running, orphaned).
- The master stops it on exit; on HUP (gunicorn's reload) it starts it again if it died, and
  replaces it if the configured command changed.

The state lives in this module, not in gunicorn.conf.py: gunicorn re-runs its config file on
every HUP, which would forget the child.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import select
import signal
import threading
import time

from setproctitle import setproctitle

log = logging.getLogger("plue.serve")

STOP_TIMEOUT = 15.0


def background_command(config) -> list[str] | None:
    """The ``plue`` command the child stands for: the daemons, the scheduler, or both in one
    process (a whole interpreter less: docs/serving.md, Memory); None when neither runs here."""
    daemons = config.daemons["mode"] == "serve"
    scheduler = config.scheduler["mode"] == "serve"
    if daemons:
        return ["daemons", "--with-scheduler"] if scheduler else ["daemons"]
    return ["scheduler"] if scheduler else None


@dataclasses.dataclass
class Child:
    pid: int
    command: list[str]
    # The read end of a pipe whose write end only the child holds: readable (EOF) once the
    # child is gone, whoever reaped it (gunicorn's SIGCHLD handler reaps every child), so a
    # recycled pid is never mistaken for it.
    gone_fd: int

    def alive(self) -> bool:
        return not select.select([self.gone_fd], [], [], 0)[0]

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM, up to ``timeout`` for it to finish its work, then SIGKILL."""
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            if not select.select([self.gone_fd], [], [], timeout)[0]:
                log.warning("background process %s did not stop in %.0fs: killed", self.pid, timeout)
                os.kill(self.pid, signal.SIGKILL)
                select.select([self.gone_fd], [], [], timeout)
        _reap(self.pid)
        os.close(self.gone_fd)


def _reap(pid: int, timeout: float = 2.0) -> None:
    """Collect the exit status of a child whose pipe end is closed (it is exiting), never
    blocking on the pid: gunicorn may have reaped it and given the pid to a new worker."""
    deadline = time.monotonic() + timeout
    try:
        while os.waitpid(pid, os.WNOHANG) == (0, 0) and time.monotonic() < deadline:
            time.sleep(0.01)
    except ChildProcessError:  # gunicorn reaped it already
        pass


_child: Child | None = None


def ensure(server, config) -> Child | None:
    """Start the child ``config`` asks for unless it runs already (when gunicorn is ready, and
    again on each HUP); replace one that runs another command; stop it if none is wanted."""
    global _child
    command = background_command(config)
    if _child is not None and (command != _child.command or not _child.alive()):
        if not _child.alive():
            server.log.warning("background process %s (%s) had stopped: starting it again",
                               _child.pid, " ".join(_child.command))
        _child.stop()
        _child = None
    if _child is None and command:
        _child = _fork(server, command)
        server.log.info("started %s process %s", " ".join(command), _child.pid)
    return _child


def stop() -> None:
    """Stop the child (the master's exit)."""
    global _child
    if _child is not None:
        _child.stop()
        _child = None


def _fork(server, command: list[str]) -> Child:
    gone_read, gone_write = os.pipe()
    master = os.getpid()
    pid = os.fork()
    if pid:
        os.close(gone_write)
        return Child(pid, command, gone_read)
    status = 1
    try:
        os.close(gone_read)
        _leave_the_master(server)
        setproctitle("plue " + " ".join(command))
        status = _run(server.app.wsgi().plue, command, master)
    except BaseException:
        log.exception("the %s process failed", " ".join(command))
    finally:
        logging.shutdown()
        os._exit(status)


def _leave_the_master(server) -> None:
    """Drop what the fork copied from gunicorn's master: its signal handlers (the child obeys
    SIGTERM/SIGINT as ``plue daemons`` does), the listening sockets (it serves no HTTP, and must
    not keep the port open after the master), the workers' heartbeat files."""
    for signum in [*server.SIGNALS, signal.SIGCHLD]:
        signal.signal(signum, signal.SIG_DFL)
    for listener in server.LISTENERS:
        listener.sock.close()
    for worker in server.WORKERS.values():
        worker.tmp.close()


def _run(ctx, command: list[str], master: int) -> int:
    from plue_core.daemons import run_daemons, serve_daemons

    stopping = threading.Event()
    threading.Thread(target=_stop_when_orphaned, args=(master, stopping),
                     name="master-watch", daemon=True).start()
    found = serve_daemons(ctx, plugins=command[0] == "daemons",
                          scheduler=command[0] == "scheduler" or "--with-scheduler" in command)
    if not found:  # as `plue daemons` with nothing to run: exit at once
        log.info("no daemons to run")
        return 0
    return run_daemons(ctx, found, stopping)


def _stop_when_orphaned(master: int, stopping: threading.Event, interval: float = 1.0) -> None:
    while not stopping.wait(interval):
        if os.getppid() != master:
            log.warning("the gunicorn master %s is gone: stopping", master)
            stopping.set()

