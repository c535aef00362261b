"""Gitea's ``ContentsResponse`` (a file, a directory entry, a symlink or a submodule) and the
answers of the contents writes (``FileResponse``, ``FilesResponse``)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from urllib.parse import quote

from plue_core.shapes import Shape, array, integer, obj, string, time
from plue_git_hosting import git_reading
from plue_git_hosting.git_reading import Entry
from plue_git_hosting.schemas.shapes import Links
from plue_git_hosting.schemas.shapes.git_objects import (
    FILE_COMMIT_SHAPE, UNSIGNED_FIELD, file_commit_response)

if TYPE_CHECKING:
    from dulwich.objects import Commit


def _path_url(path: str) -> str:
    return quote(path, safe="/")


class _ContentsView:
    """URLs and the optional parts of one entry, computed once."""

    __slots__ = ("sha", "size", "content", "target", "url", "html_url", "git_url",
                 "download_url", "submodule_url", "last_commit")

    def __init__(self, sha, size, content, target, url, html_url, git_url, download_url,
                 submodule_url, last_commit):
        self.sha, self.size, self.content, self.target = sha, size, content, target
        self.url, self.html_url, self.git_url = url, html_url, git_url
        self.download_url, self.submodule_url, self.last_commit = (
            download_url, submodule_url, last_commit)


FILE_LINKS_SHAPE = Shape("FileLinksResponse", [
    string("self", lambda v, _: v.url), string("git", lambda v, _: v.git_url, nullable=True),
    string("html", lambda v, _: v.html_url, nullable=True),
])

CONTENTS_SHAPE = Shape("ContentsResponse", [
    string("name", lambda e, v: e.name),
    string("path", lambda e, v: e.path),
    string("sha", lambda e, v: v.sha),
    string("type", lambda e, v: e.kind),
    integer("size", lambda e, v: v.size),
    string("encoding", lambda e, v: "base64" if v.content is not None else None, nullable=True),
    string("content", lambda e, v: base64.b64encode(v.content).decode()
           if v.content is not None else None, nullable=True),
    string("target", lambda e, v: v.target, nullable=True),
    string("url", lambda e, v: v.url),
    string("html_url", lambda e, v: v.html_url, nullable=True),
    string("git_url", lambda e, v: v.git_url, nullable=True),
    string("download_url", lambda e, v: v.download_url, nullable=True),
    string("submodule_git_url", lambda e, v: v.submodule_url, nullable=True),
    obj("_links", lambda e, v: FILE_LINKS_SHAPE(v), shape=FILE_LINKS_SHAPE),
    # Only where the last commit that touched the entry is known (a file read or write).
    string("last_commit_sha", lambda e, v: v.last_commit.id.decode() if v.last_commit else None,
           omit_empty=True),
    time("last_committer_date", lambda e, v: git_reading.committer_of(v.last_commit)
         .rfc3339_local() if v.last_commit else None, omit_empty=True),
    time("last_author_date", lambda e, v: git_reading.author_of(v.last_commit).rfc3339_local()
         if v.last_commit else None, omit_empty=True),
])


def contents_json(links: Links, entry: Entry, *, input_ref: str, ref_kind: str, ref_name: str,
                  size: int, content: bytes | None = None, target: str | None = None,
                  last_commit: Commit | None = None, submodule_url: str | None = None) -> dict:
    """``content`` is the file's bytes when it is to be included (a single-file GET)."""
    sha = entry.sha.decode()
    web_ref = f"{ref_kind}/{_path_url(ref_name)}"
    path = _path_url(entry.path)
    kind = entry.kind
    html_url = git_url = download_url = None
    if kind != "submodule":
        html_url = f"{links.html}/src/{web_ref}/{path}"
        git_url = f"{links.api}/git/blobs/{sha}"
    if kind in ("file", "symlink"):
        download_url = f"{links.html}/raw/{web_ref}/{path}"
    view = _ContentsView(
        sha=sha, size=size, content=content, target=target,
        url=f"{links.api}/contents/{path}?ref={quote(input_ref, safe='')}",
        html_url=html_url, git_url=git_url, download_url=download_url,
        submodule_url=submodule_url, last_commit=last_commit)
    return CONTENTS_SHAPE(entry, view)


FILE_RESPONSE_SHAPE = Shape("FileResponse", [
    obj("content", lambda w, _: w[0][0], shape=CONTENTS_SHAPE, nullable=True),
    obj("commit", lambda w, links: file_commit_response(links, w[1]), shape=FILE_COMMIT_SHAPE),
    obj("verification", **UNSIGNED_FIELD),
])
FILES_RESPONSE_SHAPE = Shape("FilesResponse", [
    array("files", lambda w, _: w[0], items=CONTENTS_SHAPE),
    obj("commit", lambda w, links: file_commit_response(links, w[1]), shape=FILE_COMMIT_SHAPE),
    obj("verification", **UNSIGNED_FIELD),
])


def file_write_json(links: Links, files: list[dict | None], commit: Commit, *, many: bool) -> dict:
    """What a contents write answers: the written file (``FileResponse``) or files
    (``FilesResponse``, None for a deleted one) and the commit it made."""
    return (FILES_RESPONSE_SHAPE if many else FILE_RESPONSE_SHAPE)((files, commit), links)

