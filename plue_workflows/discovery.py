"""Finding workflow files in a commit: ``.gitea/workflows`` first, else ``.github/workflows``."""

from __future__ import annotations

from typing import Callable, Iterable

WORKFLOW_DIRECTORIES = (".gitea/workflows", ".github/workflows")
WORKFLOW_SUFFIXES = (".yml", ".yaml")


def discover_workflow_files(list_directory: Callable[[str], Iterable[str] | None],
                            directories: Iterable[str] = WORKFLOW_DIRECTORIES) -> list[str]:
    """Paths of the workflow files of a commit, sorted.

    ``list_directory(path)`` returns the file paths under ``path`` at the commit (relative
    names or full paths, recursively or not, as the caller's git layer provides) or None when
    the directory does not exist. The first existing directory wins, as in Gitea: a
    repository with ``.gitea/workflows`` ignores ``.github/workflows`` entirely.
    """
    for directory in directories:
        entries = list_directory(directory)
        if entries is None:
            continue
        paths = []
        for entry in entries:
            path = entry if entry.startswith(directory + "/") else f"{directory}/{entry}"
            if path.endswith(WORKFLOW_SUFFIXES):
                paths.append(path)
        return sorted(paths)
    return []


def workflow_id(path: str) -> str:
    """The workflow id Gitea uses in its API and runs: the path below the directory."""
    for directory in WORKFLOW_DIRECTORIES:
        if path.startswith(directory + "/"):
            return path[len(directory) + 1:]
    return path.rsplit("/", 1)[-1]
