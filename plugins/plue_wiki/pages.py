"""Reading the wiki's git repository as Gitea's wiki API reads it: pages are the ``.md`` files
at the root of ``master``; a page's history is the commits that changed its file."""

from __future__ import annotations

import dataclasses
import stat
from typing import TYPE_CHECKING

from plue_wiki import page_names

if TYPE_CHECKING:
    from dulwich.objects import Commit
    from dulwich.repo import Repo

BRANCH = b"master"
# Gitea's setting.API.DefaultMaxBlobSize: a larger page is sent without its content.
MAX_CONTENT_SIZE = 10 * 1024 * 1024
# Gitea's setting.Git.CommitsRangeSize: one page of a page's revisions.
REVISIONS_PER_PAGE = 50


@dataclasses.dataclass(frozen=True)
class PageFile:
    """A page found in the tree: its web path, the file that holds it and the blob's id."""

    web_path: str
    path: str
    blob: bytes


def tip(repo: Repo | None) -> Commit | None:
    """The wiki's ``master`` commit; None for a wiki without one (Gitea's 404)."""
    if repo is None:
        return None
    sha = repo.refs.as_dict(b"refs/heads/").get(BRANCH)
    return repo[sha] if sha is not None else None


def _lookup(repo: Repo, tree_id: bytes, path: str):
    from dulwich.errors import NotTreeError

    try:
        return repo[tree_id].lookup_path(repo.__getitem__, path.encode())
    except (KeyError, NotTreeError):
        return None


def find(repo: Repo, tree_id: bytes, web_path: str) -> PageFile | None:
    """The page's file in the root tree ``tree_id``: its git path, else that path unescaped
    (files written by older Gitea versions, as Gitea's findEntryForFile)."""
    path = page_names.git_path(web_path)
    found = _lookup(repo, tree_id, path)
    if found is None:
        try:
            path = page_names.query_unescape(path)
        except ValueError:
            return None
        found = _lookup(repo, tree_id, path)
    if found is None or not stat.S_ISREG(found[0]):
        return None
    return PageFile(web_path, path, found[1])


def content(repo: Repo, blob: bytes) -> bytes | None:
    """The file's bytes, or None when it is larger than Gitea sends."""
    kind, data = repo.object_store.get_raw(blob)
    return data if len(data) <= MAX_CONTENT_SIZE else None


def history(repo: Repo, commit: Commit, path: str, *, skip: int = 0, limit: int | None = None):
    """The commits of ``master`` that changed ``path``, newest first (``git log -- path``)."""
    walker = repo.get_walker(include=[commit.id], paths=[path.encode()])
    found = []
    for index, entry in enumerate(walker):
        if index < skip:
            continue
        if limit is not None and len(found) >= limit:
            break
        found.append(entry.commit)
    return found


def last_commit(repo: Repo, commit: Commit, path: str) -> Commit:
    changed = history(repo, commit, path, limit=1)
    return changed[0] if changed else commit


def commit_count(repo: Repo, commit: Commit, path: str) -> int:
    return sum(1 for _ in repo.get_walker(include=[commit.id], paths=[path.encode()]))


def listing(repo: Repo, commit: Commit, skip: int, limit: int) -> tuple[list[PageFile], int]:
    """Gitea's page of the page list: the root tree's entries ``skip`` to ``skip + limit``
    that are pages (plain ``.md`` files), and the count of every entry (Gitea's
    ``X-Total-Count`` counts the files that are no page too)."""
    entries = list(repo[commit.tree].iteritems())
    found = []
    for index, entry in enumerate(entries):
        if index < skip or index >= skip + limit or entry.mode != (stat.S_IFREG | 0o644):
            continue
        name = entry.path.decode("utf-8", "replace")
        try:
            found.append(PageFile(page_names.web_path_of_file(name), name, entry.sha))
        except page_names.InvalidFileName:
            continue
    return found, len(entries)
