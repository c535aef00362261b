"""Reading a bare repository with dulwich: refs to commits, paths in trees, people and times."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
import stat
from typing import TYPE_CHECKING

from plue_core.errors import Invalid, NotFound

if TYPE_CHECKING:
    from dulwich.objects import Commit, Tag
    from dulwich.repo import Repo

HEADS, TAGS = b"refs/heads/", b"refs/tags/"
_HEX = re.compile(r"^[0-9a-fA-F]{4,64}$")
_PERSON = re.compile(rb"^(.*?)\s*<([^>]*)>\s*$")
# What cannot stand in a name or e-mail of a commit's "Name <email>" line (git's ident.c).
IDENTITY_BREAKERS = ("<", ">", "\n")


@dataclasses.dataclass(frozen=True)
class Person:
    """An author, committer or tagger line: name, e-mail, time (unix) and UTC offset (s)."""

    name: str
    email: str
    time: int
    offset: int = 0

    @property
    def when_utc(self) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(self.time, datetime.timezone.utc)

    def rfc3339_utc(self) -> str:
        return self.when_utc.strftime("%Y-%m-%dT%H:%M:%SZ")

    def rfc3339_local(self) -> str:
        """The time in the commit's own zone, as Gitea writes commit dates."""
        zone = datetime.timezone(datetime.timedelta(seconds=self.offset))
        text = self.when_utc.astimezone(zone).isoformat()
        return text.replace("+00:00", "Z")

    def identity_line(self) -> bytes:
        """``Name <email>``; characters that would break the line are dropped, as git does with
        a display name (API input with them is refused before: ``git_writing.check_identity``)."""
        return f"{_without_breakers(self.name)} <{_without_breakers(self.email)}>".encode()


def _without_breakers(text: str) -> str:
    for char in IDENTITY_BREAKERS:
        text = text.replace(char, "")
    return text


def parse_person(line: bytes, when: int, offset: int) -> Person:
    match = _PERSON.match(line or b"")
    name, email = (match.group(1), match.group(2)) if match else (line or b"", b"")
    return Person(name.decode("utf-8", "replace"), email.decode("utf-8", "replace"), when, offset)


def author_of(commit: Commit) -> Person:
    return parse_person(commit.author, commit.author_time, commit.author_timezone)


def committer_of(commit: Commit) -> Person:
    return parse_person(commit.committer, commit.commit_time, commit.commit_timezone)


def message_of(obj: Commit | Tag) -> str:
    return (obj.message or b"").decode("utf-8", "replace")


def is_empty(repo: Repo) -> bool:
    return not any(ref.startswith(HEADS) for ref in repo.refs.keys())


def branch_names(repo: Repo) -> list[str]:
    return sorted(ref.decode() for ref in repo.refs.keys(base=HEADS))  # keys(base) strips it


def branch_tips(path, names=None) -> dict[str, str]:
    """Branch name -> sha of the bare repository at ``path`` (``names``: only those that
    exist), read from its refs alone: dulwich's ``Repo`` reads the repository's config and
    sets up its object store first, three times what the refs cost (issue 13: a pull GET
    opened the repository to read two branch tips). Empty when nothing is on disk."""
    from dulwich.refs import DiskRefsContainer, check_ref_format

    container = DiskRefsContainer(str(path))
    if names is None:
        return {name.decode("utf-8", "surrogateescape"): sha.decode()
                for name, sha in container.as_dict(HEADS).items()}
    found = {}
    for name in names:
        ref = HEADS + name.encode("utf-8", "surrogateescape")
        if not check_ref_format(ref):
            continue
        try:
            found[name] = container[ref].decode()
        except KeyError:
            continue
    return found


def peel_to_commit(repo: Repo, sha: bytes) -> Commit | None:
    """Follow tags down to a commit; None when the object is not (does not lead to) a commit."""
    from dulwich.objects import Commit, Tag

    try:
        obj = repo[sha]
    except KeyError:
        return None
    while isinstance(obj, Tag):
        try:
            obj = repo[obj.object[1]]
        except KeyError:
            return None
    return obj if isinstance(obj, Commit) else None


def branch_commit(repo: Repo, branch: str) -> Commit | None:
    sha = repo.refs.as_dict().get(HEADS + branch.encode())
    return peel_to_commit(repo, sha) if sha else None


