"""``POST /pulls/{index}/update?style=merge|rebase``: Gitea answers 200 with an empty body."""

from __future__ import annotations

import falcon

from plue_core.openapi import operation

from plue_pulls import updating
from plue_pulls.resources.common import PullsApiResource

TAGS = ("repository",)


class PullUpdateResource(PullsApiResource):
    @operation("Merge the base branch into the head branch, or rebase the head onto it",
               tags=TAGS, query=("style",), operation_id="repoUpdatePullRequest")
    def on_post(self, req, resp, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        pull = self.pull(access, index)
        style = req.get_param("style") or "merge"
        updating.update_head(self.service, access, pull, doer, style)
        resp.status = falcon.HTTP_200
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = ""
