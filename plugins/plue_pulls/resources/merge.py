"""``/pulls/{index}/merge``: is it merged (204 / 404), and merge it (200, empty body)."""

from __future__ import annotations

import falcon

from plue_core.errors import NotFound
from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_pulls.resources.common import PullsApiResource
from plue_pulls.schemas.options import MergePullRequestOption

TAGS = ("repository",)


class PullMergeResource(PullsApiResource):
    @operation("Check whether a pull request has been merged (204 yes, 404 no)", status=204,
               tags=TAGS, operation_id="repoPullRequestIsMerged")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo)
        pull = self.pull(access, index)
        if not pull.is_merged:
            raise NotFound(f"pull request #{pull.issue.number} has not been merged")
        resp.status = falcon.HTTP_204

    @operation("Merge a pull request", request=MergePullRequestOption, tags=TAGS,
               operation_id="repoMergePullRequest")
    def on_post(self, req, resp, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        pull = self.pull(access, index)
        options = load_body(req, MergePullRequestOption)
        self.service.merge(access, pull, doer, options)
        resp.status = falcon.HTTP_200
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = ""
