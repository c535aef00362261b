"""Reading workflow files and changed paths out of a commit with dulwich (the git_hosting
service hands out the repository; this only reads objects)."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plue_core.bounded_cache import BoundedCache

import plue_workflows
from plue_workflows.discovery import discover_workflow_files, workflow_id
from plue_workflows.errors import WorkflowError

if TYPE_CHECKING:
    from dulwich.objects import Commit, Tree

    from plue_workflows import Workflow

MAX_WORKFLOW_SIZE = 1024 * 1024  # Gitea reads at most 1 MiB per file
ZERO_SHA = "0" * 40


@dataclass(frozen=True)
class WorkflowFile:
    path: str  # .gitea/workflows/ci.yml
    workflow_id: str  # ci.yml
    content: str
    blob: str = ""  # the git blob id of its content: what is parsed from it never changes


def commit_of(repo, sha: str) -> Commit | None:
    from dulwich.objects import Commit, Tag

    try:
        obj = repo[sha.encode()]
    except (KeyError, ValueError):
        return None
    while isinstance(obj, Tag):
        obj = repo[obj.object[1]]
    return obj if isinstance(obj, Commit) else None


def _tree_at(repo, tree: Tree, path: str) -> Tree | None:
    try:
        mode, sha = tree.lookup_path(repo.__getitem__, path.encode())
    except KeyError:
        return None
    from dulwich.objects import Tree

    obj = repo[sha]
    return obj if stat.S_ISDIR(mode) and isinstance(obj, Tree) else None


def _walk(repo, tree: Tree, base: str) -> list[str]:
    paths = []
    for item in tree.iteritems():
        name = f"{base}/{item.path.decode('utf-8', 'replace')}"
        if stat.S_ISDIR(item.mode):
            paths += _walk(repo, repo[item.sha], name)
        elif stat.S_ISREG(item.mode):
            paths.append(name)
    return paths


def workflow_files(repo, commit: Commit) -> list[WorkflowFile]:
    """The commit's workflow files (first existing directory wins), with their text."""
    root = repo[commit.tree]

    def list_directory(path: str):
        tree = _tree_at(repo, root, path)
        return None if tree is None else _walk(repo, tree, path)

    files = []
    for path in discover_workflow_files(list_directory):
        _, sha = root.lookup_path(repo.__getitem__, path.encode())
        data = repo[sha].as_raw_string()
        if len(data) > MAX_WORKFLOW_SIZE:
            content = None
        else:
            content = data.decode("utf-8", "replace")
        files.append(WorkflowFile(path, workflow_id(path), content if content is not None else "",
                                  sha.decode()))
    return files


# A workflow file parsed, per blob id and workflow id: a push reads the same unchanged file
# again and again (and the default branch's twice, for its schedules and its runs); parsing
# the YAML cost more than writing the run. Workflow and its parts are frozen.
_PARSED = BoundedCache(256)


def parse_workflow(content: str, workflow_id: str) -> Workflow:
    """The parsed workflow; raises WorkflowError naming what is wrong. plue_workflows'
    language (its YAML reader, expressions and planner, ~1 MB) arrives with the first
    workflow read, so a worker that serves no push nor run never loads it
    (tests/hosts/test_imports_per_process.py)."""
    return plue_workflows.parse_workflow(content, workflow_id)


def parsed(file: WorkflowFile) -> tuple[Workflow | None, str | None]:
    """``(workflow, None)``, or ``(None, the error)`` when the file does not parse."""
    key = (file.blob, file.workflow_id)
    found = _PARSED.get(key) if file.blob else None
    if found is None:
        try:
            found = (parse_workflow(file.content, file.workflow_id), None)
        except WorkflowError as problem:
            found = (None, str(problem))
        if file.blob:
            _PARSED.put(key, found)
    return found


def changed_paths(repo, before: str, after: Commit) -> tuple[str, ...] | None:
    """Paths changed between ``before`` and ``after``; None when unknown (a new ref)."""
    if not before or before == ZERO_SHA:
        return None
    old = commit_of(repo, before)
    if old is None:
        return None
    paths: set[str] = set()
    for change in repo.object_store.tree_changes(old.tree, after.tree):
        for path in change[0]:
            if path is not None:
                paths.add(path.decode("utf-8", "replace"))
    return tuple(sorted(paths))
