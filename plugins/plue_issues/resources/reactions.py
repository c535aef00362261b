"""Reactions of an issue (``/issues/{index}/reactions``) and of a comment
(``/issues/comments/{id}/reactions``): list, add (201 new, 200 already there), remove (204)."""

from __future__ import annotations

import falcon

from plue_core.openapi import operation
from plue_core.validation import load_body

from plue_issues import comments, reactions
from plue_issues.resources.common import IssuesApiResource
from plue_issues.schemas.options import EditReactionOption
from plue_issues.schemas.shapes import REACTION_SHAPE

TAGS = ("issue",)


class _Reactions(IssuesApiResource):
    """What both resources do once they know the issue and, for a comment's, the comment."""

    @property
    def settings(self):
        return self.ctx.section("issues")

    def _list(self, req, resp, access, issue, comment, *, paged: bool) -> None:
        query = reactions.reactions_of(issue, comment)
        rows = self.page(req, resp, query) if paged else list(query)
        resp.media = self.presenter(req, access).reactions(rows)

    def _add(self, req, resp, access, doer, issue, comment) -> None:
        body = load_body(req, EditReactionOption)
        reaction, created = reactions.add_reaction(self.settings, access, issue, doer,
                                                   body["content"], comment)
        resp.status = falcon.HTTP_201 if created else falcon.HTTP_200
        resp.media = self.presenter(req, access).reaction(reaction)

    def _remove(self, req, resp, access, doer, issue, comment) -> None:
        body = load_body(req, EditReactionOption)
        reactions.remove_reaction(access, issue, doer, body["content"], comment)
        resp.status = falcon.HTTP_204


class IssueReactionsResource(_Reactions):
    @operation("Get a list reactions of an issue", response=REACTION_SHAPE, many=True,
               tags=TAGS, query=("page", "limit"), operation_id="issueGetIssueReactions")
    def on_get(self, req, resp, owner, repo, index):
        access = self.read_access(req, owner, repo)
        self._list(req, resp, access, self.issues.get_issue(access, index), None, paged=True)

    @operation("Add a reaction to an issue", request=EditReactionOption, response=REACTION_SHAPE,
               status=201, tags=TAGS, operation_id="issuePostIssueReaction")
    def on_post(self, req, resp, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        self._add(req, resp, access, doer, self.issues.get_issue(access, index), None)

    @operation("Remove a reaction from an issue", request=EditReactionOption, status=204,
               tags=TAGS, operation_id="issueDeleteIssueReaction")
    def on_delete(self, req, resp, owner, repo, index):
        access, doer = self.write_access(req, owner, repo)
        self._remove(req, resp, access, doer, self.issues.get_issue(access, index), None)


class CommentReactionsResource(_Reactions):
    @operation("Get a list of reactions from a comment of an issue", response=REACTION_SHAPE,
               many=True, tags=TAGS, operation_id="issueGetCommentReactions")
    def on_get(self, req, resp, owner, repo, comment_id):
        access = self.read_access(req, owner, repo)
        comment = comments.find_comment(access, comment_id)
        self._list(req, resp, access, comment.issue, comment, paged=False)

    @operation("Add a reaction to a comment of an issue", request=EditReactionOption,
               response=REACTION_SHAPE, status=201, tags=TAGS,
               operation_id="issuePostCommentReaction")
    def on_post(self, req, resp, owner, repo, comment_id):
        access, doer = self.write_access(req, owner, repo)
        comment = comments.find_comment(access, comment_id)
        self._add(req, resp, access, doer, comment.issue, comment)

    @operation("Remove a reaction from a comment of an issue", request=EditReactionOption,
               status=204, tags=TAGS, operation_id="issueDeleteCommentReaction")
    def on_delete(self, req, resp, owner, repo, comment_id):
        access, doer = self.write_access(req, owner, repo)
        comment = comments.find_comment(access, comment_id)
        self._remove(req, resp, access, doer, comment.issue, comment)
