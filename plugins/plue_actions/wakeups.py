"""Waking held FetchTask requests when a job is queued, in this process and every other.

Every queued job bumps the ``action_tasks_version`` rows (global, owner, repository) in the
queueing transaction. A held FetchTask waits for the global version to pass the one it last
read. How the news arrives:

* PostgreSQL: the queueing transaction also runs ``pg_notify`` (delivered at commit, to every
  process on every host); one listener thread per process, on its own connection, hears it.
* SQLite (one host): one watcher thread per process looks at the database files every
  ``wake_poll_interval`` seconds (an ``os.stat`` of the database and its WAL, no query), and
  only while some request is held here; when they changed (someone committed), it reads the
  global version. An idle runner therefore costs no query while it waits.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time

import peewee

from plue_core import held_threads
from plue_core.db import CompiledSelect, is_sqlite

from plue_actions.models import TasksVersion

log = logging.getLogger("plue.actions.wakeups")
CHANNEL = "plue_actions_queue"
SAFETY_RECHECK = 5.0  # seconds


def _bump(scopes):
    return (TasksVersion.insert_many(
        [(owner, repository, 2) for owner, repository in scopes],
        fields=[TasksVersion.owner_id, TasksVersion.repository_id, TasksVersion.version])
        .on_conflict(conflict_target=[TasksVersion.owner_id, TasksVersion.repository_id],
                     update={TasksVersion.version: TasksVersion.version + 1})
        .returning(TasksVersion.owner_id, TasksVersion.repository_id, TasksVersion.version)
        .tuples())


# A push that queues a job bumps the three scopes: one statement, compiled once (it was
# three upserts and a select of the global version).
_BUMP_SCOPES = CompiledSelect(
    lambda owner_id, repository_id: _bump(((0, 0), (owner_id, 0), (0, repository_id))),
    int, int)


def bump_versions(db, owner_id: int, repository_id: int, watcher: QueueWatcher | None = None) -> int:
    """Add one to the three scope versions; call inside the transaction that queues jobs.
    Returns the new global version (and tells every process, on PostgreSQL). ``watcher``,
    this process's, hears it the moment the transaction commits: a FetchTask held here is
    woken then, not when the NOTIFY comes back through the server to the listener thread or
    the SQLite watcher's next look at the files (those still tell the other processes)."""
    if owner_id and repository_id:
        rows = _BUMP_SCOPES.rows(owner_id, repository_id)
    else:  # a scope repeated: one upsert may not touch a row twice (PostgreSQL)
        rows = list(_bump(dict.fromkeys(((0, 0), (owner_id, 0), (0, repository_id)))).execute())
    version = next(version for owner, repository, version in rows if not owner and not repository)
    if not is_sqlite(db):
        db.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, str(version)))
    if watcher is not None:
        # Run at once outside a transaction (the upsert committed by itself), dropped with
        # a rolled-back one.
        db.after_commit(functools.partial(watcher.observed, version))
    return version


# Read twice by every FetchTask: compiled once.
_VERSION_OF_SCOPE = CompiledSelect(
    lambda owner_id, repository_id: TasksVersion.select(TasksVersion.version)
    .where((TasksVersion.owner_id == owner_id) & (TasksVersion.repository_id == repository_id))
    .limit(1).tuples(), int, int)


def current_version(owner_id: int = 0, repository_id: int = 0) -> int:
    """The version of a scope; 1 before anything was ever queued there (never 0: the runner
    reads 0 as "an old server")."""
    return int(_VERSION_OF_SCOPE.scalar(owner_id, repository_id) or 1)


_GLOBAL_AND_SCOPE = CompiledSelect(
    lambda owner_id, repository_id: TasksVersion.select(
        TasksVersion.owner_id, TasksVersion.repository_id, TasksVersion.version)
    .where(((TasksVersion.owner_id == 0) & (TasksVersion.repository_id == 0))
           | ((TasksVersion.owner_id == owner_id)
              & (TasksVersion.repository_id == repository_id))).tuples(), int, int)


def current_versions(owner_id: int, repository_id: int) -> tuple[int, int]:
    """The global version and the one of a runner's scope (its owner's or repository's), in
    one query: FetchTask reads both on every look."""
    if not (owner_id or repository_id):
        version = current_version()
        return version, version
    rows = _GLOBAL_AND_SCOPE.rows(owner_id, repository_id)
    versions = {(owner, repository): version for owner, repository, version in rows}
    return (int(versions.get((0, 0)) or 1),
            int(versions.get((owner_id, repository_id)) or 1))


