"""Each repository's wiki, stored as Gitea stores it: a bare repository ``<name>.wiki.git``
beside the repository's own ``<name>.git``, whose ``master`` holds the pages as files.

Git_hosting owns the directory (it is renamed and deleted with its repository, and served by
smart HTTP at ``/{owner}/{repo}.wiki.git``); what a page is belongs to the wiki plugin, which
reads the open repository and writes through :func:`commit_files`."""

from __future__ import annotations

import contextlib
import os
import pathlib
import uuid
from typing import TYPE_CHECKING, Callable, Iterator

from plue_core.errors import NotFound

from plue_git_hosting import git_writing, permissions
from plue_git_hosting.repositories import signature_of

if TYPE_CHECKING:
    from dulwich.repo import Repo

# Gitea's wiki branch (services/wiki DefaultBranch), whatever the repository's default.
BRANCH = "master"
BRANCH_REF = b"refs/heads/" + BRANCH.encode()


@contextlib.contextmanager
def reading(hosting, repository) -> Iterator[Repo | None]:
    """The wiki's bare repository, or None while it has none (no page was ever written)."""
    path = hosting.storage.wiki_path_of(hosting.path_of(repository))
    if not path.exists():
        yield None
        return
    with hosting.storage.open(path) as repo:
        yield repo


def ensure_exists(path: pathlib.Path) -> None:
    """Create an empty wiki whose HEAD is ``master`` (Gitea's ``InitWiki``). Made under a
    temporary name and renamed, so a killed creation never leaves a half-made wiki. Call
    holding the wiki's lock."""
    if path.exists():
        return
    from dulwich.repo import Repo

    building = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    with Repo.init_bare(str(building), mkdir=True, default_branch=BRANCH.encode()) as repo:
        repo.refs.set_symbolic_ref(b"HEAD", BRANCH_REF)
    os.rename(building, path)


@contextlib.contextmanager
def locked(hosting, repository) -> Iterator[pathlib.Path]:
    """Hold the wiki's lock; yields its path, made from the repository's row as it is now
    (a rename that finished while we waited moved the wiki: never recreate it at the old
    name). NotFound when the repository was deleted meanwhile."""
    with hosting.storage.wiki_write_lock(repository.id):
        fresh = permissions.find_repository_by_id(repository.id)
        if fresh is None:
            raise NotFound(f"repository {repository.full_name} does not exist")
        yield hosting.storage.wiki_path_of(hosting.path_of(fresh))


def commit_files(hosting, repository, doer, message: str,
                 change: Callable[[Repo, bytes | None], dict[str, bytes | None]]) -> bytes:
    """One commit on the wiki's ``master`` by ``doer`` (author and committer, as Gitea signs a
    wiki edit), under the wiki's lock: ``change(repo, tree_id)`` (tree_id None for a wiki
    without commits) returns ``{path: content or None to remove}``; it may raise to refuse
    (a page that exists, one that does not). The ref moves compare-and-swap, so a push that
    landed between the read and the move is a 409, never a lost commit. Returns the commit id."""
    with locked(hosting, repository) as path:
        ensure_exists(path)
        with hosting.storage.open(path) as repo:
            tip = repo.refs.as_dict(b"refs/heads/").get(BRANCH.encode())
            tree_id = repo[tip].tree if tip is not None else None
            changes = change(repo, tree_id)
            edits = {name: None if content is None
                     else (git_writing.FILE_MODE, git_writing.store_blob(repo, content))
                     for name, content in changes.items()}
            new_tree = git_writing.build_tree(repo, tree_id, edits)
            who = signature_of(doer)
            commit = git_writing.create_commit(
                repo, tree_id=new_tree, parents=[tip] if tip is not None else [], author=who,
                committer=who, message=message)
            git_writing.update_ref(repo, BRANCH_REF, tip, commit.id)
            return commit.id
