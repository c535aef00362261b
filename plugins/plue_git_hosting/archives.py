"""A repository's files at a ref as one ``.zip`` or ``.tar.gz`` (what a tag's ``zipball_url``
and ``tarball_url`` name, Gitea's ``/{owner}/{repo}/archive/{ref}.zip``): every entry under
``{repo}/``, as ``git archive --prefix`` lays it out; submodules are left out, as there."""

from __future__ import annotations

import io
import stat
import tarfile
import tempfile
import time
import zipfile

from dulwich.objects import S_ISGITLINK
from dulwich.repo import Repo

FORMATS = {".zip": "application/zip", ".tar.gz": "application/gzip"}
SPOOL_LIMIT = 8 * 1024 * 1024  # larger archives spill to a temporary file


def split_name(archive: str) -> tuple[str, str] | None:
    """``("v1.0", ".tar.gz")`` for ``v1.0.tar.gz``; None for a format Plue does not make."""
    for suffix in FORMATS:
        if archive.endswith(suffix) and len(archive) > len(suffix):
            return archive[:-len(suffix)], suffix
    return None


def _entries(repo: Repo, tree_id: bytes):
    for entry in repo.object_store.iter_tree_contents(tree_id):
        if S_ISGITLINK(entry.mode):
            continue
        yield entry.path.decode("utf-8", "surrogateescape"), entry.mode, repo[entry.sha].data


def write_archive(repo: Repo, commit, prefix: str, suffix: str) -> tempfile.SpooledTemporaryFile:
    """The archive of ``commit``'s tree, rewound, entries dated by the commit as git's are."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_LIMIT)
    when = commit.commit_time
    if suffix == ".zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            stamp = time.gmtime(max(when, 315532800))[:6]  # zip cannot date before 1980
            for path, mode, data in _entries(repo, commit.tree):
                info = zipfile.ZipInfo(f"{prefix}/{path}", date_time=stamp)
                info.external_attr = (mode & 0xFFFF) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    else:
        with tarfile.open(fileobj=out, mode="w:gz") as archive:
            for path, mode, data in _entries(repo, commit.tree):
                info = tarfile.TarInfo(f"{prefix}/{path}")
                info.mtime = when
                if stat.S_ISLNK(mode):
                    info.type, info.linkname = tarfile.SYMTYPE, data.decode("utf-8", "surrogateescape")
                    archive.addfile(info)
                    continue
                info.mode, info.size = (0o775 if mode & 0o111 else 0o664), len(data)
                archive.addfile(info, io.BytesIO(data))
    out.seek(0)
    return out