def find_object_id(repo: Repo, text: str) -> bytes | None:
    """A full or abbreviated hex object id present in the repository."""
    if not _HEX.match(text or ""):
        return None
    lowered = text.lower().encode()
    if len(lowered) == 40 or len(lowered) == 64:
        return lowered if lowered in repo.object_store else None
    matches = list(repo.object_store.iter_prefix(lowered))
    return matches[0] if len(matches) == 1 else None


def _ref_target(repo: Repo, name: bytes) -> bytes | None:
    """The object a ref names, read alone (listing every ref cost a tenth of a contents GET);
    a name git could not have written is no ref, and is never turned into a file path."""
    if not _is_ref_name(name):
        return None
    try:
        return repo.refs[name]
    except KeyError:
        return None


@functools.lru_cache(maxsize=256)
def _is_ref_name(name: bytes) -> bool:
    """dulwich's ``check_ref_format``, remembered: a pure function of the name that walks it
    character by character (a tenth of resolving a branch), and clients ask for the same few."""
    from dulwich.refs import check_ref_format

    return check_ref_format(name)


def resolve_commit(repo: Repo, ref: str) -> tuple[str, Commit]:
    """``ref`` as Gitea resolves it: a branch, then a tag, then a commit id. Returns the kind
    ("branch", "tag", "commit") and the commit; 404 naming the ref when nothing matches."""
    if ref:
        for kind, prefix in (("branch", HEADS), ("tag", TAGS)):
            sha = _ref_target(repo, prefix + ref.encode())
            if sha and (commit := peel_to_commit(repo, sha)) is not None:
                return kind, commit
        if ref.startswith("refs/") and (sha := _ref_target(repo, ref.encode())):
            if (commit := peel_to_commit(repo, sha)) is not None:
                return "branch" if ref.startswith("refs/heads/") else "tag", commit
        if (sha := find_object_id(repo, ref)) and (commit := peel_to_commit(repo, sha)):
            return "commit", commit
    raise NotFound(f"no branch, tag or commit named {ref!r}")


@dataclasses.dataclass(frozen=True)
class Entry:
    """A path inside a commit's tree."""

    path: str
    mode: int
    sha: bytes

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def kind(self) -> str:
        """Gitea's content type: file, dir, symlink or submodule."""
        if stat.S_ISDIR(self.mode):
            return "dir"
        if stat.S_ISLNK(self.mode):
            return "symlink"
        if self.mode == 0o160000:
            return "submodule"
        return "file"

    @property
    def git_type(self) -> str:
        return {"dir": "tree", "submodule": "commit"}.get(self.kind, "blob")


def lookup_path(repo: Repo, tree_id: bytes, path: str) -> Entry | None:
    """The entry at ``path`` (``""`` is the root tree), or None when it does not exist."""
    if path == "":
        return Entry("", stat.S_IFDIR, tree_id)
    from dulwich.errors import NotTreeError

    try:
        tree = repo[tree_id]
        # dulwich's walk starts by looking up the tree it is called on: hand it back the one
        # read, not a second read and parse of it (a quarter of a contents GET's git reads).
        mode, sha = tree.lookup_path(lambda sha: tree if sha == tree_id else repo[sha],
                                     path.encode())
    except (KeyError, NotTreeError):
        return None
    return Entry(path, mode, sha)


def list_tree(repo: Repo, tree_id: bytes, base: str = "") -> list[Entry]:
    """Entries of one tree in git's order, with paths under ``base``."""
    from dulwich.objects import Tree

    tree = repo[tree_id]
    if not isinstance(tree, Tree):
        raise Invalid("object is not a tree")
    prefix = f"{base}/" if base else ""
    return [Entry(prefix + item.path.decode("utf-8", "surrogateescape"), item.mode, item.sha)
            for item in tree.iteritems()]


def blob_size(repo: Repo, sha: bytes) -> int:
    """Size of a blob without keeping its content around longer than needed."""
    kind, data = repo.object_store.get_raw(sha)
    return len(data)


def read_blob(repo: Repo, sha: bytes) -> bytes:
    from dulwich.objects import Blob

    obj = repo[sha]
    if not isinstance(obj, Blob):
        raise NotFound("object is not a blob")
    return obj.as_raw_string()
