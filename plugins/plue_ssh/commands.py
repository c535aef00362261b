"""What an SSH client may ask to run: ``git-upload-pack``, ``git-receive-pack`` or
``git-upload-archive`` (also spelt ``git upload-pack``) with one repository path,
``owner/repo.git`` with or without ``.git`` and a leading ``/`` or ``~`` (what git sends for
``ssh://host/owner/repo.git``, ``host:owner/repo.git`` and ``ssh://host/~owner/repo``)."""

from __future__ import annotations

import dataclasses
import re
import shlex

SERVICES = ("git-upload-pack", "git-receive-pack", "git-upload-archive")
_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


class RefusedCommand(ValueError):
    """The command is not one Plue runs; the message says what is accepted."""


@dataclasses.dataclass(frozen=True)
class GitRequest:
    service: str
    owner: str
    repo: str

    @property
    def pushes(self) -> bool:
        return self.service == "git-receive-pack"


_ACCEPTED = ("Plue runs only git-upload-pack, git-receive-pack and git-upload-archive with a "
             "repository path such as 'owner/repo.git'")


def parse_command(command: str) -> GitRequest:
    try:
        words = shlex.split(command)
    except ValueError:
        raise RefusedCommand(f"cannot parse the command: {_ACCEPTED}") from None
    if len(words) == 3 and words[0] == "git":  # "git upload-pack 'owner/repo.git'"
        words = [f"git-{words[1]}", words[2]]
    if len(words) != 2 or words[0] not in SERVICES:
        shown = words[0] if words else command
        raise RefusedCommand(f"{shown!r} is not allowed: {_ACCEPTED}")
    path = words[1].lstrip("/").lstrip("~")
    parts = path.split("/")
    if len(parts) != 2:
        raise RefusedCommand(f"{words[1]!r} is not a repository path: use 'owner/repo.git'")
    owner, repo = parts[0], parts[1].removesuffix(".git")
    if not (_NAME.match(owner) and _NAME.match(repo)) or owner.startswith(".") or repo.startswith("."):
        raise RefusedCommand(f"{words[1]!r} is not a repository path: use 'owner/repo.git'")
    return GitRequest(words[0], owner, repo)
