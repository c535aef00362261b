"""Walking commit history: a page of a branch's or path's history, compare ranges, the commits
a push brought, and the last commit that touched each path of a directory."""

from __future__ import annotations

import itertools
import os
import subprocess
from typing import TYPE_CHECKING, Iterable

from plue_git_hosting.git_reading import lookup_path

if TYPE_CHECKING:
    from dulwich.objects import Commit
    from dulwich.repo import Repo


def walk(repo: Repo, include: Iterable[bytes], exclude: Iterable[bytes] = (), *,
         path: str = "", since: int | None = None, until: int | None = None) -> Iterable[Commit]:
    """Commits reachable from ``include`` and not from ``exclude``, newest first (git log's
    default order); with ``path``, only those that changed it."""
    from dulwich.walk import Walker

    include = [sha for sha in include if sha]
    if not include:
        return iter(())
    walker = Walker(repo.object_store, include, exclude=[sha for sha in exclude if sha] or None,
                    paths=[path.encode()] if path else None, since=since, until=until)
    return (entry.commit for entry in walker)


def page_of(commits: Iterable[Commit], offset: int, limit: int) -> tuple[list[Commit], int]:
    """One page, and the total count (the rest of the walk is only counted)."""
    iterator = iter(commits)
    skipped = sum(1 for _ in itertools.islice(iterator, offset))
    page = list(itertools.islice(iterator, limit))
    rest = sum(1 for _ in iterator)
    return page, skipped + len(page) + rest


def pushed_commits(repo: Repo, before: bytes | None, after: bytes, other_heads: Iterable[bytes],
                   limit: int, git_executable: str | None = None) -> tuple[list[Commit], int]:
    """The commits a ref update brought: new to this ref and, for a new ref, not already on
    another branch (as git's post-receive idiom ``git log new --not --all`` does). With the git
    binary, ``rev-list`` walks (a 5,000-commit first push: ~10 ms instead of ~0.9 s)."""
    from dulwich.objects import Commit

    exclude = [before] if before else list(other_heads)
    if before:
        head = repo[after]
        # One commit on top of the old tip (every contents-API write, most pushes): that
        # commit alone, without starting a walk or a git process.
        if isinstance(head, Commit) and list(head.parents) == [before]:
            return [head][:limit], 1
    if git_executable:
        return _pushed_commits_with_git(repo, after, exclude, limit, git_executable)
    commits = walk(repo, [after], exclude)
    first = list(itertools.islice(commits, limit))
    return first, len(first) + sum(1 for _ in commits)


def _pushed_commits_with_git(repo: Repo, after: bytes, exclude: list[bytes], limit: int,
                             git_executable: str) -> tuple[list[Commit], int]:
    arguments = [after.decode()] + [f"^{sha.decode()}" for sha in exclude if sha]
    listed = subprocess.run([git_executable, "--git-dir", repo.path, "rev-list", *arguments, "--"],
                            capture_output=True, check=True,
                            env={"PATH": os.environ.get("PATH", "")}).stdout.split()
    return [repo[sha] for sha in listed[:limit]], len(listed)


def last_commits(repo: Repo, start: Commit, directory: str, names: list[str],
                 max_commits: int = 20000) -> dict[str, Commit]:
    """For each name in ``directory``, the newest commit from ``start`` whose tree differs there
    from every parent: one history walk for the whole listing instead of one per entry."""
    wanted = {(f"{directory}/{name}" if directory else name) for name in names}
    found: dict[str, Commit] = {}
    cache: dict[bytes, dict[str, bytes | None]] = {}

    def entries(commit: Commit) -> dict[str, bytes | None]:
        if commit.id not in cache:
            cache[commit.id] = {}
            dir_entry = lookup_path(repo, commit.tree, directory)
            if dir_entry is not None and dir_entry.kind == "dir":
                tree = repo[dir_entry.sha]
                for item in tree.iteritems():
                    name = item.path.decode("utf-8", "surrogateescape")
                    cache[commit.id][f"{directory}/{name}" if directory else name] = item.sha
        return cache[commit.id]

    for count, commit in enumerate(walk(repo, [start.id])):
        if count >= max_commits or len(found) == len(wanted):
            break
        mine = entries(commit)
        parents = []
        for parent_id in commit.parents:
            try:
                parents.append(entries(repo[parent_id]))
            except KeyError:  # shallow history: treat as a root commit
                pass
        for path in wanted - found.keys():
            sha = mine.get(path)
            if not parents or all(p.get(path) != sha for p in parents):
                found[path] = commit
        if len(cache) > 4096:  # bound memory on long walks
            cache.clear()
    return found


def is_ancestor(repo: Repo, ancestor: bytes, descendant: bytes) -> bool:
    """Whether moving a ref from ``ancestor`` to ``descendant`` is a fast-forward."""
    from dulwich.graph import can_fast_forward

    return can_fast_forward(repo, ancestor, descendant)
