"""Gitea's ``ContentsResponse`` (a file, a directory entry, a symlink or a submodule)."""

from __future__ import annotations

import base64
from urllib.parse import quote

from dulwich.objects import Commit

from plue_git_hosting import git_reading
from plue_git_hosting.git_reading import Entry
from plue_git_hosting.shapes import Links


def _path_url(path: str) -> str:
    return quote(path, safe="/")


def contents_json(links: Links, entry: Entry, *, input_ref: str, ref_kind: str, ref_name: str,
                  size: int, content: bytes | None = None, target: str | None = None,
                  last_commit: Commit | None = None, submodule_url: str | None = None) -> dict:
    """``content`` is the file's bytes when it is to be included (a single-file GET)."""
    sha = entry.sha.decode()
    self_url = f"{links.api}/contents/{_path_url(entry.path)}?ref={quote(input_ref, safe='')}"
    web_ref = f"{ref_kind}/{_path_url(ref_name)}"
    kind = entry.kind
    html_url = git_url = download_url = None
    if kind != "submodule":
        html_url = f"{links.html}/src/{web_ref}/{_path_url(entry.path)}"
        git_url = f"{links.api}/git/blobs/{sha}"
    if kind in ("file", "symlink"):
        download_url = f"{links.html}/raw/{web_ref}/{_path_url(entry.path)}"
    body = {
        "name": entry.name,
        "path": entry.path,
        "sha": sha,
        "type": kind,
        "size": size,
        "encoding": "base64" if content is not None else None,
        "content": base64.b64encode(content).decode() if content is not None else None,
        "target": target,
        "url": self_url,
        "html_url": html_url,
        "git_url": git_url,
        "download_url": download_url,
        "submodule_git_url": submodule_url,
        "_links": {"self": self_url, "git": git_url, "html": html_url},
    }
    if last_commit is not None:
        body["last_commit_sha"] = last_commit.id.decode()
        body["last_committer_date"] = git_reading.committer_of(last_commit).rfc3339_local()
        body["last_author_date"] = git_reading.author_of(last_commit).rfc3339_local()
    return body
