"""Removing what a worker killed in the middle of a merge or an update can leave in a bare
repository: its scratch object directory (``<repo>.git/plue-scratch-*``, see
``plumbing.scratch``) and half-copied objects (``objects/xx/tmp_obj_<pid>_<sha>``, see
``Scratch.keep``). Only entries older than ``MAX_AGE_SECONDS`` go, so a running merge, which
holds its scratch directory for seconds, is never touched; git's own temporary files have
other names and are left to ``git gc``."""

from __future__ import annotations

import logging
import pathlib
import re
import shutil
import time

log = logging.getLogger("plue.pulls")

MAX_AGE_SECONDS = 3600
_OUR_TEMPORARY_OBJECT = re.compile(r"^tmp_obj_\d+_[0-9a-f]{38,62}$")


def _older_than(path: pathlib.Path, cutoff: float) -> bool:
    try:
        return path.lstat().st_mtime < cutoff
    except FileNotFoundError:
        return False  # removed meanwhile


def remove_leftovers(root: pathlib.Path, *, max_age: float = MAX_AGE_SECONDS,
                     now: float | None = None) -> int:
    """Remove leftover scratch directories and temporary objects under the repositories'
    ``root`` (``<root>/<owner>/<name>.git``); returns how many entries went."""
    cutoff = (now if now is not None else time.time()) - max_age
    removed = 0
    for git_dir in root.glob("*/*.git"):
        for directory in git_dir.glob("plue-scratch-*"):
            if directory.is_dir() and _older_than(directory, cutoff):
                shutil.rmtree(directory, ignore_errors=True)
                removed += 1
        for temporary in git_dir.glob("objects/??/tmp_obj_*"):
            if _OUR_TEMPORARY_OBJECT.match(temporary.name) and _older_than(temporary, cutoff):
                temporary.unlink(missing_ok=True)
                removed += 1
    if removed:
        log.info("removed %d leftover merge scratch entries under %s", removed, root)
    return removed


def run(ctx) -> int:
    """The scheduled job: every repository of git_hosting's storage."""
    return remove_leftovers(ctx.services["git_hosting"].storage.root)
