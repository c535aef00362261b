"""The data directory and the SQLite database are the owner's alone (0700 and 0600), as
``secret_key`` always was: they hold password hashes, sealed secrets and every private
repository. Applied at every start, so an install made before this rule is fixed too."""

from __future__ import annotations

import os
import pathlib
import stat

# SQLite's side files: created with the database file's mode, but an older install may hold
# them from before the database file was tightened.
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def _restrict(path: pathlib.Path, mode: int) -> None:
    if stat.S_IMODE(path.stat().st_mode) != mode:
        os.chmod(path, mode)


def private_directory(path: pathlib.Path) -> None:
    """Create ``path`` (and missing parents) or tighten it: 0700."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _restrict(path, 0o700)


def private_file(path: pathlib.Path) -> None:
    """Tighten ``path`` to 0600 when it exists."""
    if path.exists():
        _restrict(path, 0o600)


def private_sqlite_database(path: pathlib.Path) -> None:
    """Create the database file 0600 before SQLite opens it (its -wal, -shm and -journal then
    inherit the mode), and tighten what an older install left."""
    if not path.parent.exists():
        private_directory(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    for candidate in (path, *(path.with_name(path.name + side) for side in SQLITE_SIDE_FILES)):
        private_file(candidate)
