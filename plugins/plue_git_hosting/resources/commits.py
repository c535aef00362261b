"""Gitea's commit history and compare endpoints."""

from __future__ import annotations

import math

from plue_core.errors import Conflict, Invalid, NotFound
from plue_core.openapi import operation
from plue_core.pagination import Page
from plue_core.timestamps import parse_rfc3339, unix_seconds
from plue_git_hosting import git_reading, history
from plue_git_hosting.contents import validate_tree_path
from plue_git_hosting.resources.git_data import CommitShapes
from plue_git_hosting.schemas.shapes.git_objects import COMMIT_SHAPE, COMPARE_SHAPE

TAGS = ("repository",)
# Compare lists at most this many commits (``total_commits`` still counts all of them).
COMPARE_LIMIT = 250


def _unix(req, name: str) -> int | None:
    text = req.get_param(name)
    if not text:
        return None
    try:
        return unix_seconds(parse_rfc3339(text))
    except ValueError:
        raise Invalid(f"{name}: {text!r} is not an RFC 3339 date") from None


class CommitsResource(CommitShapes):
    @operation("List a branch's (or a path's) commits, newest first", response=COMMIT_SHAPE,
               many=True, tags=TAGS, operation_id="repoGetAllCommits",
               query=("sha", "path", "since", "until", "stat", "verification", "files", "not",
                      "page", "limit"))
    def on_get(self, req, resp, owner, repo):
        repository = self.readable(req, owner, repo)
        if repository.is_empty:
            raise Conflict("Git Repository is empty.")
        page = Page.from_request(req, self.pagination)
        path = req.get_param("path") or ""
        if path:
            validate_tree_path(path)
        with self.hosting.open_git(repository) as git_repo:
            _kind, head = git_reading.resolve_commit(git_repo, req.get_param("sha") or repository.default_branch)
            exclude = []
            if not_ref := req.get_param("not"):
                exclude.append(git_reading.resolve_commit(git_repo, not_ref)[1].id)
            walk = history.walk(git_repo, [head.id], exclude, path=path,
                                since=_unix(req, "since"), until=_unix(req, "until"))
            commits, total = history.page_of(walk, page.offset, page.limit)
            body = self.commits_json(req, repository, git_repo, commits)
        page.set_headers(req, resp, total)
        page_count = max(1, math.ceil(total / page.limit))
        for name, value in (("X-Total", total), ("X-PerPage", page.limit), ("X-Page", page.page),
                            ("X-PageCount", page_count),
                            ("X-HasMore", "true" if page.page < page_count else "false")):
            resp.set_header(name, str(value))
        resp.media = body


class CommitResource(CommitShapes):
    @operation("Get a single commit by sha, branch or tag", response=COMMIT_SHAPE, tags=TAGS,
               query=("stat", "verification", "files"), operation_id="repoGetCommit")
    def on_get(self, req, resp, owner, repo, ref):
        self.single_commit(req, resp, owner, repo, ref)


class CompareResource(CommitShapes):
    @operation("Compare two refs: the commits in head that base lacks", response=COMPARE_SHAPE,
               tags=TAGS, operation_id="repoCompareDiff")
    def on_get(self, req, resp, owner, repo, basehead):
        repository = self.readable(req, owner, repo)
        separator = "..." if "..." in basehead else ".."
        base, _, head = basehead.partition(separator)
        if not base or not head or separator not in basehead:
            raise Invalid(f"basehead: expected 'base...head', got {basehead!r}")
        if repository.is_empty:
            raise NotFound(f"repository {repository.full_name} is empty")
        with self.hosting.open_git(repository) as git_repo:
            base_commit = git_reading.resolve_commit(git_repo, base)[1]
            head_commit = git_reading.resolve_commit(git_repo, head)[1]
            walk = history.walk(git_repo, [head_commit.id], [base_commit.id])
            commits, total = history.page_of(walk, 0, COMPARE_LIMIT)
            commits.reverse()  # oldest first, as Gitea lists a comparison
            resp.media = COMPARE_SHAPE((total, self.commits_json(req, repository, git_repo,
                                                                 commits)))
