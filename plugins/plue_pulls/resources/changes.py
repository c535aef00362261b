"""What a pull request changes: ``/pulls/{index}.diff|.patch``, ``/pulls/{index}/commits``
and ``/pulls/{index}/files`` (with Gitea's legacy paging headers on the last two)."""

from __future__ import annotations

import math

from plue_core.errors import NotFound
from plue_core.identity import current_identity
from plue_core.openapi import operation
from plue_core.pagination import Page

from plue_pulls import diffing
from plue_pulls.resources.common import PullsApiResource
from plue_pulls.schemas.shapes import CHANGED_FILE_SHAPE

TAGS = ("repository",)


def _legacy_headers(req, resp, page: Page, total: int) -> None:
    page.set_headers(req, resp, total)
    page_count = max(1, math.ceil(total / page.limit))
    for name, value in (("X-Page", page.page), ("X-PerPage", page.limit),
                        ("X-PageCount", page_count),
                        ("X-HasMore", "true" if page.page < page_count else "false")):
        resp.set_header(name, str(value))


class PullDiffResource(PullsApiResource):
    @operation("Get a pull request's diff or patch (text/plain)", tags=TAGS, query=("binary",),
               operation_id="repoDownloadPullDiffOrPatch")
    def on_get(self, req, resp, owner, repo, index, diff_type):
        if diff_type not in ("diff", "patch"):
            raise NotFound(f"unknown format {diff_type!r}: use .diff or .patch")
        access = self.read_access(req, owner, repo)
        pull = self.pull(access, index)
        resp.content_type = "text/plain; charset=utf-8"
        resp.data = self.service.raw_diff(pull, patch=diff_type == "patch",
                                          binary=req.get_param_as_bool("binary", default=False))


class PullCommitsResource(PullsApiResource):
    @operation("List a pull request's commits, newest first", tags=TAGS,
               query=("page", "limit", "verification", "files"),
               operation_id="repoGetPullRequestCommits")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo)
        pull = self.pull(access, index)
        shas = diffing.commit_shas(self.service, pull)
        page = Page.from_request(req, self.ctx.config.pagination)
        chosen = shas[page.offset:page.offset + page.limit]
        hosting = self.service.hosting
        with hosting.open_git(access.repository) as repo:
            commits = [repo[sha.encode()] for sha in chosen]
            body = hosting.commits_json(
                access.repository, repo, commits, current_identity(req), stat=True,
                files=req.get_param_as_bool("files", default=True),
                verification=req.get_param_as_bool("verification", default=True))
        _legacy_headers(req, resp, page, len(shas))
        resp.media = body


class PullFilesResource(PullsApiResource):
    @operation("List the files a pull request changes", response=CHANGED_FILE_SHAPE, many=True,
               tags=TAGS, query=("skip-to", "whitespace", "page", "limit"),
               operation_id="repoGetPullRequestFiles")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo)
        pull = self.pull(access, index)
        files, head = diffing.changed_files(self.service, pull)
        if skip_to := req.get_param("skip-to"):
            names = [f[1] for f in files]
            files = files[names.index(skip_to):] if skip_to in names else files
        page = Page.from_request(req, self.ctx.config.pagination)
        chosen = files[page.offset:page.offset + page.limit]
        _legacy_headers(req, resp, page, len(files))
        resp.media = self.presenter(req, access).changed_files(chosen, head)
