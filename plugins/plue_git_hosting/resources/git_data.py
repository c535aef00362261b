"""Gitea's raw git data endpoints: commits, trees, blobs, refs, annotated tags."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from plue_core.errors import BadRequest, Invalid, NotFound
from plue_core.list_query import form_int
from plue_core.openapi import operation

from plue_git_hosting import git_reading
from plue_git_hosting.resources.common import GitHostingResource
from plue_git_hosting.schemas.shapes.git_objects import (
    ANNOTATED_TAG_SHAPE, COMMIT_SHAPE, GIT_BLOB_SHAPE, GIT_TREE_SHAPE, REFERENCE_SHAPE, GitEntry,
    GitTree, annotated_tag_json, blob_json, reference_json,
)

if TYPE_CHECKING:
    from dulwich.objects import Commit, Tree

TAGS = ("repository",)
_REF_PATTERN = re.compile(r"^[^\x00-\x20~^:?*\[\\]+$")


def commit_options(req) -> dict:
    """Gitea's ``stat``, ``files`` and ``verification`` flags, each true unless set false."""
    return {name: req.get_param_as_bool(name, default=True) for name in ("stat", "files", "verification")}


class CommitShapes(GitHostingResource):
    def commits_json(self, req, repository, git_repo, commits: list[Commit]) -> list[dict]:
        return self.hosting.commits_json(repository, git_repo, commits, req.context.identity,
                                         **commit_options(req))

    def single_commit(self, req, resp, owner, repo, ref: str) -> None:
        repository = self.readable(req, owner, repo)
        if not _REF_PATTERN.match(ref or ""):
            raise Invalid(f"no valid ref or sha: {ref!r}")
        if repository.is_empty:
            raise NotFound(f"repository {repository.full_name} is empty")
        with self.hosting.open_git(repository) as git_repo:
            _kind, commit = git_reading.resolve_commit(git_repo, ref)
            resp.media = self.commits_json(req, repository, git_repo, [commit])[0]


class GitCommitResource(CommitShapes):
    @operation("Get a single commit", response=COMMIT_SHAPE, tags=TAGS,
               query=("stat", "verification", "files"), operation_id="repoGetSingleCommit")
    def on_get(self, req, resp, owner, repo, sha):
        self.single_commit(req, resp, owner, repo, sha)


def _tree_of(git_repo, text: str) -> Tree:
    """A tree id, or anything that names a commit (sha, branch, tag)."""
    from dulwich.objects import Tree

    if (sha := git_reading.find_object_id(git_repo, text)) is not None:
        obj = git_repo[sha]
        if isinstance(obj, Tree):
            return obj
    _kind, commit = git_reading.resolve_commit(git_repo, text)
    return git_repo[commit.tree]


def _walk_tree(git_repo, tree: Tree, base: str, recursive: bool):
    for item in tree.iteritems():
        path = f"{base}{item.path.decode('utf-8', 'surrogateescape')}"
        yield path, item.mode, item.sha
        if recursive and item.mode & 0o170000 == 0o040000:
            yield from _walk_tree(git_repo, git_repo[item.sha], path + "/", True)


