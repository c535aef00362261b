"""What a commit changed: files (added, removed, modified) and line counts, with dulwich."""

from __future__ import annotations

import collections
import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dulwich.objects import Commit
    from dulwich.repo import Repo

# Past this many lines a file is counted with a multiset difference instead of an exact diff
# (difflib is quadratic in the worst case; a stat must never stall a request).
_EXACT_LIMIT = 5000
_BINARY_SNIFF = 8000


def changed_files(repo: Repo, commit: Commit, base_tree: bytes | None = None) -> list[tuple]:
    """``(status, path, old_sha, new_sha)`` against the first parent (or ``base_tree``)."""
    from dulwich.diff_tree import CHANGE_ADD, CHANGE_DELETE, tree_changes

    statuses = {CHANGE_ADD: "added", CHANGE_DELETE: "removed"}
    if base_tree is None and commit.parents:
        base_tree = repo[commit.parents[0]].tree
    changes = []
    for change in tree_changes(repo.object_store, base_tree, commit.tree):
        status = statuses.get(change.type, "modified")
        path = (change.new.path if change.new and change.new.path else change.old.path)
        changes.append((status, path.decode("utf-8", "surrogateescape"),
                        change.old.sha if change.old else None,
                        change.new.sha if change.new else None))
    return changes


def _lines(repo: Repo, sha: bytes | None) -> list[bytes] | None:
    if sha is None:
        return []
    try:
        data = repo[sha].as_raw_string()
    except (KeyError, AttributeError):
        return []
    if b"\0" in data[:_BINARY_SNIFF]:
        return None  # binary: git counts no lines
    return data.splitlines()


def line_counts(repo: Repo, changes: list[tuple]) -> tuple[int, int]:
    """(additions, deletions) over ``changes``."""
    additions = deletions = 0
    for _status, _path, old_sha, new_sha in changes:
        old, new = _lines(repo, old_sha), _lines(repo, new_sha)
        if old is None or new is None:
            continue
        if len(old) + len(new) <= _EXACT_LIMIT:
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
                if tag in ("replace", "delete"):
                    deletions += i2 - i1
                if tag in ("replace", "insert"):
                    additions += j2 - j1
        else:
            before, after = collections.Counter(old), collections.Counter(new)
            deletions += sum((before - after).values())
            additions += sum((after - before).values())
    return additions, deletions
