"""The git binary on bare repositories: three-way merges with ``git merge-tree --write-tree``,
commits with ``git commit-tree``, diffs and patches; never a working tree or a clone.

Writes go to a *scratch object directory* that reads the repository's own objects (and a
fork's) as alternates, the way git's receive-pack quarantines a push: a merge that fails or a
mergeability check leaves nothing behind, and a merge that succeeds moves exactly the objects
it made into the repository before the branch moves.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pathlib
import shutil
import subprocess
import tempfile
from typing import Iterator

from plue_core.errors import PlueError

ZERO_SHA = "0" * 40
TIMEOUT = 600


class GitFailed(PlueError):
    """git itself failed (a bug or a broken repository): a 500 with the log naming why."""

    status = 500
    code = "INTERNAL_ERROR"


@dataclasses.dataclass(frozen=True)
class Person:
    name: str
    email: str
    when: int  # unix seconds, UTC

    def environment(self, role: str) -> dict[str, str]:
        return {f"GIT_{role}_NAME": self.name, f"GIT_{role}_EMAIL": self.email,
                f"GIT_{role}_DATE": f"@{self.when} +0000"}


@dataclasses.dataclass(frozen=True)
class MergeResult:
    tree: str
    conflicts: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not self.conflicts


class UnrelatedHistories(Exception):
    """The two commits share no ancestor."""


class Git:
    """``git`` run against one bare repository (``git_dir``) with a controlled environment."""

    def __init__(self, executable: str, git_dir: pathlib.Path, env: dict[str, str] | None = None):
        self.executable = executable
        self.git_dir = pathlib.Path(git_dir)
        self.extra_env = dict(env or {})

    def with_env(self, **env: str) -> "Git":
        return Git(self.executable, self.git_dir, {**self.extra_env, **env})

    def _environment(self, env: dict[str, str] | None) -> dict[str, str]:
        # Nothing from the server's own environment may point git elsewhere.
        base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        base.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0",
                    LC_ALL="C")
        base.update(self.extra_env)
        base.update(env or {})
        return base

    def run(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None,
            ok_codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        command = [self.executable, "--git-dir", str(self.git_dir), "-c", "gc.auto=0",
                   "-c", "maintenance.auto=false", *args]
        result = subprocess.run(command, input=input, capture_output=True, timeout=TIMEOUT,
                                env=self._environment(env))
        if result.returncode not in ok_codes:
            raise GitFailed(f"git {args[0]} failed ({result.returncode}): "
                            f"{result.stderr.decode('utf-8', 'replace').strip()[-2000:]}")
        return result

    def text(self, *args: str, **kwargs) -> str:
        return self.run(*args, **kwargs).stdout.decode("utf-8", "replace").strip()

    # --- reading ---------------------------------------------------------------------------

    def has_commit(self, sha: str) -> bool:
        if not sha:
            return False
        return self.run("cat-file", "-e", f"{sha}^{{commit}}", ok_codes=(0, 1, 128)).returncode == 0

    def merge_base(self, one: str, other: str) -> str | None:
        result = self.run("merge-base", one, other, ok_codes=(0, 1))
        return result.stdout.decode().strip() or None

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        return self.run("merge-base", "--is-ancestor", ancestor, descendant,
                        ok_codes=(0, 1)).returncode == 0

    def rev_list(self, *revisions: str, reverse: bool = False, no_merges: bool = False) -> list[str]:
        args = ["rev-list"] + (["--reverse"] if reverse else []) + (["--no-merges"] if no_merges else [])
        return self.text(*args, *revisions, "--").split()

    def count(self, *revisions: str) -> int:
        return int(self.text("rev-list", "--count", *revisions, "--") or 0)

    def tree_of(self, commit: str) -> str:
        return self.text("rev-parse", f"{commit}^{{tree}}")

    def parents_of(self, commit: str) -> list[str]:
        return self.text("rev-list", "--parents", "-n", "1", commit).split()[1:]

    def message_of(self, commit: str) -> str:
        return self.run("log", "-1", "--format=%B", commit).stdout.decode("utf-8", "replace")

    def author_of(self, commit: str) -> Person:
        name, email, when = self.text("log", "-1", "--format=%an%x00%ae%x00%at", commit).split("\x00")
        return Person(name, email, int(when))

    # --- merging ---------------------------------------------------------------------------

    def merge_trees(self, ours: str, theirs: str) -> MergeResult:
        """The three-way merge of two commits over their merge base(s); the result tree is
        written to the object directory in effect (use a scratch one)."""
        result = self.run("merge-tree", "--write-tree", "--name-only", "-z", "--no-messages",
                          ours, theirs, ok_codes=(0, 1, 128))
        if result.returncode == 128:
            if b"unrelated histories" in result.stderr:
                raise UnrelatedHistories()
            raise GitFailed("git merge-tree failed: "
                            + result.stderr.decode("utf-8", "replace").strip()[-2000:])
        parts = [p.decode("utf-8", "surrogateescape") for p in result.stdout.split(b"\0") if p]
        tree, names = parts[0], parts[1:]
        conflicts = tuple(dict.fromkeys(names)) if result.returncode == 1 else ()
        return MergeResult(tree, conflicts)

    def commit_tree(self, tree: str, parents: list[str], message: str, *, author: Person,
                    committer: Person) -> str:
        args = ["commit-tree", tree]
        for parent in parents:
            args += ["-p", parent]
        env = {**author.environment("AUTHOR"), **committer.environment("COMMITTER")}
        return self.text(*args, input=message.encode(), env=env)

    def cherry_pick_tree(self, onto: str, commit: str) -> MergeResult:
        """The tree of ``commit`` replayed onto ``onto``: a three-way merge whose base is the
        commit's parent. git 2.39's merge-tree has no ``--merge-base``, so two throwaway
        commits that share exactly that base are merged instead (scratch objects only)."""
        parent = self.parents_of(commit)[0]
        when = Person("plue", "plue@localhost", 0)
        base = self.commit_tree(self.tree_of(parent), [], "base\n", author=when, committer=when)
        left = self.commit_tree(self.tree_of(onto), [base], "onto\n", author=when, committer=when)
        right = self.commit_tree(self.tree_of(commit), [base], "pick\n", author=when, committer=when)
        return self.merge_trees(left, right)

    def update_ref(self, ref: str, new: str, old: str) -> None:
        """Compare-and-swap: fails (GitFailed) if ``ref`` is no longer at ``old``."""
        self.run("update-ref", ref, new, old)

    # --- diffs -----------------------------------------------------------------------------

    def diff(self, base: str, head: str, *, binary: bool = False) -> bytes:
        args = ["diff", "-M", "--full-index"] + (["--binary"] if binary else [])
        return self.run(*args, base, head, "--").stdout

    def format_patch(self, base: str, head: str) -> bytes:
        return self.run("format-patch", "--stdout", "--no-signature", "--binary",
                        f"{base}..{head}", "--").stdout

    def numstat(self, base: str, head: str) -> list[tuple[str, str, int, int, str]]:
        """``(status, path, additions, deletions, previous_path)`` per changed file."""
        statuses = self.run("diff", "--name-status", "-M", "-z", base, head, "--").stdout.split(b"\0")
        counts = self.run("diff", "--numstat", "-M", "-z", base, head, "--").stdout.split(b"\0")
        files = []
        items = [s.decode("utf-8", "surrogateescape") for s in statuses]
        i = 0
        while i < len(items) and items[i]:
            code = items[i]
            if code[0] in "RC":
                files.append([code[0], items[i + 2], 0, 0, items[i + 1]])
                i += 3
            else:
                files.append([code[0], items[i + 1], 0, 0, ""])
                i += 2
        # numstat -z: "<add>\t<del>\t<path>\0" or "<add>\t<del>\t\0<old>\0<new>\0" for renames.
        numbers = []
        parts = [c.decode("utf-8", "surrogateescape") for c in counts]
        j = 0
        while j < len(parts) and parts[j]:
            added, deleted, path = parts[j].split("\t", 2)
            if not path:
                j += 2
            numbers.append((0 if added == "-" else int(added), 0 if deleted == "-" else int(deleted)))
            j += 1
        for file, (added, deleted) in zip(files, numbers):
            file[2], file[3] = added, deleted
        return [tuple(f) for f in files]

    def fetch_objects(self, source: pathlib.Path, ref: str) -> None:
        """Copy the objects of ``ref`` in another local repository (a fork) into this one,
        without touching any ref of this one (no FETCH_HEAD either)."""
        self.run("fetch", "--no-tags", "--no-write-fetch-head", "--quiet", str(source), ref)


@contextlib.contextmanager
def scratch(git: Git, *read_from: pathlib.Path) -> Iterator["Scratch"]:
    """A temporary object directory: ``git`` inside the block writes there and reads the
    repository's objects (and those of ``read_from`` repositories) as alternates."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="plue-scratch-", dir=git.git_dir))
    try:
        alternates = [str(git.git_dir / "objects")] + [str(p / "objects") for p in read_from]
        yield Scratch(git.with_env(GIT_OBJECT_DIRECTORY=str(directory),
                                   GIT_ALTERNATE_OBJECT_DIRECTORIES=os.pathsep.join(alternates)),
                      directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@dataclasses.dataclass
class Scratch:
    git: Git
    directory: pathlib.Path

    def keep(self, *commits: str) -> None:
        """Move into the repository every object reachable from ``commits`` that only the
        scratch directory has (git's own write order: objects first, refs after)."""
        listed = self.git.text("rev-list", "--objects", "--no-object-names", *commits,
                               "--not", "--all", "--")
        target = self.git.git_dir / "objects"
        for sha in listed.split():
            source = self.directory / sha[:2] / sha[2:]
            if not source.exists():
                continue  # already in the repository (or one of its alternates)
            destination = target / sha[:2] / sha[2:]
            if destination.exists():
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            temporary = destination.with_name(f"tmp_obj_{os.getpid()}_{sha[2:]}")
            shutil.copyfile(source, temporary)
            os.chmod(temporary, 0o444)
            os.replace(temporary, destination)
