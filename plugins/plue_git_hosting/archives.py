"""A repository's files at a branch, tag or commit as one download, at Gitea's addresses:
``/{owner}/{repo}/archive/{ref}.zip`` and ``.tar.gz`` — the ``zipball_url`` and
``tarball_url`` a tag carries — and its API's ``GET /repos/{owner}/{repo}/archive/{archive}``.
Written by ``git archive`` itself, as Gitea's archiver does: every file under ``{repo}/``,
stamped with the commit's time, executables and symbolic links kept, submodules left out; the
download is named ``{repo}-{ref}.{zip|tar.gz}`` (a ``/`` of the ref as ``-``).

The archive is never held whole: git's stdout is the response body, read as the client takes
it, and git is killed when the client goes away (the transport's ``stream``)."""

from __future__ import annotations

import dataclasses
import pathlib
from typing import TYPE_CHECKING, Iterator

from plue_core.errors import BadRequest, NotFound
from plue_git_hosting import git_reading

if TYPE_CHECKING:  # dulwich arrives with the first repository opened (docs/serving.md, Memory)
    from dulwich.repo import Repo

# Suffix -> (git archive's --format, content type): Gitea's archive types (its ``.bundle``
# is not served here).
FORMATS = {".zip": ("zip", "application/zip"), ".tar.gz": ("tar.gz", "application/gzip")}


class UnknownFormat(BadRequest):
    """Gitea's ``ErrUnknownArchiveFormat`` (its API's 400; the web page answers 404, as for
    any address that is no download)."""


@dataclasses.dataclass(frozen=True)
class Archive:
    filename: str
    content_type: str
    # git archive's output, in pieces; closing the iterator before its end kills git.
    chunks: Iterator[bytes]


def split_name(name: str) -> tuple[str, str]:
    """(ref, suffix) of ``v1.0.zip``; UnknownFormat naming the formats for any other suffix."""
    for suffix in FORMATS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)], suffix
    raise UnknownFormat(f"unknown archive format {name!r}: use {{ref}}.zip or {{ref}}.tar.gz")


def archive(repo: Repo, path: pathlib.Path, repository_name: str, name: str,
            stream, paths: tuple[str, ...] = ()) -> Archive:
    """The archive ``name`` (``{ref}.zip`` or ``{ref}.tar.gz``) of the repository at ``path``
    (``repo`` open on it), only ``paths`` when given (Gitea's ``path`` query). Everything is
    checked before anything streams — once git writes, the answer is a 200 —: a ref that names
    no branch, tag or commit, or a path absent at it, is a 404; a bad suffix UnknownFormat.
    ``stream(argv)`` runs git with those arguments and iterates its stdout
    (``GitBinaryTransport.stream``)."""
    ref, suffix = split_name(name)
    _, commit = git_reading.resolve_commit(repo, ref)
    wanted = [p.strip("/") for p in paths]
    for wanted_path in wanted:
        if not wanted_path or git_reading.lookup_path(repo, commit.tree, wanted_path) is None:
            raise NotFound(f"no path {wanted_path!r} at {ref!r}")
    git_format, content_type = FORMATS[suffix]
    # ":(literal)": a path is a path, never a pattern or git's magic.
    chunks = stream([f"--git-dir={path}", "archive", f"--format={git_format}",
                     f"--prefix={repository_name}/", commit.id.decode(), "--",
                     *(f":(literal){p}" for p in wanted)])
    return Archive(f"{repository_name}-{ref.replace('/', '-')}{suffix}", content_type, chunks)

