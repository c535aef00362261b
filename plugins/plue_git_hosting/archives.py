"""A repository's files at a branch, tag or commit as one download, at Gitea's addresses:
``/{owner}/{repo}/archive/{ref}.zip`` and ``.tar.gz`` — the ``zipball_url`` and
``tarball_url`` a tag carries. As Gitea's archiver (``git archive``) writes them: every file
under ``{repo}/``, stamped with the commit's time, executables and symbolic links kept,
submodules left out; the download is named ``{repo}-{ref}.{zip|tar.gz}`` (a ``/`` of the
ref as ``-``)."""

from __future__ import annotations

import dataclasses
import gzip
import io
import stat
import tarfile
import time
import zipfile
from typing import TYPE_CHECKING

from plue_core.errors import NotFound
from plue_git_hosting import git_reading

if TYPE_CHECKING:  # dulwich arrives with the first repository opened (docs/serving.md, Memory)
    from dulwich.repo import Repo

# Suffix -> content type, Gitea's archive types (its ``.bundle`` is not served here).
FORMATS = {".zip": "application/zip", ".tar.gz": "application/gzip"}


@dataclasses.dataclass(frozen=True)
class Archive:
    filename: str
    content_type: str
    data: bytes


def split_name(name: str) -> tuple[str, str]:
    """(ref, suffix) of ``v1.0.zip``; 404 naming the formats for any other suffix."""
    for suffix in FORMATS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)], suffix
    raise NotFound(f"unknown archive {name!r}: use {{ref}}.zip or {{ref}}.tar.gz")


def archive(repo: Repo, repository_name: str, name: str) -> Archive:
    """The archive ``name`` (``{ref}.zip`` or ``{ref}.tar.gz``) of ``repo``; 404 when the ref
    names no branch, tag or commit."""
    from dulwich.objects import S_ISGITLINK

    ref, suffix = split_name(name)
    _, commit = git_reading.resolve_commit(repo, ref)
    prefix = repository_name + "/"
    files = [(prefix + path.decode("utf-8", "replace"), mode, repo.object_store[sha].as_raw_string())
             for path, mode, sha in repo.object_store.iter_tree_contents(commit.tree)
             if not S_ISGITLINK(mode)]
    write = _zip if suffix == ".zip" else _tar_gz
    return Archive(f"{repository_name}-{ref.replace('/', '-')}{suffix}", FORMATS[suffix],
                   write(files, commit.commit_time))


def _zip(files: list[tuple[str, int, bytes]], when: int) -> bytes:
    buffer = io.BytesIO()
    stamp = time.gmtime(max(when, 315532800))[:6]  # zip cannot date before 1980
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for path, mode, data in files:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            kind = stat.S_IFLNK if stat.S_ISLNK(mode) else stat.S_IFREG
            permissions = 0o777 if stat.S_ISLNK(mode) else (0o755 if mode & 0o111 else 0o644)
            info.external_attr = (kind | permissions) << 16
            info.create_system = 3  # unix, so the mode bits are read
            out.writestr(info, data)
    return buffer.getvalue()


def _tar_gz(files: list[tuple[str, int, bytes]], when: int) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=when) as compressed, \
            tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as out:
        for path, mode, data in files:
            info = tarfile.TarInfo(path)
            info.mtime = when
            if stat.S_ISLNK(mode):
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, data.decode(), 0o777
                out.addfile(info)
            else:
                info.size, info.mode = len(data), 0o755 if mode & 0o111 else 0o644
                out.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
