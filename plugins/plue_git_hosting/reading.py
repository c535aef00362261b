"""What a face that shows code (the web pages) reads of one repository, through git_hosting's
own readers (``browsing``, ``history``, ``diffstat``, ``git_reading``): one door, so no face
opens a second git reader. Reached as ``ctx.services["git_hosting"].reader(repository)``."""

from __future__ import annotations

import dataclasses
import difflib
import itertools
from typing import TYPE_CHECKING

from plue_core.errors import NotFound

from plue_git_hosting import browsing, diffstat, git_reading, history
from plue_git_hosting.browsing import RefCommit
from plue_git_hosting.git_reading import Entry, Person

if TYPE_CHECKING:
    from dulwich.objects import Commit
    from dulwich.repo import Repo

# A file's diff is shown up to this many lines of unified diff; past it only its stats.
MAX_DIFF_LINES = 3000
_BINARY_SNIFF = 8000


@dataclasses.dataclass(frozen=True)
class FileChange:
    """One file a commit changed: its status, line counts and unified diff lines (empty when
    binary or too large)."""

    status: str  # added | removed | modified
    path: str
    additions: int
    deletions: int
    binary: bool
    diff: list[str]
    truncated: bool


@dataclasses.dataclass(frozen=True)
class RefTip:
    """A branch or tag with the commit it points at (tags peeled)."""

    name: str
    commit: Commit
    annotation: str = ""


class RepositoryReader:
    """Read-only views of one open bare repository (use ``GitHosting.reader``)."""

    def __init__(self, repository, repo: Repo):
        self.repository = repository
        self.repo = repo

    @property
    def is_empty(self) -> bool:
        return git_reading.is_empty(self.repo)

    # --- refs ---------------------------------------------------------------------------

    def resolve(self, ref: str | None) -> RefCommit:
        """A branch, tag or commit id (the default branch when None); 404 naming it."""
        return browsing.resolve_ref(self.repo, self.repository, ref)

    def branch_names(self) -> list[str]:
        return git_reading.branch_names(self.repo)

    def branches(self) -> list[RefTip]:
        return [RefTip(name, commit) for name in self.branch_names()
                if (commit := git_reading.branch_commit(self.repo, name)) is not None]

    def tag_names(self) -> list[str]:
        return sorted(ref.decode("utf-8", "replace") for ref in self.repo.refs.keys(base=git_reading.TAGS))

    def tags(self) -> list[RefTip]:
        from dulwich.objects import Tag

        tips = []
        for name, sha in sorted(self.repo.refs.as_dict(git_reading.TAGS).items()):
            commit = git_reading.peel_to_commit(self.repo, sha)
            if commit is None:
                continue
            obj = self.repo[sha]
            note = git_reading.message_of(obj) if isinstance(obj, Tag) else ""
            tips.append(RefTip(name.decode("utf-8", "replace"), commit, note))
        return tips

    # --- trees and blobs ------------------------------------------------------------------

    def entry(self, at: RefCommit, path: str) -> Entry:
        """The file, directory, symlink or submodule at ``path`` (404 when absent)."""
        return browsing.entry_at(self.repo, at, path)

    def children(self, entry: Entry) -> list[Entry]:
        """A directory's entries, directories first, each group by name."""
        found = git_reading.list_tree(self.repo, entry.sha, entry.path)
        return sorted(found, key=lambda child: (child.kind != "dir", child.name.lower()))

    def last_commits(self, at: RefCommit, directory: str, names: list[str]) -> dict[str, Commit]:
        """The newest commit that touched each name of ``directory``, in one history walk."""
        return history.last_commits(self.repo, at.commit, directory, names)

    def blob_size(self, entry: Entry) -> int:
        return git_reading.blob_size(self.repo, entry.sha)

    def blob(self, entry: Entry) -> bytes:
        return git_reading.read_blob(self.repo, entry.sha)

    # --- history ----------------------------------------------------------------------

    def history(self, at: RefCommit, *, path: str = "", offset: int = 0, limit: int = 30,
                count: bool = True) -> tuple[list[Commit], int | None]:
        """A page of the history from ``at`` (only commits changing ``path`` when given) and
        the total count (None with ``count=False``: the walk stops after the page)."""
        commits = history.walk(self.repo, [at.commit.id], path=path)
        if count:
            return history.page_of(commits, offset, limit)
        return list(itertools.islice(commits, offset, offset + limit)), None

    def commit(self, sha: str) -> Commit:
        """The commit ``sha`` (full or abbreviated); 404 when it is no commit here."""
        kind, commit = git_reading.resolve_commit(self.repo, sha)
        if kind != "commit":
            raise NotFound(f"no commit {sha!r}")
        return commit

    def merge_base(self, one: Commit, other: Commit) -> Commit | None:
        """The newest common ancestor of two commits (None when their histories are
        unrelated)."""
        from dulwich.graph import find_merge_base

        found = find_merge_base(self.repo, [one.id, other.id])
        return self.repo[found[0]] if found else None

    def commits_between(self, base: Commit, head: Commit, limit: int, *,
                        count: bool = True) -> tuple[list[Commit], int | None]:
        """The first ``limit`` commits on ``head`` and not on ``base``, newest first, and
        how many there are (a compare page's commits; None with ``count=False``, when the
        walk stops after ``limit``)."""
        commits = history.walk(self.repo, [head.id], [base.id])
        if count:
            return history.page_of(commits, 0, limit)
        return list(itertools.islice(commits, limit)), None

    author_of = staticmethod(git_reading.author_of)
    committer_of = staticmethod(git_reading.committer_of)
    message_of = staticmethod(git_reading.message_of)

    def changes(self, commit: Commit) -> list[FileChange]:
        """What ``commit`` changed against its first parent, file by file, with the same line
        counts as the API's commit stats (``diffstat``)."""
        return self._changes(commit, None)

    def compare(self, base: str, head: str) -> list[FileChange]:
        """What ``head`` changed against ``base`` (commit ids): a pull request's files from
        its merge base."""
        return self._changes(self.commit(head), self.commit(base).tree)

    def _changes(self, commit: Commit, base_tree: bytes | None) -> list[FileChange]:
        found = []
        for change in diffstat.changed_files(self.repo, commit, base_tree):
            status, path, old_sha, new_sha = change
            additions, deletions = diffstat.line_counts(self.repo, [change])
            old, new = self._text(old_sha), self._text(new_sha)
            binary = old is None or new is None
            lines: list[str] = []
            truncated = False
            if not binary:
                lines = list(difflib.unified_diff(old, new, lineterm="", n=3))[2:]
                if len(lines) > MAX_DIFF_LINES:
                    lines, truncated = [], True
            found.append(FileChange(status, path, additions, deletions, binary, lines, truncated))
        return found

    def _text(self, sha: bytes | None) -> list[str] | None:
        """A blob's lines for a diff; None when binary."""
        if sha is None:
            return []
        try:
            data = git_reading.read_blob(self.repo, sha)
        except (KeyError, NotFound):  # a submodule's commit is no blob of this repository
            return None
        if b"\0" in data[:_BINARY_SNIFF]:
            return None
        return data.decode("utf-8", "replace").splitlines()


__all__ = ["FileChange", "Person", "RefCommit", "RefTip", "RepositoryReader"]