class QueueWatcher:
    """Per-process: lets held requests wait for the global version to move."""

    def __init__(self, db, poll_interval: float, max_held: int):
        self.db = db
        self.poll_interval = poll_interval
        self._condition = threading.Condition()
        self._latest = 0
        self._held = 0
        self._max_held = max_held
        self._thread: threading.Thread | None = None
        self._stopping = False
        # A process that starts a graceful stop ends its held polls at once (they answer "no
        # task" and the runner polls a live process) rather than at their hold's end.
        self._forget_ender = held_threads.on_end(self.stop)

    # --- waiting -----------------------------------------------------------------------

    def try_hold(self) -> bool:
        """Reserve a held slot (each held request occupies a server thread)."""
        with self._condition:
            if self._stopping or self._held >= self._max_held:
                return False
            self._held += 1
            self._condition.notify_all()  # the SQLite watcher sleeps while nobody is held
        held_threads.hold()  # the server leaves new connections to a worker with a free thread
        self._ensure_thread()
        return True

    def release(self) -> None:
        with self._condition:
            self._held -= 1
        held_threads.release()

    def wait_beyond(self, version: int, timeout: float) -> bool:
        """Block until the global version is above ``version`` or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        with self._condition:
            self._latest = max(self._latest, version)
            while self._latest <= version and not self._stopping:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
            return self._latest > version

    def observed(self, version: int) -> None:
        """A new global version was seen (by a watcher, a listener, or this process)."""
        with self._condition:
            if version > self._latest:
                log.debug("queue version %s seen", version)
                self._latest = version
                self._condition.notify_all()

    def stop(self) -> None:
        """Wake every held wait for good (it returns False) and refuse new holds."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()

    def close(self) -> None:
        """Stop, and leave ``held_threads``' list of what ends long waits (the app is gone)."""
        self.stop()
        self._forget_ender()

    # --- the one background thread -------------------------------------------------------

    def _ensure_thread(self) -> None:
        with self._condition:
            if self._thread is not None and self._thread.is_alive():
                return
            target = self._poll_sqlite if is_sqlite(self.db) else self._listen_postgres
            self._thread = threading.Thread(target=target, name="plue-actions-wakeups",
                                            daemon=True)
            self._thread.start()

    def _files_signature(self) -> tuple:
        """Size and modification time of the database and its WAL: any commit changes it."""
        target = getattr(self.db, "obj", self.db)
        signature = []
        for suffix in ("", "-wal"):
            try:
                info = os.stat(target.database + suffix)
                signature.append((info.st_size, info.st_mtime_ns))
            except OSError:
                signature.append(None)
        return tuple(signature)

    def _poll_sqlite(self) -> None:
        seen, checked = None, 0.0
        while not self._stopping:
            with self._condition:
                while self._held <= 0 and not self._stopping:
                    self._condition.wait(5)
                if self._stopping:
                    return
            signature = self._files_signature()
            # A re-read every few seconds covers a commit the file times could not show
            # (two writes within one timestamp tick of a same-size, recycled WAL).
            if signature != seen or time.monotonic() - checked > SAFETY_RECHECK:
                try:
                    with self.db.connection_context():
                        version = current_version()
                    seen, checked = signature, time.monotonic()
                    self.observed(version)
                except peewee.PeeweeException:
                    log.exception("reading the actions queue version failed")
            time.sleep(self.poll_interval)

    def _listen_postgres(self) -> None:
        import psycopg

        target = getattr(self.db, "obj", self.db)
        while not self._stopping:
            try:
                connection = psycopg.connect(dbname=target.database, autocommit=True,
                                             **target.connect_params)
            except psycopg.Error:
                log.exception("cannot open the LISTEN connection; retrying")
                time.sleep(1)
                continue
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"LISTEN {CHANNEL}")
                    cursor.execute("SELECT version FROM action_tasks_version "
                                   "WHERE owner_id = 0 AND repository_id = 0")
                    row = cursor.fetchone()
                if row:
                    self.observed(int(row[0]))
                while not self._stopping:
                    # What arrived within 5 s (then the stop flag is looked at again).
                    newest = max((int(notify.payload) for notify in connection.notifies(
                        timeout=5.0, stop_after=1) if notify.payload.isdigit()), default=0)
                    if newest:
                        self.observed(newest)
            except psycopg.Error:
                log.exception("the LISTEN connection failed; reconnecting")
                time.sleep(0.5)
            finally:
                connection.close()
