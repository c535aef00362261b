"""Where a page is in a repository's code: the ref (branch, tag or commit) and the path, parsed
from Gitea's URLs (``/src/branch/{branch}/{path}`` — a branch name may hold slashes, so the
longest existing name wins) and turned back into links."""

from __future__ import annotations

import dataclasses
import urllib.parse

from plue_core.errors import NotFound

KINDS = ("branch", "tag", "commit")
_FULL_REF = {"branch": "refs/heads/", "tag": "refs/tags/"}


def quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/")


@dataclasses.dataclass(frozen=True)
class Location:
    repo_url: str   # /owner/repo
    kind: str       # branch | tag | commit
    ref: str        # the branch or tag name, or the commit id
    path: str = ""

    def link(self, view: str, path: str | None = None) -> str:
        """``/owner/repo/{view}/{kind}/{ref}/{path}`` (view: src, raw, commits)."""
        path = self.path if path is None else path
        url = f"{self.repo_url}/{view}/{self.kind}/{quote(self.ref)}"
        return f"{url}/{quote(path)}" if path else url

    @property
    def crumbs(self) -> list[tuple[str, str]]:
        """(name, link) for each directory down to the path."""
        parts = [part for part in self.path.split("/") if part]
        return [(part, self.link("src", "/".join(parts[:index + 1])))
                for index, part in enumerate(parts)]


def locate(reader, repo_url: str, kind: str, rest: str):
    """The ``Location`` and resolved ``RefCommit`` of ``/{view}/{kind}/{rest}``; 404 when the
    kind or the ref does not exist."""
    if kind not in KINDS:
        raise NotFound(f"no {kind!r} in a code address: use branch, tag or commit")
    parts = [part for part in rest.split("/") if part]
    if not parts:
        raise NotFound(f"a {kind} name is missing")
    if kind == "commit":
        ref, path = parts[0], "/".join(parts[1:])
        commit = reader.commit(ref)
        return Location(repo_url, kind, commit.id.decode(), path), reader.resolve(commit.id.decode())
    names = set(reader.branch_names() if kind == "branch" else reader.tag_names())
    for cut in range(len(parts), 0, -1):
        name = "/".join(parts[:cut])
        if name in names:
            at = reader.resolve(_FULL_REF[kind] + name)
            return Location(repo_url, kind, name, "/".join(parts[cut:])), at
    raise NotFound(f"no {kind} named {parts[0]!r}")
