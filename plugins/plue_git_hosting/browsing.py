"""Reading a repository at a ref for the contents and raw endpoints."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from plue_core.bounded_cache import BoundedCache
from plue_core.errors import NotFound

from plue_git_hosting import git_reading, history
from plue_git_hosting.contents import validate_tree_path
from plue_git_hosting.git_reading import Entry
from plue_git_hosting.schemas.shapes import Links
from plue_git_hosting.schemas.shapes.contents import contents_json

if TYPE_CHECKING:
    from dulwich.objects import Commit
    from dulwich.repo import Repo


@dataclasses.dataclass(frozen=True)
class RefCommit:
    """What a ``?ref=`` resolved to: the text given, its kind and the commit."""

    input_ref: str
    kind: str  # branch | tag | commit
    commit: Commit

    @property
    def web_name(self) -> str:
        return self.commit.id.decode() if self.kind == "commit" else self.input_ref.removeprefix(
            "refs/heads/").removeprefix("refs/tags/")


def resolve_ref(git_repo: Repo, repository, ref: str | None) -> RefCommit:
    ref = ref or repository.default_branch
    kind, commit = git_reading.resolve_commit(git_repo, ref)
    return RefCommit(ref, kind, commit)


def entry_at(git_repo: Repo, at: RefCommit, path: str) -> Entry:
    if path:
        validate_tree_path(path)
    entry = git_reading.lookup_path(git_repo, at.commit.tree, path)
    if entry is None:
        raise NotFound(f"{path!r} does not exist at {at.input_ref}")
    return entry


def _symlink_target(git_repo: Repo, entry: Entry) -> str:
    return git_reading.read_blob(git_repo, entry.sha)[:1024].decode("utf-8", "replace")


def entry_json(links: Links, git_repo: Repo, at: RefCommit, entry: Entry, *, with_content: bool,
               max_blob_size: int, last_commit: Commit | None) -> dict:
    size, content, target = 0, None, None
    if entry.kind == "file" and with_content:
        # One read of the object gives both its size and its content (it was read twice).
        data = git_reading.read_blob(git_repo, entry.sha)
        size = len(data)
        content = data if size <= max_blob_size else None
    elif entry.kind in ("file", "symlink"):
        size = git_reading.blob_size(git_repo, entry.sha)
        if entry.kind == "symlink":
            target = _symlink_target(git_repo, entry)
    return contents_json(links, entry, input_ref=at.input_ref, ref_kind=at.kind,
                         ref_name=at.web_name, size=size, content=content, target=target,
                         last_commit=last_commit)


# The last commits of a path from a commit never change (its history is fixed by its id):
# a contents GET walked the history on every request (a fifth of it, issue 13).
_LAST_COMMITS = BoundedCache(512)


def _last_commits(git_repo: Repo, start: Commit, directory: str, names: list[str]) -> dict:
    key = (git_repo.path, start.id, directory, tuple(names))
    found = _LAST_COMMITS.get(key)
    if found is None:
        found = history.last_commits(git_repo, start, directory, names)
        _LAST_COMMITS.put(key, found)
    return found


def read_contents(links: Links, git_repo: Repo, at: RefCommit, path: str, *,
                  max_blob_size: int) -> dict | list[dict]:
    """A file (with its base64 content) or a directory listing (without), each entry with
    the last commit that touched it, as Gitea's ``GET contents`` answers."""
    entry = entry_at(git_repo, at, path)
    if entry.kind != "dir":
        last = _last_commits(git_repo, at.commit, path.rpartition("/")[0], [entry.name])
        return entry_json(links, git_repo, at, entry, with_content=True,
                          max_blob_size=max_blob_size, last_commit=last.get(path))
    children = git_reading.list_tree(git_repo, entry.sha, path)
    last = _last_commits(git_repo, at.commit, path, [child.name for child in children])
    return [entry_json(links, git_repo, at, child, with_content=False, max_blob_size=max_blob_size,
                       last_commit=last.get(child.path)) for child in children]
