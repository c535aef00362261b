"""Reading refs of a bare repository with dulwich (no subprocess): branch tips, and whether a
name is a tag or a commit rather than a branch."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dulwich.repo import Repo


HEADS, TAGS = "refs/heads/", "refs/tags/"
_HEX = re.compile(r"^[0-9a-f]{7,64}$")


def branch_sha(repo: Repo, branch: str) -> str | None:
    """The commit ``branch`` points at, or None when there is no such branch."""
    sha = repo.refs.as_dict().get((HEADS + branch).encode())
    return sha.decode() if sha else None


def ref_sha(repo: Repo, ref: str) -> str | None:
    sha = repo.refs.as_dict().get(ref.encode())
    return sha.decode() if sha else None


def is_tag_or_commit(repo: Repo, name: str) -> bool:
    if (TAGS + name).encode() in repo.refs:
        return True
    if _HEX.match(name or ""):
        try:
            return repo[name.encode()].type_name == b"commit" if len(name) == 40 else False
        except KeyError:
            return False
    return False