class GitTreeResource(GitHostingResource):
    @operation("Get a tree", response=GIT_TREE_SHAPE, tags=TAGS,
               query=("recursive", "page", "per_page"), operation_id="GetTree")
    def on_get(self, req, resp, owner, repo, sha):
        repository = self.readable(req, owner, repo)
        # Gitea's GetTreeBySHA: a page below 1 (or no integer) is 1, a per_page below 1 (or no
        # integer) or past the setting is the setting.
        page = max(form_int(req, "page"), 1)
        per_page = form_int(req, "per_page")
        most = self.hosting.settings["git_trees_per_page"]
        per_page = per_page if 0 < per_page <= most else most
        if repository.is_empty:
            raise NotFound(f"repository {repository.full_name} is empty")
        links = self.links(repository)
        with self.hosting.open_git(repository) as git_repo:
            tree = _tree_of(git_repo, sha)
            entries = list(_walk_tree(git_repo, tree, "", req.get_param_as_bool("recursive", default=False)))
            start = (page - 1) * per_page
            chosen = entries[start:start + per_page]
            rendered = []
            for path, mode, entry_sha in chosen:
                kind = {0o040000: "tree", 0o160000: "commit"}.get(mode & 0o170000, "blob")
                rendered.append(GitEntry(
                    path, f"{mode:06o}", kind,
                    git_reading.blob_size(git_repo, entry_sha) if kind == "blob" else 0,
                    entry_sha.decode(), f"{links.api}/git/{kind}s/{entry_sha.decode()}"))
        resp.media = GIT_TREE_SHAPE(GitTree(tree.id.decode(),
                                            f"{links.api}/git/trees/{tree.id.decode()}", rendered,
                                            start + per_page < len(entries), page, len(entries)))


class GitBlobResource(GitHostingResource):
    @operation("Get a blob (base64)", response=GIT_BLOB_SHAPE, tags=TAGS, operation_id="GetBlob")
    def on_get(self, req, resp, owner, repo, sha):
        from dulwich.objects import Blob

        repository = self.readable(req, owner, repo)
        if not sha:
            raise BadRequest("sha not provided")
        with self.hosting.open_git(repository) as git_repo:
            object_id = git_reading.find_object_id(git_repo, sha)
            obj = git_repo[object_id] if object_id is not None else None
            if not isinstance(obj, Blob):
                raise NotFound(f"blob {sha!r} does not exist in {repository.full_name}")
            data = obj.as_raw_string()
        too_big = len(data) > self.hosting.settings["max_blob_size"]
        resp.media = blob_json(self.links(repository), obj.id, None if too_big else data, len(data))


class GitRefsResource(GitHostingResource):
    def _refs(self, req, resp, owner, repo, prefix: str) -> None:
        repository = self.readable(req, owner, repo)
        links = self.links(repository)
        wanted = ("refs/" + prefix.strip("/")) if prefix else "refs/"
        with self.hosting.open_git(repository) as git_repo:
            refs = sorted((ref, sha) for ref, sha in git_repo.get_refs().items()
                          if ref != b"HEAD" and (ref.decode() == wanted or
                                                 ref.decode().startswith(wanted.rstrip("/") + "/")))
            if not refs:
                raise NotFound(f"no refs match {wanted!r}")
            resp.media = [reference_json(links, git_repo, ref, sha) for ref, sha in refs]

    @operation("List every git reference", response=REFERENCE_SHAPE, many=True, tags=TAGS,
               operation_id="repoListAllGitRefs")
    def on_get(self, req, resp, owner, repo):
        self._refs(req, resp, owner, repo, "")

    @operation("List git references under a prefix (heads, tags/v1, ...)",
               response=REFERENCE_SHAPE, many=True, tags=TAGS, operation_id="repoListGitRefs")
    def on_get_filtered(self, req, resp, owner, repo, ref):
        self._refs(req, resp, owner, repo, ref)


class GitAnnotatedTagResource(GitHostingResource):
    @operation("Get an annotated tag object", response=ANNOTATED_TAG_SHAPE, tags=TAGS, operation_id="GetAnnotatedTag")
    def on_get(self, req, resp, owner, repo, sha):
        from dulwich.objects import Tag

        repository = self.readable(req, owner, repo)
        links = self.links(repository)
        with self.hosting.open_git(repository) as git_repo:
            object_id = git_reading.find_object_id(git_repo, sha)
            tag = git_repo[object_id] if object_id is not None else None
            if not isinstance(tag, Tag):
                raise NotFound(f"annotated tag {sha!r} does not exist in {repository.full_name}")
            resp.media = annotated_tag_json(links, tag)
