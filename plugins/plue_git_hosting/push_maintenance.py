"""git's housekeeping after a push, off the push's answer.

``git receive-pack`` runs ``git maintenance run --auto`` itself before it exits
(``receive.autogc``), and the push cannot be recorded nor answered until git has exited: one
more process on every push's path even when there is nothing to pack (1.4 ms alone, 4 ms at
the median on the loaded bench machine; with it, receive-pack took 9–18 ms from moving the ref
to exiting, 3–5 ms without, by ``bench/push_to_pickup.py --timeline``). Receive-pack runs with
``receive.autogc=false``
(transport.py) and a recorded push asks for it here instead: a moment later, under the
repository's write lock as before (so it never packs while a push moves refs), once for a burst
of pushes to one repository. Lost with a worker that dies meanwhile, it runs on the next push.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading

log = logging.getLogger("plue.git_hosting.push_maintenance")

# Seconds between a push's recording and its repository's maintenance: after the push's
# answer and the runners it wakes, which it would otherwise compete with for the CPU.
DELAY = 1.0
TIMEOUT = 3600.0

_pending: set[int] = set()
_pending_lock = threading.Lock()


def after_push(hosting, repository) -> None:
    """Run git's automatic maintenance of ``repository`` a moment from now (nothing for a
    transport without the git binary: dulwich's receive-pack packs nothing either)."""
    command = getattr(hosting.transport, "command", None)  # the git binary's, at its priority
    if command is None:
        return
    with _pending_lock:
        if repository.id in _pending:
            return  # a burst of pushes: the one already waiting covers them
        _pending.add(repository.id)
    timer = threading.Timer(DELAY, _run, (hosting, repository.id, hosting.path_of(repository),
                                          command))
    timer.daemon = True
    timer.start()


def _run(hosting, repository_id: int, path, command) -> None:
    with _pending_lock:
        _pending.discard(repository_id)  # a push from now on asks again
    if not os.path.isdir(path):
        return  # deleted meanwhile (and its data directory may be gone: create no lock file)
    try:
        with hosting.storage.write_lock(repository_id) as lock_fd:
            if not os.path.isdir(path):
                return
            # git inherits the lock, as from receive-pack: a gc that detaches holds it to its end.
            done = subprocess.run(command("--git-dir", str(path), "maintenance", "run", "--auto",
                                          "--quiet"), capture_output=True, timeout=TIMEOUT,
                                  env={"PATH": os.environ.get("PATH", "")}, pass_fds=(lock_fd,))
        if done.returncode:
            log.warning("git maintenance of %s exited with %s: %s", path, done.returncode,
                        done.stderr.decode("utf-8", "replace").strip()[-2000:])
    except Exception:
        log.exception("git maintenance of %s failed", path)
