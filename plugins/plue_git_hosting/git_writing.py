"""Writing to a bare repository with dulwich: new trees from path changes, commits, tags, and
compare-and-swap ref updates. Never a temporary clone (Gitea #601, Pagure's TemporaryClone)."""

from __future__ import annotations

import stat
import time
from typing import TYPE_CHECKING

from plue_core.errors import Conflict, Invalid

from plue_git_hosting.git_reading import IDENTITY_BREAKERS, Person

if TYPE_CHECKING:
    from dulwich.objects import Commit, Tag, Tree
    from dulwich.repo import Repo

FILE_MODE = stat.S_IFREG | 0o644
ZERO_SHA = b"0" * 40


def build_tree(repo: Repo, base_tree_id: bytes | None,
               changes: dict[str, tuple[int, bytes] | None]) -> bytes:
    """A new root tree: ``base_tree_id`` with each ``path`` set to ``(mode, sha)`` or removed
    (``None``). Trees are copied, never mutated, so cached objects stay intact. Directories
    left empty disappear, as in git."""
    from dulwich.objects import Tree

    new_objects: list[Tree] = []

    def rebuild(tree_id: bytes | None, edits: dict[str, tuple[int, bytes] | None], where: str) -> bytes | None:
        tree = Tree()
        if tree_id is not None:
            for item in repo[tree_id].iteritems():
                tree.add(item.path, item.mode, item.sha)
        nested: dict[str, dict] = {}
        for path, value in edits.items():
            head, _, rest = path.partition("/")
            if rest:
                nested.setdefault(head, {})[rest] = value
                continue
            name = head.encode()
            if value is None:
                if name in tree:
                    del tree[name]
            else:
                if name in tree and stat.S_ISDIR(tree[name][0]):
                    raise Invalid(f"{where}{head} is a directory, not a file")
                tree.add(name, value[0], value[1])
        for head, sub_edits in nested.items():
            name = head.encode()
            sub_id = None
            if name in tree:
                mode, sha = tree[name]
                if not stat.S_ISDIR(mode):
                    raise Invalid(f"{where}{head} is a file, not a directory")
                sub_id = sha
            new_sub = rebuild(sub_id, sub_edits, f"{where}{head}/")
            if new_sub is None:
                if name in tree:
                    del tree[name]
            else:
                tree.add(name, stat.S_IFDIR, new_sub)
        if len(tree) == 0 and where:
            return None
        new_objects.append(tree)
        return tree.id

    root = rebuild(base_tree_id, changes, "")
    # Loose, as git's receive-pack keeps small pushes: add_objects would write one more pack
    # per commit, and every lookup in a newly opened repository reads each pack's index.
    for obj in new_objects:
        repo.object_store.add_object(obj)
    return root


def store_blob(repo: Repo, content: bytes) -> bytes:
    from dulwich.objects import Blob

    blob = Blob.from_string(content)
    repo.object_store.add_object(blob)
    return blob.id


def create_commit(repo: Repo, *, tree_id: bytes, parents: list[bytes], author: Person,
                  committer: Person, message: str) -> Commit:
    from dulwich.objects import Commit

    commit = Commit()
    commit.tree = tree_id
    commit.parents = parents
    commit.author = author.identity_line()
    commit.committer = committer.identity_line()
    commit.author_time, commit.author_timezone = author.time, author.offset
    commit.commit_time, commit.commit_timezone = committer.time, committer.offset
    commit.encoding = b"UTF-8"
    commit.message = message.encode() if message.endswith("\n") else (message + "\n").encode()
    repo.object_store.add_object(commit)
    return commit


def create_annotated_tag(repo: Repo, *, name: str, target: Commit, tagger: Person,
                         message: str) -> Tag:
    from dulwich.objects import Commit, Tag

    tag = Tag()
    tag.name = name.encode()
    tag.object = (Commit, target.id)
    tag.tagger = tagger.identity_line()
    tag.tag_time, tag.tag_timezone = tagger.time, tagger.offset
    tag.message = message.encode() if message.endswith("\n") else (message + "\n").encode()
    repo.object_store.add_object(tag)
    return tag


def update_ref(repo: Repo, ref: bytes, old: bytes | None, new: bytes | None) -> None:
    """Move ``ref`` from ``old`` to ``new`` only if nobody moved it meanwhile (``old`` None:
    the ref must not exist; ``new`` None: delete it)."""
    if new is None:
        ok = repo.refs.remove_if_equals(ref, old)
    elif old is None:
        ok = repo.refs.add_if_new(ref, new)
    else:
        ok = repo.refs.set_if_equals(ref, old, new)
    if not ok:
        raise Conflict(f"{ref.decode()} was changed by someone else meanwhile; retry")


def check_identity(given: dict, where: str) -> None:
    """An author or committer from a request: git writes ``Name <email>`` on one line, so
    neither part may hold ``<``, ``>`` or a newline (``git fsck`` refuses such commits)."""
    for part in ("name", "email"):
        value = given.get(part) or ""
        if any(char in value for char in IDENTITY_BREAKERS):
            raise Invalid(f"{where}.{part}: {value!r} must not contain '<', '>' or a newline "
                          "(git cannot write it into a commit)")


def now_person(name: str, email: str, when: int | None = None) -> Person:
    return Person(name, email, int(when if when is not None else time.time()), 0)
