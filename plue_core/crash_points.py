"""Fault injection for the crash-recovery tests, and for nothing else. It lives in the core
so that every plugin that moves refs (git_hosting, pulls) marks its steps the same way.

``TEST_ONLY_PLUE_CRASH_AT`` names a directory; only tests set it, in the environment of the
server they start. No request, setting or configuration file can set it, and with it unset
(always, outside tests) :func:`reached` is one environment lookup. When a process reaches
point ``P`` and the file ``<directory>/P`` exists, the file is removed (so the point fires
once) and the process dies by SIGKILL, as from ``kill -9``: nothing is flushed, no ``finally``
runs.

The points of a push, in order: ``push-before-objects`` (the journal entry is written, git has
not started), ``push-after-objects`` (in git's ``pre-receive`` hook: the objects are in the
quarantine directory, no ref has moved; git and the worker die together),
``push-after-ref-update`` (git moved the refs, the database knows nothing yet) and
``push-after-database`` (recorded, git's final report not yet sent); for API writes,
``api-after-ref-update``; for a pull request's merge or update, ``pull-after-ref-update``
(the branch moved, the merge or update not yet recorded); for a repository's creation or
fork, ``repository-create-before-commit`` (its directory made and filled, its row not yet
committed). ``push-worker-dies-in-hook`` kills only the worker from git's ``pre-receive``
hook, which then waits until the test creates
``<directory>/<point>.release`` (at most a minute) and lets git go on moving the refs: a
receive-pack that outlives its worker.
"""

from __future__ import annotations

import os
import signal
import time

ENV = "TEST_ONLY_PLUE_CRASH_AT"


def reached(point: str, *, also_kill: tuple[int, ...] = (), survive: bool = False) -> None:
    """Die here by SIGKILL if a test armed ``point`` (first killing the ``also_kill`` pids);
    with ``survive``, only those die and this process goes on once the test releases it."""
    directory = os.environ.get(ENV)
    if not directory:
        return
    try:
        os.remove(os.path.join(directory, point))
    except FileNotFoundError:
        return
    for pid in also_kill:
        os.kill(pid, signal.SIGKILL)
    if survive:
        release = os.path.join(directory, f"{point}.release")
        deadline = time.monotonic() + 60
        while not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(0.05)
        return
    os.kill(os.getpid(), signal.SIGKILL)


def parent_of(pid: int) -> int:
    """The parent of ``pid`` (Linux ``/proc``), for a git hook that must kill the worker."""
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])
