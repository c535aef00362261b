"""``/pulls/comments/{id}/resolve`` and ``…/unresolve`` (204), and
``/pulls/{index}/comments/{id}/replies`` (201, the new ``PullReviewComment``): a review's
line comments as conversations (``conversations``)."""

from __future__ import annotations

import falcon

from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_pulls import conversations
from plue_pulls.resources.common import PullsApiResource
from plue_pulls.schemas.options import CreatePullReviewCommentReplyOptions
from plue_pulls.schemas.shapes import PULL_REVIEW_COMMENT_SHAPE

TAGS = ("repository",)


class ResolveResource(PullsApiResource):
    def _mark(self, req, owner, repo, comment_id, resolved: bool) -> None:
        access, doer = self.write_access(req, owner, repo)
        pull, comment = conversations.find_comment(self.service, access, comment_id, doer)
        conversations.set_resolved(self.service, access, pull, comment, doer, resolved)

    @operation("Resolve a pull request review comment", status=204, tags=TAGS,
               operation_id="repoResolvePullReviewComment")
    def on_post_resolve(self, req, resp, owner, repo, comment_id):
        self._mark(req, owner, repo, comment_id, True)
        resp.status = falcon.HTTP_204

    @operation("Unresolve a pull request review comment", status=204, tags=TAGS,
               operation_id="repoUnresolvePullReviewComment")
    def on_post_unresolve(self, req, resp, owner, repo, comment_id):
        self._mark(req, owner, repo, comment_id, False)
        resp.status = falcon.HTTP_204


class RepliesResource(PullsApiResource):
    @operation("Reply to a pull request review comment",
               request=CreatePullReviewCommentReplyOptions, response=PULL_REVIEW_COMMENT_SHAPE,
               status=201, tags=TAGS, operation_id="repoCreatePullReviewCommentReply")
    def on_post(self, req, resp, owner, repo, index, comment_id):
        access, doer = self.write_access(req, owner, repo)
        pull = self.pull(access, index)
        _pull, comment = conversations.find_comment(self.service, access, comment_id, doer,
                                                    pull=pull)
        options = load_body(req, CreatePullReviewCommentReplyOptions)
        created = conversations.reply(access, pull, comment, doer, options["body"])
        resp.media = self.presenter(req, access).review_comments([created], pull)[0]
        resp.status = falcon.HTTP_201
