"""Bare repositories on disk: ``<repos_dir>/<owner>/<name>.git`` (lower-cased, as Gitea stores
them), and the per-repository write lock shared by API writes and pushes."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import pathlib
import shutil
import uuid
from typing import TYPE_CHECKING, Iterator

from plue_core.errors import Conflict

if TYPE_CHECKING:
    from dulwich.repo import Repo

log = logging.getLogger("plue.git_hosting.storage")

# In a new repository's directory until the transaction that records it commits
# (repositories._purged_if_failed): one still there without its row is a creation that was
# killed (SIGKILL, power loss) before it committed, and nobody's data.
UNCOMMITTED = "plue-uncommitted"


class RepositoryStorage:
    """Paths, creation, moves and deletion of bare repositories under one root directory."""

    def __init__(self, root: pathlib.Path):
        self.root = root
        self._root_text = str(root)
        self.locks_dir = root / ".locks"
        self.trash_dir = root / ".trash"

    def path(self, owner_name: str, repo_name: str) -> pathlib.Path:
        return pathlib.Path(self.path_text(owner_name, repo_name))

    def path_text(self, owner_name: str, repo_name: str) -> str:
        """:meth:`path` as a string, for every read (``pathlib`` building it was 16 of a
        contents GET's calls)."""
        return os.path.join(self._root_text, owner_name.lower(), f"{repo_name.lower()}.git")

    def wiki_path_of(self, path: pathlib.Path) -> pathlib.Path:
        """The wiki beside a repository, as Gitea keeps it: ``<name>.git`` -> ``<name>.wiki.git``
        (``wikis``). It moves, goes to the trash and comes back with its repository."""
        return path.with_name(path.name[:-len(".git")] + ".wiki.git")

    def move_with_wiki(self, old: pathlib.Path, new: pathlib.Path) -> None:
        """:meth:`move` a repository, and its wiki when it has one (the wiki's lock held)."""
        self.move(old, new)
        if self.wiki_path_of(old).exists():
            try:
                self.move(self.wiki_path_of(old), self.wiki_path_of(new))
            except BaseException:
                self.move(new, old)
                raise

    def open(self, path: pathlib.Path | str) -> Repo:
        # dulwich arrives with a process's first repository opened, not with the app: an idle
        # process never needs its 3.5 MB (docs/serving.md, Memory).
        from dulwich.repo import Repo

        return Repo(str(path))

    def create(self, path: pathlib.Path, default_branch: str) -> Repo:
        """A new empty bare repository whose HEAD names ``default_branch``, marked
        :data:`UNCOMMITTED`. The caller holds the name (its row is inserted, not committed:
        a concurrent creation of the name waits on the unique index or lost already), so a
        marked directory in the way is a killed creation's: removed, and said so."""
        if (path / UNCOMMITTED).exists():
            log.warning("removing %s: left by a repository creation killed before it "
                        "committed (no repository row names it)", path)
            self.purge(path)
        if path.exists():
            # Left behind by something outside Plue: never overwrite data we did not write.
            raise Conflict(f"the directory for this repository already exists on disk ({path.name})")
        from dulwich.repo import Repo

        path.parent.mkdir(parents=True, exist_ok=True)
        repo = Repo.init_bare(str(path), mkdir=True, default_branch=default_branch.encode())
        repo.refs.set_symbolic_ref(b"HEAD", b"refs/heads/" + default_branch.encode())
        (path / UNCOMMITTED).touch()
        return repo

    def copy_objects(self, source: pathlib.Path, target: pathlib.Path) -> None:
        """Share the source's objects with a fork by hard links (immutable files, no extra
        space, and unlike ``alternates`` they survive the source being renamed or deleted)."""
        for directory, _dirs, files in os.walk(source / "objects"):
            relative = pathlib.Path(directory).relative_to(source)
            (target / relative).mkdir(parents=True, exist_ok=True)
            for name in files:
                if name.startswith("tmp_") or name.endswith(".lock"):
                    continue
                destination = target / relative / name
                if destination.exists():
                    continue
                try:
                    os.link(pathlib.Path(directory) / name, destination)
                except OSError:
                    shutil.copy2(pathlib.Path(directory) / name, destination)

    def move(self, old: pathlib.Path, new: pathlib.Path) -> None:
        if new.exists():
            raise Conflict(f"the directory for {new.parent.name}/{new.name} already exists on disk")
        new.parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, new)

    def move_to_trash(self, path: pathlib.Path, repository_id: int) -> pathlib.Path:
        """Step one of deletion: a rename (atomic, undoable) until the row is gone. The name
        keeps the id and place, so a trashed directory whose row survived (the deleting
        transaction rolled back) can be put back (see ``maintenance.tidy_trash``)."""
        self.trash_dir.mkdir(parents=True, exist_ok=True)
        owner = path.parent.name
        trashed = self.trash_dir / f"{repository_id}~{owner}~{path.name}~{uuid.uuid4().hex}"
        os.rename(path, trashed)
        return trashed

    def purge(self, trashed: pathlib.Path) -> None:
        shutil.rmtree(trashed, ignore_errors=True)

    def disk_size(self, path: pathlib.Path) -> int:
        total = 0
        for directory, _dirs, files in os.walk(path):
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.lstat(os.path.join(directory, name)).st_size
        return total

    @contextlib.contextmanager
    def write_lock(self, repository_id: int | str) -> Iterator[int]:
        """Serialise writes to one repository across threads and gunicorn workers; yields the
        lock's file descriptor (a push hands it to git, so the lock outlives a killed worker
        until git exits).

        Keyed by id, so a rename does not change the lock. ``flock`` locks belong to the open
        file description, so two threads of one process exclude each other too."""
        fd = self._lock_file(repository_id)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    break
                except OSError as exc:  # EINTR from a signal: try again
                    if exc.errno != errno.EINTR:
                        raise
            yield fd
        finally:
            os.close(fd)  # closing releases the lock

    def wiki_write_lock(self, repository_id: int):
        """The wiki's own :meth:`write_lock`: its writes never wait for pushes to the code.
        Taken after the repository's when both are held (a rename, a deletion)."""
        return self.write_lock(self.wiki_lock_key(repository_id))

    @staticmethod
    def wiki_lock_key(repository_id: int) -> str:
        return f"{repository_id}.wiki"

    @contextlib.contextmanager
    def try_write_lock(self, repository_id: int | str) -> Iterator[bool]:
        """The write lock if nobody holds it (True), else nothing (False): for background
        work that must never wait behind, or interfere with, a push in progress."""
        fd = self._lock_file(repository_id)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EINTR):
                    raise
                yield False
                return
            yield True
        finally:
            os.close(fd)

    def _lock_file(self, repository_id: int | str) -> int:
        self.locks_dir.mkdir(parents=True, exist_ok=True)
        return os.open(self.locks_dir / f"{repository_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
