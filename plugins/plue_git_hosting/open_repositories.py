"""Repositories kept open across requests for reading: opening one (``dulwich.repo.Repo``:
its config parsed, nine files opened) was a third of a contents GET's calls (docs/serving.md,
Round eight: contents GET, repositories kept open).

One small LRU per thread: a dulwich ``Repo`` shares its packs' file handles and caches
between the threads that use it, so a thread never sees another's. What a writer adds is seen
at once: refs, loose objects and the config are read from disk per use, and a pack that came
after the opening is found by dulwich's object store, which re-scans its pack directory when
an object is missing from the packs it holds. A kept repository is used again only while the
repository at its path is the one it was opened from: its ``config`` file's device, inode and
ctime, written once when a repository is made (a rename, a deletion or a new repository under
the name changes them; the directory's own ctime would not do: a push creates and removes
files in it). Otherwise it is closed and opened anew.

A kept repository holds its packs' files open (2 to 4 descriptors a pack), so what a thread
keeps is bounded by packs too: past ``PACKS_PER_THREAD`` the least recently used are closed,
and a repository with more packs than that alone is closed after each use.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pathlib
import threading
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from dulwich.repo import Repo

# Per thread: a worker's 8 threads keep at most 32 repositories (each a few file handles and
# its packs' indexes mapped), and a thread reading one repository after another reopens them.
PER_THREAD = 4
# Per thread, the packs its kept repositories may hold open: a pack holds 2 descriptors once
# its index is read and 4 once its data is (dulwich 1.2.21), so a worker's 8 threads hold at
# most 8 x 24 x 4 = 768 for packs whatever the repositories' packs (gc.autoPackLimit lets one
# have 50 before maintenance repacks it): under the default limit of 1,024 open files.
PACKS_PER_THREAD = 24


class _Kept:
    __slots__ = ("identity", "repo", "users", "dropped", "packs")

    def __init__(self, identity: tuple[int, int, int], repo: Repo):
        self.identity = identity
        self.repo = repo
        self.users = 0
        self.dropped = False  # no longer in the shelf: closed when its last user leaves
        self.packs = 0  # the packs it held open when its last use ended


class _Shelf:
    """One thread's kept repositories: path -> _Kept, least recently used first."""

    def __init__(self):
        self.kept: OrderedDict[str, _Kept] = OrderedDict()

    def __del__(self) -> None:  # its thread ended: close what it kept (dulwich warns otherwise)
        for kept in self.kept.values():
            kept.repo.close()


class OpenRepositories:
    def __init__(self, open_repo: Callable[[str], Repo], per_thread: int = PER_THREAD,
                 packs_per_thread: int = PACKS_PER_THREAD):
        self._open = open_repo
        self._per_thread = per_thread
        self._packs_per_thread = packs_per_thread
        self._local = threading.local()
        self._shelves: weakref.WeakSet[_Shelf] = weakref.WeakSet()  # every thread's
        _ALL.add(self)

    @contextlib.contextmanager
    def using(self, path: str | pathlib.Path) -> Iterator[Repo | None]:
        """The repository at ``path`` for this thread's use until the block ends, or None
        when there is none (no ``config`` there)."""
        shelf = self._shelf()
        key = os.fspath(path)
        try:
            status = os.stat(os.path.join(key, "config"))
        except (FileNotFoundError, NotADirectoryError):
            self._drop(shelf, key)
            yield None
            return
        identity = (status.st_dev, status.st_ino, status.st_ctime_ns)
        kept = shelf.get(key)
        if kept is not None and kept.identity != identity:
            self._drop(shelf, key)
            kept = None
        if kept is None:
            kept = shelf[key] = _Kept(identity, self._open(key))
            kept.users += 1
            self._evict(shelf)
        else:
            shelf.move_to_end(key)
            kept.users += 1
        try:
            yield kept.repo
        finally:
            kept.users -= 1
            if not kept.users:
                if kept.dropped:
                    kept.repo.close()
                else:
                    # A use may open packs (dulwich opens one when it first needs it, and
                    # finds new ones on a miss); an idle repository's stay as they were.
                    packs = _open_packs(kept.repo)
                    if packs != kept.packs:
                        kept.packs = packs
                        self._bound_packs(shelf)

    def kept(self) -> int:
        """How many repositories this thread keeps open."""
        return len(self._shelf())

    def _shelf(self) -> OrderedDict[str, _Kept]:
        shelf = getattr(self._local, "shelf", None)
        if shelf is None:
            shelf = self._local.shelf = _Shelf()
            self._shelves.add(shelf)
        return shelf.kept

    def _evict(self, shelf: OrderedDict[str, _Kept]) -> None:
        # The least recently used first; one in use (a read nested in another) stays until
        # its block ends, so the shelf may briefly hold more.
        for key in [key for key, kept in shelf.items() if not kept.users]:
            if len(shelf) <= self._per_thread:
                return
            self._drop(shelf, key)

    def _bound_packs(self, shelf: OrderedDict[str, _Kept]) -> None:
        total = sum(kept.packs for kept in shelf.values())
        for key, kept in list(shelf.items()):  # the least recently used first
            if total <= self._packs_per_thread:
                return
            if not kept.users:
                total -= kept.packs
                self._drop(shelf, key)

    @staticmethod
    def _drop(shelf: OrderedDict[str, _Kept], key: str) -> None:
        kept = shelf.pop(key, None)
        if kept is None:
            return
        if kept.users:
            kept.dropped = True
        else:
            kept.repo.close()

    def close(self) -> None:
        """Close what every thread keeps: when the process stops serving (no reads run)."""
        for shelf in list(self._shelves):
            for key in list(shelf.kept):
                self._drop(shelf.kept, key)

    def _forget(self) -> None:
        self._local = threading.local()
        self._shelves = weakref.WeakSet()


def _open_packs(repo: Repo) -> int:
    # The packs dulwich's object store has opened (its cache of Pack objects, by name): what
    # keeps their files open until the repository is closed.
    return len(repo.object_store._pack_cache)


_ALL: weakref.WeakSet[OpenRepositories] = weakref.WeakSet()


def _forget_all() -> None:
    # A forked child must not share its parent's pack handles (their file offsets).
    for repositories in list(_ALL):
        repositories._forget()


def _close_all() -> None:
    # Before the interpreter tears down the modules dulwich's finalizers need.
    for repositories in list(_ALL):
        repositories.close()


os.register_at_fork(after_in_child=_forget_all)
atexit.register(_close_all)
