"""Gitea's contents and raw endpoints."""

from __future__ import annotations

import falcon

from plue_core.content_disposition import content_disposition
from plue_core.errors import NotFound
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_git_hosting import browsing, contents, git_reading
from plue_git_hosting.contents import FileChange, decode_content
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.shapes.contents import (
    CONTENTS_SHAPE, FILE_RESPONSE_SHAPE, FILES_RESPONSE_SHAPE, file_write_json,
)
from plue_git_hosting.schemas.options import (
    ChangeFilesOptions, CreateFileOptions, DeleteFileOptions, UpdateFileOptions,
)

TAGS = ("repository",)


class ContentsShapes(GitHostingResource):
    def read(self, req, resp, owner, repo, path: str) -> None:
        repository = self.readable(req, owner, repo)
        if repository.is_empty:
            if path == "":
                resp.media = []  # Gitea: the root of an empty repository is an empty list
                return
            raise NotFound(f"{path!r} does not exist: repository {repository.full_name} is empty")
        with self.hosting.open_git(repository) as git_repo:
            at = browsing.resolve_ref(git_repo, repository, req.get_param("ref"))
            resp.media = browsing.read_contents(
                self.links(repository), git_repo, at, path,
                max_blob_size=self.hosting.settings["max_blob_size"])

    def write(self, req, resp, repository, options: dict, changes: list[FileChange], *,
              many: bool, status) -> None:
        doer = self.accounts.account_for(req.context.identity)
        commit, branch = contents.change_files(self.hosting, repository, doer, options, changes)
        links = self.links(repository)
        files = []
        with self.hosting.open_git(repository) as git_repo:
            at = browsing.RefCommit(branch, "branch", commit)
            for change in changes:
                entry = git_reading.lookup_path(git_repo, commit.tree, change.path)
                files.append(None if entry is None else browsing.entry_json(
                    links, git_repo, at, entry, with_content=True,
                    max_blob_size=self.hosting.settings["max_blob_size"], last_commit=commit))
        resp.status = status
        resp.media = file_write_json(links, files, commit, many=many)

    def max_size(self) -> int:
        return self.hosting.settings["max_file_size"]

    @property
    def max_body_size(self) -> int:
        """The core's JSON body limit, raised so a file of ``max_file_size`` fits once base64
        has inflated it by 4/3 (read by the core's BodyLimitMiddleware)."""
        return max(self.hosting.ctx.config.max_body_size, self.max_size() * 4 // 3 + 1024 * 1024)


class ContentsRootResource(ContentsShapes):
    @operation("List the repository's root directory", response=CONTENTS_SHAPE, many=True,
               tags=TAGS, query=("ref",), operation_id="repoGetContentsList")
    def on_get(self, req, resp, owner, repo):
        self.read(req, resp, owner, repo, "")

    @operation("Create, update, rename or delete several files in one commit",
               request=ChangeFilesOptions, response=FILES_RESPONSE_SHAPE, status=201, tags=TAGS,
               operation_id="repoChangeFiles")
    def on_post(self, req, resp, owner, repo):
        repository = self.writable(req, owner, repo)  # 404 before the body's 422, as Gitea
        options = load_body(req, ChangeFilesOptions)
        changes = [FileChange(op["operation"], op["path"],
                              None if op["operation"] == "delete"
                              else decode_content(op["content"], self.max_size(), op["path"]),
                              op["sha"], op["from_path"]) for op in options["files"]]
        self.write(req, resp, repository, options, changes, many=True, status=falcon.HTTP_201)


class ContentsResource(ContentsShapes):
    @operation("Get a file (base64) or a directory listing", response=CONTENTS_SHAPE,
               tags=TAGS, query=("ref",), operation_id="repoGetContents")
    def on_get(self, req, resp, owner, repo, filepath):
        self.read(req, resp, owner, repo, filepath)

    @operation("Create a file (one commit)", request=CreateFileOptions,
               response=FILE_RESPONSE_SHAPE, status=201, tags=TAGS, operation_id="repoCreateFile")
    def on_post(self, req, resp, owner, repo, filepath):
        repository = self.writable(req, owner, repo)  # 404 before the body's 422, as Gitea
        options = load_body(req, CreateFileOptions)
        change = FileChange("create", filepath, decode_content(options["content"], self.max_size(), filepath))
        self.write(req, resp, repository, options, [change], many=False, status=falcon.HTTP_201)

    @operation("Update a file (its current blob sha is required; a stale sha is 409)",
               request=UpdateFileOptions, response=FILE_RESPONSE_SHAPE, tags=TAGS,
               operation_id="repoUpdateFile")
    def on_put(self, req, resp, owner, repo, filepath):
        repository = self.writable(req, owner, repo)  # 404 before the body's 422, as Gitea
        options = load_body(req, UpdateFileOptions)
        data = decode_content(options["content"], self.max_size(), filepath)
        # Gitea: without a sha (and without from_path) PUT creates the file, answering 201.
        creating = not options["sha"] and not options["from_path"]
        change = FileChange("create" if creating else "update", filepath, data, options["sha"],
                            options["from_path"])
        self.write(req, resp, repository, options, [change], many=False,
                   status=falcon.HTTP_201 if creating else falcon.HTTP_200)

    @operation("Delete a file (its current blob sha is required)", request=DeleteFileOptions,
               response=FILE_RESPONSE_SHAPE, tags=TAGS, operation_id="repoDeleteFile")
    def on_delete(self, req, resp, owner, repo, filepath):
        repository = self.writable(req, owner, repo)  # 404 before the body's 422, as Gitea
        options = load_body(req, DeleteFileOptions)
        change = FileChange("delete", filepath, None, options["sha"])
        self.write(req, resp, repository, options, [change], many=False, status=falcon.HTTP_200)


class RawResource(GitHostingResource):
    @operation("Get a file's raw content", tags=TAGS, query=("ref",), operation_id="repoGetRawFile")
    def on_get(self, req, resp, owner, repo, filepath):
        repository = self.readable(req, owner, repo)
        if repository.is_empty:
            raise NotFound(f"{filepath!r} does not exist: repository {repository.full_name} is empty")
        with self.hosting.open_git(repository) as git_repo:
            at, path = self._locate(git_repo, repository, req.get_param("ref"), filepath)
            entry = browsing.entry_at(git_repo, at, path)
            if entry.kind not in ("file", "symlink"):
                raise NotFound(f"{path!r} is a {entry.kind}, not a file")
            data = git_reading.read_blob(git_repo, entry.sha)
        resp.content_type = ("application/octet-stream" if b"\0" in data[:8000]
                             else "text/plain; charset=utf-8")
        resp.set_header("Content-Disposition", content_disposition("inline", entry.name))
        resp.set_header("ETag", f'"{entry.sha.decode()}"')
        resp.data = data

    def _locate(self, git_repo, repository, ref: str | None, filepath: str):
        """``?ref=`` when given; otherwise Gitea's legacy form ``raw/{ref}/{path}`` is tried
        when the whole path does not exist on the default branch."""
        at = browsing.resolve_ref(git_repo, repository, ref)
        if ref or git_reading.lookup_path(git_repo, at.commit.tree, filepath) is not None:
            return at, filepath
        parts = filepath.split("/")
        for cut in range(1, len(parts)):
            candidate, rest = "/".join(parts[:cut]), "/".join(parts[cut:])
            try:
                legacy = browsing.resolve_ref(git_repo, repository, candidate)
            except NotFound:
                continue
            if git_reading.lookup_path(git_repo, legacy.commit.tree, rest) is not None:
                return legacy, rest
        return at, filepath


class ArchiveResource(GitHostingResource):
    """Gitea's ``repoGetArchive``: the same download as the web's ``/archive/{ref}.zip``
    (git_hosting's ``archive``), streamed; Gitea's errors (404 for an unknown ref or path,
    400 for an unknown format)."""

    @operation("Get an archive of a repository", tags=TAGS, query=("path",),
               operation_id="repoGetArchive")
    def on_get(self, req, resp, owner, repo, archive):
        repository = self.readable(req, owner, repo)
        found = self.hosting.archive(repository, archive,
                                     tuple(req.get_param_as_list("path") or ()))
        resp.content_type = found.content_type
        resp.set_header("Content-Disposition", content_disposition("attachment", found.filename))
        resp.stream = found.chunks
